"""/api/v1/ cases and services."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from lgnet.cases import selectors, services
from lgnet.cases.models import ActionArea, Direction, Outcome, ReferralStatus, Shared, Unit
from lgnet.cases.models import Status as CaseStatus
from lgnet.core.api import ErrorOut, Shaped, need
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


class ServiceTypeIn(Schema):
    code: str = Field(max_length=60, min_length=1)
    name_it: str = Field(max_length=120, min_length=1)
    name_en: str = Field("", max_length=120)
    unit: Unit = Unit.TIMES
    counted_as: str = Field(max_length=60, description="the network type's code it counts as")


@router.post(
    "/service-types",
    response={201: ServiceTypeOut, **ERRORS},
    summary="Add a local service type, counted as a network type (city coordinator)",
)
def service_type_create(request: HttpRequest, payload: ServiceTypeIn):
    """The network's own types are added by the network coordinator on /rete/service-types/."""
    need(request, "city.manage")
    counted_as = selectors.network_service_types().filter(code=payload.counted_as).first()
    if counted_as is None:
        from lgnet.core.exceptions import RuleBroken

        raise RuleBroken("Unknown network type.", field="counted_as")
    service_type = services.add_service_type(
        actor=request.user,
        city=request.city,
        code=payload.code,
        name_it=payload.name_it,
        name_en=payload.name_en,
        unit=payload.unit.value,
        counted_as=counted_as,
    )
    return Status(201, service_type)


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


# --- Referrals -----------------------------------------------------------------------------


class ReferralOut(Schema):
    """Partners get only what the consent allows, while the referral is open: the person's
    id and name, and the reason if shared. Everything else about the person stays out."""

    id: int
    direction: Direction
    status: ReferralStatus
    organisation: int
    agreement: int | None = None
    person: int | None = None
    person_name: str | None = None
    case: int | None = None
    reason: str | None = None
    proposed_name: str | None = None
    proposed_birth_year: int | None = None
    consent_on: date | None = None
    consent_shares: list[Shared] = []
    consent_revoked_on: date | None = None
    sent_on: date
    expected_on: date | None = None
    responded_on: date | None = None
    rejection_reason: str = ""
    completed_on: date | None = None


def referral_out(request: HttpRequest, r) -> dict:
    data = {
        "id": r.pk,
        "direction": r.direction,
        "status": r.status,
        "organisation": r.organisation_id,
        "agreement": r.agreement_id,
        "consent_on": r.consent_on,
        "consent_shares": r.consent_shares,
        "consent_revoked_on": r.consent_revoked_on,
        "sent_on": r.sent_on,
        "expected_on": r.expected_on,
        "responded_on": r.responded_on,
        "rejection_reason": r.rejection_reason,
        "completed_on": r.completed_on,
        "proposed_name": r.proposed_name or None,
        "proposed_birth_year": r.proposed_birth_year,
    }
    if request.membership.organisation_id is None:
        data.update(
            person=r.person_id,
            person_name=r.person.full_name if r.person_id else None,
            case=r.case_id,
            reason=r.reason,
        )
    elif r.is_open:
        data.update(
            person=r.person_id,
            person_name=r.person.full_name if r.person_id else None,
            reason=r.reason if (r.shares(Shared.REASON) or r.direction == "incoming") else None,
        )
    return data


class ReferralIn(Schema):
    case: int
    organisation: int
    reason: str = Field(max_length=1000, min_length=1)
    consent_on: date
    consent_shares: list[Shared] = Field(default_factory=list, max_length=4)
    agreement: int | None = None
    expected_on: date | None = None


class IncomingReferralIn(Schema):
    proposed_name: str = Field(max_length=200, min_length=1)
    proposed_birth_year: int | None = Field(None, ge=1900, le=2100)
    reason: str = Field(max_length=1000, min_length=1)
    consent_on: date
    expected_on: date | None = None


class ReferralPatch(Schema):
    reason: str | None = Field(None, max_length=1000, min_length=1)
    expected_on: date | None = None


class AcceptIn(Schema):
    person: int | None = Field(None, description="incoming referrals: the person in the registry")


class RejectIn(Schema):
    reason: str = Field(max_length=500, min_length=1)


def _referral_reader(request: HttpRequest) -> None:
    membership = request.membership
    if membership is None or not (
        membership.can("cases.view") or membership.can("referrals.respond")
    ):
        need(request, "cases.view")


@router.get("/referrals", response={200: list[ReferralOut], **ERRORS}, tags=["referrals"])
@paginate(LimitOffsetPagination)
def referral_list(
    request: HttpRequest,
    status: ReferralStatus | None = None,
    direction: Direction | None = None,
):
    """The comune's referrals; a partner's worker gets its organisation's only."""
    _referral_reader(request)
    referrals = selectors.referrals_for(request.membership).select_related("person")
    if status:
        referrals = referrals.filter(status=status.value)
    if direction:
        referrals = referrals.filter(direction=direction.value)
    return Shaped(request, referrals, referral_out)


@router.post("/referrals", response={201: ReferralOut, **ERRORS}, tags=["referrals"])
def referral_create(request: HttpRequest, payload: ReferralIn):
    """Refer the person of a case to a partner, with the person's consent."""
    need(request, "referrals.send")
    case = selectors.get_case_for(request.city, payload.case)
    organisation = network_selectors.get_organisation_for(request.city, payload.organisation)
    agreement = (
        get_object_or_404(network_selectors.list_agreements(request.city), pk=payload.agreement)
        if payload.agreement
        else None
    )
    referral = services.send_referral(
        actor=request.user,
        case=case,
        organisation=organisation,
        agreement=agreement,
        reason=payload.reason,
        consent_on=payload.consent_on,
        consent_shares=[s.value for s in payload.consent_shares],
        expected_on=payload.expected_on,
    )
    return Status(201, referral_out(request, referral))


