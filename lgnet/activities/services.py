"""Writes of activities: plan and change activities and sessions, enrol, keep the register."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lgnet.activities.models import (
    PLACE_HOLDING,
    Activity,
    ActivityKind,
    AllowanceBasis,
    Attendance,
    AttendanceStatus,
    CefrLevel,
    CertificateIssuer,
    CivicScheme,
    Enrolment,
    EnrolmentRequest,
    EnrolmentStatus,
    HeadCount,
    LanguageCertificate,
    RequestStatus,
    Session,
)
from lgnet.cases.models import ActionArea
from lgnet.core import audit
from lgnet.core.exceptions import RuleBroken
from lgnet.core.signals import rows_written
from lgnet.people.choices import AgeBand, Sex

ACTIVITY_FIELDS = {
    "kind",
    "title",
    "action_area",
    "organisation",
    "agreement",
    "site",
    "place",
    "edition",
    "start_date",
    "end_date",
    "capacity",
    "cefr_level",
    "planned_hours",
    "min_attendance",
    "tutor",
    "insurance",
    "insurance_from",
    "scheme",
    "allowance_amount",
    "allowance_basis",
    "hours_per_week",
}
MAX_PATTERN_SESSIONS = 400


def _check_choice(value: str, choices, field: str) -> None:
    if value and value not in choices.values:
        raise RuleBroken(_("Choose one of the listed values."), field=field)


def _check_activity(activity: Activity) -> None:
    """Rules an activity must keep, whatever changed."""
    _check_choice(activity.kind, ActivityKind, "kind")
    _check_choice(activity.action_area, ActionArea, "action_area")
    _check_choice(activity.cefr_level, CefrLevel, "cefr_level")
    _check_choice(activity.scheme, CivicScheme, "scheme")
    _check_choice(activity.allowance_basis, AllowanceBasis, "allowance_basis")
    if not (activity.title or "").strip():
        raise RuleBroken(_("Give the activity a title."), field="title")
    for name in ("start_date", "end_date"):
        if getattr(activity, name) is None:
            raise RuleBroken(_("This field is required."), field=name)
    if activity.end_date < activity.start_date:
        raise RuleBroken(_("The end date comes before the start date."), field="end_date")
    for name in ("organisation", "agreement", "site", "edition"):
        related = getattr(activity, name)
        if related is not None and name != "edition" and related.city_id != activity.city_id:
            raise RuleBroken(_("Choose one of your city's records."), field=name, status=404)
    if activity.agreement is not None:
        if activity.organisation is None:
            activity.organisation = activity.agreement.organisation
        elif activity.agreement.organisation_id != activity.organisation_id:
            raise RuleBroken(_("The agreement is with another organisation."), field="agreement")
    minimum = Decimal(str(activity.min_attendance))
    if not Decimal(0) <= minimum <= Decimal(1):
        raise RuleBroken(
            _("The minimum attendance is a fraction between 0 and 1."), field="min_attendance"
        )
    activity.min_attendance = minimum.quantize(Decimal("0.01"))
    if activity.pk and activity.is_civic and activity.insurance_from:
        first = (
            Session.objects.filter(city=activity.city, activity=activity, is_cancelled=False)
            .order_by("date")
            .values_list("date", flat=True)
            .first()
        )
        if first is not None and first < activity.insurance_from:
            raise RuleBroken(
                _("The insurance cover must start on or before the first session (%(d)s).")
                % {"d": first.isoformat()},
                field="insurance_from",
                status=409,
            )
    if activity.is_event and activity.capacity is not None:
        raise RuleBroken(_("An awareness event has no enrolments."), field="capacity")


@transaction.atomic
def create_activity(
    *, actor: Any, city, data: dict, facilitators: Iterable = (), organisations_present=()
) -> Activity:
    """Plan an activity; a partner's activity names the organisation, and the agreement
    when there is one."""
    unknown = set(data) - ACTIVITY_FIELDS
    if unknown:
        raise RuleBroken(_("Not editable."), field=sorted(unknown)[0])
    activity = Activity(city=city, **data)
    if activity.min_attendance is None:
        activity.min_attendance = Decimal("0.70")
    _check_activity(activity)
    activity.save()
    _set_people(activity, facilitators, organisations_present)
    audit.record(actor=actor, target=activity, action="activity.created")
    return activity


def _set_people(activity: Activity, facilitators, organisations_present) -> None:
    if facilitators is not None:
        activity.facilitators.set(list(facilitators))
    if organisations_present is not None:
        for organisation in organisations_present:
            if organisation.city_id != activity.city_id:
                raise RuleBroken(
                    _("Choose one of your city's records."),
                    field="organisations_present",
                    status=404,
                )
        activity.organisations_present.set(list(organisations_present))


@transaction.atomic
def update_activity(
    *,
    actor: Any,
    activity: Activity,
    changes: dict,
    facilitators=None,
    organisations_present=None,
) -> Activity:
    """Change an activity; a larger capacity promotes people from the waiting list."""
    unknown = set(changes) - ACTIVITY_FIELDS
    if unknown:
        raise RuleBroken(_("Not editable."), field=sorted(unknown)[0])
    activity = Activity.objects.select_for_update().get(pk=activity.pk, city=activity.city)
    becomes_event = changes.get("kind") == ActivityKind.EVENT != activity.kind
    if becomes_event and Enrolment.objects.filter(activity=activity).exists():
        raise RuleBroken(
            _("An awareness event has no enrolments: this activity has some."),
            field="kind",
            status=409,
        )
    for name, value in changes.items():
        setattr(activity, name, value)
    if activity.min_attendance is None:
        activity.min_attendance = Decimal("0.70")
    _check_activity(activity)
    if activity.capacity is not None:
        held = Enrolment.objects.filter(activity=activity, status__in=PLACE_HOLDING).count()
        if activity.capacity < held:
            raise RuleBroken(
                _("%(n)s people already hold a place.") % {"n": held}, field="capacity", status=409
            )
    activity.save()
    _set_people(activity, facilitators, organisations_present)
    _promote(activity, actor)
    audit.record(
        actor=actor, target=activity, action="activity.updated", data={"fields": sorted(changes)}
    )
    return activity


# Sessions ----------------------------------------------------------------------------------


def _hours(value, field: str = "hours") -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as error:
        raise RuleBroken(_("Give the hours as a number."), field=field) from error
    if not Decimal(0) < hours <= Decimal(24):
        raise RuleBroken(_("The hours must be more than 0 and at most 24."), field=field)
    return hours


def _check_session_date(activity: Activity, day: date, field: str = "date") -> None:
    if not activity.start_date <= day <= activity.end_date:
        raise RuleBroken(
            _("The session must fall between the activity's start and end dates."), field=field
        )
    if activity.is_civic and activity.insurance_from and day < activity.insurance_from:
        # INAIL cover for volunteering must already run on the first day worked.
        raise RuleBroken(
            _("The insurance cover starts on %(d)s: no session may come before it.")
            % {"d": activity.insurance_from.isoformat()},
            field=field,
            status=409,
        )


@transaction.atomic
def add_session(
    *,
    actor: Any,
    activity: Activity,
    date: date,
    hours,
    start_time: time | None = None,
    topic: str = "",
    place: str = "",
) -> Session:
    """One session, on a day within the activity's dates (and the insurance cover)."""
    _check_session_date(activity, date)
    session = Session.objects.create(
        city=activity.city,
        activity=activity,
        date=date,
        start_time=start_time,
        hours=_hours(hours),
        topic=topic[:200],
        place=place[:200],
    )
    audit.record(actor=actor, target=session, action="session.added")
    return session


