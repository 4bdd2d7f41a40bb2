"""Writes of the case capability: open, activate, close, reopen; services delivered."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lgnet.cases.models import (
    GOAL_OPEN,
    REFERRAL_OPEN,
    ActionArea,
    Assessment,
    AssessmentScore,
    Attachment,
    AttachmentKind,
    Case,
    CaseCounter,
    CaseMember,
    Direction,
    Domain,
    Goal,
    GoalStatus,
    Level,
    Note,
    Outcome,
    PlanReview,
    Referral,
    ReferralStatus,
    Service,
    ServiceType,
    Shared,
    Status,
    Task,
    TaskKind,
    Unit,
)
from lgnet.core import audit
from lgnet.core.exceptions import RuleBroken


def _next_number(city, year: int) -> str:
    """TA-2023-0042: a city prefix, the year opened, a sequence without gaps or races."""
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(city=city, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{city.slug[:2].upper()}-{year}-{counter.last:04d}"


def _check_areas(areas: list[str]) -> list[str]:
    areas = list(dict.fromkeys(areas or [ActionArea.TAKING_IN_CHARGE]))
    wrong = set(areas) - set(ActionArea.values)
    if wrong:
        raise RuleBroken(
            _("Unknown action area: %(a)s") % {"a": ", ".join(sorted(wrong))}, field="areas"
        )
    return areas


@transaction.atomic
def open_case(
    *,
    actor: Any,
    person,
    opened_on: date | None = None,
    areas: list[str] | None = None,
    manager=None,
    contact=None,
) -> Case:
    """Take a person in charge. One case at a time; cases are often recorded late."""
    if person.merged_into_id:
        raise RuleBroken(_("This record was merged into another one."), field="person", status=409)
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise RuleBroken(_("A case cannot open in the future."), field="opened_on")
    if contact is not None and contact.city_id != person.city_id:
        raise RuleBroken(_("Choose a contact of your city."), field="opened_from", status=404)
    if Case.objects.filter(person=person).not_closed().exists():
        raise RuleBroken(_("This person already has an open case."), field="person", status=409)
    case = Case(
        city=person.city,
        person=person,
        areas=_check_areas(areas or []),
        opened_on=opened_on,
        manager=manager or actor,
        opened_from=contact,
        number=_next_number(person.city, opened_on.year),
    )
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as error:  # a parallel request opened one first
        raise RuleBroken(
            _("This person already has an open case."), field="person", status=409
        ) from error
    CaseMember.objects.create(city=case.city, case=case, user=case.manager)
    audit.record(actor=actor, target=case, action="case.opened")
    return case


@transaction.atomic
def update_case(
    *,
    actor: Any,
    case: Case,
    areas: list[str] | None = None,
    manager=None,
    team: list | None = None,
) -> Case:
    """Change areas, manager or team of a case that is not closed."""
    if case.is_closed:
        raise RuleBroken(_("Reopen the case before changing it."), status=409)
    if areas is not None:
        case.areas = _check_areas(areas)
    if manager is not None:
        case.manager = manager
    case.save()
    members = set(team or []) | {case.manager}
    if team is not None or manager is not None:
        CaseMember.objects.filter(case=case).exclude(user__in=members).delete()
        for user in members:
            CaseMember.objects.get_or_create(city=case.city, case=case, user=user)
    audit.record(actor=actor, target=case, action="case.updated")
    return case


@transaction.atomic
def activate_case(*, actor: Any, case: Case) -> Case:
    """An open case becomes active when the plan starts."""
    if case.status != Status.OPEN:
        raise RuleBroken(_("Only an open case can be activated."), status=409)
    case.status = Status.ACTIVE
    case.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, target=case, action="case.activated")
    return case


@transaction.atomic
def close_case(*, actor: Any, case: Case, outcome: str, closed_on: date | None = None) -> Case:
    """A case closes with an outcome, on or after the day it opened; its open referrals end
    with it (sent ones withdrawn, accepted ones completed), and so does the partners' access."""
    if case.is_closed:
        raise RuleBroken(_("The case is already closed."), status=409)
    if outcome not in Outcome.values:
        raise RuleBroken(_("Choose an outcome."), field="outcome")
    closed_on = closed_on or timezone.localdate()
    if closed_on < case.opened_on or closed_on > timezone.localdate():
        raise RuleBroken(
            _("The closing date must lie between the opening date and today."), field="closed_on"
        )
    case.status, case.outcome, case.closed_on = Status.CLOSED, outcome, closed_on
    case.save(update_fields=["status", "outcome", "closed_on", "updated_at"])
    audit.record(actor=actor, target=case, action="case.closed", data={"outcome": outcome})
    _end_referrals_of(case, actor)
    return case


