"""/api/v1/ facilities, beds, placements, the waiting list, landlords, rent supports."""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from lgnet.cases import selectors as case_selectors
from lgnet.core.api import ErrorOut, need, patch_field
from lgnet.housing import selectors, services
from lgnet.housing.models import ExitReason, FacilityKind, LandlordKind
from lgnet.network import selectors as network_selectors
from lgnet.people import selectors as people_selectors

router = Router(tags=["housing"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
INT_MAX = 2_147_483_647

# Distinct enum names in the OpenAPI document.
HousingFacilityKind = StrEnum("HousingFacilityKind", {k.name: k.value for k in FacilityKind})
PlacementExitReason = StrEnum("PlacementExitReason", {k.name: k.value for k in ExitReason})
HousingLandlordKind = StrEnum("HousingLandlordKind", {k.name: k.value for k in LandlordKind})


def _money(**kwargs):
    return Field(..., gt=0, max_digits=8, decimal_places=2, **kwargs)


# --- facilities ------------------------------------------------------------------------------


class FacilityOut(Schema):
    id: int
    name: str
    kind: str
    organisation: int = Field(alias="organisation_id")
    site: int | None = Field(None, alias="site_id")
    address: str
    house_rules: str
    is_active: bool
    beds: int = Field(0, alias="bed_count")
    occupied_today: int = Field(0, alias="occupied")


class FacilityIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: HousingFacilityKind
    organisation: int
    site: int | None = None
    address: str = Field("", max_length=250)
    house_rules: str = Field("", max_length=5000)
    is_active: bool = True


class FacilityPatch(Schema):
    name: str = patch_field(min_length=1, max_length=200)
    kind: HousingFacilityKind = patch_field()
    organisation: int = patch_field()
    site: int | None = None
    address: str = patch_field(max_length=250)
    house_rules: str = patch_field(max_length=5000)
    is_active: bool = patch_field()


def _facility_changes(request, data: dict) -> dict:
    if data.get("organisation") is not None:
        data["organisation"] = network_selectors.get_organisation_for(
            request.city, data["organisation"]
        )
    if data.get("site") is not None:
        data["site"] = network_selectors.get_site_for(request.city, data["site"])
    if "kind" in data:
        data["kind"] = str(data["kind"].value)
    return {k: v for k, v in data.items() if v is not None or k == "site"}


def _facility(request, facility_id: int):
    return get_object_or_404(
        selectors.list_facilities(request.city, day=timezone.localdate()), pk=facility_id
    )


@router.get("/facilities", response={200: list[FacilityOut], **ERRORS}, summary="Facilities")
@paginate(LimitOffsetPagination)
def facility_list(request: HttpRequest):
    need(request, "housing.view")
    return selectors.list_facilities(request.city, day=timezone.localdate())


@router.post("/facilities", response={201: FacilityOut, **ERRORS})
def facility_create(request: HttpRequest, payload: FacilityIn):
    need(request, "housing.manage")
    facility = services.save_facility(
        actor=request.user, city=request.city, changes=_facility_changes(request, payload.dict())
    )
    return Status(201, _facility(request, facility.pk))


@router.get("/facilities/{facility_id}", response={200: FacilityOut, **ERRORS})
def facility_detail(request: HttpRequest, facility_id: int):
    need(request, "housing.view")
    return _facility(request, facility_id)


@router.patch("/facilities/{facility_id}", response={200: FacilityOut, **ERRORS})
def facility_update(request: HttpRequest, facility_id: int, payload: FacilityPatch):
    need(request, "housing.manage")
    facility = selectors.get_facility_for(request.city, facility_id)
    services.save_facility(
        actor=request.user,
        city=request.city,
        facility=facility,
        changes=_facility_changes(request, payload.dict(exclude_unset=True)),
    )
    return _facility(request, facility_id)


# --- beds ------------------------------------------------------------------------------------


class BedOut(Schema):
    id: int
    facility: int = Field(alias="facility_id")
    room: int | None = Field(None, alias="room_id")
    room_name: str | None = Field(None, alias="room.name")
    label: str
    is_women_only: bool
    is_accessible: bool
    is_family_room: bool
    is_active: bool


class BedIn(Schema):
    facility: int
    room: int | None = None
    label: str = Field(min_length=1, max_length=40)
    is_women_only: bool = False
    is_accessible: bool = False
    is_family_room: bool = False
    is_active: bool = True


class BedPatch(Schema):
    room: int | None = None
    label: str = patch_field(min_length=1, max_length=40)
    is_women_only: bool = patch_field()
    is_accessible: bool = patch_field()
    is_family_room: bool = patch_field()
    is_active: bool = patch_field()


def _room(request, room_id):
    from lgnet.housing.models import Room

    return get_object_or_404(Room.objects.filter(city=request.city), pk=room_id)


@router.get("/beds", response={200: list[BedOut], **ERRORS}, summary="Beds")
@paginate(LimitOffsetPagination)
def bed_list(
    request: HttpRequest,
    facility: int | None = None,
    free_on: date | None = None,
    women_only: bool = False,
    accessible: bool = False,
):
    need(request, "housing.view")
    chosen = selectors.get_facility_for(request.city, facility) if facility else None
    if free_on is not None:
        beds = selectors.free_beds(
            request.city, day=free_on, women_only=women_only, accessible=accessible
        )
    else:
        beds = selectors.list_beds(request.city)
        if women_only:
            beds = beds.filter(is_women_only=True)
        if accessible:
            beds = beds.filter(is_accessible=True)
    return beds.filter(facility=chosen) if chosen else beds


@router.post("/beds", response={201: BedOut, **ERRORS})
def bed_create(request: HttpRequest, payload: BedIn):
    need(request, "housing.manage")
    facility = selectors.get_facility_for(request.city, payload.facility)
    data = payload.dict(exclude={"facility"})
    data["room"] = _room(request, data["room"]) if data["room"] else None
    bed = services.save_bed(actor=request.user, facility=facility, changes=data)
    return Status(201, selectors.get_bed_for(request.city, bed.pk))


@router.get("/beds/{bed_id}", response={200: BedOut, **ERRORS})
def bed_detail(request: HttpRequest, bed_id: int):
    need(request, "housing.view")
    return selectors.get_bed_for(request.city, bed_id)


@router.patch("/beds/{bed_id}", response={200: BedOut, **ERRORS})
def bed_update(request: HttpRequest, bed_id: int, payload: BedPatch):
    need(request, "housing.manage")
    bed = selectors.get_bed_for(request.city, bed_id)
    data = payload.dict(exclude_unset=True)
    if "room" in data:
        data["room"] = _room(request, data["room"]) if data["room"] else None
    services.save_bed(actor=request.user, bed=bed, changes=data)
    return selectors.get_bed_for(request.city, bed_id)


# --- placements ------------------------------------------------------------------------------


class PlacementOut(Schema):
    id: int
    person: int = Field(alias="person_id")
    bed: int = Field(alias="bed_id")
    facility: int = Field(alias="bed.facility_id")
    start_date: date
    end_date: date | None = Field(description="the day of leaving (excluded); null: open-ended")
    exit_reason: str
    exit_notes: str
    case: int | None = Field(None, alias="case_id")
    moved_from: int | None = Field(None, alias="moved_from_id")


class PlacementIn(Schema):
    person: int
    bed: int
    start_date: date = Field(description="the first night")
    end_date: date | None = Field(None, description="the day of leaving (excluded)")
    case: int | None = Field(None, description="default: the person's open case, if any")


class PlacementPatch(Schema):
    end_date: date | None = Field(
        None, description="later: an extension; null: open-ended; earlier: leaving sooner"
    )
    exit_reason: PlacementExitReason | None = Field(None, description="needs end_date")
    exit_notes: str = patch_field(max_length=500)
    case: int | None = None


class MoveIn(Schema):
    bed: int
    on: date = Field(description="the first night in the new bed")


def _case_of(request, case_id):
    return case_selectors.get_case_for(request.city, case_id) if case_id else None


@router.get("/placements", response={200: list[PlacementOut], **ERRORS}, summary="Placements")
@paginate(LimitOffsetPagination)
def placement_list(
    request: HttpRequest,
    current_on: date | None = None,
    facility: int | None = None,
    person: int | None = None,
):
    need(request, "housing.view")
    return selectors.list_placements(
        request.city,
        current_day=current_on,
        facility=selectors.get_facility_for(request.city, facility) if facility else None,
        person=people_selectors.get_person_for(request.city, person) if person else None,
    )


@router.post(
    "/placements",
    response={201: PlacementOut, **ERRORS},
    summary="Place a person in a bed (409 when the bed or the person is taken for those dates)",
)
def placement_create(request: HttpRequest, payload: PlacementIn):
    need(request, "housing.assign")
    person = people_selectors.get_person_for(request.city, payload.person)
    bed = selectors.get_bed_for(request.city, payload.bed)
    placement = services.place_person(
        actor=request.user,
        person=person,
        bed=bed,
        start_date=payload.start_date,
        end_date=payload.end_date,
        case=_case_of(request, payload.case),
    )
    return Status(201, placement)


@router.get("/placements/{placement_id}", response={200: PlacementOut, **ERRORS})
def placement_detail(request: HttpRequest, placement_id: int):
    need(request, "housing.view")
    return selectors.get_placement_for(request.city, placement_id)


@router.patch(
    "/placements/{placement_id}",
    response={200: PlacementOut, **ERRORS},
    summary="Extend, shorten or end (with exit_reason) a placement; link a case",
)
def placement_update(request: HttpRequest, placement_id: int, payload: PlacementPatch):
    need(request, "housing.assign")
    placement = selectors.get_placement_for(request.city, placement_id)
    data = payload.dict(exclude_unset=True)
    if "case" in data:
        placement = services.set_placement_case(
            actor=request.user, placement=placement, case=_case_of(request, data["case"])
        )
    if {"end_date", "exit_reason", "exit_notes"} & set(data):
        reason = data.get("exit_reason", placement.exit_reason) or ""
        placement = services.change_end(
            actor=request.user,
            placement=placement,
            end_date=data.get("end_date", placement.end_date),
            exit_reason=getattr(reason, "value", reason),
            exit_notes=data.get("exit_notes", placement.exit_notes),
        )
    return selectors.get_placement_for(request.city, placement_id)


@router.post(
    "/placements/{placement_id}/move",
    response={201: PlacementOut, **ERRORS},
    summary="Move to another bed: this placement ends on `on`, the new one starts then",
)
def placement_move(request: HttpRequest, placement_id: int, payload: MoveIn):
    need(request, "housing.assign")
    placement = selectors.get_placement_for(request.city, placement_id)
    bed = selectors.get_bed_for(request.city, payload.bed)
    moved = services.move_placement(actor=request.user, placement=placement, bed=bed, on=payload.on)
    return Status(201, selectors.get_placement_for(request.city, moved.pk))


# --- waiting list ----------------------------------------------------------------------------


class HousingRequestOut(Schema):
    id: int
    person: int = Field(alias="person_id")
    requested_on: date
    urgency: int = Field(description="1 low … 4 tonight")
    vulnerability: int = Field(description="1 low … 3 high")
    needs_women_only: bool
    needs_accessible: bool
    needs_family_room: bool
    notes: str
    status: str
    placement: int | None = Field(None, alias="placement_id")


class HousingRequestIn(Schema):
    person: int
    requested_on: date | None = None
    urgency: int = Field(2, ge=1, le=4)
    vulnerability: int = Field(2, ge=1, le=3)
    needs_women_only: bool = False
    needs_accessible: bool = False
    needs_family_room: bool = False
    notes: str = Field("", max_length=500)


class OfferIn(Schema):
    bed: int
    start_date: date
    end_date: date | None = None


@router.get(
    "/housing-requests",
    response={200: list[HousingRequestOut], **ERRORS},
    summary="The waiting list, highest priority first",
)
@paginate(LimitOffsetPagination)
def request_list(request: HttpRequest, status: str = Query("waiting", max_length=10)):
    need(request, "housing.view")
    return selectors.waiting_list(request.city, status=status if status != "all" else "")


@router.post("/housing-requests", response={201: HousingRequestOut, **ERRORS})
def request_create(request: HttpRequest, payload: HousingRequestIn):
    need(request, "housing.assign")
    person = people_selectors.get_person_for(request.city, payload.person)
    data = payload.dict(exclude={"person"})
    return Status(201, services.add_request(actor=request.user, person=person, data=data))


@router.get("/housing-requests/{housing_request_id}", response={200: HousingRequestOut, **ERRORS})
def request_detail(request: HttpRequest, housing_request_id: int):
    need(request, "housing.view")
    return selectors.get_request_for(request.city, housing_request_id)


@router.post(
    "/housing-requests/{housing_request_id}/offer",
    response={201: PlacementOut, **ERRORS},
    summary="Offer a bed: the request becomes a placement",
)
def request_offer(request: HttpRequest, housing_request_id: int, payload: OfferIn):
    need(request, "housing.assign")
    housing_request = selectors.get_request_for(request.city, housing_request_id)
    bed = selectors.get_bed_for(request.city, payload.bed)
    placement = services.offer_bed(
        actor=request.user,
        request=housing_request,
        bed=bed,
        start_date=payload.start_date,
        end_date=payload.end_date,
    )
    return Status(201, selectors.get_placement_for(request.city, placement.pk))


# --- landlords -------------------------------------------------------------------------------


class LandlordOut(Schema):
    id: int
    kind: str
    name: str
    tax_code: str
    email: str
    phone: str
    address: str
    notes: str
    is_active: bool


class LandlordIn(Schema):
    kind: HousingLandlordKind
    name: str = Field(min_length=1, max_length=200)
    tax_code: str = Field("", max_length=16)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    address: str = Field("", max_length=250)
    notes: str = Field("", max_length=5000)
    is_active: bool = True


class LandlordPatch(Schema):
    kind: HousingLandlordKind = patch_field()
    name: str = patch_field(min_length=1, max_length=200)
    tax_code: str = patch_field(max_length=16)
    email: str = patch_field(max_length=254)
    phone: str = patch_field(max_length=40)
    address: str = patch_field(max_length=250)
    notes: str = patch_field(max_length=5000)
    is_active: bool = patch_field()


def _landlord_changes(data: dict) -> dict:
    if "kind" in data and data["kind"] is not None:
        data["kind"] = str(data["kind"].value)
    return {k: v for k, v in data.items() if v is not None}


@router.get("/landlords", response={200: list[LandlordOut], **ERRORS}, summary="Landlords")
@paginate(LimitOffsetPagination)
def landlord_list(request: HttpRequest, q: str = Query("", max_length=100)):
    need(request, "housing.view")
    return selectors.list_landlords(request.city, q=q)


@router.post("/landlords", response={201: LandlordOut, **ERRORS})
def landlord_create(request: HttpRequest, payload: LandlordIn):
    need(request, "housing.manage")
    landlord = services.save_landlord(
        actor=request.user, city=request.city, changes=_landlord_changes(payload.dict())
    )
    return Status(201, landlord)


@router.get("/landlords/{landlord_id}", response={200: LandlordOut, **ERRORS})
def landlord_detail(request: HttpRequest, landlord_id: int):
    need(request, "housing.view")
    return selectors.get_landlord_for(request.city, landlord_id)


@router.patch("/landlords/{landlord_id}", response={200: LandlordOut, **ERRORS})
def landlord_update(request: HttpRequest, landlord_id: int, payload: LandlordPatch):
    need(request, "housing.manage")
    landlord = selectors.get_landlord_for(request.city, landlord_id)
    return services.save_landlord(
        actor=request.user,
        city=request.city,
        landlord=landlord,
        changes=_landlord_changes(payload.dict(exclude_unset=True)),
    )


# --- rent supports ---------------------------------------------------------------------------


class PaymentOut(Schema):
    id: int
    paid_on: date
    amount: Decimal
    notes: str


class RentSupportOut(Schema):
    id: int
    person: int = Field(alias="person_id")
    household_size: int
    landlord: int = Field(alias="landlord_id")
    property: int | None = Field(None, alias="rented_property_id")
    edition: str = Field(alias="edition.code")
    start_date: date
    months: int
    monthly_rent: Decimal
    contribution: Decimal = Field(description="monthly, paid by the comune")
    planned_total: Decimal
    paid: Decimal
    case: int | None = Field(None, alias="case_id")
    notes: str
    payments: list[PaymentOut]

    @staticmethod
    def resolve_payments(obj) -> list:
        return list(obj.payments.all())


class RentSupportIn(Schema):
    person: int
    landlord: int
    start_date: date = Field(description="the first month supported")
    months: int = Field(ge=1, le=36)
    monthly_rent: Decimal = _money()
    contribution: Decimal = _money(description="monthly, at most the rent")
    household_size: int = Field(1, ge=1, le=50)
    edition: str | None = Field(None, max_length=20, description="default: the city's edition then")
    case: int | None = None
    notes: str = Field("", max_length=500)


class RentSupportPatch(Schema):
    landlord: int = patch_field()
    months: int = patch_field(ge=1, le=36)
    monthly_rent: Decimal = patch_field(gt=0, max_digits=8, decimal_places=2)
    contribution: Decimal = patch_field(gt=0, max_digits=8, decimal_places=2)
    household_size: int = patch_field(ge=1, le=50)
    notes: str = patch_field(max_length=500)


class PaymentIn(Schema):
    paid_on: date
    amount: Decimal = _money()
    notes: str = Field("", max_length=250)


def _support(request, support_id: int):
    """404 outside the city; 403 for a restricted person's support, but to the coordinator."""
    return selectors.get_rent_support_for(request.city, support_id)


@router.get(
    "/rent-supports", response={200: list[RentSupportOut], **ERRORS}, summary="Rent supports"
)
@paginate(LimitOffsetPagination)
def rent_support_list(
    request: HttpRequest, person: int | None = None, edition: str = Query("", max_length=20)
):
    need(request, "housing.view")
    return selectors.list_rent_supports(
        request.city,
        person=people_selectors.get_person_for(request.city, person) if person else None,
        edition_code=edition,
    ).prefetch_related("payments")


@router.post("/rent-supports", response={201: RentSupportOut, **ERRORS})
def rent_support_create(request: HttpRequest, payload: RentSupportIn):
    need(request, "housing.assign")
    person = people_selectors.get_person_for(request.city, payload.person)
    data = payload.dict(exclude={"person", "edition"})
    data["landlord"] = selectors.get_landlord_for(request.city, payload.landlord)
    data["case"] = _case_of(request, payload.case)
    support = services.create_rent_support(
        actor=request.user, person=person, data=data, edition_code=payload.edition or ""
    )
    return Status(201, _support(request, support.pk))


@router.get("/rent-supports/{rent_support_id}", response={200: RentSupportOut, **ERRORS})
def rent_support_detail(request: HttpRequest, rent_support_id: int):
    need(request, "housing.view")
    return _support(request, rent_support_id)


@router.patch("/rent-supports/{rent_support_id}", response={200: RentSupportOut, **ERRORS})
def rent_support_update(request: HttpRequest, rent_support_id: int, payload: RentSupportPatch):
    need(request, "housing.assign")
    support = selectors.get_rent_support_for(request.city, rent_support_id)
    data = payload.dict(exclude_unset=True)
    if "landlord" in data:
        data["landlord"] = selectors.get_landlord_for(request.city, data["landlord"])
    services.update_rent_support(actor=request.user, support=support, changes=data)
    return _support(request, rent_support_id)


@router.post(
    "/rent-supports/{rent_support_id}/payments",
    response={201: PaymentOut, **ERRORS},
    summary="Record a payment (409 past the planned total)",
)
def payment_create(request: HttpRequest, rent_support_id: int, payload: PaymentIn):
    need(request, "housing.assign")
    support = selectors.get_rent_support_for(request.city, rent_support_id)
    payment = services.record_payment(
        actor=request.user,
        support=support,
        paid_on=payload.paid_on,
        amount=payload.amount,
        notes=payload.notes,
    )
    return Status(201, payment)
