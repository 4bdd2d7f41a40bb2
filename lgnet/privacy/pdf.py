"""PDFs of the privacy app (WeasyPrint; fonts from the system: DejaVu Sans covers Latin and
Arabic, shaped right to left by Pango/HarfBuzz)."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from django.utils import timezone

# WeasyPrint reports each layout step at INFO: noise in the service's log.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_pdf(template: str, context: dict, *, uncompressed: bool = False) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html).write_pdf(uncompressed_pdf=uncompressed)


def notice_pdf(notice, italian, city, *, uncompressed: bool = False) -> bytes:
    """The notice in the person's language with the Italian beside it."""
    return render_pdf(
        "privacy/notice_pdf.html",
        {
            "notice": notice,
            "italian": italian,
            "text": notice.text_for(city),
            "italian_text": italian.text_for(city),
            "city": city,
            "printed_on": timezone.localdate(),
        },
        uncompressed=uncompressed,
    )
