"""/api/v1/ editions, cities, organisations, agreements, sites."""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from lgnet.core.api import ErrorOut, need, patch_field
from lgnet.network import selectors, services
from lgnet.network.models import City, Organisation, Site

router = Router(tags=["network"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
INT_MAX = 2_147_483_647  # PostgreSQL integer

# Both models call their choices "Kind": the OpenAPI document needs one name for each.
OrganisationKind = StrEnum("OrganisationKind", {k.name: k.value for k in Organisation.Kind})
SiteKind = StrEnum("SiteKind", {k.name: k.value for k in Site.Kind})


class EditionOut(Schema):
    code: str
    name: str
    starts_on: date
    ends_on: date
    fund: str
    cities: list[str]

    @staticmethod
    def resolve_cities(obj) -> list[str]:
        return [p.city.slug for p in obj.participations.all()]


class EditionIn(Schema):
    code: str = Field(max_length=20)
    name: str = Field(max_length=200)
    starts_on: date
    ends_on: date
    fund: str = Field("", max_length=120)


class EditionPatch(Schema):
    name: str = patch_field(max_length=200)
    starts_on: date = patch_field()
    ends_on: date = patch_field()
    fund: str = patch_field(max_length=120)


class ParticipationIn(Schema):
    city: str = Field(max_length=40)
    budget: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    target_beneficiaries: int | None = Field(None, ge=0, le=INT_MAX)


class CityOut(Schema):
    slug: str
    name: str
    istat_code: str
    region: str
    controller: str


class CityIn(Schema):
    slug: str = Field(max_length=40)
    name: str = Field(max_length=120)
    istat_code: str = Field(max_length=6)
    region: str = Field(max_length=60)
    controller: str = Field("", max_length=200)


class CityPatch(Schema):
    name: str = patch_field(max_length=120)
    region: str = patch_field(max_length=60)
    controller: str = patch_field(max_length=200)


class OrganisationOut(Schema):
    id: int
    city: str = Field(alias="city.slug")
    name: str
    kind: OrganisationKind
    tax_code: str
    email: str
    phone: str
    is_active: bool


class OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: OrganisationKind
    tax_code: str = Field("", max_length=16)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    is_active: bool = True


class OrganisationPatch(Schema):
    name: str = patch_field(min_length=1, max_length=200)
    kind: OrganisationKind = patch_field()
    tax_code: str = patch_field(max_length=16)
    email: str = patch_field(max_length=254)
    phone: str = patch_field(max_length=40)
    is_active: bool = patch_field()


class AgreementOut(Schema):
    id: int
    city: str = Field(alias="city.slug")
    organisation: int = Field(alias="organisation_id")
    title: str
    scope: str
    starts_on: date
    ends_on: date | None


class AgreementIn(Schema):
    organisation: int
    title: str = Field(min_length=1, max_length=200)
    scope: str = ""
    starts_on: date
    ends_on: date | None = None


class AgreementPatch(Schema):
    organisation: int = patch_field()
    title: str = patch_field(min_length=1, max_length=200)
    scope: str = patch_field()
    starts_on: date = patch_field()
    ends_on: date | None = None


class SiteOut(Schema):
    id: int
    city: str = Field(alias="city.slug")
    name: str
    kind: SiteKind
    organisation: int | None = Field(None, alias="organisation_id")
    address: str
    is_active: bool


class SiteIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: SiteKind
    organisation: int | None = None
    address: str = Field("", max_length=250)
    is_active: bool = True


class SitePatch(Schema):
    name: str = patch_field(min_length=1, max_length=200)
    kind: SiteKind = patch_field()
    organisation: int | None = None
    address: str = patch_field(max_length=250)
    is_active: bool = patch_field()


def _changes(request: HttpRequest, payload: Schema, *, partial: bool) -> dict:
    """Turn references into the caller's own objects (404 for anything else)."""
    data = payload.dict(exclude_unset=partial)
    if data.get("organisation") is not None:
        data["organisation"] = selectors.get_organisation_for(request.city, data["organisation"])
    for key in ("kind",):
        if key in data and data[key] is not None:
            data[key] = str(data[key].value if hasattr(data[key], "value") else data[key])
    return data


# Editions and cities: the network's reference data.


@router.get("/editions", response={200: list[EditionOut], **ERRORS}, summary="List editions")
@paginate(LimitOffsetPagination)
def edition_list(request: HttpRequest):
    need(request, "editions.view")
    return selectors.list_editions().prefetch_related("participations__city")


@router.post("/editions", response={201: EditionOut, **ERRORS}, summary="Create an edition")
def edition_create(request: HttpRequest, payload: EditionIn):
    need(request, "network.manage")
    edition = services.save_edition(actor=request.user, changes=payload.dict())
    return Status(201, edition)


@router.get("/editions/{code}", response={200: EditionOut, **ERRORS})
def edition_detail(request: HttpRequest, code: str):
    need(request, "editions.view")
    return selectors.get_edition(code)


@router.patch("/editions/{code}", response={200: EditionOut, **ERRORS})
def edition_update(request: HttpRequest, code: str, payload: EditionPatch):
    need(request, "network.manage")
    edition = selectors.get_edition(code)
    return services.save_edition(
        actor=request.user, edition=edition, changes=payload.dict(exclude_unset=True)
    )


@router.put(
    "/editions/{code}/cities",
    response={200: EditionOut, **ERRORS},
    summary="Add a city to an edition, or set its budget and target",
)
def edition_city_set(request: HttpRequest, code: str, payload: ParticipationIn):
    need(request, "network.manage")
    edition = selectors.get_edition(code)
    city = selectors.get_city(payload.city)
    services.set_participation(
        actor=request.user,
        edition=edition,
        city=city,
        changes=payload.dict(exclude={"city"}, exclude_unset=True),
    )
    return selectors.list_editions().prefetch_related("participations__city").get(pk=edition.pk)


@router.get("/cities", response={200: list[CityOut], **ERRORS}, summary="List the cities")
@paginate(LimitOffsetPagination)
def city_list(request: HttpRequest):
    need(request, "editions.view")
    return selectors.list_cities()


@router.post("/cities", response={201: CityOut, **ERRORS})
def city_create(request: HttpRequest, payload: CityIn):
    need(request, "network.manage")
    return Status(201, services.save_city(actor=request.user, changes=payload.dict()))


@router.get("/cities/{slug}", response={200: CityOut, **ERRORS})
def city_detail(request: HttpRequest, slug: str):
    need(request, "editions.view")
    return selectors.get_city(slug)


@router.patch("/cities/{slug}", response={200: CityOut, **ERRORS})
def city_update(request: HttpRequest, slug: str, payload: CityPatch):
    need(request, "network.manage")
    city: City = selectors.get_city(slug)
    return services.save_city(
        actor=request.user, city=city, changes=payload.dict(exclude_unset=True)
    )


# Organisations, agreements and sites: the caller's city only.


@router.get("/organisations", response={200: list[OrganisationOut], **ERRORS})
@paginate(LimitOffsetPagination)
def organisation_list(request: HttpRequest, kind: OrganisationKind | None = None):
    need(request, "city.view")
    organisations = selectors.list_organisations(request.city).select_related("city")
    if kind is not None:
        organisations = organisations.filter(kind=kind)
    return organisations


@router.post("/organisations", response={201: OrganisationOut, **ERRORS})
def organisation_create(request: HttpRequest, payload: OrganisationIn):
    need(request, "city.manage")
    organisation = services.save_organisation(
        actor=request.user, city=request.city, changes=_changes(request, payload, partial=False)
    )
    return Status(201, organisation)


@router.get("/organisations/{organisation_id}", response={200: OrganisationOut, **ERRORS})
def organisation_detail(request: HttpRequest, organisation_id: int):
    need(request, "city.view")
    return selectors.get_organisation_for(request.city, organisation_id)


@router.patch("/organisations/{organisation_id}", response={200: OrganisationOut, **ERRORS})
def organisation_update(request: HttpRequest, organisation_id: int, payload: OrganisationPatch):
    need(request, "city.manage")
    organisation = selectors.get_organisation_for(request.city, organisation_id)
    return services.save_organisation(
        actor=request.user,
        city=request.city,
        organisation=organisation,
        changes=_changes(request, payload, partial=True),
    )


@router.get("/agreements", response={200: list[AgreementOut], **ERRORS})
@paginate(LimitOffsetPagination)
def agreement_list(request: HttpRequest):
    need(request, "city.view")
    return selectors.list_agreements(request.city).select_related("city")


@router.post("/agreements", response={201: AgreementOut, **ERRORS})
def agreement_create(request: HttpRequest, payload: AgreementIn):
    need(request, "city.manage")
    agreement = services.save_agreement(
        actor=request.user, city=request.city, changes=_changes(request, payload, partial=False)
    )
    return Status(201, agreement)


@router.get("/agreements/{agreement_id}", response={200: AgreementOut, **ERRORS})
def agreement_detail(request: HttpRequest, agreement_id: int):
    need(request, "city.view")
    return selectors.get_agreement_for(request.city, agreement_id)


@router.patch("/agreements/{agreement_id}", response={200: AgreementOut, **ERRORS})
def agreement_update(request: HttpRequest, agreement_id: int, payload: AgreementPatch):
    need(request, "city.manage")
    agreement = selectors.get_agreement_for(request.city, agreement_id)
    return services.save_agreement(
        actor=request.user,
        city=request.city,
        agreement=agreement,
        changes=_changes(request, payload, partial=True),
    )


@router.get("/sites", response={200: list[SiteOut], **ERRORS})
@paginate(LimitOffsetPagination)
def site_list(request: HttpRequest, kind: SiteKind | None = None):
    need(request, "city.view")
    sites = selectors.list_sites(request.city).select_related("city")
    if kind is not None:
        sites = sites.filter(kind=kind)
    return sites


@router.post("/sites", response={201: SiteOut, **ERRORS})
def site_create(request: HttpRequest, payload: SiteIn):
    need(request, "city.manage")
    site = services.save_site(
        actor=request.user, city=request.city, changes=_changes(request, payload, partial=False)
    )
    return Status(201, site)


@router.get("/sites/{site_id}", response={200: SiteOut, **ERRORS})
def site_detail(request: HttpRequest, site_id: int):
    need(request, "city.view")
    return selectors.get_site_for(request.city, site_id)


@router.patch("/sites/{site_id}", response={200: SiteOut, **ERRORS})
def site_update(request: HttpRequest, site_id: int, payload: SitePatch):
    need(request, "city.manage")
    site = selectors.get_site_for(request.city, site_id)
    return services.save_site(
        actor=request.user,
        city=request.city,
        site=site,
        changes=_changes(request, payload, partial=True),
    )