def _end_referrals_of(case: Case, actor: Any) -> None:
    """A partner keeps no access to the person of a closed case (moved away, deceased, left)."""
    today = timezone.localdate()
    for referral in Referral.objects.select_for_update().filter(
        city=case.city, case=case, status__in=REFERRAL_OPEN
    ):
        if referral.status == ReferralStatus.SENT:
            referral.status = ReferralStatus.WITHDRAWN
            action = "referral.withdrawn"
        else:
            referral.status, referral.completed_on = ReferralStatus.COMPLETED, today
            action = "referral.completed"
        referral.save(update_fields=["status", "completed_on", "updated_at"])
        audit.record(actor=actor, target=referral, action=action, data={"case_closed": True})


@transaction.atomic
def reopen_case(*, actor: Any, case: Case) -> Case:
    """A closed case reopens, unless the person has another case open meanwhile."""
    if not case.is_closed:
        raise RuleBroken(_("The case is not closed."), status=409)
    if Case.objects.filter(person=case.person).not_closed().exists():
        raise RuleBroken(_("This person already has an open case."), status=409)
    case.status, case.outcome, case.closed_on = Status.ACTIVE, "", None
    case.save(update_fields=["status", "outcome", "closed_on", "updated_at"])
    audit.record(actor=actor, target=case, action="case.reopened")
    return case


def service_types_for(city):
    """The network's active types and the city's own."""
    from django.db.models import Q

    return ServiceType.objects.filter(Q(city__isnull=True) | Q(city=city), is_active=True)


@transaction.atomic
def add_service_type(
    *,
    actor: Any,
    code: str,
    name_it: str,
    name_en: str = "",
    unit: str = Unit.TIMES,
    city=None,
    counted_as: ServiceType | None = None,
) -> ServiceType:
    """The network adds a type to its catalogue; a city adds a local type, which must count as
    one of the network's, so that every city's services are counted alike."""
    import re

    from django.db.models import Q

    code = (code or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,59}", code):
        raise RuleBroken(
            _("A code of lower-case letters, digits, - and _ (at most 60)."), field="code"
        )
    name_it, name_en = (name_it or "").strip()[:120], (name_en or "").strip()[:120]
    if not name_it:
        raise RuleBroken(_("Give the Italian name."), field="name_it")
    if unit not in Unit.values:
        raise RuleBroken(_("Choose a unit."), field="unit")
    if city is None and counted_as is not None:
        raise RuleBroken(_("A type of the network counts as itself."), field="counted_as")
    if city is not None and (
        counted_as is None or counted_as.city_id is not None or not counted_as.is_active
    ):
        raise RuleBroken(
            _("Choose the network's type this local type counts as."), field="counted_as"
        )
    # A code names one type for each city: a local code may not repeat a network one.
    clash = ServiceType.objects.filter(code=code)
    if city is not None:
        clash = clash.filter(Q(city__isnull=True) | Q(city=city))
    if clash.exists():
        raise RuleBroken(_("This code is already in the catalogue."), field="code", status=409)
    try:
        with transaction.atomic():  # two requests at once: the database's unique rule decides
            service_type = ServiceType.objects.create(
                code=code,
                name_it=name_it,
                name_en=name_en or name_it,
                unit=unit,
                city=city,
                network_type=counted_as,
            )
    except IntegrityError as error:
        raise RuleBroken(
            _("This code is already in the catalogue."), field="code", status=409
        ) from error
    audit.record(
        actor=actor,
        target=service_type,
        city=city,
        action="service_type.added",
        data={"code": code, "counted_as": counted_as.code if counted_as else None},
    )
    return service_type


