"""Pages of monitoring: the city dashboard and reports, the network dashboard, report review,
targets and the fund export."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lgnet.accounts.permissions import requires
from lgnet.core.exceptions import RuleBroken
from lgnet.monitoring import exports, selectors, services
from lgnet.monitoring.forms import (
    CommentForm,
    NarrativeForm,
    OpenReportForm,
    ReturnForm,
    TargetForm,
)
from lgnet.monitoring.models import Dimension
from lgnet.monitoring.report_pdf import pdf_response
from lgnet.network import selectors as network_selectors


def _pick_edition(request: HttpRequest, editions: list):
    code = request.GET.get("edition", "")
    chosen = next((e for e in editions if e.code == code), None)
    if chosen is None:
        current = network_selectors.current_edition()
        chosen = next((e for e in editions if current and e.pk == current.pk), None)
    return chosen or (editions[0] if editions else None)


def _breakdown(request: HttpRequest, edition, *, network: bool, city=None) -> dict:
    """The figures of one indicator by the chosen breakdown, and its monthly trend."""
    indicators = list(selectors.list_indicators())
    code = request.GET.get("indicator", "beneficiaries")
    indicator = next(
        (i for i in indicators if i.code == code), indicators[0] if indicators else None
    )
    if indicator is None or edition is None:
        return {}
    allowed = [d for d in selectors.breakdowns_for(indicator, network=network) if d != "month"]
    by = request.GET.get("by", "")
    by = by if by in allowed else (allowed[0] if allowed else "")
    labels = dict(Dimension.choices)
    context = {
        "indicators": indicators,
        "indicator": indicator,
        "dims": [(d, labels[d]) for d in allowed],
        "by": by,
        "by_label": labels.get(by, ""),
    }
    for key, dims in (("breakdown", [by] if by else []), ("trend", ["month"])):
        if dims and dims[0] not in selectors.breakdowns_for(indicator, network=network):
            context[key] = []
            continue
        query = selectors.Query(indicator, edition, edition.starts_on, edition.ends_on, dims)
        if network:
            items = selectors.network_breakdown(query)
        else:
            items = selectors.city_figures(query, city)
        context[key] = selectors.breakdown_rows(items, dims)
    context["trend_svg"] = selectors.trend_chart(context.get("trend", []), indicator)
    return context


# A city.


@requires("monitoring.city")
def city_dashboard(request: HttpRequest, city_slug: str) -> HttpResponse:
    editions = selectors.editions_of(request.city)
    edition = _pick_edition(request, editions)
    context = {"editions": editions, "edition": edition}
    if edition is not None:
        context.update(selectors.city_dashboard(request.city, edition))
        context.update(_breakdown(request, edition, network=False, city=request.city))
    return render(request, "monitoring/city_dashboard.html", context)


@require_POST
@requires("monitoring.city")
def city_refresh(request: HttpRequest, city_slug: str) -> HttpResponse:
    services.refresh_figures(city=request.city)
    messages.success(request, _("Figures recomputed."))
    return redirect("monitoring:city_dashboard", city_slug=request.city.slug)


@requires("monitoring.city")
def report_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    editions = selectors.editions_of(request.city)
    return render(
        request,
        "monitoring/report_list.html",
        {
            "reports": selectors.list_reports(request.city),
            "form": OpenReportForm(editions=editions),
        },
    )


@require_POST
@requires("reports.submit")
def report_create(request: HttpRequest, city_slug: str) -> HttpResponse:
    editions = selectors.editions_of(request.city)
    form = OpenReportForm(request.POST, editions=editions)
    if form.is_valid():
        try:
            report = services.open_report(
                actor=request.user,
                city=request.city,
                edition=next(e for e in editions if e.code == form.cleaned_data["edition"]),
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
            )
            messages.success(request, _("Report opened as a draft."))
            return redirect(report)
        except RuleBroken as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(
        request,
        "monitoring/report_list.html",
        {"reports": selectors.list_reports(request.city), "form": form},
        status=400,
    )


def _report_context(report, *, network: bool, form=None) -> dict:
    return {
        "report": report,
        "figures": selectors.report_figures(report, network=network),
        "fund": selectors.fund_rows(report, network=network),
        "fund_note": selectors.fund_note(),
        "steps": selectors.report_steps(report),
        "narrative_form": form or NarrativeForm(instance=report),
        "comment_form": CommentForm(),
        "return_form": ReturnForm(),
        "network": network,
        "threshold": selectors.threshold(),
        **selectors.report_charts(report, network=network),
    }


@requires("monitoring.city")
def report_detail(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    report = selectors.get_report_for(request.city, pk)
    return render(request, "monitoring/report_detail.html", _report_context(report, network=False))


@require_POST
@requires("reports.submit")
def report_edit(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    report = selectors.get_report_for(request.city, pk)
    form = NarrativeForm(request.POST, instance=report)
    if form.is_valid():
        try:
            services.update_report(
                actor=request.user,
                report=report,
                changes={name: form.cleaned_data[name] for name in services.NARRATIVE},
            )
            messages.success(request, _("Report saved."))
            return redirect(report)
        except RuleBroken as error:
            messages.error(request, error.message)
            return redirect(report)
    report = selectors.get_report_for(request.city, pk)
    return render(
        request,
        "monitoring/report_detail.html",
        _report_context(report, network=False, form=form),
        status=400,
    )


@require_POST
@requires("reports.submit")
def report_submit(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    report = selectors.get_report_for(request.city, pk)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.submit_report(actor=request.user, report=report, comment=comment)
        messages.success(request, _("Report submitted to the network."))
    except RuleBroken as error:
        messages.error(request, error.message)
    return redirect(report)


def _xlsx(report, *, network: bool) -> HttpResponse:
    body = exports.fund_workbook(report, network=network)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"fund-{report.city.slug}-{report.edition.code}-{report.period_start}-v{report.version}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@requires("monitoring.city")
def report_export(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    report = selectors.get_report_for(request.city, pk)
    if report.status != "approved":
        messages.error(request, _("Only an approved report can be exported for the fund."))
        return redirect(report)
    return _xlsx(report, network=False)


@requires("monitoring.city")
def report_pdf(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    report = selectors.get_report_for(request.city, pk)
    return pdf_response(report, network=False)


# The network.


@requires("monitoring.network")
def network_dashboard(request: HttpRequest) -> HttpResponse:
    editions = list(network_selectors.list_editions())
    edition = _pick_edition(request, editions)
    context = {"editions": editions, "edition": edition, "threshold": selectors.threshold()}
    if edition is not None:
        context["board"] = selectors.network_dashboard(edition)
        context.update(_breakdown(request, edition, network=True))
    return render(request, "monitoring/network_dashboard.html", context)


@requires("monitoring.network")
def network_reports(request: HttpRequest) -> HttpResponse:
    editions = list(network_selectors.list_editions())
    edition = _pick_edition(request, editions)
    rows, periods = [], []
    if edition is not None:
        cities = selectors.member_cities(edition)
        states = selectors.report_states(edition, [c.pk for c in cities])
        periods = sorted({(r.period_start, r.period_end) for rs in states.values() for r in rs})
        for city in cities:
            latest = {}
            for r in states.get(city.pk, []):
                latest[(r.period_start, r.period_end)] = r  # the last version wins
            rows.append((city, [latest.get(p) for p in periods]))
    return render(
        request,
        "monitoring/network_reports.html",
        {"editions": editions, "edition": edition, "periods": periods, "rows": rows},
    )


@requires("monitoring.network")
def network_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_network(pk)
    return render(request, "monitoring/report_detail.html", _report_context(report, network=True))


@require_POST
@requires("reports.approve")
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_network(pk)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.approve_report(actor=request.user, report=report, comment=comment)
        messages.success(request, _("Report approved: its figures are now frozen."))
    except RuleBroken as error:
        messages.error(request, error.message)
    return redirect("monitoring:network_report", pk=report.pk)


@require_POST
@requires("reports.approve")
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_network(pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what needs to change."))
        return redirect("monitoring:network_report", pk=report.pk)
    try:
        services.return_report(
            actor=request.user, report=report, comment=form.cleaned_data["comment"]
        )
        messages.success(request, _("Report returned to the city."))
    except RuleBroken as error:
        messages.error(request, error.message)
    return redirect("monitoring:network_report", pk=report.pk)


@requires("monitoring.network")
def network_report_export(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_network(pk)
    if report.status != "approved":
        messages.error(request, _("Only an approved report can be exported for the fund."))
        return redirect("monitoring:network_report", pk=report.pk)
    return _xlsx(report, network=True)


@requires("monitoring.network")
def network_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_network(pk)
    return pdf_response(report, network=True)


@requires("network.manage")
def targets(request: HttpRequest) -> HttpResponse:
    editions = list(network_selectors.list_editions())
    edition = _pick_edition(request, editions)
    if edition is None:
        raise Http404
    cities = selectors.member_cities(edition)
    indicators = [i for i in selectors.list_indicators() if i.is_additive]
    form = TargetForm(request.POST or None, cities=cities, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_target(
                actor=request.user,
                edition=edition,
                city=next(c for c in cities if c.slug == form.cleaned_data["city"]),
                indicator=next(i for i in indicators if i.code == form.cleaned_data["indicator"]),
                value=form.cleaned_data["value"],
            )
            messages.success(request, _("Target saved."))
            return redirect(reverse("monitoring:targets") + f"?edition={edition.code}")
        except RuleBroken as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    found = selectors.targets_for(edition, [c.pk for c in cities])
    grid = [(city, [found.get((city.pk, i.pk)) for i in indicators]) for city in cities]
    totals = [
        sum((found[(c.pk, i.pk)] for c in cities if (c.pk, i.pk) in found), 0) or None
        for i in indicators
    ]
    return render(
        request,
        "monitoring/targets.html",
        {
            "editions": editions,
            "edition": edition,
            "indicators": indicators,
            "grid": grid,
            "totals": totals,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
