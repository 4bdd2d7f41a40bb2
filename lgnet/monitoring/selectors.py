"""Reads of monitoring: the catalogue, figures (exact for a city, protected for the network),
targets and reports.

The network-level functions read only aggregate rows (Figure, Target, PeriodReport,
ReportFigure), never a person-level table; tests capture their SQL to prove it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from lgnet.core.exceptions import RuleBroken
from lgnet.monitoring import disclosure, engine
from lgnet.monitoring.models import (
    CITY_ONLY_DIMENSIONS,
    Dimension,
    Figure,
    FigureRun,
    Indicator,
    PeriodReport,
    Target,
)
from lgnet.network.models import City, Edition, Participation

PUBLIC_DIMENSIONS = [d for d in Dimension.values if d not in CITY_ONLY_DIMENSIONS]
DIM_COLUMN = {
    "sex": "sex",
    "age_band": "age_band",
    "nationality": "nationality",
    "action_area": "action_area",
    "vulnerable": "vulnerable",
    "category": "category",
    "month": "period_start",
}


def threshold() -> int:
    return settings.LGNET_DISCLOSURE_THRESHOLD


# The catalogue.


def list_indicators() -> QuerySet[Indicator]:
    return Indicator.objects.filter(is_active=True).prefetch_related("fund_indicators")


def get_indicator(code: str) -> Indicator:
    found = Indicator.objects.filter(code=code, is_active=True).first()
    if found is None:
        raise RuleBroken(_("Unknown indicator."), field="indicator", status=400)
    return found


def breakdowns_for(indicator: Indicator, *, network: bool) -> list[str]:
    if network:
        return [d for d in indicator.breakdowns if d not in CITY_ONLY_DIMENSIONS]
    return list(indicator.breakdowns)


def get_edition(code: str) -> Edition:
    found = Edition.objects.filter(code=code).first()
    if found is None:
        raise RuleBroken(_("Unknown edition."), field="edition", status=400)
    return found


def editions_of(city: City) -> list[Edition]:
    return [p.edition for p in Participation.objects.filter(city=city).select_related("edition")]


def member_cities(edition: Edition) -> list[City]:
    return [p.city for p in Participation.objects.filter(edition=edition).select_related("city")]


# Figures.


@dataclass
class Query:
    indicator: Indicator
    edition: Edition
    start: date
    end: date
    by: list[str] = field(default_factory=list)


def parse_query(
    *,
    indicator: str,
    edition: str,
    start: date | None,
    end: date | None,
    by: str,
    network: bool,
) -> Query:
    """Check what a caller asks for; every problem is a 400 naming the field."""
    found = get_indicator(indicator)
    found_edition = get_edition(edition)
    start = start or found_edition.starts_on
    end = end or found_edition.ends_on
    if end < start:
        raise RuleBroken(_("The period ends before it starts."), field="to", status=400)
    dims = [d.strip() for d in by.split(",") if d.strip() and d.strip() != "city"]
    allowed = breakdowns_for(found, network=network)
    for dim in dims:
        if dim not in allowed:
            raise RuleBroken(
                _("This indicator cannot be broken down by %(dim)s.") % {"dim": dim[:30]},
                field="by",
                status=400,
            )
    if len(set(dims)) != len(dims) or len(dims) > 3:
        raise RuleBroken(_("Name each breakdown once, at most three."), field="by", status=400)
    return Query(found, found_edition, start, end, dims)


def _period_filter(query: Query) -> Q:
    if "month" in query.by:
        # Months are the only stored periods of at most 31 days.
        months = engine.month_periods(query.start, query.end)
        return Q(
            period_start__in=[m[0] for m in months],
            period_end__in=[m[1] for m in months],
            period_end__lt=F("period_start") + timedelta(days=31),
        )
    return Q(period_start=query.start, period_end=query.end)


def is_stored(query: Query) -> bool:
    if "vulnerable" in query.by:
        return False  # a city-only breakdown, computed live (see engine.STORED_COLUMNS)
    if "month" in query.by:
        months = engine.month_periods(query.start, query.end)
        return (
            months[0][0] == query.start
            and months[-1][1] == query.end
            and set(months) <= set(engine.standard_periods(query.edition))
        )
    if (query.start, query.end) in engine.standard_periods(query.edition):
        return True
    return (query.start, query.end) in engine.stored_periods(query.edition)


def _stored_cells(query: Query, city_ids: list[int]) -> dict[tuple, Decimal]:
    """(city id, dim values...) → value, from the aggregate rows."""
    columns = [DIM_COLUMN[d] for d in query.by]
    rows = Figure.objects.filter(
        _period_filter(query),
        edition=query.edition,
        indicator=query.indicator,
        city_id__in=city_ids,
    )
    rows = (
        rows.exclude(action_area="") if "action_area" in query.by else rows.filter(action_area="")
    )
    grouped = rows.values("city_id", *columns).annotate(total=Sum("value")).order_by()
    return {(g["city_id"], *(g[c] for c in columns)): g["total"] for g in grouped}


def _live_cells(query: Query, city: City) -> dict[tuple, Decimal]:
    """The same cells computed now from the city's own data (city users, any period)."""
    periods = (
        engine.month_periods(query.start, query.end)
        if "month" in query.by
        else [(query.start, query.end)]
    )
    cells: dict[tuple, Decimal] = defaultdict(Decimal)
    for row in engine.compute(query.indicator, city, periods):
        if bool(row.action_area) != ("action_area" in query.by):
            continue
        key = tuple(getattr(row, DIM_COLUMN[d]) for d in query.by)
        cells[(city.pk, *key)] += row.value
    return dict(cells)