@transaction.atomic
def record_service(
    *,
    actor: Any,
    case: Case,
    service_type: ServiceType,
    delivered_on: date,
    quantity: Decimal | int = 1,
    provider=None,
    notes: str = "",
) -> Service:
    """A service delivered under a case, on a day the case was open."""
    if service_type.city_id not in (None, case.city_id) or not service_type.is_active:
        raise RuleBroken(
            _("Choose a service type of the catalogue."), field="service_type", status=404
        )
    if provider is not None and provider.city_id != case.city_id:
        raise RuleBroken(
            _("Choose one of your city's organisations."), field="provider", status=404
        )
    if delivered_on < case.opened_on or delivered_on > (case.closed_on or timezone.localdate()):
        raise RuleBroken(_("The service must fall while the case is open."), field="delivered_on")
    if Decimal(quantity) <= 0:
        raise RuleBroken(_("The quantity must be more than zero."), field="quantity")
    service = Service.objects.create(
        city=case.city,
        case=case,
        person=case.person,
        service_type=service_type,
        delivered_on=delivered_on,
        quantity=quantity,
        provider=provider,
        notes=notes[:500],
        recorded_by=actor,
    )
    if case.status == Status.OPEN:
        case.status = Status.ACTIVE
        case.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, target=service, action="service.recorded")
    return service


@transaction.atomic
def update_service(*, actor: Any, service: Service, changes: dict) -> Service:
    """Correct a service: date, quantity, provider or notes (the same rules as recording)."""
    allowed = {"delivered_on", "quantity", "provider", "notes"}
    if set(changes) - allowed:
        raise RuleBroken(_("Not editable."), field=sorted(set(changes) - allowed)[0])
    case = service.case
    delivered_on = changes.get("delivered_on", service.delivered_on)
    if delivered_on < case.opened_on or delivered_on > (case.closed_on or timezone.localdate()):
        raise RuleBroken(_("The service must fall while the case is open."), field="delivered_on")
    provider = changes.get("provider", service.provider)
    if provider is not None and provider.city_id != case.city_id:
        raise RuleBroken(
            _("Choose one of your city's organisations."), field="provider", status=404
        )
    for name, value in changes.items():
        setattr(service, name, value if name != "notes" else (value or "")[:500])
    service.save()
    audit.record(
        actor=actor, target=service, action="service.updated", data={"fields": sorted(changes)}
    )
    return service


# --- Assessment and plan -------------------------------------------------------------------


def _open_case_only(case: Case) -> None:
    if case.is_closed:
        raise RuleBroken(_("Reopen the case before changing it."), status=409)


@transaction.atomic
def record_assessment(
    *, actor: Any, case: Case, assessed_on: date, levels: dict[str, int], summary: str = ""
) -> Assessment:
    """Levels (1–5) for the domains assessed; at least one domain."""
    _open_case_only(case)
    levels = {d: v for d, v in levels.items() if v not in (None, "")}
    if not levels:
        raise RuleBroken(_("Give a level for at least one domain."), field="levels")
    wrong = set(levels) - set(Domain.values)
    if wrong:
        raise RuleBroken(_("Unknown domain: %(d)s") % {"d": ", ".join(sorted(wrong))})
    if any(int(v) not in Level.values for v in levels.values()):
        raise RuleBroken(_("A level goes from 1 to 5."), field="levels")
    if assessed_on < case.opened_on or assessed_on > timezone.localdate():
        raise RuleBroken(
            _("The date must lie between the opening of the case and today."), field="assessed_on"
        )
    assessment = Assessment.objects.create(
        city=case.city, case=case, assessed_on=assessed_on, assessed_by=actor, summary=summary
    )
    AssessmentScore.objects.bulk_create(
        AssessmentScore(city=case.city, assessment=assessment, domain=d, level=int(v))
        for d, v in levels.items()
    )
    audit.record(actor=actor, target=assessment, action="assessment.recorded")
    return assessment


