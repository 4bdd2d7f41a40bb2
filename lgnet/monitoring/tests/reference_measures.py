"""The measures as they were before the one-pass shape (commit 457cf38), kept unchanged as the
reference the fast path is checked against (test_refresh.py): one SELECT per measure that
compares every row with every period and scans the source twice (base rows, area rows).
Nothing else imports it.


A measure is registered here, in code, and named by the catalogue (`Indicator.measure`):
nobody types SQL into a form. Each returns one SELECT over a `periods` CTE (the periods to
compute, as two date arrays) that yields, per period and breakdown cell:

    period_start, period_end, sex, age_band, nationality, vulnerable, action_area,
    category, value

Rows with an empty action_area partition the counted units (a person falls in one cell
per period, so cells add up to the total); rows with an action area repeat a person in
each area of their cases and are only read when the breakdown asks for the area.
Every statement filters on `%(city)s`: a measure never reads outside one city.

Measures over an app that is not installed (housing, activities) return None: the
catalogue keeps the indicator and its figures stay empty until the app exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class Dims:
    sex: str = "''"
    age_band: str = "''"
    nationality: str = "''"
    vulnerable: str = "''"


def _age_band(birth: str) -> str:
    age = f"date_part('year', age(p.start_on, {birth}))"
    return (
        f"CASE WHEN {birth} IS NULL THEN '' WHEN {age} < 18 THEN '0-17' "
        f"WHEN {age} < 25 THEN '18-24' WHEN {age} < 35 THEN '25-34' "
        f"WHEN {age} < 50 THEN '35-49' WHEN {age} < 65 THEN '50-64' ELSE '65+' END"
    )


def person_dims(alias: str = "per") -> Dims:
    """Sex, age band at the period's start, first nationality, any vulnerability."""
    return Dims(
        sex=f"{alias}.sex",
        age_band=_age_band(f"{alias}.birth_date"),
        nationality=f"COALESCE({alias}.nationalities[1], '')",
        vulnerable=f"CASE WHEN cardinality({alias}.vulnerabilities) > 0 THEN 'yes' ELSE 'no' END",
    )


def _contact_dims() -> Dims:
    """A contact's person when known, else what the worker noted of the anonymous person."""
    known = person_dims()
    return Dims(
        sex=f"COALESCE({known.sex}, NULLIF(k.anonymous_sex, ''), 'U')",
        age_band=f"CASE WHEN per.id IS NULL THEN k.anonymous_age_band ELSE {known.age_band} END",
        nationality=(
            f"CASE WHEN per.id IS NULL THEN k.anonymous_nationality ELSE {known.nationality} END"
        ),
        vulnerable=f"CASE WHEN per.id IS NULL THEN '' ELSE {known.vulnerable} END",
    )


# The periods asked for, counted up to today: a period that has not begun has no rows yet,
# and the current one counts what happened so far (an open case is not counted in months to
# come). `period_end` is the period's own end, the key the rows are stored under.
PERIODS = (
    "periods AS (SELECT start_on, period_end, "
    "LEAST(period_end, (now() AT TIME ZONE %(tz)s)::date) AS end_on "
    "FROM unnest(%(starts)s::date[], %(ends)s::date[]) AS p(start_on, period_end) "
    "WHERE start_on <= (now() AT TIME ZONE %(tz)s)::date)"
)


def grouped(
    *,
    source: str,
    value: str,
    dims: Dims,
    where: str = "",
    category: str = "''",
    areas: str | None = None,
    ctes: str = "",
) -> str:
    """One SELECT with the base rows and, when ``areas`` names an array, the area rows."""

    def select(area: str, lateral: str) -> str:
        return (
            "SELECT p.start_on AS period_start, p.period_end AS period_end, "
            f"{dims.sex}::varchar AS sex, {dims.age_band}::varchar AS age_band, "
            f"{dims.nationality}::varchar AS nationality, "
            f"{dims.vulnerable}::varchar AS vulnerable, {area}::varchar AS action_area, "
            f"{category}::varchar AS category, {value} AS value {source} {lateral} "
            f"{('WHERE ' + where) if where else ''} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
        )

    sql = f"WITH {PERIODS}{(', ' + ctes) if ctes else ''} " + select("''", "")
    if areas:
        sql += " UNION ALL " + select(
            "area.code", f"CROSS JOIN LATERAL unnest({areas}) AS area(code)"
        )
    return sql