def _label(dim: str, value) -> str:
    if dim == "month":
        return value.strftime("%Y-%m")
    return value or ""


def number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def city_figures(query: Query, city: City) -> list[dict]:
    """Exact figures of the caller's city."""
    with scopes_disabled():  # aggregate rows of this city only (filtered below)
        cells = _stored_cells(query, [city.pk]) if is_stored(query) else None
    if cells is None:
        cells = _live_cells(query, city)
    if not query.by:
        return [
            {
                "city": city.slug,
                "value": number(cells.get((city.pk,), Decimal(0))),
                "suppressed": False,
            }
        ]
    items = []
    for key in sorted(cells, key=lambda k: tuple(str(x) for x in k)):
        item = {"city": city.slug}
        item.update({d: _label(d, v) for d, v in zip(query.by, key[1:], strict=True)})
        item.update({"value": number(cells[key]), "suppressed": False})
        items.append(item)
    return items


def network_figures(query: Query) -> list[dict]:
    """Every member city's figures under disclosure control (aggregate rows only)."""
    if not is_stored(query):
        raise RuleBroken(
            _(
                "The network reads figures for the edition, its years, halves, quarters and "
                "months, and for reported periods: choose one of these."
            ),
            field="from",
            status=400,
        )
    cities = member_cities(query.edition)
    with scopes_disabled():  # aggregate rows (counts), across the edition's cities
        cells = _stored_cells(query, [c.pk for c in cities])
    slugs = {c.pk: c.slug for c in cities}
    limit = threshold()
    if not query.by:
        values = {c.pk: cells.get((c.pk,), Decimal(0)) for c in cities}
        hidden = disclosure.protect_list(values, limit) if query.indicator.is_additive else set()
        if not query.indicator.is_additive:
            hidden = {k for k, v in values.items() if disclosure.is_small(v, limit)}
        return [
            {
                "city": slugs[c.pk],
                "value": None if c.pk in hidden else number(values[c.pk]),
                "suppressed": c.pk in hidden,
            }
            for c in cities
        ]
    columns, dense, hidden = _protected_table(cells, cities, limit)
    items = []
    for c in cities:
        for col in columns:
            value = dense[(c.pk, col)]
            suppressed = (c.pk, col) in hidden
            if value == 0 and not suppressed:
                continue
            item = {"city": slugs[c.pk]}
            item.update({d: _label(d, v) for d, v in zip(query.by, col, strict=True)})
            item.update({"value": None if suppressed else number(value), "suppressed": suppressed})
            items.append(item)
    return items


