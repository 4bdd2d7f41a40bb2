"""/api/v1/ art. 15 export, data-subject requests and the city's access log."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from lgnet.core.api import ErrorOut, need, patch_field
from lgnet.people import selectors as people_selectors
from lgnet.privacy import selectors, services
from lgnet.privacy.models import RequestKind, RequestStatus

router = Router(tags=["privacy"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class SectionOut(Schema):
    title: str
    rows: list[dict[str, Any]]


class ExportOut(Schema):
    person: int
    city: str
    generated_at: datetime
    sections: list[SectionOut]


class RequestOut(Schema):
    id: int
    person: int = Field(alias="person_id")
    kind: RequestKind
    received_on: date
    due_on: date
    status: RequestStatus
    details: str
    answered_on: date | None
    answer: str
    is_overdue: bool


class RequestIn(Schema):
    person: int
    kind: RequestKind
    received_on: date | None = None
    details: str = Field("", max_length=4000)


class RequestPatch(Schema):
    status: RequestStatus = patch_field()
    answer: str = patch_field(max_length=4000)
    answered_on: date | None = None
    details: str = patch_field(max_length=4000)


class AccessEntryOut(Schema):
    user: str = Field(alias="user.username")
    person: int = Field(alias="person_id")
    at: datetime
    what: str
    channel: str
    outside_team: bool


@router.get(
    "/persons/{person_id}/export",
    response={200: ExportOut, **ERRORS},
    summary="Art. 15 export: everything held on the person (city coordinator; logged)",
)
def person_export(request: HttpRequest, person_id: int):
    need(request, "privacy.manage")
    person = people_selectors.get_person_for(request.city, person_id)
    return services.export_person(membership=request.membership, person=person, channel="api")


@router.get(
    "/privacy-requests",
    response={200: list[RequestOut], **ERRORS},
    summary="Data-subject requests of your city (status 'open' = received or in progress)",
)
@paginate(LimitOffsetPagination)
def request_list(
    request: HttpRequest,
    status: str = Query("", pattern="^(open|received|in_progress|answered|refused)?$"),
    person: int | None = Query(None, ge=1, le=2**62),
):
    need(request, "privacy.manage")
    return selectors.list_requests(request.city, status=status, person_id=person)


@router.post(
    "/privacy-requests",
    response={201: RequestOut, **ERRORS},
    summary="Register a request; the answer is due one month after received_on",
)
def request_create(request: HttpRequest, payload: RequestIn):
    need(request, "privacy.manage")
    person = people_selectors.get_person_for(request.city, payload.person)
    created = services.register_request(
        actor=request.user,
        person=person,
        kind=payload.kind.value,
        received_on=payload.received_on,
        details=payload.details,
    )
    return Status(201, created)


@router.get(
    "/privacy-requests/{rights_request_id}",
    response={200: RequestOut, **ERRORS},
    summary="One data-subject request",
)
def request_detail(request: HttpRequest, rights_request_id: int):
    need(request, "privacy.manage")
    return selectors.get_request_for(request.city, rights_request_id)


@router.patch(
    "/privacy-requests/{rights_request_id}",
    response={200: RequestOut, **ERRORS},
    summary="Record progress or the answer (answered/refused need the answer's text)",
)
def request_update(request: HttpRequest, rights_request_id: int, payload: RequestPatch):
    need(request, "privacy.manage")
    found = selectors.get_request_for(request.city, rights_request_id)
    changes = payload.dict(exclude_unset=True)
    if "status" in changes:
        changes["status"] = RequestStatus(changes["status"]).value
    if changes.get("answered_on") is None:
        changes.pop("answered_on", None)
    return services.update_request(actor=request.user, request=found, changes=changes)


@router.get(
    "/access-log",
    response={200: list[AccessEntryOut], **ERRORS},
    summary="Reads of sensitive data and exports in your city, newest first (coordinator, auditor)",
)
@paginate(LimitOffsetPagination)
def access_log(
    request: HttpRequest,
    user: int | None = Query(None, ge=1, le=2**62),
    person: int | None = Query(None, ge=1, le=2**62),
    since: date | None = None,
    until: date | None = None,
    flagged: bool = False,
):
    need(request, "audit.view")
    return selectors.list_access(
        request.city, user_id=user, since=since, until=until, flagged=flagged, person_id=person
    )