def table(label: str) -> str | None:
    """The table of a model ("cases.Case"), or None when its app is not installed."""
    try:
        return apps.get_model(label)._meta.db_table
    except LookupError:
        return None


def tables(*labels: str) -> dict[str, str] | None:
    found = {label.split(".")[1].lower(): table(label) for label in labels}
    return None if None in found.values() else found


# The registry.

Measure = Callable[[], "str | None"]
_measures: dict[str, Measure] = {}


def measure(code: str) -> Callable[[Measure], Measure]:
    def register(fn: Measure) -> Measure:
        _measures[code] = fn
        return fn

    return register


def registered() -> dict[str, Measure]:
    return dict(_measures)


def sql_for(code: str) -> str | None:
    """The measure's SQL, or None when the measure is unknown or its data does not exist yet."""
    fn = _measures.get(code)
    return fn() if fn else None


# Registry and cases.

OPEN_IN_PERIOD = (
    "c.city_id = %(city)s AND c.opened_on <= p.end_on "
    "AND (c.closed_on IS NULL OR c.closed_on >= p.start_on)"
)


@measure("beneficiaries")
def beneficiaries() -> str | None:
    """Unique persons with a case open at any time in the period."""
    t = tables("cases.Case", "people.Person")
    if t is None:
        return None
    return grouped(
        source=f"FROM periods p JOIN {t['case']} c ON {OPEN_IN_PERIOD} "
        f"JOIN {t['person']} per ON per.id = c.person_id",
        value="COUNT(DISTINCT c.person_id)",
        dims=person_dims(),
        areas="c.areas",
    )


@measure("new_beneficiaries")
def new_beneficiaries() -> str | None:
    """Unique persons whose first case in the city was opened in the period."""
    t = tables("cases.Case", "people.Person")
    if t is None:
        return None
    firsts = (
        f"firsts AS (SELECT DISTINCT ON (person_id) person_id, opened_on, areas "  # noqa: S608 - tables from models, values as parameters
        f"FROM {t['case']} WHERE city_id = %(city)s ORDER BY person_id, opened_on, id)"
    )
    return grouped(
        ctes=firsts,
        source=f"FROM periods p JOIN firsts c ON c.opened_on BETWEEN p.start_on AND p.end_on "
        f"JOIN {t['person']} per ON per.id = c.person_id",
        value="COUNT(DISTINCT c.person_id)",
        dims=person_dims(),
        areas="c.areas",
    )


def _contacts(street_only: bool) -> str | None:
    t = tables("people.Contact", "people.Person")
    if t is None:
        return None
    return grouped(
        source=f"FROM periods p JOIN {t['contact']} k ON k.city_id = %(city)s "
        "AND k.occurred_at >= (p.start_on::timestamp AT TIME ZONE %(tz)s) "
        "AND k.occurred_at < ((p.end_on + 1)::timestamp AT TIME ZONE %(tz)s) "
        f"LEFT JOIN {t['person']} per ON per.id = k.person_id",
        where="k.channel = 'street'" if street_only else "",
        value="COUNT(*)",
        dims=_contact_dims(),
        category="k.channel",
    )


@measure("contacts")
def contacts() -> str | None:
    """First contacts at the desk and in the street, anonymous ones included."""
    return _contacts(street_only=False)


@measure("contacts_mobile")
def contacts_mobile() -> str | None:
    """First contacts made in the street by the mobile units."""
    return _contacts(street_only=True)


