"""Writes of housing: facilities and beds, placements, the waiting list, rent support,
landlords, autonomy milestones. Each service owns its transaction and its audit event."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lgnet.core import audit
from lgnet.core.exceptions import RuleBroken
from lgnet.core.services import save_changes
from lgnet.housing.models import (
    Bed,
    ExitReason,
    Facility,
    HousingRequest,
    Landlord,
    Mediation,
    Milestone,
    OutOfService,
    Placement,
    Property,
    RentPayment,
    RentSupport,
    RequestStatus,
    Room,
)

FACILITY_FIELDS = ("name", "kind", "organisation", "site", "address", "house_rules", "is_active")
BED_FIELDS = ("room", "label", "is_women_only", "is_accessible", "is_family_room", "is_active")
LANDLORD_FIELDS = ("kind", "name", "tax_code", "email", "phone", "address", "notes", "is_active")
RENT_FIELDS = (
    "landlord",
    "rented_property",
    "household_size",
    "monthly_rent",
    "contribution",
    "months",
)
RENT_FIELDS_ALL = (*RENT_FIELDS, "notes", "start_date", "case")


def _day(value: date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "…"


def _same_city(obj, city, field: str, message: str) -> None:
    if obj is not None and obj.city_id != city.pk:
        raise RuleBroken(message, field=field, status=404)


def _open_case_of(person):
    from lgnet.cases.models import Case

    return Case.objects.filter(city=person.city, person=person).not_closed().first()


def _check_case(case, person):
    if case is not None and (case.person_id != person.pk or case.city_id != person.city_id):
        raise RuleBroken(_("Choose a case of this person."), field="case", status=404)
    return case


# --- facilities, rooms, beds -----------------------------------------------------------------


@transaction.atomic
def save_facility(*, actor: Any, city, changes: dict, facility: Facility | None = None) -> Facility:
    """A facility is run by one of the city's organisations; names are unique in the city."""
    _same_city(
        changes.get("organisation"),
        city,
        "organisation",
        _("Choose one of your city's organisations."),
    )
    _same_city(changes.get("site"), city, "site", _("Choose one of your city's sites."))
    created = facility is None
    facility = facility or Facility(city=city)
    return save_changes(
        facility,
        changes=changes,
        fields=FACILITY_FIELDS,
        actor=actor,
        action="facility.created" if created else "facility.updated",
        conflict_message=_("A facility with this name exists already."),
    )


@transaction.atomic
def add_room(*, actor: Any, facility: Facility, name: str, notes: str = "") -> Room:
    """A room of a facility; names are unique in the facility."""
    room = Room(city=facility.city, facility=facility)
    return save_changes(
        room,
        changes={"name": name, "notes": notes},
        fields=("name", "notes"),
        actor=actor,
        action="room.created",
        conflict_message=_("A room with this name exists already."),
    )


@transaction.atomic
def save_bed(
    *, actor: Any, changes: dict, facility: Facility | None = None, bed: Bed | None = None
) -> Bed:
    """A bed belongs to a facility (and maybe one of its rooms); labels are unique there."""
    created = bed is None
    if bed is None:
        if facility is None:
            raise RuleBroken(_("Choose a facility."), field="facility")
        bed = Bed(city=facility.city, facility=facility)
    room = changes.get("room")
    if room is not None and room.facility_id != bed.facility_id:
        raise RuleBroken(_("Choose a room of this facility."), field="room", status=404)
    return save_changes(
        bed,
        changes=changes,
        fields=BED_FIELDS,
        actor=actor,
        action="bed.created" if created else "bed.updated",
        conflict_message=_("A bed with this label exists already in the facility."),
    )


@transaction.atomic
def put_out_of_service(
    *, actor: Any, bed: Bed, start_date: date, end_date: date | None = None, reason: str = ""
) -> OutOfService:
    """A bed goes out of service only while nobody is placed in it."""
    if end_date is not None and end_date <= start_date:
        raise RuleBroken(_("The end must come after the start."), field="end_date")
    busy = _overlapping(Placement.objects.filter(bed=bed), start_date, end_date).first()
    if busy is not None:
        raise RuleBroken(
            _("Someone is placed in this bed from %(start)s to %(end)s: move them first.")
            % {"start": _day(busy.start_date), "end": _day(busy.end_date)},
            field="start_date",
            status=409,
        )
    period = OutOfService(
        city=bed.city, bed=bed, start_date=start_date, end_date=end_date, reason=reason[:200]
    )
    try:
        _in_savepoint(period.save)
    except IntegrityError as error:
        raise RuleBroken(
            _("The bed is already out of service in that period."), field="start_date", status=409
        ) from error
    audit.record(actor=actor, target=bed, action="bed.out_of_service", data={"period": period.pk})
    return period


