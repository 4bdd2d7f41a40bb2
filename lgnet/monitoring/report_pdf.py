"""A period report as a PDF in Italian, with its charts, made on the server with WeasyPrint
(fonts from our own static files, charts as inline SVG: nothing is fetched from elsewhere).

The network's copy carries the same disclosure control as its pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from lgnet.monitoring import selectors
from lgnet.monitoring.forms import NarrativeForm
from lgnet.monitoring.models import PeriodReport

FONTS = {
    400: "fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.ttf",
    700: "fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-700.ttf",
}


def _fonts() -> dict[int, str]:
    found = {}
    for weight, name in FONTS.items():
        path = finders.find(name)
        if path:
            found[weight] = f"file://{path}"
    return found


def pdf_bytes(report: PeriodReport, *, network: bool) -> bytes:
    from weasyprint import HTML

    with translation.override("it"):
        context = {
            "report": report,
            "figures": selectors.report_figures(report, network=network),
            "fund": selectors.fund_rows(report, network=network),
            "fund_note": selectors.fund_note(),
            "steps": selectors.report_steps(report),
            "narrative_form": NarrativeForm(instance=report),
            "network": network,
            "threshold": selectors.threshold(),
            "printed_at": timezone.localtime(),
            "fonts": _fonts(),
            **selectors.report_charts(report, network=network),
        }
        html = render_to_string("monitoring/report_pdf.html", context)
    # Only our own files: the template names no remote asset.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(report: PeriodReport, *, network: bool) -> HttpResponse:
    response = HttpResponse(pdf_bytes(report, network=network), content_type="application/pdf")
    name = (
        f"rendicontazione-{report.city.slug}-{report.edition.code}-"
        f"{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}-v{report.version}.pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