@dataclass(frozen=True)
class WeeklyPattern:
    weekdays: list[int]  # 0 = Monday
    start_time: time | None
    hours: Decimal
    first_day: date
    last_day: date
    skip: list[date]
    topic: str = ""
    place: str = ""

    def days(self) -> list[date]:
        days, day = [], self.first_day
        while day <= self.last_day:
            if day.weekday() in self.weekdays and day not in self.skip:
                days.append(day)
            day += timedelta(days=1)
        return days


@transaction.atomic
def plan_weekly_sessions(
    *, actor: Any, activity: Activity, pattern: WeeklyPattern
) -> list[Session]:
    """Sessions on the given weekdays from one day to another, skipping holidays and the
    days that already have a session at that time (so planning twice adds nothing)."""
    if not pattern.weekdays or set(pattern.weekdays) - set(range(7)):
        raise RuleBroken(_("Choose at least one weekday."), field="weekdays")
    if pattern.last_day < pattern.first_day:
        raise RuleBroken(_("The end date comes before the start date."), field="to")
    hours = _hours(pattern.hours)
    days = pattern.days()
    if len(days) > MAX_PATTERN_SESSIONS:
        raise RuleBroken(_("Too many sessions at once: plan a shorter period."), field="to")
    for day in days[:1] + days[-1:]:
        _check_session_date(activity, day, field="from" if day == days[0] else "to")
    existing = set(
        Session.objects.filter(
            activity=activity, date__in=days, start_time=pattern.start_time
        ).values_list("date", flat=True)
    )
    sessions = Session.objects.bulk_create(
        [
            Session(
                city=activity.city,
                activity=activity,
                date=day,
                start_time=pattern.start_time,
                hours=hours,
                topic=pattern.topic[:200],
                place=pattern.place[:200],
            )
            for day in days
            if day not in existing
        ]
    )
    rows_written.send(
        sender=Session, rows=[{"city_id": activity.city_id, "date": s.date} for s in sessions]
    )
    audit.record(
        actor=actor, target=activity, action="sessions.planned", data={"count": len(sessions)}
    )
    return sessions


