"""Demo cases: Taranto's 65 beneficiaries taken in charge in LgNet2 (2023), with services;
in the other cities most registered persons have a case."""

import random
from datetime import date, timedelta

from django.db import connection

from lgnet.accounts.models import User
from lgnet.cases.catalogue import ensure_network_catalogue
from lgnet.cases.models import (
    ActionArea,
    Case,
    CaseCounter,
    CaseMember,
    Outcome,
    Service,
    ServiceType,
    Status,
)
from lgnet.core import history
from lgnet.network.models import City, Organisation
from lgnet.people.models import Person

LGNET2_END = date(2023, 12, 31)
AREAS = [
    [ActionArea.TAKING_IN_CHARGE],
    [ActionArea.TAKING_IN_CHARGE, ActionArea.HOUSING],
    [ActionArea.TAKING_IN_CHARGE, ActionArea.CIVIC_ENGAGEMENT],
    [ActionArea.HOUSING],
    [ActionArea.CIVIC_ENGAGEMENT],
]
OUTCOMES = [Outcome.GOALS_REACHED, Outcome.GOALS_REACHED, Outcome.LEFT, Outcome.LOST, Outcome.MOVED]


def seed_cases(scale: int = 1) -> None:
    ensure_network_catalogue()
    types = list(ServiceType.objects.filter(city__isnull=True))
    today = date.today()  # noqa: DTZ011 - demo dates only
    for city in City.objects.order_by("slug"):
        if Case.objects.filter(city=city).exists():
            continue  # idempotent
        operator = User.objects.filter(username=f"{city.slug}.operatore").first()
        if operator is None:
            continue
        rng = random.Random(f"lgnet-cases-{city.slug}")  # noqa: S311 - demo data
        persons = list(
            Person.objects.filter(
                city=city, external_id__startswith="demo-", merged_into__isnull=True
            ).order_by("id")
        )
        if city.slug == "taranto":
            # Exactly the 65 beneficiaries of the press release, all taken in charge in 2023.
            chosen = [p for p in persons if int(p.external_id.rsplit("-", 1)[1]) < 65]
        else:
            chosen = [p for p in persons if rng.random() < 0.6]
        providers = list(Organisation.objects.filter(city=city).exclude(kind="comune"))
        _seed_city(city, chosen, operator, types, providers, rng, today)


def _seed_city(city, persons, operator, types, providers, rng, today) -> None:
    taranto = city.slug == "taranto"
    cases, counters = [], {}
    for person in persons:
        if taranto:
            opened = date(2023, 1, 9) + timedelta(days=rng.randint(0, 300))
            end = LGNET2_END
        else:
            opened = date(2023, 1, 9) + timedelta(
                days=rng.randint(0, (today - date(2023, 1, 9)).days)
            )
            end = today
        closed = None
        if rng.random() < (0.45 if taranto else 0.35):
            closed = min(end, opened + timedelta(days=rng.randint(30, 240)))
        counters[opened.year] = counters.get(opened.year, 0) + 1
        cases.append(
            Case(
                city=city,
                person=person,
                areas=rng.choice(AREAS),
                opened_on=opened,
                status=Status.CLOSED
                if closed
                else rng.choice([Status.OPEN, Status.ACTIVE, Status.ACTIVE]),
                closed_on=closed,
                outcome=rng.choice(OUTCOMES) if closed else "",
                manager=operator,
                number=f"{city.slug[:2].upper()}-{opened.year}-{counters[opened.year]:04d}",
            )
        )
    Case.objects.bulk_create(cases, batch_size=500)
    for year, last in counters.items():
        CaseCounter.objects.update_or_create(city=city, year=year, defaults={"last": last})
    CaseMember.objects.bulk_create(
        [CaseMember(city=city, case=case, user=operator) for case in cases], batch_size=500
    )
    services = []
    for case in cases:
        end = case.closed_on or min(today, case.opened_on + timedelta(days=365))
        for _ in range(rng.randint(1, 6)):
            service_type = rng.choice(types)
            delivered = case.opened_on + timedelta(
                days=rng.randint(0, max((end - case.opened_on).days, 0))
            )
            quantity = {
                "euros": rng.choice([150, 200, 250, 300]),
                "minutes": 60,
                "nights": rng.randint(1, 10),
            }.get(service_type.unit, 1)
            services.append(
                Service(
                    city=city,
                    case=case,
                    person=case.person,
                    service_type=service_type,
                    delivered_on=delivered,
                    quantity=quantity,
                    provider=rng.choice(providers) if providers and rng.random() < 0.5 else None,
                    recorded_by=case.manager,
                )
            )
    Service.objects.bulk_create(services, batch_size=1000)
    _seed_case_work(city, cases, operator, providers, rng, today)