@transaction.atomic
def change_out_of_service_end(*, actor: Any, period: OutOfService, end_date: date) -> None:
    """The bed can be given again from ``end_date``: an earlier day ends the period sooner, a
    later one keeps the bed out longer (only while nobody is placed in it then), a day on or
    before its start cancels the period (the bed never left service)."""
    period = (
        OutOfService.objects.select_for_update()
        .select_related("bed")
        .get(city=period.city_id, pk=period.pk)
    )
    bed = period.bed
    if end_date <= period.start_date:
        # Not the reason: free text, which may name a guest.
        data = {"period": period.pk, "start_date": period.start_date.isoformat()}
        period.delete()
        audit.record(actor=actor, target=bed, action="bed.out_of_service_cancelled", data=data)
        return
    if period.end_date is not None and end_date > period.end_date:
        busy = _overlapping(Placement.objects.filter(bed=bed), period.end_date, end_date).first()
        if busy is not None:
            raise RuleBroken(
                _("Someone is placed in this bed from %(start)s to %(end)s: move them first.")
                % {"start": _day(busy.start_date), "end": _day(busy.end_date)},
                field="end_date",
                status=409,
            )
    previous, period.end_date = period.end_date, end_date
    try:
        _in_savepoint(partial(period.save, update_fields=["end_date", "updated_at"]))
    except IntegrityError as error:
        raise RuleBroken(
            _("The bed is already out of service in that period."), field="end_date", status=409
        ) from error
    audit.record(
        actor=actor,
        target=bed,
        action="bed.back_in_service",
        data={
            "period": period.pk,
            "end_date": end_date.isoformat(),
            "was": previous.isoformat() if previous else None,
        },
    )


# --- placements ------------------------------------------------------------------------------


def _overlapping(queryset, start: date, end: date | None):
    """Rows whose [start_date, end_date) meets [start, end)."""
    queryset = queryset.filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
    if end is not None:
        queryset = queryset.filter(start_date__lt=end)
    return queryset


def _conflict(
    error: IntegrityError, *, bed: Bed, person, start: date, end: date | None, exclude_pk=None
):
    """Turn a violated exclusion constraint into a clear message (never the database's text)."""
    name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", "") or ""
    others = Placement.objects.exclude(pk=exclude_pk) if exclude_pk else Placement.objects
    if "per_person" in name:
        other = _overlapping(others.filter(person=person), start, end).first()
        message = _("This person already has a bed from %(start)s to %(end)s.")
        field = "person"
    elif "per_bed" in name:
        other = _overlapping(others.filter(bed=bed), start, end).first()
        message = _("This bed is taken from %(start)s to %(end)s.")
        field = "bed"
    else:
        return RuleBroken(_("This conflicts with an existing placement."), status=409)
    dates = {"start": _day(other.start_date), "end": _day(other.end_date)} if other else None
    if dates is None:
        message = (
            _("This person already has a bed for those dates.")
            if field == "person"
            else _("This bed is taken for those dates.")
        )
        return RuleBroken(message, field=field, status=409)
    return RuleBroken(message % dates, field=field, status=409)


def _check_bed_for(bed: Bed, person, start: date, end: date | None) -> None:
    if not bed.is_active or not bed.facility.is_active:
        raise RuleBroken(_("This bed is not in use."), field="bed", status=409)
    if bed.is_women_only and person.sex == "M":
        raise RuleBroken(_("This bed is for women only."), field="bed")
    closed = _overlapping(OutOfService.objects.filter(bed=bed), start, end).first()
    if closed is not None:
        raise RuleBroken(
            _("This bed is out of service from %(start)s to %(end)s.")
            % {"start": _day(closed.start_date), "end": _day(closed.end_date)},
            field="bed",
            status=409,
        )


DEADLOCK_RETRIES = 3