@transaction.atomic
def add_goal(
    *, actor: Any, case: Case, domain: str, description: str, target_on: date | None = None
) -> Goal:
    _open_case_only(case)
    if domain not in Domain.values:
        raise RuleBroken(_("Choose a domain."), field="domain")
    if not description.strip():
        raise RuleBroken(_("Describe the goal."), field="description")
    if target_on is not None and target_on < case.opened_on:
        raise RuleBroken(_("The target date cannot precede the case."), field="target_on")
    goal = Goal.objects.create(
        city=case.city,
        case=case,
        domain=domain,
        description=description.strip()[:300],
        target_on=target_on,
        created_by=actor,
    )
    audit.record(actor=actor, target=goal, action="goal.added")
    return goal


@transaction.atomic
def update_goal(*, actor: Any, goal: Goal, status: str, outcome: str = "") -> Goal:
    if status not in GoalStatus.values:
        raise RuleBroken(_("Choose a status."), field="status")
    if status not in GOAL_OPEN and not outcome.strip() and status != GoalStatus.ACHIEVED:
        raise RuleBroken(_("Say how the goal ended."), field="outcome")
    goal.status, goal.outcome = status, outcome.strip()[:500]
    goal.save(update_fields=["status", "outcome", "updated_at"])
    audit.record(actor=actor, target=goal, action="goal.updated", data={"status": status})
    return goal


@transaction.atomic
def schedule_review(*, actor: Any, case: Case, due_on: date) -> PlanReview:
    """A plan review on a date, and the manager's task for it."""
    _open_case_only(case)
    if due_on < case.opened_on:
        raise RuleBroken(_("The review cannot precede the case."), field="due_on")
    review = PlanReview.objects.create(city=case.city, case=case, due_on=due_on)
    _review_task(review)
    audit.record(actor=actor, target=review, action="review.scheduled")
    return review


@transaction.atomic
def hold_review(*, actor: Any, review: PlanReview, held_on: date, remarks: str = "") -> PlanReview:
    if held_on > timezone.localdate():
        raise RuleBroken(_("A review cannot be held in the future."), field="held_on")
    review.held_on, review.remarks = held_on, remarks.strip()[:500]
    review.save(update_fields=["held_on", "remarks", "updated_at"])
    Task.objects.filter(city=review.city, key=f"review:{review.pk}", done_on__isnull=True).update(
        done_on=held_on
    )
    audit.record(actor=actor, target=review, action="review.held")
    return review


# --- Notes ---------------------------------------------------------------------------------


def can_read_confidential(membership, case: Case) -> bool:
    """The case team and the city coordinator."""
    if membership is None or membership.city_id != case.city_id:
        return False
    if membership.can("people.sensitive"):
        return True
    return CaseMember.objects.filter(case=case, user_id=membership.user_id).exists()


@transaction.atomic
def write_note(
    *,
    actor: Any,
    membership,
    case: Case,
    body: str,
    confidential: bool = False,
    addendum_to: Note | None = None,
) -> Note:
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise RuleBroken(_("Write the note."), field="body")
    if addendum_to is not None:
        if addendum_to.case_id != case.pk:
            raise RuleBroken(_("Answer a note of this case."), field="addendum_to", status=404)
        if addendum_to.confidential and not can_read_confidential(membership, case):
            raise RuleBroken(_("This note is confidential."), status=403)
        confidential = confidential or addendum_to.confidential
    if confidential and not can_read_confidential(membership, case):
        raise RuleBroken(
            _("Only the case team and the city coordinator write confidential notes."),
            field="confidential",
            status=403,
        )
    note = Note.objects.create(
        city=case.city,
        case=case,
        author=actor,
        body=body[:8000],
        confidential=confidential,
        addendum_to=addendum_to,
    )
    audit.record(actor=actor, target=note, action="note.written")
    return note


