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