def _is_deadlock(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == "40P01"


def _in_savepoint(write) -> None:
    """Run one placement write in a savepoint; IntegrityError is the caller's to explain.

    Two requests writing conflicting placements at the same moment can each wait for the
    other inside the exclusion constraints' check, and PostgreSQL then aborts one of them
    with a deadlock (about one loser in 200 under eight simultaneous clicks). The aborted
    write's savepoint is rolled back and it is tried again: now it waits for the other
    request to finish, then meets its row (409) or finds the bed free. Never a server error."""
    for attempt in range(DEADLOCK_RETRIES + 1):
        try:
            with transaction.atomic():
                write()
            return
        except OperationalError as error:
            if not _is_deadlock(error):
                raise
            if attempt == DEADLOCK_RETRIES:
                raise RuleBroken(
                    _("Others are changing these beds at this very moment: try again."),
                    status=409,
                ) from error


def _insert(placement: Placement) -> Placement:
    try:
        _in_savepoint(placement.save)
    except IntegrityError as error:
        raise _conflict(
            error,
            bed=placement.bed,
            person=placement.person,
            start=placement.start_date,
            end=placement.end_date,
        ) from error
    return placement


@transaction.atomic
def place_person(
    *,
    actor: Any,
    person,
    bed: Bed,
    start_date: date,
    end_date: date | None = None,
    case=None,
    moved_from: Placement | None = None,
) -> Placement:
    """Put a person in a bed over [start_date, end_date). Never two people in one bed, never
    one person in two beds: the exclusion constraints decide, also under concurrent requests."""
    if person.merged_into_id:
        raise RuleBroken(_("This record was merged into another one."), field="person", status=409)
    _same_city(bed, person.city, "bed", _("Choose a bed of your city."))
    if end_date is not None and end_date <= start_date:
        raise RuleBroken(_("The day of leaving must come after the first night."), field="end_date")
    _check_bed_for(bed, person, start_date, end_date)
    case = _check_case(case, person) if case is not None else _open_case_of(person)
    placement = _insert(
        Placement(
            city=person.city,
            person=person,
            bed=bed,
            start_date=start_date,
            end_date=end_date,
            case=case,
            moved_from=moved_from,
            created_by=actor,
        )
    )
    audit.record(
        actor=actor,
        target=placement,
        action="placement.created",
        data={"bed": bed.pk, "person": person.pk},
    )
    return placement


def _locked(placement: Placement) -> Placement:
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related("bed__facility", "person")
        .get(city=placement.city_id, pk=placement.pk)
    )


@transaction.atomic
def move_placement(*, actor: Any, placement: Placement, bed: Bed, on: date) -> Placement:
    """Move a person to another bed from a day on: this placement ends that day and the new
    one starts it, in one transaction (both or neither)."""
    placement = _locked(placement)
    if bed.pk == placement.bed_id:
        raise RuleBroken(_("Choose another bed."), field="bed")
    _same_city(bed, placement.person.city, "bed", _("Choose a bed of your city."))
    if on < placement.start_date or (placement.end_date and on >= placement.end_date):
        raise RuleBroken(_("The move must fall within the placement."), field="on")
    _check_bed_for(bed, placement.person, on, placement.end_date)
    if on == placement.start_date:  # moved before the first night: correct the bed
        previous = placement.bed_id
        placement.bed = bed
        try:
            _in_savepoint(partial(placement.save, update_fields=["bed", "updated_at"]))
        except IntegrityError as error:
            raise _conflict(
                error,
                bed=bed,
                person=placement.person,
                start=placement.start_date,
                end=placement.end_date,
                exclude_pk=placement.pk,
            ) from error
        audit.record(
            actor=actor, target=placement, action="placement.moved", data={"from_bed": previous}
        )
        return placement
    end = placement.end_date
    placement.end_date, placement.exit_reason = on, ""
    placement.save(update_fields=["end_date", "exit_reason", "updated_at"])
    moved = _insert(
        Placement(
            city=placement.city,
            person=placement.person,
            bed=bed,
            start_date=on,
            end_date=end,
            case=placement.case,
            moved_from=placement,
            created_by=actor,
        )
    )
    audit.record(actor=actor, target=moved, action="placement.moved", data={"from": placement.pk})
    return moved