@transaction.atomic
def edit_note(*, actor: Any, note: Note, body: str) -> Note:
    """Only the author, within 24 hours; afterwards the note is answered with an addendum."""
    if note.author_id != actor.pk:
        raise RuleBroken(_("Only the author may edit a note."), status=403)
    if timezone.now() > note.editable_until():
        raise RuleBroken(
            _("A note older than 24 hours is not edited: add an addendum."), status=409
        )
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise RuleBroken(_("Write the note."), field="body")
    note.body, note.edited_at = body[:8000], timezone.now()
    note.save(update_fields=["body", "edited_at", "updated_at"])
    audit.record(actor=actor, target=note, action="note.edited")
    return note


def log_confidential_reads(membership, case: Case, notes) -> None:
    """Every confidential note shown is one line in the person's access log."""
    from lgnet.people.selectors import log_reads

    log_reads(
        membership, case.person, [f"confidential_note:{n.pk}" for n in notes if n.confidential]
    )


def log_case_page_reads(
    membership, case: Case, *, notes, health: bool, attachments: list, referrals
) -> None:
    """What the case page shows of the person's sensitive sections, in one insert: the
    confidential notes, the health levels, the names of the files and the justice (UEPE)
    referrals; flagged when the reader is not on the case team."""
    from lgnet.cases.selectors import is_justice
    from lgnet.people.selectors import log_reads

    whats = [f"confidential_note:{n.pk}" for n in notes if n.confidential]
    if health:
        whats.append("health")
    if attachments:
        whats.append("attachments")
    whats += [f"justice_referral:{r.pk}" for r in referrals if is_justice(r)]
    log_reads(membership, case.person, whats)


def log_referral_read(membership, referral: Referral, *, channel: str = "web") -> None:
    """A justice (UEPE) referral read with its person is a sensitive read. The partner it is
    addressed to reads it by the person's consent: logged, not flagged."""
    from lgnet.cases.selectors import is_justice
    from lgnet.people.selectors import log_reads

    if referral.person_id is None or not is_justice(referral):
        return
    partner = membership.organisation_id is not None
    if partner and not referral.is_open:
        return  # the partner no longer sees the person
    log_reads(
        membership,
        referral.person,
        [f"justice_referral:{referral.pk}"],
        channel=channel,
        outside_team=False if partner else None,
    )


# --- Referrals -----------------------------------------------------------------------------


def _check_partner(case_city, organisation, agreement) -> None:
    if organisation.city_id != case_city.pk:
        raise RuleBroken(
            _("Choose one of your city's organisations."), field="organisation", status=404
        )
    if organisation.kind == "comune":
        raise RuleBroken(_("Refer to a partner, not to the comune."), field="organisation")
    if agreement is not None and (
        agreement.city_id != case_city.pk or agreement.organisation_id != organisation.pk
    ):
        raise RuleBroken(_("Choose an agreement with this partner."), field="agreement")


@transaction.atomic
def send_referral(
    *,
    actor: Any,
    case: Case,
    organisation,
    reason: str,
    consent_on: date | None,
    consent_shares: list[str],
    agreement=None,
    expected_on: date | None = None,
) -> Referral:
    """Refer the person of an open case to a partner, with the consent of the person."""
    _open_case_only(case)
    _check_partner(case.city, organisation, agreement)
    if not reason.strip():
        raise RuleBroken(_("Say why the person is referred."), field="reason")
    if consent_on is None:
        raise RuleBroken(
            _("Record the person's consent before sharing anything with a partner."),
            field="consent_on",
        )
    if consent_on > timezone.localdate():
        raise RuleBroken(_("The consent cannot be given in the future."), field="consent_on")
    wrong = set(consent_shares) - set(Shared.values)
    if wrong:
        raise RuleBroken(_("Unknown item to share."), field="consent_shares")
    already = Referral.objects.filter(
        city=case.city, person=case.person, organisation=organisation
    ).open()
    if already.exists():
        raise RuleBroken(
            _("The person already has an open referral to this partner."),
            field="organisation",
            status=409,
        )
    referral = Referral.objects.create(
        city=case.city,
        direction=Direction.OUTGOING,
        person=case.person,
        case=case,
        organisation=organisation,
        agreement=agreement,
        reason=reason.strip()[:1000],
        consent_on=consent_on,
        consent_shares=list(dict.fromkeys(consent_shares)),
        expected_on=expected_on,
        sent_on=timezone.localdate(),
        sent_by=actor,
    )
    audit.record(actor=actor, target=referral, action="referral.sent", data={"to": organisation.pk})
    return referral