def _protected_table(cells: dict, cities: list[City], limit: int):
    table = {(key[0], key[1:]): value for key, value in cells.items()}
    columns = sorted({col for _row, col in table}, key=lambda k: tuple(str(x) for x in k))
    # Every city is a row (its total is published), zeros included.
    dense = {(c.pk, col): table.get((c.pk, col), Decimal(0)) for c in cities for col in columns}
    return columns, dense, disclosure.protect_table(dense, limit)


def network_breakdown(query: Query) -> list[dict]:
    """The network's totals per breakdown value (column totals of the protected table)."""
    if not is_stored(query) or len(query.by) != 1:
        return []
    cities = member_cities(query.edition)
    with scopes_disabled():  # aggregate rows (counts), across the edition's cities
        cells = _stored_cells(query, [c.pk for c in cities])
    columns, dense, hidden = _protected_table(cells, cities, threshold())
    if len(cities) == 1:
        hidden = {(disclosure.TOTAL, col) for (_r, col) in hidden}
    dim = query.by[0]
    found = []
    for col in columns:
        total = sum((dense[(c.pk, col)] for c in cities), Decimal(0))
        suppressed = (disclosure.TOTAL, col) in hidden
        found.append(
            {
                dim: _label(dim, col[0]),
                "value": None if suppressed else number(total),
                "suppressed": suppressed,
            }
        )
    return found


# Dashboards.


@dataclass
class Cell:
    value: Decimal | None
    suppressed: bool = False
    target: Decimal | None = None
    code: str = ""  # the indicator's, for the pages' data attributes

    @property
    def progress(self) -> int | None:
        if self.value is None or not self.target:
            return None
        return int(min(100, self.value * 100 / self.target))

    @property
    def shown(self):
        return number(self.value)


def targets_for(edition: Edition, city_ids: list[int]) -> dict[tuple[int, int], Decimal]:
    """(city id, indicator id) → target; the participation's beneficiaries target by default."""
    found: dict[tuple[int, int], Decimal] = {}
    beneficiaries = Indicator.objects.filter(code="beneficiaries").first()
    if beneficiaries:
        for p in Participation.objects.filter(edition=edition, city_id__in=city_ids):
            if p.target_beneficiaries:
                found[(p.city_id, beneficiaries.pk)] = Decimal(p.target_beneficiaries)
    with scopes_disabled():  # network reference data, filtered on the cities named
        for t in Target.objects.filter(edition=edition, city_id__in=city_ids):
            found[(t.city_id, t.indicator_id)] = t.value
    return found


def edition_totals(edition: Edition, city_ids: list[int]) -> dict[tuple[int, int], Decimal]:
    """(city id, indicator id) → value for the whole edition, from the aggregate rows."""
    with scopes_disabled():  # aggregate rows only
        rows = (
            Figure.objects.filter(
                edition=edition,
                city_id__in=city_ids,
                period_start=edition.starts_on,
                period_end=edition.ends_on,
                action_area="",
            )
            .values("city_id", "indicator_id")
            .annotate(total=Sum("value"))
            .order_by()
        )
        return {(r["city_id"], r["indicator_id"]): r["total"] for r in rows}


def city_dashboard(city: City, edition: Edition) -> dict:
    indicators = list(list_indicators())
    values = edition_totals(edition, [city.pk])
    targets = targets_for(edition, [city.pk])
    with scopes_disabled():
        run = FigureRun.objects.filter(city=city, edition=edition).first()
    rows = [
        (
            indicator,
            Cell(
                values.get((city.pk, indicator.pk), Decimal(0)),
                target=targets.get((city.pk, indicator.pk)),
            ),
        )
        for indicator in indicators
    ]
    return {"rows": rows, "computed_at": run.computed_at if run else None}