@transaction.atomic
def change_end(
    *,
    actor: Any,
    placement: Placement,
    end_date: date | None,
    exit_reason: str = "",
    exit_notes: str = "",
) -> Placement:
    """Set the day of leaving (later: an extension; empty: open-ended) and, once it is set,
    why the person leaves."""
    placement = _locked(placement)
    if end_date is not None and end_date <= placement.start_date:
        raise RuleBroken(_("The day of leaving must come after the first night."), field="end_date")
    if exit_reason and exit_reason not in ExitReason.values:
        raise RuleBroken(_("Choose an exit reason."), field="exit_reason")
    if exit_reason and end_date is None:
        raise RuleBroken(_("An exit reason needs the day of leaving."), field="end_date")
    if end_date is None or (placement.end_date and end_date > placement.end_date):
        _check_bed_for_extension(placement, end_date)
    placement.end_date = end_date
    placement.exit_reason = exit_reason
    placement.exit_notes = (exit_notes or "")[:500]
    try:
        fields = ["end_date", "exit_reason", "exit_notes", "updated_at"]
        _in_savepoint(partial(placement.save, update_fields=fields))
    except IntegrityError as error:
        raise _conflict(
            error,
            bed=placement.bed,
            person=placement.person,
            start=placement.start_date,
            end=end_date,
            exclude_pk=placement.pk,
        ) from error
    audit.record(
        actor=actor,
        target=placement,
        action="placement.ended" if exit_reason else "placement.end_changed",
        data={"end_date": end_date.isoformat() if end_date else None, "reason": exit_reason},
    )
    return placement


def _check_bed_for_extension(placement: Placement, end_date: date | None) -> None:
    start = placement.end_date or placement.start_date
    closed = _overlapping(OutOfService.objects.filter(bed=placement.bed), start, end_date).first()
    if closed is not None:
        raise RuleBroken(
            _("This bed is out of service from %(start)s to %(end)s.")
            % {"start": _day(closed.start_date), "end": _day(closed.end_date)},
            field="end_date",
            status=409,
        )


def extend_placement(*, actor: Any, placement: Placement, end_date: date | None) -> Placement:
    """A later day of leaving, or none (open-ended)."""
    if end_date is not None and placement.end_date and end_date <= placement.end_date:
        raise RuleBroken(_("An extension ends later than now planned."), field="end_date")
    return change_end(actor=actor, placement=placement, end_date=end_date)


def end_placement(
    *, actor: Any, placement: Placement, end_date: date, exit_reason: str, exit_notes: str = ""
) -> Placement:
    """The person leaves on end_date, for a reason."""
    if not exit_reason:
        raise RuleBroken(_("Choose an exit reason."), field="exit_reason")
    return change_end(
        actor=actor,
        placement=placement,
        end_date=end_date,
        exit_reason=exit_reason,
        exit_notes=exit_notes,
    )


@transaction.atomic
def set_placement_case(*, actor: Any, placement: Placement, case) -> Placement:
    """Link a placement to one of the person's cases (or unlink it)."""
    placement.case = _check_case(case, placement.person) if case is not None else None
    placement.save(update_fields=["case", "updated_at"])
    audit.record(actor=actor, target=placement, action="placement.case_linked")
    return placement


# --- waiting list ----------------------------------------------------------------------------


@transaction.atomic
def add_request(*, actor: Any, person, data: dict) -> HousingRequest:
    """Put a person on the waiting list: one waiting request per person."""
    if person.merged_into_id:
        raise RuleBroken(_("This record was merged into another one."), field="person", status=409)
    request = HousingRequest(
        city=person.city,
        person=person,
        created_by=actor,
        case=_open_case_of(person),
        requested_on=data.get("requested_on") or timezone.localdate(),
    )
    fields = (
        "urgency",
        "vulnerability",
        "needs_women_only",
        "needs_accessible",
        "needs_family_room",
        "notes",
    )
    if HousingRequest.objects.filter(
        city=person.city, person=person, status=RequestStatus.WAITING
    ).exists():
        raise RuleBroken(
            _("This person is already on the waiting list."), field="person", status=409
        )
    return save_changes(
        request,
        changes={k: v for k, v in data.items() if k in fields and v is not None},
        fields=fields,
        actor=actor,
        action="housing_request.created",
        conflict_message=_("This person is already on the waiting list."),
    )


def _locked_request(request: HousingRequest) -> HousingRequest:
    return (
        HousingRequest.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(city=request.city_id, pk=request.pk)
    )