@transaction.atomic
def receive_referral(
    *,
    actor: Any,
    membership,
    proposed_name: str,
    proposed_birth_year: int | None,
    reason: str,
    expected_on: date | None = None,
    consent_on: date | None = None,
) -> Referral:
    """A partner (UEPE before a release) refers someone to the comune."""
    organisation = membership.organisation
    if organisation is None:
        raise RuleBroken(_("Only a partner's worker sends a referral to the comune."), status=403)
    if not proposed_name.strip():
        raise RuleBroken(_("Give the person's name."), field="proposed_name")
    if not reason.strip():
        raise RuleBroken(_("Say why the person is referred."), field="reason")
    if consent_on is None:
        raise RuleBroken(_("Record the person's consent to the referral."), field="consent_on")
    this_year = timezone.localdate().year
    if proposed_birth_year is not None and not 1900 <= proposed_birth_year <= this_year:
        raise RuleBroken(_("Give a plausible birth year."), field="proposed_birth_year")
    referral = Referral.objects.create(
        city_id=membership.city_id,
        direction=Direction.INCOMING,
        organisation=organisation,
        reason=reason.strip()[:1000],
        proposed_name=proposed_name.replace("\x00", "").strip()[:200],
        proposed_birth_year=proposed_birth_year,
        expected_on=expected_on,
        consent_on=consent_on,
        consent_shares=[Shared.BIRTH_YEAR, Shared.REASON],
        sent_on=timezone.localdate(),
        sent_by=actor,
    )
    audit.record(actor=actor, target=referral, action="referral.received")
    return referral


def _lock(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral.pk, city_id=referral.city_id)


def _answerer_is(membership, referral: Referral) -> None:
    """Outgoing referrals are answered by the partner; incoming ones by the comune."""
    partner_side = membership.organisation_id is not None
    if referral.direction == Direction.OUTGOING:
        ok = partner_side and membership.organisation_id == referral.organisation_id
    else:
        ok = not partner_side and membership.can("referrals.send")
    if not ok:
        raise RuleBroken(_("The other side answers this referral."), status=403)


@transaction.atomic
def accept_referral(*, actor: Any, membership, referral: Referral, person=None) -> Referral:
    referral = _lock(referral)
    _answerer_is(membership, referral)
    if referral.status != ReferralStatus.SENT or not referral.is_open:
        raise RuleBroken(_("Only a referral waiting for an answer can be accepted."), status=409)
    if referral.direction == Direction.INCOMING:
        if person is None:
            raise RuleBroken(_("Choose the person in the registry first."), field="person")
        if person.city_id != referral.city_id or person.merged_into_id:
            raise RuleBroken(_("Choose a person of your city."), field="person", status=404)
        referral.person = person
        referral.case = Case.objects.filter(person=person).not_closed().first()
    referral.status, referral.responded_on = ReferralStatus.ACCEPTED, timezone.localdate()
    referral.answered_by = actor
    referral.save()
    audit.record(actor=actor, target=referral, action="referral.accepted")
    return referral


@transaction.atomic
def reject_referral(*, actor: Any, membership, referral: Referral, reason: str) -> Referral:
    referral = _lock(referral)
    _answerer_is(membership, referral)
    if referral.status != ReferralStatus.SENT:
        raise RuleBroken(_("Only a referral waiting for an answer can be rejected."), status=409)
    if not reason.strip():
        raise RuleBroken(_("Say why the referral is rejected."), field="rejection_reason")
    referral.status, referral.responded_on = ReferralStatus.REJECTED, timezone.localdate()
    referral.rejection_reason, referral.answered_by = reason.strip()[:500], actor
    referral.save()
    audit.record(actor=actor, target=referral, action="referral.rejected")
    return referral