def _services_source(t: dict) -> str:
    return (
        f"FROM periods p JOIN {t['service']} s ON s.city_id = %(city)s "
        "AND s.delivered_on BETWEEN p.start_on AND p.end_on "
        f"JOIN {t['servicetype']} st ON st.id = s.service_type_id "
        f"LEFT JOIN {t['servicetype']} nt ON nt.id = st.network_type_id "
        f"JOIN {t['person']} per ON per.id = s.person_id "
        f"JOIN {t['case']} c ON c.id = s.case_id"
    )


@measure("services")
def services() -> str | None:
    """Services delivered, by the network type they count as."""
    t = tables("cases.Service", "cases.ServiceType", "cases.Case", "people.Person")
    if t is None:
        return None
    return grouped(
        source=_services_source(t),
        value="COUNT(*)",
        dims=person_dims(),
        category="COALESCE(nt.code, st.code)",
        areas="c.areas",
    )


@measure("job_guidance_participants")
def job_guidance_participants() -> str | None:
    """Unique persons who received job orientation (personal professional guidance)."""
    t = tables("cases.Service", "cases.ServiceType", "cases.Case", "people.Person")
    if t is None:
        return None
    return grouped(
        source=_services_source(t),
        where="COALESCE(nt.code, st.code) = 'job_orientation'",
        value="COUNT(DISTINCT s.person_id)",
        dims=person_dims(),
        areas="c.areas",
    )


@measure("cases_closed")
def cases_closed() -> str | None:
    """Cases closed in the period, by outcome."""
    t = tables("cases.Case", "people.Person")
    if t is None:
        return None
    return grouped(
        source=f"FROM periods p JOIN {t['case']} c ON c.city_id = %(city)s "
        "AND c.closed_on BETWEEN p.start_on AND p.end_on "
        f"JOIN {t['person']} per ON per.id = c.person_id",
        value="COUNT(*)",
        dims=person_dims(),
        category="c.outcome",
        areas="c.areas",
    )


@measure("referrals")
def referrals() -> str | None:
    """Referrals sent or received in the period, by status."""
    t = tables("cases.Referral", "people.Person")
    if t is None:
        return None
    return grouped(
        source=f"FROM periods p JOIN {t['referral']} r ON r.city_id = %(city)s "
        "AND r.sent_on BETWEEN p.start_on AND p.end_on "
        f"LEFT JOIN {t['person']} per ON per.id = r.person_id",
        value="COUNT(*)",
        dims=Dims(sex="COALESCE(per.sex, 'U')"),
        category="r.status",
    )


# Housing.

PLACED_IN_PERIOD = (
    "pl.city_id = %(city)s AND pl.start_date <= p.end_on "
    "AND (pl.end_date IS NULL OR pl.end_date > p.start_on)"
)


@measure("persons_housed")
def persons_housed() -> str | None:
    """Unique persons in a bed at any time in the period."""
    t = tables("housing.Placement", "people.Person")
    if t is None:
        return None
    return grouped(
        source=f"FROM periods p JOIN {t['placement']} pl ON {PLACED_IN_PERIOD} "
        f"JOIN {t['person']} per ON per.id = pl.person_id",
        value="COUNT(DISTINCT pl.person_id)",
        dims=person_dims(),
    )


# p.end_on is at most today: an open placement counts its nights up to tonight.
NIGHTS = (
    "GREATEST(0, LEAST(COALESCE(pl.end_date, p.end_on + 1), p.end_on + 1) "
    "- GREATEST(pl.start_date, p.start_on))"
)


@measure("bed_nights")
def bed_nights() -> str | None:
    """Nights spent in the city's beds in the period (open placements count up to today)."""
    t = tables("housing.Placement", "housing.Bed", "housing.Facility", "people.Person")
    if t is None:
        return None
    return grouped(
        source=f"FROM periods p JOIN {t['placement']} pl ON {PLACED_IN_PERIOD} "
        f"JOIN {t['bed']} b ON b.id = pl.bed_id JOIN {t['facility']} f ON f.id = b.facility_id "
        f"JOIN {t['person']} per ON per.id = pl.person_id",
        value=f"SUM({NIGHTS})",
        dims=person_dims(),
        category="f.kind",
    )


