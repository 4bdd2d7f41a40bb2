"""/api/v1/ persons, contacts, match, and the network's unique-person count."""

from datetime import date, datetime
from enum import StrEnum

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from lgnet.core.api import ErrorOut, Shaped, need, patch_field
from lgnet.core.exceptions import RuleBroken
from lgnet.network import selectors as network_selectors
from lgnet.people import matching, selectors, services
from lgnet.people.choices import (
    AgeBand,
    Channel,
    Dwelling,
    Help,
    LegalStatus,
    Need,
    Outcome,
    Precision,
    Sex,
)

router = Router(tags=["people"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
Name = Field(min_length=1, max_length=150)
# Named apart from other apps' "Outcome" choices: the OpenAPI document keeps one per name.
ContactOutcome = StrEnum("ContactOutcome", {o.name: o.value for o in Outcome})


class PersonOut(Schema):
    """Fields an outreach worker may not read come back as null; for a partner's worker,
    so do sex, birth date and phone that the person's consent does not share."""

    id: int
    city: str
    given_names: str
    family_names: str
    sex: Sex | None
    birth_date: date | None
    birth_date_precision: Precision | None
    nationalities: list[str]
    languages: list[str]
    aliases: list[str] | None = None
    original_script_name: str | None = None
    codice_fiscale: str | None = None
    legal_status: LegalStatus | None = None
    permit_number: str | None = None
    permit_expiry: date | None = None
    permit_expiring_soon: bool | None = None
    phone: str | None = None
    dwelling: str | None = None
    vulnerabilities: list[str] | None = None
    privacy_notice_on: date | None = None
    privacy_notice_language: str | None = None
    merged_into: int | None = None
    created_at: datetime
    updated_at: datetime


def person_out(request: HttpRequest, person, *, detail: bool = False, log: bool = True) -> dict:
    """A person as the caller may see them. Vulnerabilities come only with a single person's
    read (never in lists); that read and the legal status and permit it shows are logged
    (not when the caller has just registered the person: ``log=False``)."""
    data = {
        "id": person.pk,
        "city": request.city.slug,
        "given_names": person.given_names,
        "family_names": person.family_names,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "birth_date_precision": person.birth_date_precision,
        "nationalities": person.nationalities,
        "languages": person.languages,
        "created_at": person.created_at,
        "updated_at": person.updated_at,
    }
    if not selectors.can_see_full(request.membership):
        return data
    data.update(
        {
            "aliases": person.aliases,
            "original_script_name": person.original_script_name,
            "codice_fiscale": person.codice_fiscale,
            "legal_status": person.legal_status,
            "permit_number": person.permit_number,
            "permit_expiry": person.permit_expiry,
            "permit_expiring_soon": person.permit_expiring_soon,
            "phone": person.phone,
            "dwelling": person.dwelling,
            "privacy_notice_on": person.privacy_notice_on,
            "privacy_notice_language": person.privacy_notice_language,
            "merged_into": person.merged_into_id,
        }
    )
    if not detail:
        return data  # lists only flag an expiring permit: no read of the file is logged
    reads = ["legal_status"]
    if selectors.can_see_sensitive(request.membership, person):
        data["vulnerabilities"] = person.vulnerabilities
        reads.append("vulnerabilities")
    if log:
        selectors.log_reads(request.membership, person, reads, channel="api")
    return data


class PersonIn(Schema):
    given_names: str = Name
    family_names: str = Name
    sex: Sex
    birth_date: date
    birth_date_precision: Precision = Precision.DAY
    nationalities: list[str] = Field(default_factory=list, max_length=5)
    languages: list[str] = Field(default_factory=list, max_length=10)
    aliases: list[str] = Field(default_factory=list, max_length=10)
    original_script_name: str = Field("", max_length=200)
    codice_fiscale: str = Field("", max_length=20)
    legal_status: LegalStatus = LegalStatus.UNKNOWN
    permit_number: str = Field("", max_length=40)
    permit_expiry: date | None = None
    phone: str = Field("", max_length=40)
    dwelling: Dwelling | None = None
    vulnerabilities: list[str] = Field(default_factory=list, max_length=20)
    privacy_notice_on: date | None = None
    privacy_notice_language: str = Field("", max_length=3)
    external_id: str = Field("", max_length=80)


class PersonPatch(Schema):
    """Left out: unchanged. Text fields and dates that may be empty take null to clear them;
    the others refuse null (send [] to empty a list)."""

    given_names: str = patch_field(min_length=1, max_length=150)
    family_names: str = patch_field(min_length=1, max_length=150)
    sex: Sex = patch_field()
    birth_date: date = patch_field()
    birth_date_precision: Precision = patch_field()
    nationalities: list[str] = patch_field(max_length=5)
    languages: list[str] = patch_field(max_length=10)
    aliases: list[str] = patch_field(max_length=10)
    original_script_name: str | None = Field(None, max_length=200)
    codice_fiscale: str | None = Field(None, max_length=20)
    legal_status: LegalStatus = patch_field()
    permit_number: str | None = Field(None, max_length=40)
    permit_expiry: date | None = None
    phone: str | None = Field(None, max_length=40)
    dwelling: Dwelling | None = None
    vulnerabilities: list[str] = patch_field(max_length=20)
    privacy_notice_on: date | None = None
    privacy_notice_language: str | None = Field(None, max_length=3)


class MatchIn(Schema):
    given_names: str = Field("", max_length=150)
    family_names: str = Field("", max_length=150)
    aliases: list[str] = Field(default_factory=list, max_length=10)
    sex: Sex = Sex.UNKNOWN
    birth_date: date | None = None
    birth_date_precision: Precision = Precision.DAY
    nationalities: list[str] = Field(default_factory=list, max_length=5)
    codice_fiscale: str = Field("", max_length=20)
    limit: int = Field(5, ge=1, le=20)


class MatchItem(Schema):
    id: int
    score: float
    reasons: list[str]
    given_names: str
    family_names: str
    birth_date: date
    birth_date_precision: str


class MatchOut(Schema):
    items: list[MatchItem]


class ContactOut(Schema):
    id: int
    city: str = Field(alias="city.slug")
    channel: Channel
    site: int | None = Field(None, alias="site_id")
    place: str
    occurred_at: datetime
    recorded_by: str = Field(alias="recorded_by.username")
    person: int | None = Field(None, alias="person_id")
    anonymous_sex: str
    anonymous_age_band: str
    anonymous_nationality: str
    needs: list[str]
    help_given: list[str]
    outcome: ContactOutcome
    notes: str


class ContactIn(Schema):
    channel: Channel
    site: int | None = None
    place: str = Field("", max_length=200)
    occurred_at: datetime | None = None
    person: int | None = None
    anonymous_sex: Sex | None = None
    anonymous_age_band: AgeBand | None = None
    anonymous_nationality: str = Field("", max_length=2)
    needs: list[Need] = Field(default_factory=list)
    help_given: list[Help] = Field(default_factory=list)
    outcome: ContactOutcome
    notes: str = Field("", max_length=2000)


class ContactPatch(Schema):
    site: int | None = None
    place: str | None = Field(None, max_length=200)
    occurred_at: datetime | None = None
    person: int | None = None
    anonymous_sex: Sex | None = None
    anonymous_age_band: AgeBand | None = None
    anonymous_nationality: str | None = Field(None, max_length=2)
    needs: list[Need] = patch_field()
    help_given: list[Help] = patch_field()
    outcome: ContactOutcome = patch_field()
    notes: str | None = Field(None, max_length=2000)


class UniquePersonsOut(Schema):
    """Stored with the figures; a value under the disclosure threshold comes back as null,
    and every value is null until the first count (computed_at null)."""

    edition: str
    cities: int | None
    records: int | None
    unique_persons: int | None
    in_several_cities: int | None
    computed_at: datetime | None


def _plain(data: dict) -> dict:
    """Enum members to their values, None-able text fields to ""."""
    out = {}
    for key, value in data.items():
        if hasattr(value, "value"):
            value = value.value
        elif isinstance(value, list):
            value = [v.value if hasattr(v, "value") else v for v in value]
        out[key] = value
    return out


def _person_reader(request: HttpRequest) -> None:
    membership = request.membership
    if membership is None or not (
        membership.can("people.view")
        or membership.can("people.view_minimal")
        or membership.can("people.view_referred")
    ):
        need(request, "people.view")


def _partner_only(request: HttpRequest) -> bool:
    membership = request.membership
    return not (membership.can("people.view") or membership.can("people.view_minimal"))


def partner_out(request: HttpRequest, seen: selectors.PartnerView) -> dict:
    """What a partner's worker reads: the names, and sex, birth year, languages and phone as
    far as the consent of its organisation's open referrals (or an enrolment in its
    activity) allows; a field not shared answers null (languages: an empty list)."""
    person = seen.person
    year = seen.birth_year
    return {
        "id": person.pk,
        "city": request.city.slug,
        "given_names": person.given_names,
        "family_names": person.family_names,
        "sex": seen.sex,
        "birth_date": date(year, 1, 1) if year else None,
        "birth_date_precision": "year" if year else None,
        "nationalities": [],
        "languages": seen.languages,
        "phone": seen.phone,
        "created_at": person.created_at,
        "updated_at": person.updated_at,
    }


class PartnerShaped(Shaped):
    """A page of persons for a partner: the shared fields of the whole page are computed at
    once (one query per reach), then each person is shaped."""

    def __getitem__(self, item):
        seen = selectors.partner_views(self.request.membership, self.queryset[item])
        return [partner_out(self.request, one) for one in seen]


@router.get("/persons", response={200: list[PersonOut], **ERRORS}, summary="Persons of your city")
@paginate(LimitOffsetPagination)
def person_list(
    request: HttpRequest,
    q: str = Query("", max_length=100),
    permit_expiring: bool = False,
    nationality: str = Query("", max_length=2),
):
    _person_reader(request)
    partner = _partner_only(request)
    persons = selectors.list_persons(
        request.city,
        q=q,
        # A partner sees neither permits nor nationalities: no filter may tell them either.
        permit_expiring=permit_expiring and not partner,
        nationality="" if partner else nationality,
        by_codice_fiscale=not partner,
        among=selectors.persons_for_partner(request.membership) if partner else None,
    )
    if partner:
        return PartnerShaped(request, persons, partner_out)
    return Shaped(request, persons.select_related("city"), person_out)


@router.post("/persons", response={201: PersonOut, **ERRORS}, summary="Register a person")
def person_create(request: HttpRequest, payload: PersonIn):
    membership = request.membership
    minimal = not (membership and membership.can("people.edit"))
    if minimal:
        need(request, "people.register_minimal")
    data = _plain(payload.dict(exclude_unset=minimal))
    if data.get("dwelling") is None:
        data.pop("dwelling", None)
        if not minimal:
            data["dwelling"] = ""
    person = services.register_person(
        actor=request.user, city=request.city, data=data, minimal=minimal
    )
    return Status(201, person_out(request, person, detail=True, log=False))


@router.post(
    "/persons/match",
    response={200: MatchOut, **ERRORS},
    summary="Likely existing records for these person fields, best first",
)
def person_match(request: HttpRequest, payload: MatchIn):
    _person_reader(request)
    if _partner_only(request):
        need(request, "people.view")  # a partner may not search the whole registry
    query = matching.Candidate(
        given_names=payload.given_names,
        family_names=payload.family_names,
        aliases=payload.aliases,
        sex=payload.sex.value,
        birth_date=payload.birth_date,
        birth_date_precision=payload.birth_date_precision.value,
        nationalities=[n.upper() for n in payload.nationalities],
        codice_fiscale=payload.codice_fiscale,
    )
    found = selectors.find_matches(request.city, query, limit=payload.limit)
    return {
        "items": [
            {
                "id": s.person.pk,
                "score": s.score,
                "reasons": s.reasons,
                "given_names": s.person.given_names,
                "family_names": s.person.family_names,
                "birth_date": s.person.birth_date,
                "birth_date_precision": s.person.birth_date_precision,
            }
            for s in found
        ]
    }


@router.get("/persons/{person_id}", response={200: PersonOut, **ERRORS})
def person_detail(request: HttpRequest, person_id: int):
    _person_reader(request)
    if _partner_only(request):
        found = selectors.persons_for_partner(request.membership).filter(pk=person_id).first()
        if found is None:
            raise Http404
        (seen,) = selectors.partner_views(request.membership, [found])
        return partner_out(request, seen)
    return person_out(request, selectors.get_person_for(request.city, person_id), detail=True)


@router.patch("/persons/{person_id}", response={200: PersonOut, **ERRORS})
def person_update(request: HttpRequest, person_id: int, payload: PersonPatch):
    need(request, "people.edit")
    person = selectors.get_person_for(request.city, person_id)
    changes = _plain(payload.dict(exclude_unset=True))
    for key in (
        "original_script_name",
        "codice_fiscale",
        "permit_number",
        "phone",
        "dwelling",
        "privacy_notice_language",
    ):
        if key in changes and changes[key] is None:
            changes[key] = ""
    if "vulnerabilities" in changes and not selectors.can_see_sensitive(request.membership, person):
        raise RuleBroken(
            "You may not change this person's vulnerabilities.", field="vulnerabilities", status=403
        )
    person = services.update_person(actor=request.user, person=person, changes=changes)
    return person_out(request, person, detail=True)


def _contact_refs(request: HttpRequest, data: dict) -> dict:
    if data.get("site") is not None:
        data["site"] = network_selectors.get_site_for(request.city, data["site"])
    if data.get("person") is not None:
        data["person"] = selectors.get_person_for(request.city, data["person"])
    for key in ("anonymous_sex", "anonymous_age_band", "place", "notes", "anonymous_nationality"):
        if key in data and data[key] is None:
            data[key] = ""
    if data.get("occurred_at") is None:
        data.pop("occurred_at", None)
    return data


@router.get("/contacts", response={200: list[ContactOut], **ERRORS}, summary="First contacts")
@paginate(LimitOffsetPagination)
def contact_list(request: HttpRequest):
    need(request, "contacts.record")
    return selectors.list_contacts(request.membership)


@router.post("/contacts", response={201: ContactOut, **ERRORS}, summary="Record a first contact")
def contact_create(request: HttpRequest, payload: ContactIn):
    need(request, "contacts.record")
    data = _contact_refs(request, _plain(payload.dict()))
    contact = services.record_contact(actor=request.user, city=request.city, data=data)
    return Status(201, contact)


@router.get("/contacts/{contact_id}", response={200: ContactOut, **ERRORS})
def contact_detail(request: HttpRequest, contact_id: int):
    need(request, "contacts.record")
    return selectors.get_contact_for(request.membership, contact_id)


@router.patch("/contacts/{contact_id}", response={200: ContactOut, **ERRORS})
def contact_update(request: HttpRequest, contact_id: int, payload: ContactPatch):
    need(request, "contacts.record")
    contact = selectors.get_contact_for(request.membership, contact_id)
    changes = _contact_refs(request, _plain(payload.dict(exclude_unset=True)))
    return services.update_contact(actor=request.user, contact=contact, changes=changes)


@router.get(
    "/network/unique-persons",
    response={200: UniquePersonsOut, **ERRORS},
    summary="Unique persons across the edition's cities, from pseudonymous keys",
)
def unique_persons(request: HttpRequest, edition: str = Query(..., max_length=20)):
    need(request, "network.view")
    from lgnet.people import linkage
    from lgnet.people.models import NetworkCount

    chosen = network_selectors.get_edition(edition)
    counts = linkage.published(NetworkCount.objects.filter(edition=chosen).first())
    return {"edition": chosen.code, **counts}


class AccessOut(Schema):
    user: str = Field(alias="user.username")
    at: datetime
    what: str
    channel: str
    outside_team: bool


@router.get(
    "/persons/{person_id}/access-log",
    response={200: list[AccessOut], **ERRORS},
    summary="Who read this person's sensitive data (city coordinator, auditor)",
)
@paginate(LimitOffsetPagination)
def person_access_log(request: HttpRequest, person_id: int):
    need(request, "audit.view")
    return selectors.access_log_of(selectors.get_person_for(request.city, person_id))