def network_dashboard(edition: Edition) -> dict:
    """Every member city × the headline indicators, protected column by column."""
    cities = member_cities(edition)
    ids = [c.pk for c in cities]
    indicators = [i for i in list_indicators() if i.is_headline]
    values = edition_totals(edition, ids)
    targets = targets_for(edition, ids)
    limit = threshold()
    grid: dict[tuple[int, int], Cell] = {}
    totals: dict[int, Cell] = {}
    for indicator in indicators:
        column = {c: values.get((c, indicator.pk), Decimal(0)) for c in ids}
        hidden = disclosure.protect_list(column, limit)
        for c in ids:
            grid[(c, indicator.pk)] = Cell(
                None if c in hidden else column[c],
                suppressed=c in hidden,
                target=targets.get((c, indicator.pk)),
                code=indicator.code,
            )
        target_sum = sum(
            (targets[(c, indicator.pk)] for c in ids if (c, indicator.pk) in targets), Decimal(0)
        )
        total = sum(column.values(), Decimal(0))
        totals[indicator.pk] = Cell(
            None if disclosure.TOTAL in hidden else total,
            suppressed=disclosure.TOTAL in hidden,
            target=target_sum or None,
            code=indicator.code,
        )
    statuses = report_states(edition, ids)
    rows = [
        (city, [grid[(city.pk, i.pk)] for i in indicators], statuses.get(city.pk, []))
        for city in cities
    ]
    return {
        "indicators": indicators,
        "rows": rows,
        "totals": [totals[i.pk] for i in indicators],
    }


def breakdown_rows(items: list[dict], by: list[str]) -> list[dict]:
    """Items with a bar width (percent of the largest value) for the pages."""
    largest = max((i["value"] or 0 for i in items), default=0) or 1
    for item in items:
        item["dims"] = [item.get(d, "") for d in by]
        item["bar"] = int((item["value"] or 0) * 100 / largest)
    return items


def trend_chart(items: list[dict], indicator: Indicator):
    """A dashboard's month-by-month items as a column chart (hidden values drawn as stubs)."""
    from django.utils.formats import date_format

    from lgnet.monitoring import charts

    if not items:
        return ""
    labels = []
    for item in items:
        year, month = (int(x) for x in item["month"].split("-"))
        labels.append(date_format(date(year, month, 1), "M y"))
    values = [None if item["suppressed"] else item["value"] for item in items]
    return charts.columns(labels, [charts.Series(str(indicator.name), values)], width=560)


# Reports.


def report_states(edition: Edition, city_ids: list[int]) -> dict[int, list[PeriodReport]]:
    with scopes_disabled():  # report headers (dates and states), no figures of persons
        reports = PeriodReport.objects.filter(edition=edition, city_id__in=city_ids).order_by(
            "period_start", "period_end", "version"
        )
        found: dict[int, list[PeriodReport]] = defaultdict(list)
        for report in reports:
            found[report.city_id].append(report)
    return found


def list_reports(
    city: City | None, *, edition: Edition | None = None, status: str = ""
) -> list[PeriodReport]:
    """A city's reports, or every city's (network) when city is None."""
    if city is None:
        with scopes_disabled():  # report headers across the cities, read by the network
            reports = PeriodReport.objects.all()
    else:
        reports = PeriodReport.objects.filter(city=city)
    if edition is not None:
        reports = reports.filter(edition=edition)
    if status:
        reports = reports.filter(status=status)
    reports = reports.select_related("city", "edition").prefetch_related("figures__indicator")
    with scopes_disabled():  # the rows chosen above, with their own figures
        return list(reports)


def report_steps(report: PeriodReport) -> list:
    with scopes_disabled():  # the report's own workflow steps
        return list(report.steps.select_related("by"))


def report_figure_rows(report: PeriodReport) -> list:
    if "figures" in getattr(report, "_prefetched_objects_cache", {}):
        return list(report.figures.all())
    with scopes_disabled():  # the report's own stored figures
        return list(report.figures.select_related("indicator"))