@transaction.atomic
def offer_bed(
    *, actor: Any, request: HousingRequest, bed: Bed, start_date: date, end_date: date | None = None
) -> Placement:
    """Offering a bed to a waiting request turns it into a placement."""
    request = _locked_request(request)
    if request.status != RequestStatus.WAITING:
        raise RuleBroken(_("This request is no longer waiting."), status=409)
    if request.needs_women_only and not bed.is_women_only:
        raise RuleBroken(_("This request needs a women-only bed."), field="bed")
    if request.needs_accessible and not bed.is_accessible:
        raise RuleBroken(_("This request needs an accessible bed."), field="bed")
    if request.needs_family_room and not bed.is_family_room:
        raise RuleBroken(_("This request needs a family room."), field="bed")
    placement = place_person(
        actor=actor,
        person=request.person,
        bed=bed,
        start_date=start_date,
        end_date=end_date,
        case=request.case if request.case and request.case.closed_on is None else None,
    )
    request.status, request.placement = RequestStatus.PLACED, placement
    request.save(update_fields=["status", "placement", "updated_at"])
    audit.record(
        actor=actor,
        target=request,
        action="housing_request.placed",
        data={"placement": placement.pk},
    )
    return placement


@transaction.atomic
def withdraw_request(*, actor: Any, request: HousingRequest) -> HousingRequest:
    """A waiting request leaves the list without a placement."""
    request = _locked_request(request)
    if request.status != RequestStatus.WAITING:
        raise RuleBroken(_("This request is no longer waiting."), status=409)
    request.status = RequestStatus.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, target=request, action="housing_request.withdrawn")
    return request


# --- landlords and rent support --------------------------------------------------------------


@transaction.atomic
def save_landlord(*, actor: Any, city, changes: dict, landlord: Landlord | None = None) -> Landlord:
    """Register or correct a landlord of the city (a person or a company)."""
    created = landlord is None
    return save_changes(
        landlord or Landlord(city=city),
        changes=changes,
        fields=LANDLORD_FIELDS,
        actor=actor,
        action="landlord.created" if created else "landlord.updated",
    )


@transaction.atomic
def add_property(*, actor: Any, landlord: Landlord, data: dict) -> Property:
    """A dwelling a landlord offers or rents out."""
    return save_changes(
        Property(city=landlord.city, landlord=landlord),
        changes=data,
        fields=("address", "rooms", "monthly_rent", "notes"),
        actor=actor,
        action="property.created",
    )


@transaction.atomic
def record_mediation(
    *, actor: Any, landlord: Landlord, on: date, outcome: str, notes: str = ""
) -> Mediation:
    """A step of the mediation with a landlord, never in the future."""
    if on > timezone.localdate():
        raise RuleBroken(_("A mediation cannot lie in the future."), field="on")
    return save_changes(
        Mediation(city=landlord.city, landlord=landlord, recorded_by=actor),
        changes={"on": on, "outcome": outcome, "notes": notes},
        fields=("on", "outcome", "notes"),
        actor=actor,
        action="mediation.recorded",
    )


def edition_for(city, day: date, code: str = ""):
    """The edition a support is counted in: the one named, or the city's edition on that day."""
    from lgnet.network.models import Participation

    participations = Participation.objects.filter(city=city).select_related("edition")
    if code:
        found = participations.filter(edition__code=code).first()
        if found is None:
            raise RuleBroken(_("Your city does not take part in this edition."), field="edition")
        return found.edition
    found = (
        participations.filter(edition__starts_on__lte=day, edition__ends_on__gte=day)
        .order_by("-edition__starts_on")
        .first()
    )
    if found is None:
        raise RuleBroken(
            _("No edition of your city covers this date: name the edition."), field="edition"
        )
    return found.edition


def _check_rent(support: RentSupport) -> None:
    rent, contribution = support.monthly_rent, support.contribution
    if rent is not None and contribution is not None and contribution > rent:
        raise RuleBroken(_("The contribution cannot exceed the rent."), field="contribution")
    if support.rented_property_id and support.rented_property.landlord_id != support.landlord_id:
        raise RuleBroken(_("Choose a property of this landlord."), field="property", status=404)


