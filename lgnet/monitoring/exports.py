"""The fund export: an approved report's figures and the AMIF indicators they feed, in XLSX."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from lgnet.monitoring import selectors

SUPPRESSED = "<{threshold}"


def fund_workbook(report, *, network: bool) -> bytes:
    """Three sheets: the report, our indicators, the fund's (AMIF) indicators.

    For the network the same disclosure control applies as on its pages."""
    hidden = SUPPRESSED.format(threshold=selectors.threshold())
    book = Workbook()
    sheet = book.active
    sheet.title = "Report"
    for row in (
        (_("City"), report.city.name),
        (_("Edition"), report.edition.code),
        (_("Fund"), report.edition.fund),
        (_("From"), report.period_start),
        (_("To"), report.period_end),
        (_("Version"), report.version),
        (_("Status"), report.get_status_display()),
        (_("Approved at"), report.approved_at.replace(tzinfo=None) if report.approved_at else ""),
        (_("Note"), selectors.fund_note()),
    ):
        sheet.append([str(row[0]), row[1]])
    indicators = book.create_sheet("Indicators")
    indicators.append([_("Code"), _("Indicator"), _("Unit"), _("Value"), _("Version")])
    for figure in selectors.report_figures(report, network=network):
        indicator = figure["indicator"]
        indicators.append(
            [
                indicator.code,
                indicator.name,
                indicator.get_unit_display(),
                hidden if figure["suppressed"] else figure["value"],
                indicator.version,
            ]
        )
    fund = book.create_sheet("AMIF")
    fund.append(
        [_("Code"), _("Kind"), _("Indicator"), _("Value"), _("Counted from"), _("Reference")]
    )
    for row in selectors.fund_rows(report, network=network):
        value = hidden if row["suppressed"] else row["value"]
        fund.append(
            [
                row["fund"].code,
                row["fund"].get_kind_display(),
                row["fund"].name_en,
                "" if value is None else value,
                ", ".join(i.code for i in row["sources"]) or _("not counted by LgNet"),
                row["fund"].reference,
            ]
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