@transaction.atomic
def update_session(*, actor: Any, session: Session, changes: dict) -> Session:
    """Move a session (date, time), change hours, topic or place, cancel or restore it."""
    allowed = {"date", "start_time", "hours", "topic", "place", "is_cancelled"}
    unknown = set(changes) - allowed
    if unknown:
        raise RuleBroken(_("Not editable."), field=sorted(unknown)[0])
    if "date" in changes and changes["date"] != session.date:
        _check_session_date(session.activity, changes["date"])
        if changes["date"] > timezone.localdate() and session.attendances.exists():
            raise RuleBroken(
                _("The register of this session has marks: it cannot move to the future."),
                field="date",
                status=409,
            )
    if "hours" in changes:
        changes["hours"] = _hours(changes["hours"])
    for name in ("topic", "place"):
        if name in changes:
            changes[name] = (changes[name] or "")[:200]
    for name, value in changes.items():
        setattr(session, name, value)
    session.save()
    action = "session.updated"
    if changes.get("is_cancelled") is True:
        action = "session.cancelled"
    elif "date" in changes or "start_time" in changes:
        action = "session.moved"
    audit.record(actor=actor, target=session, action=action, data={"fields": sorted(changes)})
    return session


# Enrolments --------------------------------------------------------------------------------


def _promote(activity: Activity, actor: Any) -> list[Enrolment]:
    """Fill free places from the waiting list, first come first served. The caller holds
    the activity's row lock."""
    if activity.capacity is None:
        free = None
    else:
        held = Enrolment.objects.filter(activity=activity, status__in=PLACE_HOLDING).count()
        free = max(activity.capacity - held, 0)
    from lgnet.activities.selectors import waiting_list

    waiting = waiting_list(activity)
    promoted = list(waiting if free is None else waiting[:free])
    for enrolment in promoted:
        enrolment.status = EnrolmentStatus.ENROLLED
        enrolment.enrolled_on = max(timezone.localdate(), enrolment.enrolled_on)
        enrolment.save(update_fields=["status", "enrolled_on", "updated_at"])
        audit.record(actor=actor, target=enrolment, action="enrolment.promoted")
    return promoted