@measure("occupancy_rate")
def occupancy_rate() -> str | None:
    """Bed-nights used over bed-nights available (beds in use), up to today, in percent."""
    t = tables("housing.Placement", "housing.Bed")
    if t is None:
        return None
    used = (
        f"used AS (SELECT p.start_on, p.period_end, SUM({NIGHTS}) AS nights FROM periods p "  # noqa: S608 - tables from models, values as parameters
        f"JOIN {t['placement']} pl ON {PLACED_IN_PERIOD} GROUP BY 1, 2)"
    )
    available = (
        "avail AS (SELECT p.start_on, p.period_end, COUNT(b.id) * GREATEST(0, "  # noqa: S608 - tables from models, values as parameters
        "p.end_on - p.start_on + 1) AS nights FROM periods p "
        f"JOIN {t['bed']} b ON b.city_id = %(city)s AND b.is_active GROUP BY 1, 2, p.end_on)"
    )
    return (
        f"WITH {PERIODS}, {used}, {available} SELECT a.start_on AS period_start, "  # noqa: S608 - tables from models, values as parameters
        "a.period_end AS period_end, ''::varchar AS sex, ''::varchar AS age_band, "
        "''::varchar AS nationality, ''::varchar AS vulnerable, ''::varchar AS action_area, "
        "''::varchar AS category, round(100.0 * COALESCE(u.nights, 0) / a.nights, 1) AS value "
        "FROM avail a LEFT JOIN used u "
        "ON u.start_on = a.start_on AND u.period_end = a.period_end WHERE a.nights > 0"
    )


@measure("rent_supports")
def rent_supports() -> str | None:
    """Unique persons with a rent contribution running in the period."""
    t = tables("housing.RentSupport", "people.Person")
    if t is None:
        return None
    return grouped(
        source=f"FROM periods p JOIN {t['rentsupport']} rs ON rs.city_id = %(city)s "
        "AND rs.start_date <= p.end_on "
        "AND (rs.start_date + rs.months * interval '1 month')::date > p.start_on "
        f"JOIN {t['person']} per ON per.id = rs.person_id",
        value="COUNT(DISTINCT rs.person_id)",
        dims=person_dims(),
    )


@measure("rent_support_amount")
def rent_support_amount() -> str | None:
    """Rent contributions paid in the period, in euros."""
    t = tables("housing.RentPayment", "housing.RentSupport", "people.Person")
    if t is None:
        return None
    return grouped(
        source=f"FROM periods p JOIN {t['rentpayment']} rp ON rp.city_id = %(city)s "
        "AND rp.paid_on BETWEEN p.start_on AND p.end_on "
        f"JOIN {t['rentsupport']} rs ON rs.id = rp.rent_support_id "
        f"JOIN {t['person']} per ON per.id = rs.person_id",
        value="SUM(rp.amount)",
        dims=person_dims(),
    )


@measure("exits_autonomous")
def exits_autonomous() -> str | None:
    """Unique persons who left a bed for autonomous housing in the period."""
    t = tables("housing.Placement", "people.Person")
    if t is None:
        return None
    return grouped(
        source=f"FROM periods p JOIN {t['placement']} pl ON pl.city_id = %(city)s "
        "AND pl.end_date BETWEEN p.start_on AND p.end_on "
        "AND pl.exit_reason = 'autonomous_housing' "
        f"JOIN {t['person']} per ON per.id = pl.person_id",
        value="COUNT(DISTINCT pl.person_id)",
        dims=person_dims(),
    )


# Activities.

ENROLLED_IN_PERIOD = (
    "e.city_id = %(city)s AND e.enrolled_on <= p.end_on "
    "AND (e.ended_on IS NULL OR e.ended_on >= p.start_on) "
    "AND e.status NOT IN ('waiting', 'not_admitted')"
)


