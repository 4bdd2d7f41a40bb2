"""/api/v1/ cases and services."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from lgnet.cases import selectors, services
from lgnet.cases.models import ActionArea, Outcome
from lgnet.cases.models import Status as CaseStatus
from lgnet.core.api import ErrorOut, need
from lgnet.network import selectors as network_selectors
from lgnet.people import selectors as people_selectors

router = Router(tags=["cases"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class CaseOut(Schema):
    id: int
    number: str
    city: str = Field(alias="city.slug")
    person: int = Field(alias="person_id")
    areas: list[str]
    status: CaseStatus
    opened_on: date
    closed_on: date | None
    outcome: str
    manager: str = Field(alias="manager.username")
    created_at: datetime


class CaseIn(Schema):
    person: int
    opened_on: date | None = None
    areas: list[ActionArea] = Field(default_factory=list, max_length=3)
    contact: int | None = None


class CasePatch(Schema):
    areas: list[ActionArea] | None = Field(None, max_length=3)
    status: CaseStatus | None = Field(None, description="'active' activates an open case")


class CloseIn(Schema):
    outcome: Outcome
    closed_on: date | None = None


class ServiceOut(Schema):
    id: int
    case: int = Field(alias="case_id")
    person: int = Field(alias="person_id")
    service_type: str = Field(alias="service_type.code")
    counted_as: str
    delivered_on: date
    provider: int | None = Field(None, alias="provider_id")
    quantity: Decimal
    notes: str

    @staticmethod
    def resolve_counted_as(obj) -> str:
        return obj.service_type.counted_as.code


class ServiceIn(Schema):
    case: int
    service_type: str = Field(max_length=60, description="a code of the catalogue")
    delivered_on: date
    quantity: Decimal = Field(Decimal(1), gt=0, max_digits=10, decimal_places=2)
    provider: int | None = None
    notes: str = Field("", max_length=500)


class ServiceTypeOut(Schema):
    code: str
    name_it: str
    name_en: str
    unit: str
    local: bool
    counted_as: str

    @staticmethod
    def resolve_local(obj) -> bool:
        return obj.city_id is not None

    @staticmethod
    def resolve_counted_as(obj) -> str:
        return obj.counted_as.code


@router.get("/cases", response={200: list[CaseOut], **ERRORS}, summary="Cases of your city")
@paginate(LimitOffsetPagination)
def case_list(
    request: HttpRequest,
    status: CaseStatus | None = None,
    area: ActionArea | None = None,
    q: str = Query("", max_length=100),
):
    need(request, "cases.view")
    return selectors.list_cases(
        request.city, status=status.value if status else "", area=area.value if area else "", q=q
    ).select_related("city")


@router.post(
    "/cases",
    response={201: CaseOut, **ERRORS},
    summary="Take a person in charge (opened_on defaults to today)",
)
def case_create(request: HttpRequest, payload: CaseIn):
    need(request, "cases.edit")
    person = people_selectors.get_person_for(request.city, payload.person)
    contact = (
        people_selectors.get_contact_for(request.membership, payload.contact)
        if payload.contact
        else None
    )
    case = services.open_case(
        actor=request.user,
        person=person,
        opened_on=payload.opened_on,
        areas=[a.value for a in payload.areas],
        contact=contact,
    )
    return Status(201, case)


@router.get("/cases/{case_id}", response={200: CaseOut, **ERRORS})
def case_detail(request: HttpRequest, case_id: int):
    need(request, "cases.view")
    return selectors.get_case_for(request.city, case_id)


@router.patch("/cases/{case_id}", response={200: CaseOut, **ERRORS})
def case_update(request: HttpRequest, case_id: int, payload: CasePatch):
    need(request, "cases.edit")
    case = selectors.get_case_for(request.city, case_id)
    if payload.areas is not None:
        case = services.update_case(
            actor=request.user, case=case, areas=[a.value for a in payload.areas]
        )
    if payload.status == CaseStatus.ACTIVE and case.status == CaseStatus.OPEN:
        case = services.activate_case(actor=request.user, case=case)
    elif payload.status not in (None, case.status):
        from lgnet.core.exceptions import RuleBroken

        raise RuleBroken(
            "Use /close and /reopen to change this status.", field="status", status=409
        )
    return case


@router.post("/cases/{case_id}/close", response={200: CaseOut, **ERRORS})
def case_close(request: HttpRequest, case_id: int, payload: CloseIn):
    need(request, "cases.close")
    case = selectors.get_case_for(request.city, case_id)
    return services.close_case(
        actor=request.user, case=case, outcome=payload.outcome.value, closed_on=payload.closed_on
    )


@router.post("/cases/{case_id}/reopen", response={200: CaseOut, **ERRORS})
def case_reopen(request: HttpRequest, case_id: int):
    need(request, "cases.close")
    return services.reopen_case(
        actor=request.user, case=selectors.get_case_for(request.city, case_id)
    )


@router.get(
    "/service-types",
    response=list[ServiceTypeOut],
    summary="The network's catalogue and your city's local types",
)
def service_type_list(request: HttpRequest):
    need(request, "cases.view")
    return list(services.service_types_for(request.city).select_related("network_type"))


@router.get("/services", response={200: list[ServiceOut], **ERRORS}, summary="Services delivered")
@paginate(LimitOffsetPagination)
def service_list(request: HttpRequest, case: int | None = None):
    need(request, "cases.view")
    chosen = selectors.get_case_for(request.city, case) if case else None
    return selectors.list_services(request.city, case=chosen).select_related(
        "service_type__network_type"
    )


@router.post("/services", response={201: ServiceOut, **ERRORS}, summary="Record a service")
def service_create(request: HttpRequest, payload: ServiceIn):
    need(request, "cases.edit")
    case = selectors.get_case_for(request.city, payload.case)
    service_type = get_object_or_404(
        services.service_types_for(request.city), code=payload.service_type
    )
    provider = (
        network_selectors.get_organisation_for(request.city, payload.provider)
        if payload.provider
        else None
    )
    service = services.record_service(
        actor=request.user,
        case=case,
        service_type=service_type,
        delivered_on=payload.delivered_on,
        quantity=payload.quantity,
        provider=provider,
        notes=payload.notes,
    )
    return Status(201, service)


@router.get("/services/{service_id}", response={200: ServiceOut, **ERRORS})
def service_detail(request: HttpRequest, service_id: int):
    need(request, "cases.view")
    return selectors.get_service_for(request.city, service_id)


class ServicePatch(Schema):
    delivered_on: date | None = None
    quantity: Decimal | None = Field(None, gt=0, max_digits=10, decimal_places=2)
    provider: int | None = None
    notes: str | None = Field(None, max_length=500)


@router.patch("/services/{service_id}", response={200: ServiceOut, **ERRORS})
def service_update(request: HttpRequest, service_id: int, payload: ServicePatch):
    need(request, "cases.edit")
    service = selectors.get_service_for(request.city, service_id)
    changes = payload.dict(exclude_unset=True)
    if changes.get("provider") is not None:
        changes["provider"] = network_selectors.get_organisation_for(
            request.city, changes["provider"]
        )
    for key in ("delivered_on", "quantity"):
        if key in changes and changes[key] is None:
            changes.pop(key)
    return services.update_service(actor=request.user, service=service, changes=changes)
