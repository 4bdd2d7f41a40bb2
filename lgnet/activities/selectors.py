"""Reads of activities. Every read takes the membership (partners see only the activities
their organisation runs) or the city explicitly."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lgnet.activities.models import (
    CEFR_RANK,
    ON_REGISTER,
    PLACE_HOLDING,
    Activity,
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentRequest,
    EnrolmentStatus,
    RequestStatus,
    Session,
)
from lgnet.people.selectors import check_not_restricted, sees_restricted


def can_read(membership) -> bool:
    return membership is not None and (
        membership.can("activities.view") or membership.can("activities.record")
    )


def is_partner_view(membership) -> bool:
    """A partner worker records the register of its organisation's activities only."""
    return not membership.can("activities.view")


def _visible(membership, activities: QuerySet[Activity]) -> QuerySet[Activity]:
    activities = activities.filter(city_id=membership.city_id)
    if is_partner_view(membership):
        if membership.organisation_id is None:
            return activities.none()
        activities = activities.filter(organisation_id=membership.organisation_id)
    return activities


def list_activities(
    membership, *, kind: str = "", q: str = "", edition: str = "", current: bool = False
) -> QuerySet[Activity]:
    activities = _visible(membership, Activity.objects.all()).select_related(
        "organisation", "site", "edition", "city"
    )
    if kind:
        activities = activities.filter(kind=kind)
    if q:
        activities = activities.filter(title__icontains=q)
    if edition:
        activities = activities.filter(edition__code=edition)
    if current:
        activities = activities.filter(end_date__gte=timezone.localdate())
    # Partners' requests to enrol someone, still to be answered (a subquery: a second join
    # beside the enrolments' would multiply the counts).
    open_requests = (
        EnrolmentRequest.objects.filter(activity=OuterRef("pk"), status=RequestStatus.OPEN)
        .values("activity")
        .annotate(c=Count("id"))
        .values("c")
    )
    return activities.annotate(
        enrolled_count=Count("enrolments", filter=Q(enrolments__status__in=PLACE_HOLDING)),
        waiting_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
        open_requests=Coalesce(Subquery(open_requests, output_field=IntegerField()), 0),
    ).order_by("-start_date", "title", "id")


def get_activity_for(membership, activity_id: int) -> Activity:
    """404 for another city's activity and, for a partner, another organisation's."""
    return get_object_or_404(list_activities(membership), pk=activity_id)


def list_sessions(
    membership, *, activity: Activity | None = None, on: date | None = None
) -> QuerySet[Session]:
    sessions = Session.objects.filter(
        city_id=membership.city_id, activity__in=_visible(membership, Activity.objects.all())
    ).select_related("activity", "activity__city")
    if activity is not None:
        sessions = sessions.filter(activity=activity)
    if on is not None:
        sessions = sessions.filter(date=on)
    return sessions.order_by("date", "start_time", "id")


def get_session_for(membership, session_id: int) -> Session:
    return get_object_or_404(list_sessions(membership), pk=session_id)


def sessions_today(membership, today: date | None = None) -> QuerySet[Session]:
    """Today's sessions the user may keep the register of (facilitated ones first)."""
    today = today or timezone.localdate()
    return (
        list_sessions(membership, on=today)
        .filter(is_cancelled=False)
        .annotate(
            is_mine=Exists(
                Activity.facilitators.through.objects.filter(
                    activity_id=OuterRef("activity_id"), user_id=membership.user_id
                )
            )
        )
        .order_by("-is_mine", "start_time", "id")
    )


def with_figures(enrolments: QuerySet[Enrolment], today: date | None = None) -> QuerySet:
    """Hours attended, present sessions, sessions held and the attendance rate, computed by
    PostgreSQL in the same query (no query per enrolment).

    Held sessions: not cancelled, on or before today, and between the enrolment date and
    the day the person left (dropped out, not admitted, completed) unless the person has a
    mark in them (a late joiner is not absent from the sessions before joining, nor someone
    who left from those after; a mark recorded late still counts). See decision 0010.
    """
    today = today or timezone.localdate()
    present = Attendance.objects.filter(
        enrolment=OuterRef("pk"),
        status=AttendanceStatus.PRESENT,
        session__is_cancelled=False,
        session__date__lte=today,
    )
    hours = (
        present.values("enrolment").annotate(h=Sum(Coalesce("hours", "session__hours"))).values("h")
    )
    present_count = present.values("enrolment").annotate(c=Count("id")).values("c")
    held = (
        Session.objects.filter(activity=OuterRef("activity"), is_cancelled=False, date__lte=today)
        .filter(
            Q(
                date__gte=OuterRef("enrolled_on"),
                date__lte=Coalesce(OuterRef("ended_on"), Value(today)),
            )
            | Exists(
                Attendance.objects.filter(
                    session=OuterRef("pk"), enrolment=OuterRef(OuterRef("pk"))
                )
            )
        )
        .values("activity")
        .annotate(c=Count("id"))
        .values("c")
    )
    days_worked = (
        present.values("enrolment").annotate(d=Count("session__date", distinct=True)).values("d")
    )
    return enrolments.annotate(
        hours_attended=Coalesce(
            Subquery(hours, output_field=DecimalField(max_digits=8, decimal_places=2)),
            Value(0),
            output_field=DecimalField(max_digits=8, decimal_places=2),
        ),
        present_sessions=Coalesce(Subquery(present_count, output_field=IntegerField()), 0),
        sessions_held=Coalesce(Subquery(held, output_field=IntegerField()), 0),
        days_worked=Coalesce(Subquery(days_worked, output_field=IntegerField()), 0),
    ).annotate(
        attendance_rate=Cast(F("present_sessions"), FloatField())
        / NullIf(Cast(F("sessions_held"), FloatField()), 0.0),
    )