def _participants(kinds: tuple[str, ...]) -> str | None:
    t = tables("activities.Enrolment", "activities.Activity", "people.Person")
    if t is None:
        return None
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    return grouped(
        source=f"FROM periods p JOIN {t['enrolment']} e ON {ENROLLED_IN_PERIOD} "
        f"JOIN {t['activity']} a ON a.id = e.activity_id AND a.kind IN ({listed}) "
        f"JOIN {t['person']} per ON per.id = e.person_id",
        value="COUNT(DISTINCT e.person_id)",
        dims=person_dims(),
        category="''" if len(kinds) == 1 else "a.kind",
    )


@measure("course_participants")
def course_participants() -> str | None:
    """Unique persons enrolled in a course (Italian or other) during the period."""
    return _participants(("italian_course", "course"))


@measure("language_course_participants")
def language_course_participants() -> str | None:
    """Unique persons enrolled in an Italian language course during the period."""
    return _participants(("italian_course",))


CEFR = "ARRAY['pre-A1', 'A1', 'A2', 'B1', 'B2']"


@measure("cefr_improved")
def cefr_improved() -> str | None:
    """Unique persons who left an Italian course in the period at least one CEFR level up."""
    t = tables("activities.Enrolment", "activities.Activity", "people.Person")
    if t is None:
        return None
    return grouped(
        source=f"FROM periods p JOIN {t['enrolment']} e ON e.city_id = %(city)s "
        "AND e.ended_on BETWEEN p.start_on AND p.end_on "
        f"JOIN {t['activity']} a ON a.id = e.activity_id AND a.kind = 'italian_course' "
        f"JOIN {t['person']} per ON per.id = e.person_id",
        where=f"array_position({CEFR}, e.exit_level::text) "
        f"> array_position({CEFR}, e.entry_level::text)",
        value="COUNT(DISTINCT e.person_id)",
        dims=person_dims(),
    )


@measure("civic_hours")
def civic_hours() -> str | None:
    """Hours of civic engagement attended in the period."""
    t = tables(
        "activities.Attendance",
        "activities.Session",
        "activities.Activity",
        "activities.Enrolment",
        "people.Person",
    )
    if t is None:
        return None
    return grouped(
        source=f"FROM periods p JOIN {t['session']} s ON s.city_id = %(city)s "
        "AND s.date BETWEEN p.start_on AND p.end_on AND NOT s.is_cancelled "
        f"JOIN {t['activity']} a ON a.id = s.activity_id AND a.kind = 'civic_project' "
        f"JOIN {t['attendance']} att ON att.session_id = s.id AND att.status = 'present' "
        f"JOIN {t['enrolment']} e ON e.id = att.enrolment_id "
        f"JOIN {t['person']} per ON per.id = e.person_id",
        value="SUM(COALESCE(att.hours, s.hours))",
        dims=person_dims(),
    )


@measure("events")
def events() -> str | None:
    """Awareness events that started in the period."""
    t = tables("activities.Activity")
    if t is None:
        return None
    return grouped(
        source=f"FROM periods p JOIN {t['activity']} a ON a.city_id = %(city)s "
        "AND a.kind = 'event' AND a.start_date BETWEEN p.start_on AND p.end_on",
        value="COUNT(*)",
        dims=Dims(),
    )


@measure("event_attendees")
def event_attendees() -> str | None:
    """People counted at awareness events that started in the period (head counts)."""
    t = tables("activities.HeadCount", "activities.Activity")
    if t is None:
        return None
    return grouped(
        source=f"FROM periods p JOIN {t['activity']} a ON a.city_id = %(city)s "
        "AND a.kind = 'event' AND a.start_date BETWEEN p.start_on AND p.end_on "
        f"JOIN {t['headcount']} hc ON hc.activity_id = a.id",
        value="SUM(hc.count)",
        dims=Dims(sex="hc.sex", age_band="hc.age_band"),
    )