@transaction.atomic
def create_rent_support(*, actor: Any, person, data: dict, edition_code: str = "") -> RentSupport:
    """A monthly contribution toward a person's or household's rent, counted in an edition."""
    if person.merged_into_id:
        raise RuleBroken(_("This record was merged into another one."), field="person", status=409)
    _same_city(data.get("landlord"), person.city, "landlord", _("Choose a landlord of your city."))
    support = RentSupport(
        city=person.city,
        person=person,
        created_by=actor,
        edition=edition_for(person.city, data["start_date"], edition_code),
    )
    case = data.pop("case", None)
    support.case = _check_case(case, person) if case is not None else _open_case_of(person)
    for name in RENT_FIELDS_ALL:
        if name in data and name != "case":
            setattr(support, name, data[name])
    _check_rent(support)
    return save_changes(support, changes={}, fields=(), actor=actor, action="rent_support.created")


@transaction.atomic
def update_rent_support(*, actor: Any, support: RentSupport, changes: dict) -> RentSupport:
    """Correct a support; the planned total never drops below what was paid."""
    _same_city(
        changes.get("landlord"), support.city, "landlord", _("Choose a landlord of your city.")
    )
    for name in set(changes) & set(RENT_FIELDS_ALL):
        setattr(support, name, changes[name])
    _check_rent(support)
    paid = support.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if support.contribution * support.months < paid:
        raise RuleBroken(
            _("The planned total cannot be less than what was paid already."),
            field="months",
            status=409,
        )
    return save_changes(
        support,
        changes={},
        fields=(),
        actor=actor,
        action="rent_support.updated",
    )


@transaction.atomic
def record_payment(
    *, actor: Any, support: RentSupport, paid_on: date, amount: Decimal, notes: str = ""
) -> RentPayment:
    """A payment of a support, within the planned total (contribution × months)."""
    support = RentSupport.objects.select_for_update().get(city=support.city_id, pk=support.pk)
    if amount <= 0:
        raise RuleBroken(_("The amount must be more than zero."), field="amount")
    if paid_on > timezone.localdate():
        raise RuleBroken(_("A payment cannot lie in the future."), field="paid_on")
    paid = support.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if paid + amount > support.planned_total:
        raise RuleBroken(
            _("This payment would exceed the planned total of %(total)s EUR.")
            % {"total": support.planned_total},
            field="amount",
            status=409,
        )
    payment = RentPayment.objects.create(
        city=support.city,
        rent_support=support,
        paid_on=paid_on,
        amount=amount,
        notes=notes[:250],
        recorded_by=actor,
    )
    audit.record(
        actor=actor, target=support, action="rent_payment.recorded", data={"id": payment.pk}
    )
    return payment


# --- autonomy path ---------------------------------------------------------------------------


@transaction.atomic
def record_milestone(
    *, actor: Any, person, kind: str, reached_on: date, notes: str = "", case=None
) -> Milestone:
    """A step toward autonomous housing, linked to the person's open case when there is one."""
    if reached_on > timezone.localdate():
        raise RuleBroken(_("A milestone cannot lie in the future."), field="reached_on")
    case = _check_case(case, person) if case is not None else _open_case_of(person)
    return save_changes(
        Milestone(city=person.city, person=person, case=case, recorded_by=actor),
        changes={"kind": kind, "reached_on": reached_on, "notes": notes},
        fields=("kind", "reached_on", "notes"),
        actor=actor,
        action="milestone.recorded",
    )


# --- merge -----------------------------------------------------------------------------------


def move_to_survivor(duplicate, survivor) -> int:
    """A person merge moves placements, requests, rent supports and milestones to the survivor;
    refused when the two records' placements overlap (one person cannot hold two beds)."""
    requests = HousingRequest.objects.filter(city=survivor.city)
    waiting = list(
        requests.filter(person__in=[duplicate, survivor], status=RequestStatus.WAITING).order_by(
            "requested_on", "id"
        )
    )
    for extra in waiting[1:]:  # keep the older request: it has waited longer
        extra.status = RequestStatus.WITHDRAWN
        extra.save(update_fields=["status", "updated_at"])
    try:
        with transaction.atomic():
            moved = Placement.objects.filter(city=survivor.city, person=duplicate).update(
                person=survivor
            )
    except IntegrityError as error:
        raise RuleBroken(
            _("Both records were placed in a bed at the same time: correct the dates first."),
            status=409,
        ) from error
    moved += requests.filter(person=duplicate).update(person=survivor)
    moved += RentSupport.objects.filter(city=survivor.city, person=duplicate).update(
        person=survivor
    )
    moved += Milestone.objects.filter(city=survivor.city, person=duplicate).update(person=survivor)
    return moved