def _enrolments(membership) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(
        city_id=membership.city_id, activity__in=_visible(membership, Activity.objects.all())
    ).select_related("activity", "activity__city", "person")


def list_enrolments(
    membership,
    *,
    activity: Activity | None = None,
    person=None,
    status: str = "",
    today: date | None = None,
) -> QuerySet[Enrolment]:
    """A restricted person's enrolments are left out for all but the city coordinator
    (art. 18, decision 0012); the activity's counts still hold their places."""
    enrolments = _enrolments(membership)
    if not sees_restricted(membership):
        enrolments = enrolments.exclude(person__is_restricted=True)
    if activity is not None:
        enrolments = enrolments.filter(activity=activity)
    if person is not None:
        enrolments = enrolments.filter(person=person)
    if status:
        enrolments = enrolments.filter(status=status)
    return with_figures(enrolments, today).order_by(
        "person__family_names", "person__given_names", "id"
    )


def get_enrolment_for(membership, enrolment_id: int) -> Enrolment:
    """404 outside the membership's reach; 403 for a restricted person's enrolment (and so
    its certificate) unless the membership is the city coordinator's."""
    enrolment = get_object_or_404(with_figures(_enrolments(membership)), pk=enrolment_id)
    check_not_restricted(enrolment.person, membership)
    return enrolment


def waiting_list(activity: Activity) -> QuerySet[Enrolment]:
    """First come, first served: the earliest request first."""
    return Enrolment.objects.filter(
        city=activity.city, activity=activity, status=EnrolmentStatus.WAITING
    ).order_by("created_at", "id")


def register_of(session: Session, membership=None) -> list[tuple[Enrolment, Attendance | None]]:
    """The session's register: each person on it with their mark, in two queries.

    Whoever is enrolled (or completed) appears, plus anyone marked in this session who
    has since left, so an old register keeps its marks. A restricted person's row is left
    out (nobody marks them) unless the viewer is the city coordinator (art. 18).
    ``membership``: the viewer; by default the request's (people.selectors).
    """
    marks = {
        a.enrolment_id: a for a in Attendance.objects.filter(city=session.city, session=session)
    }
    enrolments = (
        Enrolment.objects.filter(city=session.city, activity_id=session.activity_id)
        .filter(Q(status__in=ON_REGISTER) | Q(pk__in=list(marks)))
        .select_related("person")
        .order_by("person__family_names", "person__given_names", "id")
    )
    if not sees_restricted(membership):
        enrolments = enrolments.exclude(person__is_restricted=True)
    return [(e, marks.get(e.pk)) for e in enrolments]


def enrolments_of(person, membership) -> QuerySet[Enrolment]:
    """The person's enrolments the membership may see, with hours and rate."""
    return list_enrolments(membership, person=person).order_by("-enrolled_on", "-id")


def _rank(field: str) -> Case:
    return Case(
        *[When(**{field: level}, then=Value(rank)) for level, rank in CEFR_RANK.items()],
        default=Value(None),
        output_field=IntegerField(),
    )


def city_figures(city, *, since: date | None = None) -> dict:
    """Participants, hours attended and CEFR gains of the city's activities (counts only)."""
    enrolments = Enrolment.objects.filter(city=city).exclude(
        status__in=(EnrolmentStatus.WAITING, EnrolmentStatus.NOT_ADMITTED)
    )
    if since is not None:
        enrolments = enrolments.filter(activity__end_date__gte=since)
    counts = enrolments.annotate(
        entry_rank=_rank("entry_level"), exit_rank=_rank("exit_level")
    ).aggregate(
        participants=Count("person", distinct=True),
        gains=Count("id", filter=Q(exit_rank__gt=F("entry_rank"))),
    )
    hours = Attendance.objects.filter(
        city=city,
        status=AttendanceStatus.PRESENT,
        session__is_cancelled=False,
        enrolment__in=enrolments,
    ).aggregate(h=Sum(Coalesce("hours", "session__hours")))["h"]
    return {**counts, "hours": hours or 0}


def language_certificates_of(person) -> QuerySet:
    from lgnet.activities.models import LanguageCertificate

    return LanguageCertificate.objects.filter(city=person.city, person=person).order_by(
        "-issued_on", "-id"
    )


def list_language_certificates(city, *, person=None) -> QuerySet:
    from lgnet.activities.models import LanguageCertificate

    certificates = LanguageCertificate.objects.filter(city=city)
    if not sees_restricted():
        certificates = certificates.exclude(person__is_restricted=True)
    if person is not None:
        certificates = certificates.filter(person=person)
    return certificates.order_by("-issued_on", "-id")
