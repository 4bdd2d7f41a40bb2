"""Demo cases: Taranto's 65 beneficiaries taken in charge in LgNet2 (2023), with services;
in the other cities most registered persons have a case."""

import random
from datetime import date, timedelta

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
