"""The figures engine: runs the measures in PostgreSQL, one city at a time, and stores the
aggregate rows (see docs/decisions/0008-figures-engine.md).

This module reads person-level tables, always filtered on one city. Pages and API calls of
the network level never call it: they read `Figure` rows through selectors.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from lgnet.monitoring import measures
from lgnet.monitoring.models import Figure, FigureRun, Indicator, PeriodReport

COLUMNS = (
    "period_start",
    "period_end",
    "sex",
    "age_band",
    "nationality",
    "vulnerable",
    "action_area",
    "category",
    "value",
)


# Vulnerability is a breakdown for the city's own users only: it is not stored (their pages
# compute it live), which halves the rows. Summing over it is exact: a person has one value.
STORED_COLUMNS = (
    "q.period_start, q.period_end, q.sex, q.age_band, q.nationality, '', q.action_area, "
    "q.category, SUM(q.value)"
)
STORED_GROUP = (
    "q.period_start, q.period_end, q.sex, q.age_band, q.nationality, q.action_area, q.category"
)


@dataclass(frozen=True)
class Row:
    period_start: date
    period_end: date
    sex: str
    age_band: str
    nationality: str
    vulnerable: str
    action_area: str
    category: str
    value: Decimal


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _calendar_periods(start: date, end: date, months: int) -> list[tuple[date, date]]:
    """Calendar blocks of ``months`` months (1, 3, 6, 12) clipped to [start, end]."""
    found = []
    year, month = start.year, ((start.month - 1) // months) * months + 1
    while date(year, month, 1) <= end:
        last_month = month + months - 1
        block_start = date(year, month, 1)
        block_end = _month_end(year + (last_month - 1) // 12, (last_month - 1) % 12 + 1)
        found.append((max(block_start, start), min(block_end, end)))
        month += months
        if month > 12:
            year, month = year + 1, month - 12
    return found


def month_periods(start: date, end: date) -> list[tuple[date, date]]:
    return _calendar_periods(start, end, 1)


def quarter_periods(start: date, end: date) -> list[tuple[date, date]]:
    return _calendar_periods(start, end, 3)


def standard_periods(edition) -> list[tuple[date, date]]:
    """Months, quarters, halves and years of the edition, and the edition itself."""
    start, end = edition.starts_on, edition.ends_on
    found: list[tuple[date, date]] = []
    for months in (1, 3, 6, 12):
        found += _calendar_periods(start, end, months)
    found.append((start, end))
    return list(dict.fromkeys(found))


def stored_periods(edition) -> list[tuple[date, date]]:
    """Every period the engine keeps rows for: the standard ones and every reported one."""
    with scopes_disabled():  # periods only (dates), across the edition's cities
        reported = PeriodReport.objects.filter(edition=edition).values_list(
            "period_start", "period_end"
        )
        extra = sorted(set(reported))
    return list(dict.fromkeys([*standard_periods(edition), *extra]))


def _params(city_id: int, periods: Iterable[tuple[date, date]]) -> dict:
    periods = list(periods)
    return {
        "city": city_id,
        "starts": [p[0] for p in periods],
        "ends": [p[1] for p in periods],
        "tz": settings.TIME_ZONE,
    }


def compute(indicator: Indicator, city, periods: Iterable[tuple[date, date]]) -> list[Row]:
    """The measure's rows for one city and the given periods, computed now (nothing stored)."""
    sql = measures.sql_for(indicator.measure)
    if sql is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(city.pk, periods))
        return [Row(*values) for values in cursor.fetchall()]


def total(rows: Iterable[Row]) -> Decimal:
    """The value of a set of rows for one period: the sum of the base (non-area) cells."""
    return sum((r.value for r in rows if not r.action_area), Decimal(0))


def compute_totals(city, start: date, end: date) -> dict[str, Decimal]:
    """Every active indicator's exact value for one city and period (for reports)."""
    found = {}
    for indicator in Indicator.objects.filter(is_active=True):
        rows = compute(indicator, city, [(start, end)])
        found[indicator.code] = total(rows)
    return found


def stored_totals(city, edition, start: date, end: date) -> dict[str, Decimal]:
    """The same totals as compute_totals, read from the stored rows of a stored period (exact
    only right after a refresh: the demo uses it to open its many reports quickly)."""
    from django.db.models import Sum

    with scopes_disabled():  # one city's aggregate rows
        rows = (
            Figure.objects.filter(
                city=city, edition=edition, period_start=start, period_end=end, action_area=""
            )
            .values("indicator__code")
            .annotate(total=Sum("value"))
            .order_by()
        )
        found = {r["indicator__code"]: r["total"] for r in rows}
    codes = Indicator.objects.filter(is_active=True).values_list("code", flat=True)
    return {code: found.get(code, Decimal(0)) for code in codes}


