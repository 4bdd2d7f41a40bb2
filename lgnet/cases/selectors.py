"""Reads of cases and services; every read takes the city explicitly."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lgnet.cases.models import (
    Assessment,
    AssessmentScore,
    Attachment,
    Case,
    Domain,
    Goal,
    Note,
    PlanReview,
    Referral,
    Service,
    ServiceType,
    Shared,
    Task,
)


def list_cases(
    city,
    *,
    status: str = "",
    area: str = "",
    manager_id: int | None = None,
    q: str = "",
    overdue: bool = False,
) -> QuerySet[Case]:
    """``overdue``: not closed, with a task or a plan review past its date."""
    from lgnet.people.selectors import sees_restricted

    cases = Case.objects.filter(city=city).select_related("person", "manager")
    if not sees_restricted():
        cases = cases.exclude(person__is_restricted=True)
    if status:
        cases = cases.filter(status=status)
    if area:
        cases = cases.filter(areas__contains=[area])
    if manager_id:
        cases = cases.filter(manager_id=manager_id)
    if overdue:
        today = timezone.localdate()
        late_tasks = Task.objects.filter(
            case=OuterRef("pk"), done_on__isnull=True, due_on__lt=today
        )
        late_reviews = PlanReview.objects.filter(
            case=OuterRef("pk"), held_on__isnull=True, due_on__lt=today
        )
        cases = cases.not_closed().filter(Q(Exists(late_tasks)) | Q(Exists(late_reviews)))
    if q:
        cases = cases.filter(
            Q(number__icontains=q)
            | Q(person__family_names__icontains=q)
            | Q(person__given_names__icontains=q)
        )
    return cases.annotate(service_count=Count("services")).order_by("-opened_on", "-id")


def get_case_for(city, case_id: int) -> Case:
    """A case of the city; a restricted person's case opens only for the city coordinator."""
    from lgnet.people.selectors import check_not_restricted

    case = get_object_or_404(
        Case.objects.select_related("person", "manager", "city"), city=city, pk=case_id
    )
    check_not_restricted(case.person)
    return case


def cases_of(person) -> QuerySet[Case]:
    return Case.objects.filter(city=person.city, person=person).select_related("manager")


def list_services(city, *, case: Case | None = None) -> QuerySet[Service]:
    services = Service.objects.filter(city=city).select_related(
        "service_type", "provider", "case", "recorded_by"
    )
    if case is not None:
        services = services.filter(case=case)
    return services.order_by("-delivered_on", "-id")


def get_service_for(city, service_id: int) -> Service:
    return get_object_or_404(list_services(city), pk=service_id)


def is_on_team(membership, person) -> bool:
    """The caseworker is on the team of one of the person's cases not closed."""
    from lgnet.cases.models import CaseMember, Status

    return (
        CaseMember.objects.filter(city=person.city, case__person=person, user=membership.user)
        .exclude(case__status=Status.CLOSED)
        .exists()
    )


def assessments_of(case: Case) -> list[Assessment]:
    return list(
        Assessment.objects.filter(city=case.city, case=case)
        .select_related("assessed_by")
        .prefetch_related(Prefetch("scores", AssessmentScore.objects.order_by("domain")))
        .order_by("-assessed_on", "-id")
    )


# Domains whose levels are special-category data (DESIGN §3: health), shown only to the case
# team and the city coordinator.
SENSITIVE_DOMAINS = (Domain.HEALTH,)


def assessment_grid(
    assessments: list[Assessment], last: int = 4, *, withheld: tuple[str, ...] = ()
) -> dict:
    """Domains × the last assessments (oldest first), with the change since the first shown.
    A ``withheld`` domain keeps its row, without levels (``withheld`` set)."""
    shown = list(reversed(assessments[:last]))
    rows = []
    for value, label in Domain.choices:
        if value in withheld:
            levels, change = [None] * len(shown), None
        else:
            levels = [
                next((s.level for s in a.scores.all() if s.domain == value), None) for a in shown
            ]
            known = [v for v in levels if v is not None]
            change = known[-1] - known[0] if len(known) > 1 else None
        rows.append(
            {
                "code": value,
                "domain": label,
                "levels": levels,
                "change": change,
                "withheld": value in withheld,
            }
        )
    return {"dates": [a.assessed_on for a in shown], "rows": rows}


def shows_health(grid: dict) -> bool:
    """The grid shows a level of a sensitive domain (a read to log)."""
    return any(
        level is not None
        for row in grid["rows"]
        if row["code"] in SENSITIVE_DOMAINS
        for level in row["levels"]
    )


# The probation office (UEPE) is a public office; the organisation kinds hold no narrower
# one, so a referral to or from any public office counts as justice-related: its reads are
# logged (more than needed rather than fewer).
JUSTICE_KINDS = ("public_office",)


def is_justice(referral: Referral) -> bool:
    return referral.organisation.kind in JUSTICE_KINDS


def goals_of(case: Case) -> QuerySet[Goal]:
    return Goal.objects.filter(city=case.city, case=case).order_by("status", "target_on", "id")