NOTES = [
    "Primo colloquio con mediatore linguistico: la persona chiede aiuto per i documenti.",
    "Accompagnato in Questura per il rinnovo del permesso.",
    "Colloquio di verifica del piano: obiettivi confermati.",
    "Segnalata disponibilità di un posto in co-housing.",
]
CONFIDENTIAL_NOTES = [
    "Riferisce episodi di violenza durante il viaggio: proposto supporto psicologico.",
    "Situazione sanitaria da seguire con il consultorio.",
]
GOALS = [
    ("legal_documents", "Rinnovare il permesso di soggiorno"),
    ("language", "Raggiungere il livello A2 di italiano"),
    ("housing", "Passare a un alloggio autonomo"),
    ("work", "Trovare un tirocinio"),
    ("health", "Iscrizione al Servizio sanitario nazionale"),
]
REASONS = {
    "isola": "Inserimento in co-housing e accompagnamento all'autonomia abitativa.",
    "iom": "Corso sui diritti dei lavoratori e orientamento al lavoro.",
    "oim": "Corso sui diritti dei lavoratori e orientamento al lavoro.",
    "uepe": "Progetto di reinserimento dopo la fine della pena.",
    "teatro": "Laboratorio teatrale di gruppo.",
    "cpia": "Test di posizionamento e corso di italiano.",
    "asl": "Presa in carico sanitaria e visita medica.",
    "scuol": "Progetto di impegno civico nella scuola.",
}
DEFAULT_REASON = "Orientamento e accompagnamento ai servizi del territorio."


def _seed_case_work(city, cases, operator, providers, rng, today) -> None:
    """Assessments, plans, notes, referrals to partners and tasks, in bulk."""
    from lgnet.cases.models import (
        Assessment,
        AssessmentScore,
        Direction,
        Domain,
        Goal,
        GoalStatus,
        Note,
        PlanReview,
        Referral,
        ReferralStatus,
        Shared,
    )
    from lgnet.cases.services import make_automatic_tasks

    assessments, goals, reviews, notes, referrals = [], [], [], [], []
    for case in cases:
        end = case.closed_on or today
        span = max((end - case.opened_on).days, 1)
        for k in range(rng.randint(1, 2)):
            assessments.append(
                Assessment(
                    city=city,
                    case=case,
                    assessed_on=case.opened_on + timedelta(days=min(span, k * 90)),
                    assessed_by=operator,
                )
            )
        for domain, text in rng.sample(GOALS, rng.randint(1, 3)):
            status = (
                rng.choice([GoalStatus.ACHIEVED, GoalStatus.PARTLY, GoalStatus.NOT_ACHIEVED])
                if case.closed_on
                else rng.choice([GoalStatus.PLANNED, GoalStatus.IN_PROGRESS])
            )
            goals.append(
                Goal(
                    city=city,
                    case=case,
                    domain=domain,
                    description=text,
                    target_on=case.opened_on + timedelta(days=rng.randint(60, 300)),
                    status=status,
                    outcome=""
                    if status in (GoalStatus.PLANNED, GoalStatus.IN_PROGRESS, GoalStatus.ACHIEVED)
                    else "Da riprendere.",
                    created_by=operator,
                )
            )
        if not case.closed_on:
            reviews.append(
                PlanReview(
                    city=city, case=case, due_on=today + timedelta(days=rng.randint(-20, 60))
                )
            )
        for _k in range(rng.randint(1, 3)):
            confidential = rng.random() < 0.2
            notes.append(
                Note(
                    city=city,
                    case=case,
                    author=operator,
                    body=rng.choice(CONFIDENTIAL_NOTES if confidential else NOTES),
                    confidential=confidential,
                )
            )
        if providers and rng.random() < 0.45:
            partner = rng.choice(providers)
            key = next((k for k in REASONS if k in partner.name.lower()), "")
            sent = case.opened_on + timedelta(days=rng.randint(0, min(span, 60)))
            status = rng.choice(
                [
                    ReferralStatus.SENT,
                    ReferralStatus.ACCEPTED,
                    ReferralStatus.ACCEPTED,
                    ReferralStatus.COMPLETED,
                    ReferralStatus.REJECTED,
                ]
            )
            if case.closed_on and status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED):
                status = ReferralStatus.COMPLETED
            incoming = key == "uepe" and rng.random() < 0.5
            pending = incoming and status == ReferralStatus.SENT
            referrals.append(
                Referral(
                    city=city,
                    direction=Direction.INCOMING if incoming else Direction.OUTGOING,
                    # An incoming referral not answered yet is not linked to the registry.
                    person=None if pending else case.person,
                    case=None if pending else case,
                    organisation=partner,
                    reason=REASONS.get(key, DEFAULT_REASON),
                    proposed_name=case.person.full_name if incoming else "",
                    consent_on=sent,
                    consent_shares=list(Shared.values),
                    status=status,
                    sent_on=sent,
                    responded_on=None
                    if status == ReferralStatus.SENT
                    else sent + timedelta(days=3),
                    rejection_reason="Nessun posto disponibile."
                    if status == ReferralStatus.REJECTED
                    else "",
                    completed_on=min(end, sent + timedelta(days=90))
                    if status == ReferralStatus.COMPLETED
                    else None,
                    sent_by=operator,
                )
            )
    if city.slug == "taranto":
        referrals.extend(_story_referrals(city, cases, referrals, providers, operator, today))
    Assessment.objects.bulk_create(assessments, batch_size=1000)
    scores = []
    domains = list(Domain.values)
    for a in assessments:
        step = (a.assessed_on - a.case.opened_on).days // 90
        for domain in rng.sample(domains, rng.randint(3, 6)):
            scores.append(
                AssessmentScore(
                    city=city,
                    assessment=a,
                    domain=domain,
                    level=min(5, rng.randint(1, 3) + step),
                )
            )
    AssessmentScore.objects.bulk_create(scores, batch_size=2000)
    Goal.objects.bulk_create(goals, batch_size=1000)
    PlanReview.objects.bulk_create(reviews, batch_size=1000)
    Note.objects.bulk_create(notes, batch_size=1000)
    # Notes written along the case, not all today (a demo back-dating, kept out of history).
    with history.ignoring("cases.Note:update_update"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_note n SET created_at = c.opened_on + (n.id %% 40) * interval '1 day'"
            " FROM cases_case c WHERE n.case_id = c.id AND n.city_id = %s",
            [city.pk],
        )
    Referral.objects.bulk_create(referrals, batch_size=1000)
    make_automatic_tasks(city, today=today)