@router.post("/referrals/incoming", response={201: ReferralOut, **ERRORS}, tags=["referrals"])
def referral_incoming(request: HttpRequest, payload: IncomingReferralIn):
    """A partner refers someone to the comune (UEPE before a release)."""
    need(request, "referrals.respond")
    referral = services.receive_referral(
        actor=request.user,
        membership=request.membership,
        proposed_name=payload.proposed_name,
        proposed_birth_year=payload.proposed_birth_year,
        reason=payload.reason,
        consent_on=payload.consent_on,
        expected_on=payload.expected_on,
    )
    return Status(201, referral_out(request, referral))


@router.get("/referrals/{referral_id}", response={200: ReferralOut, **ERRORS}, tags=["referrals"])
def referral_detail(request: HttpRequest, referral_id: int):
    _referral_reader(request)
    referral = selectors.get_referral_for(request.membership, referral_id)
    services.log_referral_read(request.membership, referral, channel="api")
    return referral_out(request, referral)


@router.patch("/referrals/{referral_id}", response={200: ReferralOut, **ERRORS}, tags=["referrals"])
def referral_update(request: HttpRequest, referral_id: int, payload: ReferralPatch):
    """Correct the reason or the expected date while the partner has not answered."""
    need(request, "referrals.send")
    referral = selectors.get_referral_for(request.membership, referral_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    referral = services.update_referral(actor=request.user, referral=referral, changes=changes)
    return referral_out(request, referral)


def _answering(request: HttpRequest) -> None:
    membership = request.membership
    if membership is None or not (
        membership.can("referrals.respond") or membership.can("referrals.send")
    ):
        need(request, "referrals.respond")


@router.post(
    "/referrals/{referral_id}/accept", response={200: ReferralOut, **ERRORS}, tags=["referrals"]
)
def referral_accept(request: HttpRequest, referral_id: int, payload: AcceptIn):
    _answering(request)
    referral = selectors.get_referral_for(request.membership, referral_id)
    person = (
        people_selectors.get_person_for(request.city, payload.person) if payload.person else None
    )
    referral = services.accept_referral(
        actor=request.user, membership=request.membership, referral=referral, person=person
    )
    return referral_out(request, referral)


@router.post(
    "/referrals/{referral_id}/reject", response={200: ReferralOut, **ERRORS}, tags=["referrals"]
)
def referral_reject(request: HttpRequest, referral_id: int, payload: RejectIn):
    _answering(request)
    referral = selectors.get_referral_for(request.membership, referral_id)
    referral = services.reject_referral(
        actor=request.user, membership=request.membership, referral=referral, reason=payload.reason
    )
    return referral_out(request, referral)


@router.post(
    "/referrals/{referral_id}/complete", response={200: ReferralOut, **ERRORS}, tags=["referrals"]
)
def referral_complete(request: HttpRequest, referral_id: int):
    _answering(request)
    referral = selectors.get_referral_for(request.membership, referral_id)
    referral = services.complete_referral(
        actor=request.user, membership=request.membership, referral=referral
    )
    return referral_out(request, referral)


@router.post(
    "/referrals/{referral_id}/withdraw", response={200: ReferralOut, **ERRORS}, tags=["referrals"]
)
def referral_withdraw(request: HttpRequest, referral_id: int):
    need(request, "referrals.send")
    referral = selectors.get_referral_for(request.membership, referral_id)
    return referral_out(request, services.withdraw_referral(actor=request.user, referral=referral))


@router.post(
    "/referrals/{referral_id}/revoke-consent",
    response={200: ReferralOut, **ERRORS},
    tags=["referrals"],
)
def referral_revoke(request: HttpRequest, referral_id: int):
    """The person revoked the consent: the partner reads nothing more of them."""
    need(request, "referrals.send")
    referral = selectors.get_referral_for(request.membership, referral_id)
    return referral_out(request, services.revoke_consent(actor=request.user, referral=referral))


# --- Notes (metadata only: the text is read in the case page, where reads are logged) -------


class NoteOut(Schema):
    id: int
    case: int = Field(alias="case_id")
    author: str = Field(alias="author.username")
    created_at: datetime
    edited_at: datetime | None
    confidential: bool
    addendum_to: int | None = Field(None, alias="addendum_to_id")


@router.get("/notes", response={200: list[NoteOut], **ERRORS}, tags=["cases"])
@paginate(LimitOffsetPagination)
def note_list(request: HttpRequest, case: int = Query(...)):
    """Who wrote what kind of note when, on a case; never the text."""
    need(request, "cases.view")
    return selectors.notes_of(selectors.get_case_for(request.city, case))


@router.get("/notes/{note_id}", response={200: NoteOut, **ERRORS}, tags=["cases"])
def note_detail(request: HttpRequest, note_id: int):
    need(request, "cases.view")
    from lgnet.cases.models import Note

    return get_object_or_404(Note.objects.select_related("author"), city=request.city, pk=note_id)


# --- Tasks ---------------------------------------------------------------------------------


class TaskOut(Schema):
    id: int
    title: str
    kind: str
    due_on: date
    assignee: str = Field(alias="assignee.username")
    case: int | None = Field(None, alias="case_id")
    done_on: date | None


@router.get("/tasks", response={200: list[TaskOut], **ERRORS}, tags=["cases"])
@paginate(LimitOffsetPagination)
def task_list(request: HttpRequest, mine: bool = True, overdue: bool = False):
    """Open tasks: yours (default) or everyone's; ``overdue`` only those past their date."""
    need(request, "cases.edit")
    return selectors.list_tasks(
        request.city, assignee=request.user if mine else None, overdue=overdue
    )