def goals_shown(case: Case, *, sensitive_ok: bool) -> list[Goal]:
    """The plan's goals; those of a sensitive domain (health) are ``is_withheld`` for a
    reader outside the case team: their row shows, not their words (DESIGN §3)."""
    goals = list(goals_of(case))
    for goal in goals:
        goal.is_withheld = not sensitive_ok and goal.domain in SENSITIVE_DOMAINS
    return goals


def reviews_of(case: Case) -> QuerySet[PlanReview]:
    return PlanReview.objects.filter(city=case.city, case=case).order_by("due_on", "id")


def notes_of(case: Case) -> QuerySet[Note]:
    return (
        Note.objects.filter(city=case.city, case=case)
        .select_related("author")
        .order_by("created_at", "id")
    )


def get_note_for(city, case: Case, note_id: int) -> Note:
    return get_object_or_404(
        Note.objects.select_related("author"), city=city, case=case, pk=note_id
    )


def list_referrals(
    city, *, organisation=None, status: str = "", direction: str = "", case: Case | None = None
) -> QuerySet[Referral]:
    referrals = Referral.objects.filter(city=city).select_related(
        "organisation", "person", "case", "agreement", "sent_by"
    )
    if organisation is not None:
        referrals = referrals.filter(organisation=organisation)
    if status:
        referrals = referrals.filter(status=status)
    if direction:
        referrals = referrals.filter(direction=direction)
    if case is not None:
        referrals = referrals.filter(case=case)
    return referrals.order_by("-sent_on", "-id")


def referrals_for(membership) -> QuerySet[Referral]:
    """What the user may open: a partner only its organisation's referrals, the comune all."""
    if membership.organisation_id is not None:
        return list_referrals(membership.city, organisation=membership.organisation)
    return list_referrals(membership.city)


def get_referral_for(membership, referral_id: int) -> Referral:
    from lgnet.people.selectors import check_not_restricted

    referral = get_object_or_404(referrals_for(membership), pk=referral_id)
    if referral.person_id:
        check_not_restricted(referral.person, membership)
    return referral


def partner_reach(organisation) -> QuerySet:
    """Persons an organisation works with through an open referral."""
    return (
        Referral.objects.filter(city_id=organisation.city_id, organisation=organisation)
        .open()
        .filter(person__isnull=False)
        .values("person_id")
    )


# A referral's consent, in the registry's words (people.selectors.PARTNER_FIELDS).
CONSENT_FIELDS = {
    Shared.CONTACT: {"phone"},
    Shared.BIRTH_YEAR: {"sex", "birth_year"},
    Shared.LANGUAGES: {"languages"},
}


def partner_shares(organisation, person_ids: list[int] | None) -> dict[int, set[str]]:
    """What the organisation's open referrals let it read of each person: the union of
    their consents (one query)."""
    referrals = (
        Referral.objects.filter(city_id=organisation.city_id, organisation=organisation)
        .open()
        .filter(person__isnull=False)
    )
    if person_ids is not None:
        referrals = referrals.filter(person_id__in=person_ids)
    found: dict[int, set[str]] = {}
    for person_id, shares in referrals.values_list("person_id", "consent_shares"):
        fields = found.setdefault(person_id, set())
        for share in shares:
            fields |= CONSENT_FIELDS.get(share, set())
    return found


def list_tasks(
    city, *, assignee=None, overdue: bool = False, open_only: bool = True, case: Case | None = None
) -> QuerySet[Task]:
    tasks = Task.objects.filter(city=city).select_related("assignee", "case__person")
    if open_only:
        tasks = tasks.filter(done_on__isnull=True)
    if assignee is not None:
        tasks = tasks.filter(assignee=assignee)
    if overdue:
        tasks = tasks.filter(due_on__lt=timezone.localdate(), done_on__isnull=True)
    if case is not None:
        tasks = tasks.filter(case=case)
    return tasks.order_by("due_on", "id")


def get_task_for(city, task_id: int) -> Task:
    return get_object_or_404(Task, city=city, pk=task_id)


def attachments_of(case: Case) -> QuerySet[Attachment]:
    return Attachment.objects.filter(city=case.city, case=case).select_related("uploaded_by")


def get_attachment_for(city, case: Case, attachment_id: int) -> Attachment:
    return get_object_or_404(Attachment, city=city, case=case, pk=attachment_id)


def network_service_types(*, active_only: bool = True) -> QuerySet[ServiceType]:
    types = ServiceType.objects.filter(city__isnull=True)
    return (types.filter(is_active=True) if active_only else types).order_by("name_it")


def service_catalogue(city=None) -> list[ServiceType]:
    """The network's types, each with the local types mapped onto it: the city's own, or
    every city's for the network (two queries)."""
    local = ServiceType.objects.filter(city__isnull=False).select_related("city")
    if city is not None:
        local = local.filter(city=city)
    return list(
        network_service_types(active_only=False).prefetch_related(
            Prefetch("local_types", local.order_by("name_it"), to_attr="locals")
        )
    )