def get_report_for(city: City, report_id: int) -> PeriodReport:
    report = (
        PeriodReport.objects.filter(city=city, pk=report_id)
        .select_related("city", "edition")
        .first()
    )
    if report is None:
        raise Http404
    return report


def get_report_for_network(report_id: int) -> PeriodReport:
    with scopes_disabled():  # the network reviews every city's reports
        report = PeriodReport.objects.filter(pk=report_id).select_related("city", "edition").first()
    if report is None:
        raise Http404
    return report


def report_figures(report: PeriodReport, *, network: bool) -> list[dict]:
    """The report's stored figures beside today's (from the aggregate rows) and the difference.

    The network sees them under disclosure control (values 1..threshold-1 hidden)."""
    with scopes_disabled():  # the report's own city, aggregate rows
        stored = list(report.figures.select_related("indicator"))
        current = (
            Figure.objects.filter(
                city_id=report.city_id,
                edition_id=report.edition_id,
                period_start=report.period_start,
                period_end=report.period_end,
                action_area="",
            )
            .values("indicator_id")
            .annotate(total=Sum("value"))
            .order_by()
        )
        now = {r["indicator_id"]: r["total"] for r in current}
        has_run = FigureRun.objects.filter(
            city_id=report.city_id, edition_id=report.edition_id
        ).exists()
    limit = threshold()
    rows = []
    for figure in stored:
        today = now.get(figure.indicator_id, Decimal(0)) if has_run else None
        hidden = network and disclosure.is_small(figure.value, limit)
        hidden_now = network and today is not None and disclosure.is_small(today, limit)
        changed = today is not None and today != figure.value
        rows.append(
            {
                "indicator": figure.indicator,
                "value": None if hidden else number(figure.value),
                "suppressed": hidden,
                "current": None if hidden_now else number(today),
                "changed": changed,
                "difference": number(today - figure.value)
                if changed and not (hidden or hidden_now)
                else None,
            }
        )
    return rows


def _programming_period(text: str) -> tuple[str, str] | None:
    """ "FAMI 2014-2020" and "AMIF 2021–2027" -> the years; None when the text names none."""
    found = re.search(r"(\d{4})\s*[-–/]\s*(\d{4})", text or "")
    return found.groups() if found else None


def fund_indicators_for(edition) -> list:
    """The fund indicators of the edition's programming period (DESIGN §6): an edition of
    FAMI 2014-2020 does not report on the AMIF 2021-2027 common indicators. An edition that
    names no period gets them all."""
    from lgnet.monitoring.models import FundIndicator

    funds = FundIndicator.objects.prefetch_related("indicators").order_by("code")
    period = _programming_period(edition.fund)
    return [f for f in funds if period is None or _programming_period(f.programme) == period]


def fund_note() -> str:
    """What pages and exports of the fund indicators say while their codes and names are not
    yet checked against the Regulation's Annex (standard_set.CHECKED_AGAINST_ANNEX)."""
    from lgnet.monitoring import standard_set

    if standard_set.CHECKED_AGAINST_ANNEX:
        return ""
    return _(
        "The codes and names of the AMIF indicators are still to be checked against Annex VIII "
        "of Regulation (EU) 2021/1147: check them before submitting to the fund."
    )


def fund_rows(report: PeriodReport, *, network: bool) -> list[dict]:
    """The fund's indicators with the value they take from the report's figures."""
    with scopes_disabled():
        values = {f.indicator_id: f.value for f in report.figures.all()}
    limit = threshold()
    rows = []
    for fund in fund_indicators_for(report.edition):
        sources = list(fund.indicators.all())
        value = (
            sum((values.get(i.pk, Decimal(0)) for i in sources), Decimal(0)) if sources else None
        )
        hidden = network and value is not None and disclosure.is_small(value, limit)
        rows.append(
            {
                "fund": fund,
                "sources": sources,
                "value": None if (hidden or value is None) else number(value),
                "suppressed": hidden,
            }
        )
    return rows


# Charts of a report (the page and the PDF), each with the rows of its data table.