@transaction.atomic
def enrol(
    *, actor: Any, activity: Activity, person, enrolled_on: date | None = None, entry_level=""
) -> Enrolment:
    """Enrol a person once per activity; when the places are taken, on the waiting list."""
    if activity.is_event:
        raise RuleBroken(
            _("An awareness event has no enrolments: record head counts instead."), status=409
        )
    if person.city_id != activity.city_id:
        raise RuleBroken(_("Choose a person of your city."), field="person", status=404)
    if person.merged_into_id:
        raise RuleBroken(_("This record was merged into another one."), field="person", status=409)
    _check_choice(entry_level, CefrLevel, "entry_level")
    activity = Activity.objects.select_for_update().get(pk=activity.pk, city=activity.city)
    today = timezone.localdate()
    if enrolled_on is None:
        # Enrolled before the start: counted from the first session.
        enrolled_on = min(max(today, activity.start_date), activity.end_date)
    if enrolled_on > today and enrolled_on > activity.start_date:
        raise RuleBroken(_("The enrolment date cannot lie in the future."), field="enrolled_on")
    held = Enrolment.objects.filter(activity=activity, status__in=PLACE_HOLDING).count()
    full = activity.capacity is not None and held >= activity.capacity
    enrolment = Enrolment(
        city=activity.city,
        activity=activity,
        person=person,
        status=EnrolmentStatus.WAITING if full else EnrolmentStatus.ENROLLED,
        enrolled_on=enrolled_on,
        entry_level=entry_level or "",
        enrolled_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError as error:
        raise RuleBroken(
            _("This person is already enrolled in this activity."), field="person", status=409
        ) from error
    audit.record(
        actor=actor,
        target=enrolment,
        action="enrolment.waiting" if full else "enrolment.created",
    )
    return enrolment


def _finish(enrolment: Enrolment, status: str, on: date | None, reason: str = "") -> None:
    on = on or timezone.localdate()
    if on < enrolment.enrolled_on:
        raise RuleBroken(_("The date comes before the enrolment."), field="ended_on")
    enrolment.status, enrolment.ended_on, enrolment.dropout_reason = status, on, reason[:300]


@transaction.atomic
def change_status(
    *,
    actor: Any,
    enrolment: Enrolment,
    status: str,
    reason: str = "",
    on: date | None = None,
    today: date | None = None,
) -> Enrolment:
    """Move an enrolment on: completed (only by the activity's attendance rule), dropped
    out (with a reason), not admitted; a place that frees goes to the waiting list."""
    from lgnet.activities.selectors import with_figures

    today = today or timezone.localdate()
    activity = Activity.objects.select_for_update().get(
        pk=enrolment.activity_id, city=enrolment.city
    )
    enrolment = with_figures(
        Enrolment.objects.select_for_update(of=("self",)).filter(pk=enrolment.pk), today
    ).get()
    current = enrolment.status
    if status == current:
        return enrolment
    if status == EnrolmentStatus.COMPLETED:
        if current not in PLACE_HOLDING:
            raise RuleBroken(_("Only a person attending can complete."), field="status", status=409)
        if Session.objects.filter(activity=activity, is_cancelled=False, date__gt=today).exists():
            raise RuleBroken(
                _("Sessions are still to come: complete after the last one."),
                field="status",
                status=409,
            )
        rate = enrolment.attendance_rate
        if not meets_completion(enrolment, activity):
            raise RuleBroken(
                _("Attendance %(rate)s %% is below the %(min)s %% this activity asks.")
                % {
                    "rate": round((rate or 0) * 100),
                    "min": round(activity.min_attendance * 100),
                },
                field="status",
                status=409,
            )
        _finish(enrolment, status, on)
    elif status == EnrolmentStatus.DROPPED_OUT:
        if current not in PLACE_HOLDING:
            raise RuleBroken(_("Only a person enrolled can drop out."), field="status", status=409)
        if not reason.strip():
            raise RuleBroken(_("Say why the person dropped out."), field="dropout_reason")
        _finish(enrolment, status, on, reason)
    elif status == EnrolmentStatus.NOT_ADMITTED:
        if current not in (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING):
            raise RuleBroken(
                _("Only a person not yet attending can be refused."), field="status", status=409
            )
        _finish(enrolment, status, on, reason)
    elif status in (EnrolmentStatus.ENROLLED, EnrolmentStatus.ATTENDING):
        # Reinstated (e.g. a dropout comes back): takes a place if one is free.
        if current in PLACE_HOLDING:
            enrolment.status = status
        else:
            held = Enrolment.objects.filter(activity=activity, status__in=PLACE_HOLDING).count()
            if activity.capacity is not None and held >= activity.capacity:
                raise RuleBroken(_("The activity is full."), field="status", status=409)
            enrolment.status, enrolment.ended_on, enrolment.dropout_reason = status, None, ""
    else:
        raise RuleBroken(_("Choose one of the listed values."), field="status")
    enrolment.save(update_fields=["status", "ended_on", "dropout_reason", "updated_at"])
    audit.record(actor=actor, target=enrolment, action=f"enrolment.{status}")
    # Completing happens after the last session: the place it frees is no use to anyone
    # waiting, so nobody is promoted into a course that is over.
    if current in PLACE_HOLDING and status not in (*PLACE_HOLDING, EnrolmentStatus.COMPLETED):
        _promote(activity, actor)
    return enrolment


def meets_completion(enrolment: Enrolment, activity: Activity) -> bool:
    """The activity's rule: present in at least ``min_attendance`` of the sessions held.
    ``enrolment`` carries the figures of ``selectors.with_figures``."""
    rate = enrolment.attendance_rate
    return rate is not None and Decimal(str(rate)) >= activity.min_attendance


@dataclass(frozen=True)
class Completion:
    completed: list[Enrolment]
    below: list[Enrolment]


@transaction.atomic
def complete_activity(*, actor: Any, activity: Activity, today: date | None = None) -> Completion:
    """At the end of an activity, complete at once everyone holding a place whose attendance
    meets the activity's rule; the others are left as they are for the city to decide."""
    from lgnet.activities.selectors import with_figures

    today = today or timezone.localdate()
    if activity.is_event:
        raise RuleBroken(_("An awareness event has no enrolments."), status=409)
    activity = Activity.objects.select_for_update().get(pk=activity.pk, city=activity.city)
    if Session.objects.filter(activity=activity, is_cancelled=False, date__gt=today).exists():
        raise RuleBroken(_("Sessions are still to come: complete after the last one."), status=409)
    last = (
        Session.objects.filter(activity=activity, is_cancelled=False, date__lte=today)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    if last is None:
        raise RuleBroken(_("No session has been held yet."), status=409)
    holding = with_figures(
        Enrolment.objects.select_for_update(of=("self",)).filter(
            city=activity.city, activity=activity, status__in=PLACE_HOLDING
        ),
        today,
    ).select_related("person")
    completed, below = [], []
    for enrolment in holding:
        if not meets_completion(enrolment, activity):
            below.append(enrolment)
            continue
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.ended_on = max(last, enrolment.enrolled_on)
        enrolment.save(update_fields=["status", "ended_on", "updated_at"])
        audit.record(actor=actor, target=enrolment, action="enrolment.completed")
        completed.append(enrolment)
    audit.record(
        actor=actor,
        target=activity,
        action="activity.completed",
        data={"completed": len(completed), "below": len(below)},
    )
    return Completion(completed, below)


@transaction.atomic
def record_levels(
    *, actor: Any, enrolment: Enrolment, entry_level: str | None = None, exit_level=None
) -> Enrolment:
    """Entry (placement test) and exit (final test) CEFR levels of a language course."""
    for name, value in (("entry_level", entry_level), ("exit_level", exit_level)):
        if value is not None:
            _check_choice(value, CefrLevel, name)
            setattr(enrolment, name, value)
    enrolment.save(update_fields=["entry_level", "exit_level", "updated_at"])
    audit.record(actor=actor, target=enrolment, action="enrolment.levels")
    return enrolment


@transaction.atomic
def update_enrolment(*, actor: Any, enrolment: Enrolment, changes: dict) -> Enrolment:
    """Correct the enrolment date."""
    if "enrolled_on" in changes:
        day = changes["enrolled_on"]
        if day > timezone.localdate() and day > enrolment.activity.start_date:
            raise RuleBroken(_("The enrolment date cannot lie in the future."), field="enrolled_on")
        if enrolment.ended_on and day > enrolment.ended_on:
            raise RuleBroken(_("The date comes after the end."), field="enrolled_on")
        enrolment.enrolled_on = day
        enrolment.save(update_fields=["enrolled_on", "updated_at"])
        audit.record(actor=actor, target=enrolment, action="enrolment.updated")
    return enrolment


# The register ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    enrolment: Enrolment
    status: str
    hours: Decimal | None = None


def marks_for(session: Session, items: list[dict]) -> list[Mark]:
    """Read ``[{"person", "status", "hours"?}]`` against the session's enrolments."""
    wanted: dict[int, dict] = {}
    for item in items:
        wanted[int(item["person"])] = item  # the last mark of a person wins
    from lgnet.people.selectors import sees_restricted

    found = Enrolment.objects.filter(
        city=session.city, activity_id=session.activity_id, person_id__in=list(wanted)
    )
    if not sees_restricted():  # art. 18: a restricted file is not there for this viewer
        found = found.exclude(person__is_restricted=True)
    enrolments = {e.person_id: e for e in found}
    marks = []
    for person_id, item in wanted.items():
        enrolment = enrolments.get(person_id)
        if enrolment is None:
            raise RuleBroken(
                _("Person %(id)s is not enrolled in this activity.") % {"id": person_id},
                field="items.person",
            )
        marks.append(Mark(enrolment, item["status"], item.get("hours")))
    return marks


@transaction.atomic
def record_attendance(
    *, actor: Any, session: Session, marks: list[Mark], today: date | None = None
) -> int:
    """Save marks of a session's register at once. Marking the same again changes nothing
    (an upsert), so a tap sent twice over a bad connection is harmless."""
    today = today or timezone.localdate()
    if session.is_cancelled:
        raise RuleBroken(_("The session was cancelled."), status=409)
    if session.date > today:
        raise RuleBroken(_("The session has not taken place yet."), field="date", status=409)
    rows = []
    for mark in marks:
        if mark.enrolment.activity_id != session.activity_id:
            raise RuleBroken(_("Not enrolled in this activity."), field="items.person")
        if mark.enrolment.status not in (*PLACE_HOLDING, EnrolmentStatus.COMPLETED):
            raise RuleBroken(
                _("Only people enrolled can be marked."), field="items.person", status=409
            )
        if mark.status not in AttendanceStatus.values:
            raise RuleBroken(_("Present, absent or excused."), field="items.status")
        hours = None
        if mark.hours not in (None, ""):
            try:
                hours = Decimal(str(mark.hours)).quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError) as error:
                raise RuleBroken(_("Give the hours as a number."), field="items.hours") from error
            if not Decimal(0) <= hours <= Decimal(24):
                raise RuleBroken(_("Between 0 and 24 hours."), field="items.hours")
            if hours == session.hours:
                hours = None
        rows.append(
            Attendance(
                city=session.city,
                session=session,
                enrolment=mark.enrolment,
                status=mark.status,
                hours=hours if mark.status == AttendanceStatus.PRESENT else None,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        )
    if not rows:
        return 0
    Attendance.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["session", "enrolment"],
        update_fields=["status", "hours", "recorded_by", "updated_at"],
    )
    starting = Enrolment.objects.filter(
        pk__in=[r.enrolment.pk for r in rows if r.status == AttendanceStatus.PRESENT],
        status=EnrolmentStatus.ENROLLED,
    )
    started = list(starting.values("city_id", "enrolled_on", "ended_on"))
    starting.update(status=EnrolmentStatus.ATTENDING, updated_at=timezone.now())
    # The register is written in bulk: the figures hear of it as of saves.
    rows_written.send(
        sender=Attendance, rows=[{"city_id": session.city_id, "session_id": session.pk}]
    )
    rows_written.send(sender=Enrolment, rows=started)
    audit.record(
        actor=actor,
        target=session,
        action="attendance.recorded",
        data={"marks": len(rows)},
    )
    return len(rows)


# Awareness events --------------------------------------------------------------------------


@transaction.atomic
def record_head_counts(*, actor: Any, activity: Activity, counts: list[dict]) -> None:
    """An event's participants by sex and age band (no person is recorded)."""
    if not activity.is_event:
        raise RuleBroken(_("Head counts are for awareness events."), status=409)
    cells: dict[tuple[str, str], int] = {}
    for row in counts:
        sex, band, count = row["sex"], row["age_band"], int(row["count"])
        _check_choice(sex, Sex, "sex")
        _check_choice(band, AgeBand, "age_band")
        if count < 0 or count > 100_000:
            raise RuleBroken(_("Give a number of people."), field="count")
        cells[(sex, band)] = count
    HeadCount.objects.filter(activity=activity).delete()
    HeadCount.objects.bulk_create(
        [
            HeadCount(city=activity.city, activity=activity, sex=sex, age_band=band, count=n)
            for (sex, band), n in sorted(cells.items())
            if n > 0
        ]
    )
    rows_written.send(
        sender=HeadCount, rows=[{"city_id": activity.city_id, "activity_id": activity.pk}]
    )
    audit.record(
        actor=actor,
        target=activity,
        action="event.head_counts",
        data={"people": sum(cells.values())},
    )


@transaction.atomic
def record_language_certificate(
    *, actor: Any, person, level: str, issued_on: date, issuer: str, note: str = ""
) -> LanguageCertificate:
    """A legal certificate of Italian, issued elsewhere, kept as a fact about the person and
    written into the open language goals of the person's plan."""
    if person.merged_into_id:
        raise RuleBroken(_("This record was merged into another one."), field="person", status=409)
    _check_choice(level, CefrLevel, "level")
    _check_choice(issuer, CertificateIssuer, "issuer")
    if not level:
        raise RuleBroken(_("Choose one of the listed values."), field="level")
    if issued_on > timezone.localdate():
        raise RuleBroken(_("The date cannot lie in the future."), field="issued_on")
    certificate = LanguageCertificate.objects.create(
        city=person.city,
        person=person,
        level=level,
        issued_on=issued_on,
        issuer=issuer,
        note=note[:200],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(actor=actor, target=certificate, action="language_certificate.recorded")
    certificate.goals_fed = _feed_plan(actor, certificate)
    return certificate


def _feed_plan(actor: Any, certificate: LanguageCertificate) -> int:
    """The certificate feeds the person's plan: each open language goal of the person's open
    cases gets it written into its outcome and, if it was only planned, is now in progress.
    Whether the goal is achieved stays the case team's judgement."""
    from lgnet.cases.models import GOAL_OPEN, Case, Domain, Goal, GoalStatus
    from lgnet.cases.services import update_goal

    fact = _("Italian certificate %(level)s (%(issuer)s), %(date)s") % {
        "level": certificate.level,
        "issuer": certificate.get_issuer_display(),
        "date": certificate.issued_on.strftime("%d/%m/%Y"),
    }
    goals = Goal.objects.filter(
        city=certificate.city,
        case__in=Case.objects.filter(city=certificate.city, person=certificate.person).not_closed(),
        domain=Domain.LANGUAGE,
        status__in=GOAL_OPEN,
    ).order_by("id")
    fed = 0
    for goal in goals:
        outcome = goal.outcome.strip()
        if fact not in outcome:
            outcome = f"{outcome}; {fact}" if outcome else fact
        update_goal(
            actor=actor,
            goal=goal,
            status=GoalStatus.IN_PROGRESS,
            outcome=outcome[-500:] if len(outcome) > 500 else outcome,
        )
        fed += 1
    return fed


@transaction.atomic
def request_enrolment(
    *, actor: Any, activity: Activity, name: str, phone: str = "", note: str = ""
) -> EnrolmentRequest:
    """A partner asks the city to enrol someone; it does not enrol on its own."""
    if activity.is_event:
        raise RuleBroken(_("An awareness event has no enrolments."), status=409)
    if not name.strip():
        raise RuleBroken(_("Give the person's name."), field="name")
    request = EnrolmentRequest.objects.create(
        city=activity.city,
        activity=activity,
        name=name.strip()[:200],
        phone=phone.strip()[:40],
        note=note.strip()[:300],
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(actor=actor, target=request, action="enrolment_request.created")
    return request


@transaction.atomic
def close_enrolment_request(*, actor: Any, request: EnrolmentRequest, status: str):
    """The city marks a partner's request as enrolled or declined."""
    if status not in (RequestStatus.ENROLLED, RequestStatus.DECLINED):
        raise RuleBroken(_("Choose one of the listed values."), field="status")
    request.status = status
    request.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, target=request, action=f"enrolment_request.{status}")
    return request