@transaction.atomic
def complete_referral(*, actor: Any, membership, referral: Referral) -> Referral:
    """Either side closes an accepted referral as done; the partner's access ends."""
    referral = _lock(referral)
    own_partner = membership.organisation_id == referral.organisation_id
    comune = membership.organisation_id is None and membership.can("referrals.send")
    if not (own_partner or comune):
        raise RuleBroken(_("Not your referral."), status=403)
    if referral.status != ReferralStatus.ACCEPTED:
        raise RuleBroken(_("Only an accepted referral can be completed."), status=409)
    referral.status, referral.completed_on = ReferralStatus.COMPLETED, timezone.localdate()
    referral.save()
    audit.record(actor=actor, target=referral, action="referral.completed")
    return referral


@transaction.atomic
def withdraw_referral(*, actor: Any, referral: Referral) -> Referral:
    referral = _lock(referral)
    if referral.status not in REFERRAL_OPEN:
        raise RuleBroken(_("Only an open referral can be withdrawn."), status=409)
    referral.status = ReferralStatus.WITHDRAWN
    referral.save()
    audit.record(actor=actor, target=referral, action="referral.withdrawn")
    return referral


@transaction.atomic
def revoke_consent(*, actor: Any, referral: Referral, revoked_on: date | None = None) -> Referral:
    """The person takes the consent back: from now on the partner reads nothing of them."""
    referral = _lock(referral)
    if referral.consent_revoked_on is not None:
        raise RuleBroken(_("The consent was already revoked."), status=409)
    referral.consent_revoked_on = revoked_on or timezone.localdate()
    referral.save()
    audit.record(actor=actor, target=referral, action="referral.consent_revoked")
    return referral


@transaction.atomic
def record_partner_service(
    *,
    actor: Any,
    membership,
    referral: Referral,
    service_type: ServiceType,
    delivered_on: date,
    quantity: Decimal | int = 1,
    notes: str = "",
) -> Service:
    """A partner records a service it gave to a person referred to it."""
    if membership.organisation_id != referral.organisation_id:
        raise RuleBroken(_("Not your referral."), status=404)
    if referral.status != ReferralStatus.ACCEPTED or not referral.is_open:
        raise RuleBroken(_("Services are recorded on an accepted, open referral."), status=409)
    if referral.case is None or referral.case.is_closed:
        raise RuleBroken(_("The comune has no open case for this person."), status=409)
    return record_service(
        actor=actor,
        case=referral.case,
        service_type=service_type,
        delivered_on=delivered_on,
        quantity=quantity,
        provider=referral.organisation,
        notes=notes,
    )


# --- Tasks ---------------------------------------------------------------------------------

PERMIT_NOTICE_DAYS = 60


def _review_task_for(review: PlanReview) -> Task:
    return Task(
        city_id=review.city_id,
        key=f"review:{review.pk}",
        title=_("Review the plan of case %(n)s") % {"n": review.case.number},
        kind=TaskKind.REVIEW,
        due_on=review.due_on,
        assignee_id=review.case.manager_id,
        case=review.case,
    )


def _review_task(review: PlanReview) -> None:
    task = _review_task_for(review)
    if not Task.objects.filter(city_id=review.city_id, key=task.key).exists():
        task.save()


@transaction.atomic
def create_task(
    *, actor: Any, city, title: str, due_on: date, assignee, case: Case | None = None
) -> Task:
    from lgnet.accounts.models import Membership

    if not title.strip():
        raise RuleBroken(_("Say what is to be done."), field="title")
    if not Membership.objects.filter(user=assignee, city=city, is_active=True).exists():
        raise RuleBroken(_("Choose a colleague of your city."), field="assignee", status=404)
    if case is not None and case.city_id != city.pk:
        raise RuleBroken(_("Choose a case of your city."), field="case", status=404)
    task = Task.objects.create(
        city=city,
        title=title.strip()[:200],
        due_on=due_on,
        assignee=assignee,
        case=case,
        created_by=actor,
    )
    audit.record(actor=actor, target=task, action="task.created")
    return task


@transaction.atomic
def complete_task(*, actor: Any, task: Task) -> Task:
    if task.done_on is not None:
        raise RuleBroken(_("The task is already done."), status=409)
    task.done_on = timezone.localdate()
    task.save(update_fields=["done_on", "updated_at"])
    audit.record(actor=actor, target=task, action="task.done")
    return task