TREND_CODES = ["beneficiaries", "new_beneficiaries"]


def _service_type_names() -> dict[str, str]:
    """The network catalogue's names (reference data, no person in it)."""
    from django.apps import apps
    from django.utils.translation import get_language

    try:
        ServiceType = apps.get_model("cases", "ServiceType")
    except LookupError:
        return {}
    field = "name_en" if (get_language() or "it").startswith("en") else "name_it"
    return dict(ServiceType.objects.filter(city__isnull=True).values_list("code", field))


def _period_label(period: tuple[date, date], count: int, date_format) -> str:
    start, end = period
    if (end - start).days > 31:
        return f"T{(start.month - 1) // 3 + 1} {start:%y}"  # trimestre
    return date_format(start, "M Y" if count <= 4 else "M y")


def _category_label(indicator: Indicator | None) -> str:
    if indicator is None:
        return ""
    from django.utils.translation import get_language

    english = (get_language() or "it").startswith("en")
    return indicator.category_label_en if english else indicator.category_label_it


def report_charts(report: PeriodReport, *, network: bool) -> dict:
    """Today's stored figures of the report's city and period, month by month and by type of
    service (aggregate rows only; under disclosure control for the network)."""
    from django.utils.formats import date_format

    from lgnet.monitoring import charts

    months = engine.month_periods(report.period_start, report.period_end)
    if len(months) > 12:  # a year and more: quarters keep the chart readable
        months = engine.quarter_periods(report.period_start, report.period_end)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=[*TREND_CODES, "services"])}
    limit = threshold()
    with scopes_disabled():  # one city's aggregate rows
        monthly = (
            Figure.objects.filter(
                city_id=report.city_id,
                edition_id=report.edition_id,
                indicator__code__in=TREND_CODES,
                period_start__in=[m[0] for m in months],
                period_end__in=[m[1] for m in months],
                action_area="",
            )
            .values("indicator__code", "period_start", "period_end")
            .annotate(total=Sum("value"))
            .order_by()
        )
        by_type = (
            Figure.objects.filter(
                city_id=report.city_id,
                edition_id=report.edition_id,
                indicator__code="services",
                period_start=report.period_start,
                period_end=report.period_end,
                action_area="",
            )
            .values("category")
            .annotate(total=Sum("value"))
            .order_by()
        )
        month_values = {
            (r["indicator__code"], (r["period_start"], r["period_end"])): r["total"]
            for r in monthly
        }
        type_values = {r["category"]: r["total"] for r in by_type}
        run = FigureRun.objects.filter(city_id=report.city_id, edition_id=report.edition_id).first()
    series = []
    for code in TREND_CODES:
        if code not in indicators:
            continue
        values = [month_values.get((code, m), Decimal(0)) for m in months]
        if network:  # unique persons: months do not add up to a total, hide small ones only
            values = [None if disclosure.is_small(v, limit) else v for v in values]
        series.append(charts.Series(str(indicators[code].name), values))
    labels = [_period_label(m, len(months), date_format) for m in months]
    trend_rows = [(label, [number(s.values[i]) for s in series]) for i, label in enumerate(labels)]
    names = _service_type_names()
    ordered = sorted(type_values.items(), key=lambda kv: (-kv[1], kv[0]))
    hidden = disclosure.protect_list(dict(ordered), limit) if network and ordered else set()
    type_rows = [
        (names.get(code, code) or "—", None if code in hidden else number(value))
        for code, value in ordered
        if value
    ]
    return {
        "charts_computed_at": run.computed_at if run else None,
        "trend_series": [str(s.name) for s in series],
        "trend_rows": trend_rows,
        "trend_svg": charts.columns(labels, series) if series else "",
        "types_name": str(indicators["services"].name) if "services" in indicators else "",
        "types_label": _category_label(indicators.get("services")),
        "type_rows": type_rows,
        "types_svg": charts.bars([r[0] for r in type_rows], [r[1] for r in type_rows])
        if type_rows
        else "",
    }
