"""Reads of housing; every read takes the city explicitly."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from lgnet.housing.models import (
    Bed,
    ExitReason,
    Facility,
    HousingRequest,
    Landlord,
    Milestone,
    MilestoneKind,
    OutOfService,
    Placement,
    RentPayment,
    RentSupport,
    RequestStatus,
)
from lgnet.people.models import Person
from lgnet.people.selectors import check_not_restricted, sees_restricted


def _unrestricted(records: QuerySet) -> QuerySet:
    """Art. 18 (decision 0012): a restricted person's records drop out of lists for everyone
    but the city coordinator; their pages answer 403 through ``check_not_restricted``."""
    return records if sees_restricted() else records.exclude(person__is_restricted=True)


def current_on(day: date) -> Q:
    """Placements (or out-of-service periods) that hold the bed on the night of ``day``."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


# --- facilities and beds ---------------------------------------------------------------------


def _count_per_facility(queryset) -> Coalesce:
    counted = (
        queryset.filter(bed__facility=OuterRef("pk"), bed__is_active=True)
        .order_by()
        .values("bed__facility")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def list_facilities(city, *, day: date | None = None) -> QuerySet[Facility]:
    """Facilities with their beds in use, and how many are occupied and out of service on day."""
    day = day or date.today()  # noqa: DTZ011 - callers pass timezone.localdate()
    return (
        Facility.objects.filter(city=city)
        .select_related("organisation")
        .annotate(
            bed_count=Count("beds", filter=Q(beds__is_active=True)),
            occupied=_count_per_facility(Placement.objects.filter(current_on(day))),
            closed=_count_per_facility(OutOfService.objects.filter(current_on(day))),
        )
        .order_by("name", "id")
    )


def get_facility_for(city, facility_id: int) -> Facility:
    return get_object_or_404(
        Facility.objects.select_related("organisation", "site", "city"), city=city, pk=facility_id
    )


def list_beds(city, *, facility: Facility | None = None) -> QuerySet[Bed]:
    beds = Bed.objects.filter(city=city).select_related("facility", "room")
    if facility is not None:
        beds = beds.filter(facility=facility)
    return beds.order_by("facility__name", "room__name", "label", "id")


def get_bed_for(city, bed_id: int) -> Bed:
    return get_object_or_404(
        Bed.objects.select_related("facility", "room", "city"), city=city, pk=bed_id
    )


def free_beds(
    city,
    *,
    day: date,
    women_only: bool = False,
    accessible: bool = False,
    family_room: bool = False,
    for_sex: str = "",
) -> QuerySet[Bed]:
    """Beds in use, nobody placed and not out of service on the night of ``day``."""
    beds = (
        list_beds(city)
        .filter(is_active=True, facility__is_active=True)
        .exclude(Exists(Placement.objects.filter(current_on(day), bed=OuterRef("pk"))))
        .exclude(Exists(OutOfService.objects.filter(current_on(day), bed=OuterRef("pk"))))
    )
    if women_only:
        beds = beds.filter(is_women_only=True)
    if accessible:
        beds = beds.filter(is_accessible=True)
    if family_room:
        beds = beds.filter(is_family_room=True)
    if for_sex == "M":
        beds = beds.filter(is_women_only=False)
    return beds


def closures_of(facility: Facility, *, since: date | None = None) -> QuerySet[OutOfService]:
    """Out-of-service periods of the facility's beds (those not over by ``since``, if given)."""
    periods = OutOfService.objects.filter(city=facility.city, bed__facility=facility)
    if since is not None:
        periods = periods.filter(Q(end_date__isnull=True) | Q(end_date__gt=since))
    return periods.select_related("bed").order_by("start_date", "id")


# --- occupancy board -------------------------------------------------------------------------


@dataclass
class Segment:
    """A run of days of one bed: a placement, out of service, or free."""

    kind: str  # "placement", "closed", "free"
    span: int
    start: date
    placement: Placement | None = None
    reason: str = ""


@dataclass
class BoardRow:
    bed: Bed
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Board:
    facility: Facility
    days: list[date]
    rows: list[BoardRow]
    occupied_today: int = 0

    @property
    def start(self) -> date:
        return self.days[0]

    @property
    def end(self) -> date:
        return self.days[-1] + timedelta(days=1)


def _withheld_person() -> Person:
    """What the board shows instead of a restricted person: the bed is taken, by no name."""
    from django.utils.translation import gettext

    return Person(given_names="", family_names=gettext("processing restricted"))


def board(facility: Facility, *, start: date, days: int) -> Board:
    """Beds × days of one facility, in three queries whatever the number of placements.

    A restricted person's placement still fills its bed (the board counts beds, and a free
    bed that is not free would be offered twice), but without the name unless the viewer
    is the city coordinator (art. 18, decision 0012)."""
    end = start + timedelta(days=days)
    beds = list(list_beds(facility.city, facility=facility).filter(is_active=True))
    overlapping = (Q(end_date__isnull=True) | Q(end_date__gt=start)) & Q(start_date__lt=end)
    placements: dict[int, list[Placement]] = {}
    names_shown = sees_restricted()
    for p in (
        Placement.objects.filter(overlapping, city=facility.city, bed__facility=facility)
        .select_related("person")
        .order_by("start_date")
    ):
        if p.person.is_restricted and not names_shown:
            p.person = _withheld_person()  # in memory only: the board never saves
        placements.setdefault(p.bed_id, []).append(p)
    closed: dict[int, list[OutOfService]] = {}
    for o in OutOfService.objects.filter(
        overlapping, city=facility.city, bed__facility=facility
    ).order_by("start_date"):
        closed.setdefault(o.bed_id, []).append(o)
    dates = [start + timedelta(days=i) for i in range(days)]
    rows = []
    for bed in beds:
        cells: list[tuple[str, object]] = []
        for day in dates:
            here = next((p for p in placements.get(bed.pk, []) if p.is_current_on(day)), None)
            if here is not None:
                cells.append(("placement", here))
                continue
            off = next(
                (
                    o
                    for o in closed.get(bed.pk, [])
                    if o.start_date <= day and (o.end_date is None or o.end_date > day)
                ),
                None,
            )
            cells.append(("closed", off) if off is not None else ("free", None))
        row = BoardRow(bed)
        for index, (kind, obj) in enumerate(cells):
            last = row.segments[-1] if row.segments else None
            key = obj.pk if obj is not None else None
            last_key = (last.placement.pk if last.placement else last.reason) if last else None
            same = (
                last is not None
                and last.kind == kind
                and (kind == "free" or last_key == (key if kind == "placement" else obj.reason))
            )
            if same:
                last.span += 1
            else:
                row.segments.append(
                    Segment(
                        kind=kind,
                        span=1,
                        start=dates[index],
                        placement=obj if kind == "placement" else None,
                        reason=obj.reason if kind == "closed" else "",
                    )
                )
        rows.append(row)
    return Board(facility=facility, days=dates, rows=rows)


# --- occupancy rate over time (computed in the database) --------------------------------------

OCCUPANCY_SQL = """
WITH days AS (
    SELECT d::date AS day FROM generate_series(%(start)s::date, %(end)s::date - 1, '1 day') d
),
beds AS (
    SELECT b.id FROM housing_bed b JOIN housing_facility f ON f.id = b.facility_id
    WHERE b.city_id = %(city)s AND b.is_active AND f.is_active
      AND (%(facility)s::bigint IS NULL OR b.facility_id = %(facility)s::bigint)
),
available AS (
    SELECT days.day, count(beds.id) AS beds
    FROM days CROSS JOIN beds
    WHERE NOT EXISTS (
        SELECT 1 FROM housing_outofservice o
        WHERE o.bed_id = beds.id AND daterange(o.start_date, o.end_date, '[)') @> days.day
    )
    GROUP BY days.day
),
occupied AS (
    SELECT days.day, count(p.id) AS nights
    FROM days JOIN housing_placement p
      ON daterange(p.start_date, p.end_date, '[)') @> days.day
    WHERE p.city_id = %(city)s AND p.bed_id IN (SELECT id FROM beds)
    GROUP BY days.day
)
SELECT date_trunc(%(unit)s, days.day)::date AS period,
       coalesce(sum(occupied.nights), 0) AS bed_nights,
       coalesce(sum(available.beds), 0) AS available_nights
FROM days
LEFT JOIN available ON available.day = days.day
LEFT JOIN occupied ON occupied.day = days.day
GROUP BY 1 ORDER BY 1
"""


@dataclass(frozen=True)
class OccupancyPoint:
    period: date
    bed_nights: int
    available_nights: int

    @property
    def rate(self) -> float:
        return self.bed_nights / self.available_nights if self.available_nights else 0.0

    @property
    def percent(self) -> int:
        return round(self.rate * 100)


def occupancy_rate(
    city, *, start: date, end: date, unit: str = "month", facility: Facility | None = None
) -> list[OccupancyPoint]:
    """Bed-nights used / bed-nights available per day, week or month of [start, end),
    in one query (generate_series over the days, aggregates over the placements)."""
    if unit not in ("day", "week", "month"):
        raise ValueError(unit)
    with connection.cursor() as cursor:
        cursor.execute(
            OCCUPANCY_SQL,
            {
                "start": start,
                "end": end,
                "city": city.pk,
                "facility": facility.pk if facility else None,
                "unit": unit,
            },
        )
        return [OccupancyPoint(row[0], int(row[1]), int(row[2])) for row in cursor.fetchall()]


# --- placements ------------------------------------------------------------------------------


def list_placements(
    city,
    *,
    current_day: date | None = None,
    facility: Facility | None = None,
    person=None,
) -> QuerySet[Placement]:
    placements = _unrestricted(
        Placement.objects.filter(city=city).select_related(
            "person", "bed__facility", "bed__room", "case"
        )
    )
    if current_day is not None:
        placements = placements.filter(current_on(current_day))
    if facility is not None:
        placements = placements.filter(bed__facility=facility)
    if person is not None:
        placements = placements.filter(person=person)
    return placements.order_by("-start_date", "-id")


def get_placement_for(city, placement_id: int) -> Placement:
    """A placement of the city; a restricted person's opens only for the city coordinator."""
    placement = get_object_or_404(
        Placement.objects.select_related(
            "person", "bed__facility", "bed__room", "case", "city", "created_by"
        ),
        city=city,
        pk=placement_id,
    )
    check_not_restricted(placement.person)
    return placement


# --- waiting list ----------------------------------------------------------------------------


def waiting_list(city, *, status: str = RequestStatus.WAITING) -> QuerySet[HousingRequest]:
    """Highest priority first: urgency, then vulnerability, then who asked first."""
    requests = _unrestricted(
        HousingRequest.objects.filter(city=city).select_related(
            "person", "placement__bed__facility"
        )
    )
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-urgency", "-vulnerability", "requested_on", "id")


def waiting_count(city) -> int:
    """How many wait for a bed, restricted files included: a count names nobody."""
    return HousingRequest.objects.filter(city=city, status=RequestStatus.WAITING).count()


def get_request_for(city, request_id: int) -> HousingRequest:
    """A request of the city; a restricted person's opens only for the city coordinator."""
    housing_request = get_object_or_404(
        HousingRequest.objects.select_related("person", "city", "case", "placement"),
        city=city,
        pk=request_id,
    )
    check_not_restricted(housing_request.person)
    return housing_request


def matching_beds(request: HousingRequest, *, day: date) -> QuerySet[Bed]:
    """Free beds on ``day`` that fit the request and the person (women-only beds for women)."""
    beds = free_beds(
        request.city,
        day=day,
        women_only=request.needs_women_only,
        accessible=request.needs_accessible,
        family_room=request.needs_family_room,
        for_sex=request.person.sex,
    )
    if request.person.sex == "F":
        return beds.order_by("-is_women_only", "facility__name", "label", "id")
    return beds


def bed_fits(bed: Bed, request: HousingRequest) -> bool:
    """Whether a free bed fits a request: ``matching_beds``'s rule, for beds already read."""
    return (
        (bed.is_women_only or not request.needs_women_only)
        and (bed.is_accessible or not request.needs_accessible)
        and (bed.is_family_room or not request.needs_family_room)
        and not (bed.is_women_only and request.person.sex == "M")
    )


def waiting_with_free_beds(city, *, day: date) -> list[tuple[HousingRequest, int]]:
    """The waiting list in priority order, each request with how many free beds fit it on
    the night of ``day``: two queries, whatever the length of the list."""
    beds = list(free_beds(city, day=day))
    return [(r, sum(1 for b in beds if bed_fits(b, r))) for r in waiting_list(city)]


# --- rent support ----------------------------------------------------------------------------


def list_landlords(city, *, q: str = "") -> QuerySet[Landlord]:
    landlords = Landlord.objects.filter(city=city)
    if q:
        landlords = landlords.filter(name__icontains=q)
    return landlords.annotate(
        property_count=Count("properties", distinct=True),
        support_count=Count("rent_supports", distinct=True),
    ).order_by("name", "id")


def get_landlord_for(city, landlord_id: int) -> Landlord:
    return get_object_or_404(Landlord.objects.select_related("city"), city=city, pk=landlord_id)


def list_rent_supports(city, *, person=None, edition_code: str = "") -> QuerySet[RentSupport]:
    supports = _unrestricted(_rent_supports(city))
    if person is not None:
        supports = supports.filter(person=person)
    if edition_code:
        supports = supports.filter(edition__code=edition_code)
    return supports.order_by("-start_date", "-id")


def _rent_supports(city) -> QuerySet[RentSupport]:
    """The city's rent supports with the total paid so far (one query, no query per row)."""
    supports = RentSupport.objects.filter(city=city).select_related(
        "person", "landlord", "edition", "rented_property"
    )
    paid = (
        RentPayment.objects.filter(rent_support=OuterRef("pk"))
        .values("rent_support")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return supports.annotate(
        paid=Coalesce(
            Subquery(paid, output_field=DecimalField(max_digits=12, decimal_places=2)),
            Decimal(0),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        )
    )


def get_rent_support_for(city, support_id: int) -> RentSupport:
    """A rent support of the city; a restricted person's opens only for the coordinator."""
    support = get_object_or_404(_rent_supports(city).select_related("case"), pk=support_id)
    check_not_restricted(support.person)
    return support


@dataclass(frozen=True)
class EditionTotals:
    edition: object
    budget: Decimal | None
    supports: int
    planned: Decimal
    paid: Decimal

    @property
    def share_of_budget(self) -> float | None:
        return float(self.paid / self.budget) if self.budget else None

    @property
    def share_percent(self) -> str:
        share = self.share_of_budget
        return f"{share * 100:.1f}" if share is not None else "—"


def rent_totals(city) -> list[EditionTotals]:
    """Planned and paid rent support per edition the city takes part in, against its budget."""
    from lgnet.network.models import Participation

    money = DecimalField(max_digits=14, decimal_places=2)
    planned = {
        row["edition"]: row
        for row in RentSupport.objects.filter(city=city)
        .values("edition")
        .annotate(
            n=Count("id"),
            planned=Sum(ExpressionWrapper(F("contribution") * F("months"), output_field=money)),
        )
    }
    paid = {
        row["rent_support__edition"]: row["paid"]
        for row in RentPayment.objects.filter(city=city)
        .values("rent_support__edition")
        .annotate(paid=Sum("amount"))
    }
    totals = []
    for participation in (
        Participation.objects.filter(city=city)
        .select_related("edition")
        .order_by("edition__starts_on")
    ):
        row = planned.get(participation.edition_id, {})
        totals.append(
            EditionTotals(
                edition=participation.edition,
                budget=participation.budget,
                supports=row.get("n", 0),
                planned=row.get("planned") or Decimal(0),
                paid=paid.get(participation.edition_id) or Decimal(0),
            )
        )
    return totals


# --- autonomy --------------------------------------------------------------------------------

HOME_MILESTONES = [MilestoneKind.LEASE_SIGNED, MilestoneKind.RESIDENCE_REGISTERED]


def _after(months: int, end) -> Func:
    """end + N months, as a date (PostgreSQL's calendar months)."""
    return Func(
        end,
        template=f"(%(expressions)s + interval '{int(months)} months')::date",
        output_field=DateField(),
    )


def autonomy_outcomes(city, *, today: date, person=None) -> QuerySet[Placement]:
    """Exits to autonomous housing, each with its outcome 6 and 12 months after leaving.

    ``home_6``/``home_12``: True when the person did not come back to a bed within that time
    and a lease or a registered residence is recorded by then; False when they came back;
    None when there is no evidence either way. ``due_6``/``due_12``: the time has passed.
    """
    exits = _unrestricted(
        Placement.objects.filter(
            city=city, exit_reason=ExitReason.AUTONOMOUS_HOUSING, end_date__isnull=False
        ).select_related("person", "bed__facility")
    )
    if person is not None:
        exits = exits.filter(person=person)
    annotations = {}
    for months in (6, 12):
        limit = _after(months, OuterRef("end_date"))
        annotations[f"back_{months}"] = Exists(
            Placement.objects.filter(
                person=OuterRef("person"),
                start_date__gte=OuterRef("end_date"),
                start_date__lt=limit,
            )
        )
        annotations[f"home_evidence_{months}"] = Exists(
            Milestone.objects.filter(
                person=OuterRef("person"), kind__in=HOME_MILESTONES, reached_on__lte=limit
            )
        )
        annotations[f"check_on_{months}"] = _after(months, F("end_date"))
    return exits.annotate(**annotations).order_by("-end_date", "-id")


@dataclass(frozen=True)
class Outcome:
    placement: Placement
    due_6: bool
    due_12: bool
    home_6: bool | None
    home_12: bool | None


def outcome_of(exit_: Placement, today: date) -> Outcome:
    def verdict(months: int) -> bool | None:
        if getattr(exit_, f"back_{months}"):
            return False
        return True if getattr(exit_, f"home_evidence_{months}") else None

    return Outcome(
        placement=exit_,
        due_6=exit_.check_on_6 <= today,
        due_12=exit_.check_on_12 <= today,
        home_6=verdict(6),
        home_12=verdict(12),
    )


def autonomy_summary(outcomes: list[Outcome]) -> dict:
    summary = {}
    for months in (6, 12):
        due = [o for o in outcomes if getattr(o, f"due_{months}")]
        summary[months] = {
            "due": len(due),
            "housed": sum(1 for o in due if getattr(o, f"home_{months}") is True),
            "back": sum(1 for o in due if getattr(o, f"home_{months}") is False),
        }
    return summary


def milestones_of(person) -> QuerySet[Milestone]:
    return Milestone.objects.filter(city=person.city, person=person).select_related("case")


def prefetch_for_person(person):
    """What the person page shows, in a handful of queries."""
    return {
        "placements": list(list_placements(person.city, person=person)),
        "requests": list(
            HousingRequest.objects.filter(city=person.city, person=person).order_by("-requested_on")
        ),
        "rent_supports": list(list_rent_supports(person.city, person=person)),
        "milestones": list(milestones_of(person)),
    }
