"""/api/v1/ indicators, figures and period reports."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from lgnet.core.api import ErrorOut, need
from lgnet.core.exceptions import RuleBroken
from lgnet.monitoring import disclosure, selectors, services
from lgnet.monitoring.models import ReportStatus

router = Router(tags=["monitoring"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _is_network(request: HttpRequest) -> bool:
    membership = request.membership
    return membership is not None and membership.can("monitoring.network")


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    breakdowns: list[str]
    definition: str
    version: int
    fund_indicators: list[str]


@router.get(
    "/indicators",
    response={200: list[IndicatorOut], **ERRORS},
    summary="The network's indicator catalogue",
)
@paginate(LimitOffsetPagination)
def indicator_list(request: HttpRequest):
    need(request, "editions.view")
    network = request.membership.is_network
    return [
        {
            "code": i.code,
            "name": i.name,
            "unit": i.unit,
            "breakdowns": ["city", *selectors.breakdowns_for(i, network=network)],
            "definition": i.definition,
            "version": i.version,
            "fund_indicators": [f.code for f in i.fund_indicators.all()],
        }
        for i in selectors.list_indicators()
    ]


@router.get(
    "/figures",
    response={200: list[dict[str, Any]], **ERRORS},
    summary="Figures of an indicator: your city's exact, or every city's under disclosure control",
    description=(
        "`by` takes up to three of sex, age_band, nationality, action_area, month, category "
        "(and vulnerable, for city users). The period defaults to the edition's. The network "
        "reads the edition, its years, halves, quarters and months, and reported periods. "
        "Items: {city, <dim>..., value, suppressed}; a suppressed cell has value null and "
        "suppressed true."
    ),
)
@paginate(LimitOffsetPagination)
def figure_list(
    request: HttpRequest,
    indicator: str = Query(..., max_length=60),
    edition: str = Query(..., max_length=20),
    start: date | None = Query(None, alias="from"),  # noqa: B008
    end: date | None = Query(None, alias="to"),  # noqa: B008
    by: str = Query("", max_length=100),
):
    network = _is_network(request)
    if not network:
        need(request, "monitoring.city")
    query = selectors.parse_query(
        indicator=indicator, edition=edition, start=start, end=end, by=by, network=network
    )
    if network:
        return selectors.network_figures(query)
    return selectors.city_figures(query, request.city)


class ReportFigureOut(Schema):
    indicator: str
    value: int | float | None
    suppressed: bool = False


class ReportOut(Schema):
    id: int
    city: str
    edition: str
    period_start: date
    period_end: date
    version: int
    status: ReportStatus
    activities: str
    deviations: str
    problems: str
    staff_changes: str
    partner_roles: str
    submitted_at: datetime | None
    approved_at: datetime | None
    figures: list[ReportFigureOut]


def _report_out(report, *, network: bool) -> dict:
    limit = selectors.threshold()
    figures = []
    for figure in selectors.report_figure_rows(report):
        hidden = network and disclosure.is_small(figure.value, limit)
        figures.append(
            {
                "indicator": figure.indicator.code,
                "value": None if hidden else selectors.number(figure.value),
                "suppressed": hidden,
            }
        )
    return {
        "id": report.pk,
        "city": report.city.slug,
        "edition": report.edition.code,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "version": report.version,
        "status": report.status,
        "activities": report.activities,
        "deviations": report.deviations,
        "problems": report.problems,
        "staff_changes": report.staff_changes,
        "partner_roles": report.partner_roles,
        "submitted_at": report.submitted_at,
        "approved_at": report.approved_at,
        "figures": figures,
    }


class ReportIn(Schema):
    edition: str = Field(..., max_length=20)
    period_start: date
    period_end: date


class ReportPatch(Schema):
    activities: str | None = Field(None, max_length=10000)
    deviations: str | None = Field(None, max_length=10000)
    problems: str | None = Field(None, max_length=10000)
    staff_changes: str | None = Field(None, max_length=5000)
    partner_roles: str | None = Field(None, max_length=10000)


class CommentIn(Schema):
    comment: str = Field("", max_length=5000)


def _comment(request: HttpRequest) -> str:
    """The optional body {"comment": "..."} of submit and approve (an empty body is fine)."""
    import json

    if not request.body.strip() or request.content_type != "application/json":
        return ""
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise RuleBroken(_("The request body is not JSON."), field="body") from error
    comment = body.get("comment", "") if isinstance(body, dict) else None
    if not isinstance(comment, str) or len(comment) > 5000:
        raise RuleBroken(_("A comment is text of at most 5000 characters."), field="comment")
    return comment


@router.get(
    "/reports",
    response={200: list[ReportOut], **ERRORS},
    summary="Period reports: your city's, or every city's for the network",
)
@paginate(LimitOffsetPagination)
def report_list(
    request: HttpRequest,
    edition: str = Query("", max_length=20),
    status: ReportStatus | None = None,
):
    network = _is_network(request)
    if not network:
        need(request, "monitoring.city")
    found = selectors.get_edition(edition) if edition else None
    reports = selectors.list_reports(
        None if network else request.city, edition=found, status=status.value if status else ""
    )
    return [_report_out(r, network=network) for r in reports]


@router.post(
    "/reports",
    response={201: ReportOut, **ERRORS},
    summary="Open a report for a period (draft, with the period's figures)",
)
def report_create(request: HttpRequest, payload: ReportIn):
    need(request, "reports.submit")
    report = services.open_report(
        actor=request.user,
        city=request.city,
        edition=selectors.get_edition(payload.edition),
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return Status(201, _report_out(report, network=False))


@router.get("/reports/{report_id}", response={200: ReportOut, **ERRORS})
def report_detail(request: HttpRequest, report_id: int):
    need(request, "monitoring.city")
    return _report_out(selectors.get_report_for(request.city, report_id), network=False)


@router.patch("/reports/{report_id}", response={200: ReportOut, **ERRORS})
def report_update(request: HttpRequest, report_id: int, payload: ReportPatch):
    need(request, "reports.submit")
    report = selectors.get_report_for(request.city, report_id)
    changes = payload.dict(exclude_unset=True)
    if any(v is None for v in changes.values()):
        raise RuleBroken(
            _("This field cannot be null."), field=next(k for k, v in changes.items() if v is None)
        )
    report = services.update_report(actor=request.user, report=report, changes=changes)
    return _report_out(report, network=False)


@router.post(
    "/reports/{report_id}/submit",
    response={200: ReportOut, **ERRORS},
    summary="Submit a draft or returned report to the network (city coordinator)",
    description='Optional body {"comment": "..."}; an empty body is fine.',
)
def report_submit(request: HttpRequest, report_id: int):
    need(request, "reports.submit")
    report = selectors.get_report_for(request.city, report_id)
    report = services.submit_report(actor=request.user, report=report, comment=_comment(request))
    return _report_out(report, network=False)


@router.post(
    "/reports/{report_id}/approve",
    response={200: ReportOut, **ERRORS},
    summary="Approve a submitted report: its figures are frozen (network coordinator)",
    description='Optional body {"comment": "..."}; an empty body is fine.',
)
def report_approve(request: HttpRequest, report_id: int):
    need(request, "reports.approve")
    report = selectors.get_report_for_network(report_id)
    report = services.approve_report(actor=request.user, report=report, comment=_comment(request))
    return _report_out(report, network=True)


@router.post(
    "/reports/{report_id}/return",
    response={200: ReportOut, **ERRORS},
    summary="Send a submitted report back with a comment (network coordinator)",
)
def report_return(request: HttpRequest, report_id: int, payload: CommentIn):
    need(request, "reports.approve")
    report = selectors.get_report_for_network(report_id)
    report = services.return_report(actor=request.user, report=report, comment=payload.comment)
    return _report_out(report, network=True)
