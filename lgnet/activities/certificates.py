"""Certificates of attendance and completion, as a printable page and a PDF made on the
server with WeasyPrint (fonts served from our own static files)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from lgnet.activities.models import EnrolmentStatus

FONTS = {
    400: "fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.ttf",
    700: "fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-700.ttf",
}


def can_certify(enrolment) -> bool:
    """Completion for a completed enrolment; attendance for anyone with hours attended."""
    if enrolment.status == EnrolmentStatus.COMPLETED:
        return True
    return enrolment.status in (
        EnrolmentStatus.ATTENDING,
        EnrolmentStatus.DROPPED_OUT,
    ) and bool(enrolment.hours_attended)


def verification_code(enrolment) -> str:
    """The enrolment's number and a code that only this server can make for this enrolment,
    its outcome and hours: ``123-ABCD-EFGH-IJKL``. The number lets the city find the record
    when someone asks whether a certificate is genuine (``verify``)."""
    message = (
        f"{enrolment.city_id}:{enrolment.pk}:{enrolment.status}:"
        f"{enrolment.hours_attended}:{enrolment.exit_level}"
    )
    digest = hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).digest()
    code = base64.b32encode(digest).decode()[:12]
    return "-".join([str(enrolment.pk), *(code[i : i + 4] for i in range(0, 12, 4))])


def enrolment_number(code: str) -> int | None:
    """The enrolment number a verification code starts with (None: not a code)."""
    number = "".join(code.split()).split("-", 1)[0]
    return int(number) if number.isascii() and number.isdigit() and len(number) <= 12 else None


def matches(enrolment, code: str) -> bool:
    """Whether ``code`` is the one this enrolment's certificate carries today (a changed
    outcome, hours or level gives another code)."""
    typed = "".join(code.upper().split())
    return hmac.compare_digest(typed.encode(), verification_code(enrolment).encode())


def _context(enrolment, *, for_pdf: bool) -> dict:
    fonts = {}
    if for_pdf:
        for weight, name in FONTS.items():
            found = finders.find(name)
            if found:
                fonts[weight] = f"file://{found}"
    activity = enrolment.activity
    return {
        "enrolment": enrolment,
        "activity": activity,
        "person": enrolment.person,
        "city": activity.city,
        "organisation": activity.organisation,
        "completed": enrolment.status == EnrolmentStatus.COMPLETED,
        "code": verification_code(enrolment),
        "issued_on": timezone.localdate(),
        "fonts": fonts,
        "for_pdf": for_pdf,
    }


def html_response(request: HttpRequest, enrolment) -> HttpResponse:
    with translation.override("it"):
        html = render_to_string(
            "activities/certificate.html", _context(enrolment, for_pdf=False), request=request
        )
    return HttpResponse(html)


def pdf_bytes(enrolment) -> bytes:
    from weasyprint import HTML

    with translation.override("it"):
        html = render_to_string("activities/certificate.html", _context(enrolment, for_pdf=True))
    # Only our own files: the template names no remote asset.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(request: HttpRequest, enrolment) -> HttpResponse:
    response = HttpResponse(pdf_bytes(enrolment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="attestato-{enrolment.pk}.pdf"'
    return response