# The measures are a few large grouping queries: compiling them (JIT) cost more than it
# saved, their sorts and hashes spilled to disk with the default work_mem, and the planner,
# misjudging the number of groups, sorted millions of rows (on disk, at 10M events) where a
# hash aggregate groups them in memory (sorting stays where nothing else can: COUNT DISTINCT).
REFRESH_SETTINGS = (
    "SET LOCAL jit = off",
    "SET LOCAL work_mem = '64MB'",
    "SET LOCAL enable_sort = off",
)
# SET LOCAL lasts to the end of the outermost transaction: a refresh inside a longer one
# (seed_demo, a page's "recompute now") gives the settings back when it ends.
REFRESH_SETTINGS_UNDONE = (
    "SET LOCAL jit TO DEFAULT",
    "SET LOCAL work_mem TO DEFAULT",
    "SET LOCAL enable_sort TO DEFAULT",
)


def touched_periods(edition, spans: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """The stored periods a change touches: every one that overlaps a changed span of days
    (first and last day included). The periods holding today also move with the calendar
    (they count up to today): the nightly `lgnet refresh_figures` keeps them current."""
    spans = list(spans)
    return [
        (start, end)
        for start, end in stored_periods(edition)
        if any(lo <= end and start <= hi for lo, hi in spans)
    ]


def refresh(city, edition, periods: Iterable[tuple[date, date]] | None = None) -> int:
    """Recompute and store the figures of a city for an edition; returns the rows written.

    With ``periods`` only those of the edition's stored periods are recomputed (their rows
    replaced, the other periods' rows left as they are); without, every stored period is
    (and rows of periods no longer stored go)."""
    stored = stored_periods(edition)
    if periods is not None:
        wanted = set(periods)
        stored = [p for p in stored if p in wanted]
        if not stored:
            return 0
    written = 0
    with transaction.atomic(), scopes_disabled():  # one city's rows, named explicitly
        with connection.cursor() as cursor:
            # One refresh at a time per city and edition; readers keep the old rows until commit.
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [city.pk, edition.pk])
            for setting in REFRESH_SETTINGS:
                cursor.execute(setting)
            params = _params(city.pk, stored)
            old = Figure.objects.filter(city=city, edition=edition)
            if periods is None:
                old.delete()
            else:
                cursor.execute(
                    f"DELETE FROM {Figure._meta.db_table} WHERE city_id = %(city)s "  # noqa: S608 - table name from the model, values as parameters
                    "AND edition_id = %(edition)s AND (period_start, period_end) IN "
                    "(SELECT * FROM unnest(%(starts)s::date[], %(ends)s::date[]))",
                    {**params, "edition": edition.pk},
                )
            for indicator in Indicator.objects.filter(is_active=True):
                with measures.for_storage():
                    sql = measures.sql_for(indicator.measure)
                if sql is None:
                    continue
                cursor.execute(
                    f"INSERT INTO {Figure._meta.db_table} (city_id, edition_id, indicator_id, "  # noqa: S608 - table names from models, values as parameters
                    f"created_at, updated_at, {', '.join(COLUMNS)}) "
                    "SELECT %(city)s, %(edition)s, %(indicator)s, now(), now(), "
                    f"{STORED_COLUMNS} FROM ({sql}) AS q GROUP BY {STORED_GROUP}",
                    {**params, "edition": edition.pk, "indicator": indicator.pk},
                )
                written += cursor.rowcount
            for setting in REFRESH_SETTINGS_UNDONE:
                cursor.execute(setting)
        FigureRun.objects.update_or_create(
            city=city, edition=edition, defaults={"computed_at": timezone.now()}
        )
    return written


def refresh_city(city, editions=None, spans: Iterable[tuple[date, date]] | None = None) -> int:
    """Every edition the city takes part in (or the given ones): every stored period, or
    only the ones the changed ``spans`` of days touch (an edition they miss is skipped)."""
    if editions is None:
        editions = [p.edition for p in city.participations.select_related("edition")]
    if spans is None:
        written = sum(refresh(city, edition) for edition in editions)
    else:
        spans = list(spans)
        written = 0
        for edition in editions:
            if any(lo <= edition.ends_on and edition.starts_on <= hi for lo, hi in spans):
                written += refresh(city, edition, touched_periods(edition, spans))
    refresh_network_counts(editions)
    return written


def refresh_network_counts(editions) -> None:
    """The unique-person count across each edition's cities, stored beside the figures."""
    from lgnet.people.linkage import refresh_network_count

    with scopes_disabled():
        for edition in editions:
            refresh_network_count(edition)