STORY_PARTNERS = ("isola", "oim", "uepe")


def _story_referrals(city, cases, referrals, providers, operator, today) -> list:
    """Whatever the draw, Taranto's story holds referrals to ISOLA, IOM (OIM) and UEPE that
    wait for an answer, are accepted and are completed (the partners' demo logins see them).
    A separate draw, so that the rest of the demo stays as it was."""
    from lgnet.cases.models import Direction, Referral, ReferralStatus, Shared

    rng = random.Random("lgnet-cases-taranto-story")  # noqa: S311 - demo data
    referred = {r.case_id for r in referrals}
    free_open = [c for c in cases if c.pk not in referred and not c.closed_on]
    free_closed = [c for c in cases if c.pk not in referred and c.closed_on]
    rng.shuffle(free_open)
    rng.shuffle(free_closed)
    added = []
    for key in STORY_PARTNERS:
        partner = next((p for p in providers if key in p.name.lower()), None)
        if partner is None:
            continue
        have = {r.status for r in referrals if r.organisation_id == partner.pk}
        for status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED):
            pool = free_closed if status == ReferralStatus.COMPLETED else free_open
            if status in have or not pool:
                continue
            case = pool.pop()
            end = case.closed_on or today
            sent = min(end, case.opened_on + timedelta(days=rng.randint(0, 30)))
            added.append(
                Referral(
                    city=city,
                    direction=Direction.OUTGOING,
                    person=case.person,
                    case=case,
                    organisation=partner,
                    reason=REASONS[key],
                    consent_on=sent,
                    consent_shares=list(Shared.values),
                    status=status,
                    sent_on=sent,
                    responded_on=None
                    if status == ReferralStatus.SENT
                    else min(end, sent + timedelta(days=3)),
                    completed_on=end if status == ReferralStatus.COMPLETED else None,
                    sent_by=operator,
                )
            )
    return added