@transaction.atomic
def make_automatic_tasks(city, *, today: date | None = None) -> int:
    """Tasks nobody has to remember: a permit that expires within 60 days (for the manager of
    the person's open case) and every pending plan review. Safe to run again: each is made
    once (its key). A few queries per city, whatever the number of cases."""
    from datetime import timedelta

    today = today or timezone.localdate()
    wanted: list[Task] = []
    expiring = (
        Case.objects.filter(
            city=city,
            person__permit_expiry__isnull=False,
            person__permit_expiry__lte=today + timedelta(days=PERMIT_NOTICE_DAYS),
            person__permit_expiry__gte=today - timedelta(days=PERMIT_NOTICE_DAYS),
        )
        .not_closed()
        .select_related("person")
    )
    for case in expiring:
        expiry = case.person.permit_expiry
        wanted.append(
            Task(
                city=city,
                key=f"permit:{case.person_id}:{expiry.isoformat()}",
                title=_("Residence permit expires on %(d)s (case %(n)s)")
                % {"d": expiry.strftime("%d/%m/%Y"), "n": case.number},
                kind=TaskKind.PERMIT,
                due_on=max(today, expiry - timedelta(days=30)),
                assignee_id=case.manager_id,
                case=case,
            )
        )
    pending = PlanReview.objects.filter(
        city=city, held_on__isnull=True, case__status__in=[Status.OPEN, Status.ACTIVE]
    ).select_related("case")
    wanted.extend(_review_task_for(review) for review in pending)
    existing = set(
        Task.objects.filter(city=city, key__in=[t.key for t in wanted]).values_list(
            "key", flat=True
        )
    )
    fresh = [t for t in wanted if t.key not in existing]
    Task.objects.bulk_create(fresh, batch_size=1000, ignore_conflicts=True)
    return len(fresh)


# --- Attachments ---------------------------------------------------------------------------

# What a file must start with, by the type we accept; the name's extension must agree.
SIGNATURES = {
    "application/pdf": ((b"%PDF-",), (".pdf",)),
    "image/png": ((b"\x89PNG\r\n\x1a\n",), (".png",)),
    "image/jpeg": ((b"\xff\xd8\xff",), (".jpg", ".jpeg")),
}


def _sniff(upload) -> str:
    head = upload.read(16)
    upload.seek(0)
    name = (upload.name or "").lower()
    for content_type, (magics, extensions) in SIGNATURES.items():
        if head.startswith(magics) and name.endswith(extensions):
            return content_type
    raise RuleBroken(_("Upload a PDF, PNG or JPEG file."), field="file")


@transaction.atomic
def add_attachment(*, actor: Any, case: Case, upload, kind: str) -> Attachment:
    from django.conf import settings

    if kind not in AttachmentKind.values:
        raise RuleBroken(_("Choose what the file is."), field="kind")
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise RuleBroken(
            _("The file is larger than %(mb)d MB.")
            % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    if upload.size == 0:
        raise RuleBroken(_("The file is empty."), field="file")
    content_type = _sniff(upload)
    attachment = Attachment(
        city=case.city,
        case=case,
        kind=kind,
        original_name=upload.name.replace("\x00", "")[-200:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    audit.record(actor=actor, target=attachment, action="attachment.added")
    return attachment


@transaction.atomic
def update_referral(*, actor: Any, referral: Referral, changes: dict) -> Referral:
    """Reason and expected date may change until the partner answers."""
    allowed = {"reason", "expected_on"}
    if set(changes) - allowed:
        raise RuleBroken(_("Not editable."), field=sorted(set(changes) - allowed)[0])
    referral = _lock(referral)
    if referral.status != ReferralStatus.SENT:
        raise RuleBroken(_("The partner has answered: the referral no longer changes."), status=409)
    if "reason" in changes:
        referral.reason = changes["reason"].replace("\x00", "").strip()[:1000]
    if "expected_on" in changes:
        referral.expected_on = changes["expected_on"]
    referral.save()
    audit.record(actor=actor, target=referral, action="referral.updated")
    return referral
