"""/api/v1/ activities, sessions, enrolments and the session's attendance register."""

import datetime
from datetime import date, time
from enum import StrEnum
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import AfterValidator

from lgnet.activities import selectors, services
from lgnet.activities.models import (
    ActivityKind,
    AllowanceBasis,
    AttendanceStatus,
    CefrLevel,
    CertificateIssuer,
    CivicScheme,
    EnrolmentStatus,
)
from lgnet.cases.models import ActionArea
from lgnet.core.api import ErrorOut, need, patch_field
from lgnet.core.exceptions import RuleBroken
from lgnet.network import selectors as network_selectors
from lgnet.people import selectors as people_selectors
from lgnet.people.choices import AgeBand, Sex

router = Router(tags=["activities"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
READ = ("activities.view", "activities.record")
# Named apart from the cases' ActionArea enum only by module: reuse the same class.
Area = ActionArea
Level = StrEnum("CefrLevel", {c.name: c.value for c in CefrLevel})


def need_read(request: HttpRequest) -> None:
    """Coordinators, caseworkers and auditors read every activity; partners their own."""
    membership = getattr(request, "membership", None)
    if membership is not None and not membership.can("activities.view"):
        need(request, "activities.record")
    else:
        need(request, "activities.view")


class HeadCountOut(Schema):
    sex: Sex
    age_band: AgeBand
    count: int


class ActivityOut(Schema):
    id: int
    city: str = Field(alias="city.slug")
    kind: ActivityKind
    title: str
    action_area: str
    organisation: int | None = Field(None, alias="organisation_id")
    agreement: int | None = Field(None, alias="agreement_id")
    site: int | None = Field(None, alias="site_id")
    place: str
    edition: str | None = None
    start_date: date
    end_date: date
    capacity: int | None
    facilitators: list[str]
    cefr_level: str
    planned_hours: float | None
    min_attendance: float
    tutor: str
    insurance: str
    insurance_from: date | None
    scheme: str
    allowance_amount: float | None
    allowance_basis: str
    hours_per_week: float | None
    organisations_present: list[int]
    head_counts: list[HeadCountOut]
    enrolled: int = Field(0, alias="enrolled_count")
    waiting: int = Field(0, alias="waiting_count")

    @staticmethod
    def resolve_edition(obj) -> str | None:
        return obj.edition.code if obj.edition_id else None

    @staticmethod
    def resolve_facilitators(obj) -> list[str]:
        return [u.username for u in obj.facilitators.all()]

    @staticmethod
    def resolve_organisations_present(obj) -> list[int]:
        return [o.pk for o in obj.organisations_present.all()]

    @staticmethod
    def resolve_head_counts(obj) -> list:
        return list(obj.head_counts.all())


class ActivityIn(Schema):
    kind: ActivityKind
    title: str = Field(min_length=1, max_length=200)
    start_date: date
    end_date: date
    organisation: int | None = None
    agreement: int | None = None
    site: int | None = None
    place: str = Field("", max_length=200)
    edition: str | None = Field(None, max_length=20, description="an edition code: LGNET3")
    action_area: Area = ActionArea.CIVIC_ENGAGEMENT
    capacity: int | None = Field(None, ge=1, le=10_000)
    cefr_level: Level | None = None
    planned_hours: float | None = Field(None, ge=0, le=10_000)
    min_attendance: float = Field(0.7, ge=0, le=1, description="a fraction: 0.7 is 70 %")
    tutor: str = Field("", max_length=200)
    insurance: str = Field("", max_length=200)
    insurance_from: date | None = None
    scheme: CivicScheme | None = None
    allowance_amount: float | None = Field(None, ge=0, le=100_000)
    allowance_basis: AllowanceBasis | None = None
    hours_per_week: float | None = Field(None, ge=0, le=168)
    facilitators: list[str] = Field(default_factory=list, max_length=20, description="usernames")
    organisations_present: list[int] = Field(default_factory=list, max_length=50)


class ActivityPatch(Schema):
    """Left out: unchanged. Fields that may be empty take null to clear them."""

    kind: ActivityKind = patch_field()
    title: str = patch_field(min_length=1, max_length=200)
    start_date: date = patch_field()
    end_date: date = patch_field()
    organisation: int | None = None
    agreement: int | None = None
    site: int | None = None
    place: str | None = Field(None, max_length=200)
    edition: str | None = Field(None, max_length=20)
    action_area: Area = patch_field()
    capacity: int | None = Field(None, ge=1, le=10_000)
    cefr_level: Level | None = None
    planned_hours: float | None = Field(None, ge=0, le=10_000)
    min_attendance: float = patch_field(ge=0, le=1)
    tutor: str | None = Field(None, max_length=200)
    insurance: str | None = Field(None, max_length=200)
    insurance_from: date | None = None
    scheme: CivicScheme | None = None
    allowance_amount: float | None = Field(None, ge=0, le=100_000)
    allowance_basis: AllowanceBasis | None = None
    hours_per_week: float | None = Field(None, ge=0, le=168)
    facilitators: list[str] = patch_field(max_length=20)
    organisations_present: list[int] = patch_field(max_length=50)


TEXT_FIELDS = {"place", "tutor", "insurance", "cefr_level", "scheme", "allowance_basis"}
DECIMAL_FIELDS = {"planned_hours", "min_attendance", "allowance_amount", "hours_per_week"}


def _activity_data(request: HttpRequest, data: dict) -> tuple[dict, list | None, list | None]:
    """Body fields to model values: ids of the caller's city only, codes to rows."""
    from decimal import Decimal

    from lgnet.accounts.models import User

    facilitators = data.pop("facilitators", None)
    present = data.pop("organisations_present", None)
    city = request.city
    if "organisation" in data:
        data["organisation"] = (
            network_selectors.get_organisation_for(city, data["organisation"])
            if data["organisation"]
            else None
        )
    if "agreement" in data:
        data["agreement"] = (
            network_selectors.get_agreement_for(city, data["agreement"])
            if data["agreement"]
            else None
        )
    if "site" in data:
        data["site"] = network_selectors.get_site_for(city, data["site"]) if data["site"] else None
    if "edition" in data:
        data["edition"] = (
            network_selectors.get_edition(data["edition"]) if data["edition"] else None
        )
    for name in TEXT_FIELDS & set(data):
        value = data[name]
        data[name] = getattr(value, "value", value) or ""
    for name in DECIMAL_FIELDS & set(data):
        if data[name] is not None:
            data[name] = Decimal(str(data[name]))
    for name in ("kind", "action_area"):
        if name in data:
            data[name] = getattr(data[name], "value", data[name])
    if facilitators is not None:
        from lgnet.accounts.models import Membership

        users = list(
            User.objects.filter(
                username__in=facilitators,
                pk__in=Membership.objects.filter(city=city, is_active=True).values("user_id"),
            )
        )
        if len(users) != len(set(facilitators)):
            raise RuleBroken(_("Facilitators must be users of your city."), field="facilitators")
        facilitators = users
    if present is not None:
        present = [network_selectors.get_organisation_for(city, pk) for pk in present]
    return data, facilitators, present


def _with_related(activities):
    return activities.prefetch_related("facilitators", "organisations_present", "head_counts")


@router.get(
    "/activities",
    response={200: list[ActivityOut], **ERRORS},
    summary="Activities of your city (a partner: those its organisation runs)",
)
@paginate(LimitOffsetPagination)
def activity_list(
    request: HttpRequest,
    kind: ActivityKind | None = None,
    edition: str = Query("", max_length=20),
    q: str = Query("", max_length=100),
):
    need_read(request)
    return _with_related(
        selectors.list_activities(
            request.membership, kind=kind.value if kind else "", edition=edition, q=q
        )
    )


@router.post("/activities", response={201: ActivityOut, **ERRORS}, summary="Plan an activity")
def activity_create(request: HttpRequest, payload: ActivityIn):
    need(request, "activities.manage")
    data, facilitators, present = _activity_data(request, payload.dict())
    activity = services.create_activity(
        actor=request.user,
        city=request.city,
        data={k: v for k, v in data.items() if v is not None or k in ("capacity",)},
        facilitators=facilitators or [],
        organisations_present=present or [],
    )
    return Status(
        201, _with_related(selectors.list_activities(request.membership)).get(pk=activity.pk)
    )


@router.get("/activities/{activity_id}", response={200: ActivityOut, **ERRORS})
def activity_detail(request: HttpRequest, activity_id: int):
    need_read(request)
    return get_object_or_404(
        _with_related(selectors.list_activities(request.membership)), pk=activity_id
    )


@router.patch("/activities/{activity_id}", response={200: ActivityOut, **ERRORS})
def activity_update(request: HttpRequest, activity_id: int, payload: ActivityPatch):
    need(request, "activities.manage")
    activity = selectors.get_activity_for(request.membership, activity_id)
    data, facilitators, present = _activity_data(request, payload.dict(exclude_unset=True))
    services.update_activity(
        actor=request.user,
        activity=activity,
        changes=data,
        facilitators=facilitators,
        organisations_present=present,
    )
    return _with_related(selectors.list_activities(request.membership)).get(pk=activity.pk)


class HeadCountsIn(Schema):
    items: list[HeadCountOut] = Field(max_length=60)


@router.put(
    "/activities/{activity_id}/head-counts",
    response={200: ActivityOut, **ERRORS},
    summary="An awareness event's participants by sex and age band (replaces them)",
)
def activity_head_counts(request: HttpRequest, activity_id: int, payload: HeadCountsIn):
    need(request, "activities.manage")
    activity = selectors.get_activity_for(request.membership, activity_id)
    services.record_head_counts(
        actor=request.user,
        activity=activity,
        counts=[
            {"sex": i.sex.value, "age_band": i.age_band.value, "count": i.count}
            for i in payload.items
        ],
    )
    return _with_related(selectors.list_activities(request.membership)).get(pk=activity.pk)


# Sessions -----------------------------------------------------------------------------------


def _time_of_day(value: time) -> time:
    """A session starts at a local time of day: an offset ("09:30Z") would be dropped on save
    and then could not be written back as JSON (was a 500)."""
    if value.tzinfo is not None:
        raise ValueError("a time of day without a time zone, such as 09:30")
    return value


TimeOfDay = Annotated[time, AfterValidator(_time_of_day)]


class SessionOut(Schema):
    id: int
    activity: int = Field(alias="activity_id")
    date: datetime.date
    start_time: time | None
    hours: float
    topic: str
    place: str
    is_cancelled: bool


class SessionIn(Schema):
    activity: int
    date: datetime.date
    hours: float = Field(gt=0, le=24)
    start_time: TimeOfDay | None = None
    topic: str = Field("", max_length=200)
    place: str = Field("", max_length=200)


class SessionPatch(Schema):
    date: datetime.date = patch_field()
    start_time: TimeOfDay | None = None
    hours: float = patch_field(gt=0, le=24)
    topic: str | None = Field(None, max_length=200)
    place: str | None = Field(None, max_length=200)
    is_cancelled: bool = patch_field(description="true cancels the session, false restores it")


class WeeklyIn(Schema):
    activity: int
    weekdays: list[int] = Field(min_length=1, max_length=7, description="0 = Monday … 6 = Sunday")
    start_time: TimeOfDay | None = None
    hours: float = Field(gt=0, le=24)
    first_day: date = Field(alias="from")
    last_day: date = Field(alias="to")
    skip: list[date] = Field(default_factory=list, max_length=100, description="holidays")
    topic: str = Field("", max_length=200)
    place: str = Field("", max_length=200)


class SessionsOut(Schema):
    items: list[SessionOut]
    count: int


@router.get("/sessions", response={200: list[SessionOut], **ERRORS}, summary="Sessions")
@paginate(LimitOffsetPagination)
def session_list(request: HttpRequest, activity: int | None = None, on: date | None = None):
    need_read(request)
    chosen = selectors.get_activity_for(request.membership, activity) if activity else None
    return selectors.list_sessions(request.membership, activity=chosen, on=on)


@router.post("/sessions", response={201: SessionOut, **ERRORS}, summary="Add one session")
def session_create(request: HttpRequest, payload: SessionIn):
    need(request, "activities.manage")
    activity = selectors.get_activity_for(request.membership, payload.activity)
    session = services.add_session(
        actor=request.user,
        activity=activity,
        date=payload.date,
        hours=payload.hours,
        start_time=payload.start_time,
        topic=payload.topic,
        place=payload.place,
    )
    return Status(201, session)


@router.post(
    "/sessions/weekly",
    response={201: SessionsOut, **ERRORS},
    summary="Plan sessions from a weekly pattern, skipping holidays",
)
def session_weekly(request: HttpRequest, payload: WeeklyIn):
    need(request, "activities.manage")
    activity = selectors.get_activity_for(request.membership, payload.activity)
    sessions = services.plan_weekly_sessions(
        actor=request.user,
        activity=activity,
        pattern=services.WeeklyPattern(
            weekdays=sorted(set(payload.weekdays)),
            start_time=payload.start_time,
            hours=payload.hours,
            first_day=payload.first_day,
            last_day=payload.last_day,
            skip=list(payload.skip),
            topic=payload.topic,
            place=payload.place,
        ),
    )
    return Status(201, {"items": sessions, "count": len(sessions)})


@router.get("/sessions/{session_id}", response={200: SessionOut, **ERRORS})
def session_detail(request: HttpRequest, session_id: int):
    need_read(request)
    return selectors.get_session_for(request.membership, session_id)


@router.patch(
    "/sessions/{session_id}",
    response={200: SessionOut, **ERRORS},
    summary="Move (date, start_time), change, cancel or restore a session",
)
def session_update(request: HttpRequest, session_id: int, payload: SessionPatch):
    need(request, "activities.manage")
    session = selectors.get_session_for(request.membership, session_id)
    return services.update_session(
        actor=request.user, session=session, changes=payload.dict(exclude_unset=True)
    )


class MarkIn(Schema):
    person: int
    status: AttendanceStatus
    hours: float | None = Field(None, ge=0, le=24, description="only when not the session's")


class AttendanceIn(Schema):
    items: list[MarkIn] = Field(max_length=500)


class MarkOut(Schema):
    person: int
    enrolment: int
    status: AttendanceStatus | None
    hours: float | None


class AttendanceOut(Schema):
    session: int
    items: list[MarkOut]


def _register(session) -> dict:
    return {
        "session": session.pk,
        "items": [
            {
                "person": enrolment.person_id,
                "enrolment": enrolment.pk,
                "status": mark.status if mark else None,
                "hours": (mark.hours if mark.hours is not None else session.hours)
                if mark and mark.status == AttendanceStatus.PRESENT
                else None,
            }
            for enrolment, mark in selectors.register_of(session)
        ],
    }


@router.get(
    "/sessions/{session_id}/attendance",
    response={200: AttendanceOut, **ERRORS},
    summary="The session's register: everyone on it and their mark (null: not marked)",
)
def attendance_detail(request: HttpRequest, session_id: int):
    need_read(request)
    return _register(selectors.get_session_for(request.membership, session_id))


@router.put(
    "/sessions/{session_id}/attendance",
    response={200: AttendanceOut, **ERRORS},
    summary="Mark people present, absent or excused (the marks sent; others unchanged)",
)
def attendance_update(request: HttpRequest, session_id: int, payload: AttendanceIn):
    need(request, "activities.record")
    session = selectors.get_session_for(request.membership, session_id)
    marks = services.marks_for(session, [item.dict() for item in payload.items])
    services.record_attendance(actor=request.user, session=session, marks=marks)
    return _register(session)


# Enrolments --------------------------------------------------------------------------------


class ParticipantOut(Schema):
    """The fields a partner may read of a participant (DESIGN §3): nothing sensitive."""

    id: int
    given_names: str
    family_names: str
    sex: Sex
    birth_year: int | None
    languages: list[str]
    phone: str


class EnrolmentOut(Schema):
    id: int
    activity: int = Field(alias="activity_id")
    person: int = Field(alias="person_id")
    participant: ParticipantOut = Field(alias="person")
    status: EnrolmentStatus
    enrolled_on: date
    ended_on: date | None
    dropout_reason: str
    entry_level: str
    exit_level: str
    gained_level: bool
    hours_attended: float
    present_sessions: int
    sessions_held: int
    days_worked: int
    attendance_rate: float | None = Field(
        description="present sessions / sessions held so far, 0..1 (null before any)"
    )


class EnrolmentIn(Schema):
    activity: int
    person: int
    enrolled_on: date | None = None
    entry_level: Level | None = None


class EnrolmentPatch(Schema):
    status: EnrolmentStatus = patch_field(
        description="completed (by the attendance rule), dropped_out, not_admitted, enrolled"
    )
    dropout_reason: str | None = Field(None, max_length=300)
    ended_on: date | None = None
    entry_level: Level | None = None
    exit_level: Level | None = None
    enrolled_on: date = patch_field()


@router.get("/enrolments", response={200: list[EnrolmentOut], **ERRORS}, summary="Enrolments")
@paginate(LimitOffsetPagination)
def enrolment_list(
    request: HttpRequest,
    activity: int | None = None,
    person: int | None = None,
    status: EnrolmentStatus | None = None,
):
    need_read(request)
    chosen = selectors.get_activity_for(request.membership, activity) if activity else None
    who = people_selectors.get_person_for(request.city, person) if person else None
    return selectors.list_enrolments(
        request.membership, activity=chosen, person=who, status=status.value if status else ""
    )


@router.post(
    "/enrolments",
    response={201: EnrolmentOut, **ERRORS},
    summary="Enrol a person (the waiting list when full; twice in one activity: 409)",
)
def enrolment_create(request: HttpRequest, payload: EnrolmentIn):
    need(request, "activities.manage")
    activity = selectors.get_activity_for(request.membership, payload.activity)
    person = people_selectors.get_person_for(request.city, payload.person)
    enrolment = services.enrol(
        actor=request.user,
        activity=activity,
        person=person,
        enrolled_on=payload.enrolled_on,
        entry_level=payload.entry_level.value if payload.entry_level else "",
    )
    return Status(201, selectors.get_enrolment_for(request.membership, enrolment.pk))


@router.get("/enrolments/{enrolment_id}", response={200: EnrolmentOut, **ERRORS})
def enrolment_detail(request: HttpRequest, enrolment_id: int):
    need_read(request)
    return selectors.get_enrolment_for(request.membership, enrolment_id)


@router.patch(
    "/enrolments/{enrolment_id}",
    response={200: EnrolmentOut, **ERRORS},
    summary="Levels (partners too); status and dates (the city)",
)
def enrolment_update(request: HttpRequest, enrolment_id: int, payload: EnrolmentPatch):
    need(request, "activities.record")
    changes = payload.dict(exclude_unset=True)
    if set(changes) - {"entry_level", "exit_level"}:
        need(request, "activities.manage")
    enrolment = selectors.get_enrolment_for(request.membership, enrolment_id)
    if "entry_level" in changes or "exit_level" in changes:
        services.record_levels(
            actor=request.user,
            enrolment=enrolment,
            entry_level=(changes["entry_level"] or "") if "entry_level" in changes else None,
            exit_level=(changes["exit_level"] or "") if "exit_level" in changes else None,
        )
    if "enrolled_on" in changes:
        services.update_enrolment(
            actor=request.user, enrolment=enrolment, changes={"enrolled_on": changes["enrolled_on"]}
        )
    if "status" in changes:
        services.change_status(
            actor=request.user,
            enrolment=enrolment,
            status=changes["status"].value,
            reason=changes.get("dropout_reason") or "",
            on=changes.get("ended_on"),
        )
    return selectors.get_enrolment_for(request.membership, enrolment_id)


# Legal language certificates -------------------------------------------------------------


class LanguageCertificateOut(Schema):
    id: int
    person: int = Field(alias="person_id")
    level: str
    issuer: CertificateIssuer
    issued_on: date
    note: str


class LanguageCertificateIn(Schema):
    person: int
    level: Level
    issuer: CertificateIssuer
    issued_on: date
    note: str = Field("", max_length=200)


@router.get(
    "/language-certificates",
    response={200: list[LanguageCertificateOut], **ERRORS},
    summary="Legal certificates of Italian issued elsewhere (CPIA test, CILS, CELI)",
)
@paginate(LimitOffsetPagination)
def language_certificate_list(request: HttpRequest, person: int | None = None):
    need(request, "activities.view")
    who = people_selectors.get_person_for(request.city, person) if person else None
    return selectors.list_language_certificates(request.city, person=who)


@router.post(
    "/language-certificates",
    response={201: LanguageCertificateOut, **ERRORS},
    summary="Record a person's legal certificate of Italian, with its date and level",
)
def language_certificate_create(request: HttpRequest, payload: LanguageCertificateIn):
    need(request, "activities.manage")
    person = people_selectors.get_person_for(request.city, payload.person)
    certificate = services.record_language_certificate(
        actor=request.user,
        person=person,
        level=payload.level.value,
        issuer=payload.issuer.value,
        issued_on=payload.issued_on,
        note=payload.note,
    )
    return Status(201, certificate)
