"""Reads of the privacy app; each takes the city explicitly."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from lgnet.core.models import AccessLog
from lgnet.privacy.models import OPEN_STATUSES, PrivacyNotice, RightsRequest


def list_requests(city, *, status: str = "", person_id: int | None = None) -> QuerySet:
    requests = RightsRequest.objects.filter(city=city).select_related("person")
    if status == "open":
        requests = requests.filter(status__in=OPEN_STATUSES)
    elif status:
        requests = requests.filter(status=status)
    if person_id is not None:
        requests = requests.filter(person_id=person_id)
    return requests.order_by("due_on", "id") if status == "open" else requests


def get_request_for(city, request_id: int) -> RightsRequest:
    return get_object_or_404(
        RightsRequest.objects.select_related("person", "received_by", "answered_by"),
        city=city,
        pk=request_id,
    )


def list_access(
    city,
    *,
    user_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    flagged: bool = False,
    person_id: int | None = None,
) -> QuerySet[AccessLog]:
    """The city's access log, newest first, by user, days, person and reads outside the team."""
    entries = AccessLog.objects.filter(city=city).select_related("user")
    if user_id is not None:
        entries = entries.filter(user_id=user_id)
    if since is not None:
        entries = entries.filter(at__date__gte=since)
    if until is not None:
        entries = entries.filter(at__date__lte=until)
    if flagged:
        entries = entries.filter(outside_team=True)
    if person_id is not None:
        entries = entries.filter(person_id=person_id)
    return entries.order_by("-at", "-id")


def notices() -> QuerySet[PrivacyNotice]:
    return PrivacyNotice.objects.order_by("language")


def get_notice(language: str) -> PrivacyNotice:
    return get_object_or_404(PrivacyNotice, language=language)


def consents_of(city, person) -> QuerySet:
    """The person's referrals, each with the consent to share it rests on, newest first."""
    from lgnet.cases.models import Referral

    return (
        Referral.objects.filter(city=city, person=person)
        .select_related("organisation", "case")
        .order_by("-sent_on", "-id")
    )


def list_bulk_exports(
    city, *, user_id: int | None = None, since: date | None = None, until: date | None = None
) -> QuerySet:
    """Exports of lists of personal data (persons, cases... as XLSX, CSV or JSON), newest
    first: they name no single person, so the audit trail records them, not the access log."""
    from lgnet.core.models import AuditEvent

    events = AuditEvent.objects.filter(city=city, action="data.exported").select_related("actor")
    if user_id is not None:
        events = events.filter(actor_id=user_id)
    if since is not None:
        events = events.filter(at__date__gte=since)
    if until is not None:
        events = events.filter(at__date__lte=until)
    return events.order_by("-at", "-id")
