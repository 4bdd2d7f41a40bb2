"""Pages of activities: list, planning, the activity's page, the phone register,
enrolments and certificates."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lgnet.accounts.permissions import requires
from lgnet.activities import certificates, selectors, services
from lgnet.activities.forms import (
    ActivityForm,
    EnrolForm,
    EnrolmentRequestForm,
    HeadCountForm,
    LanguageCertificateForm,
    LevelsForm,
    MarkForm,
    MoveSessionForm,
    SessionForm,
    StatusForm,
    VerifyForm,
    WeeklyForm,
)
from lgnet.activities.models import (
    PLACE_HOLDING,
    ActivityKind,
    AttendanceStatus,
    EnrolmentStatus,
)
from lgnet.core.exceptions import RuleBroken
from lgnet.core.forms import parse_id
from lgnet.network import selectors as network_selectors
from lgnet.people import selectors as people_selectors


def reads(view):
    """Coordinators, caseworkers and auditors read every activity; partner workers those
    their organisation runs (the selectors narrow them)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        membership = getattr(request, "membership", None)
        if membership is None:
            raise Http404
        if not selectors.can_read(membership):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.required_capability = "activities.view|activities.record"
    return wrapped


def _form_error(form, error: RuleBroken) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@reads
def activity_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "")[:100]
    activities = selectors.list_activities(
        request.membership, kind=kind if kind in ActivityKind.values else "", q=q
    )
    page = Paginator(activities, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/activity_list.html",
        {
            "page": page,
            "kind": kind,
            "q": q,
            "kinds": ActivityKind.choices,
            "today_sessions": selectors.sessions_today(request.membership)[:20],
        },
    )


def _activity_form(request: HttpRequest, *args, **kwargs) -> ActivityForm:
    from lgnet.accounts.models import Membership, User

    city = request.city
    return ActivityForm(
        *args,
        organisations=network_selectors.list_organisations(city),
        agreements=network_selectors.list_agreements(city),
        sites=network_selectors.list_sites(city),
        editions=network_selectors.list_editions(),
        users=User.objects.filter(
            pk__in=Membership.objects.filter(city=city, is_active=True).values("user_id")
        ).order_by("last_name", "username"),
        **kwargs,
    )


@requires("activities.manage")
def activity_create(request: HttpRequest, city_slug: str) -> HttpResponse:
    form = _activity_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.create_activity(
                actor=request.user,
                city=request.city,
                data=form.changes(),
                facilitators=form.cleaned_data["facilitators"],
                organisations_present=form.cleaned_data["organisations_present"],
            )
            messages.success(request, _("Activity created."))
            return redirect(activity)
        except RuleBroken as error:
            _form_error(form, error)
    return render(
        request,
        "activities/activity_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@requires("activities.manage")
def activity_edit(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for(request.membership, pk)
    form = _activity_form(request, request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_activity(
                actor=request.user,
                activity=activity,
                changes=form.changes(),
                facilitators=form.cleaned_data["facilitators"],
                organisations_present=form.cleaned_data["organisations_present"],
            )
            messages.success(request, _("Activity saved."))
            return redirect(activity)
        except RuleBroken as error:
            _form_error(form, error)
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "activity": activity},
        status=400 if request.method == "POST" else 200,
    )


def _detail(request: HttpRequest, activity, status: int = 200, **forms) -> HttpResponse:
    membership = request.membership
    today = timezone.localdate()
    sessions = list(selectors.list_sessions(membership, activity=activity))
    held = [s for s in sessions if not s.is_cancelled and s.date <= today]
    first = next((s for s in sessions if not s.is_cancelled), None)
    enrolments = list(selectors.list_enrolments(membership, activity=activity))
    for enrolment in enrolments:
        enrolment.is_holding = enrolment.status in PLACE_HOLDING
        enrolment.meets_rule = services.meets_completion(enrolment, activity)
    to_come = any(not s.is_cancelled and s.date > today for s in sessions)
    context = {
        "activity": activity,
        "sessions": sessions,
        "held_count": len(held),
        "hours_held": sum(s.hours for s in held),
        "enrolments": enrolments,
        "can_complete": bool(held) and not to_come and any(e.is_holding for e in enrolments),
        "facilitators": activity.facilitators.all(),
        "present_orgs": activity.organisations_present.all(),
        "head_counts": activity.head_counts.all(),
        "today": today,
        "insurance_missing": activity.is_civic
        and first is not None
        and not activity.insurance_from,
        "session_form": forms.get("session_form") or SessionForm(),
        "weekly_form": forms.get("weekly_form")
        or WeeklyForm(initial={"first_day": activity.start_date, "last_day": activity.end_date}),
        "head_count_form": forms.get("head_count_form")
        or HeadCountForm(
            initial_counts={(h.sex, h.age_band): h.count for h in activity.head_counts.all()}
        ),
        "move_form": MoveSessionForm(),
        "requests": activity.enrolment_requests.filter(status="open").select_related(
            "requested_by"
        ),
        "request_form": forms.get("request_form") or EnrolmentRequestForm(),
    }
    return render(request, "activities/activity_detail.html", context, status=status)


@reads
def activity_detail(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_activity_for(request.membership, pk))


@require_POST
@requires("activities.manage")
def session_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for(request.membership, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.add_session(actor=request.user, activity=activity, **form.cleaned_data)
            messages.success(request, _("Session added."))
            return redirect(activity)
        except RuleBroken as error:
            _form_error(form, error)
    return _detail(request, activity, status=400, session_form=form)


@require_POST
@requires("activities.manage")
def session_weekly(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for(request.membership, pk)
    form = WeeklyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            sessions = services.plan_weekly_sessions(
                actor=request.user,
                activity=activity,
                pattern=services.WeeklyPattern(
                    weekdays=data["weekdays"],
                    start_time=data["start_time"],
                    hours=data["hours"],
                    first_day=data["first_day"],
                    last_day=data["last_day"],
                    skip=data["skip"],
                    topic=data["topic"],
                ),
            )
            messages.success(request, _("%(n)s sessions planned.") % {"n": len(sessions)})
            return redirect(activity)
        except RuleBroken as error:
            field = {"from": "first_day", "to": "last_day"}.get(error.field, error.field)
            form.add_error(field if field in form.fields else None, error.message)
    return _detail(request, activity, status=400, weekly_form=form)


@require_POST
@requires("activities.manage")
def session_cancel(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    session = selectors.get_session_for(request.membership, pk)
    restore = request.POST.get("restore") == "1"
    try:
        services.update_session(
            actor=request.user, session=session, changes={"is_cancelled": not restore}
        )
        messages.success(request, _("Session restored.") if restore else _("Session cancelled."))
    except RuleBroken as error:
        messages.error(request, error.message)
    return redirect(session.activity)


@require_POST
@requires("activities.manage")
def session_move(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    session = selectors.get_session_for(request.membership, pk)
    form = MoveSessionForm(request.POST)
    if form.is_valid():
        try:
            changes = {"date": form.cleaned_data["date"]}
            if form.cleaned_data["start_time"]:
                changes["start_time"] = form.cleaned_data["start_time"]
            services.update_session(actor=request.user, session=session, changes=changes)
            messages.success(request, _("Session moved."))
        except RuleBroken as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Give the new date."))
    return redirect(session.activity)


@require_POST
@requires("activities.manage")
def activity_complete(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """After the last session: complete at once everyone whose attendance meets the rule."""
    activity = selectors.get_activity_for(request.membership, pk)
    try:
        done = services.complete_activity(actor=request.user, activity=activity)
    except RuleBroken as error:
        messages.error(request, error.message)
        return redirect(activity)
    messages.success(
        request,
        ngettext(
            "%(n)s person completed the activity.",
            "%(n)s people completed the activity.",
            len(done.completed),
        )
        % {"n": len(done.completed)},
    )
    if done.below:
        messages.warning(
            request,
            ngettext(
                "%(n)s person is below the minimum attendance: decide their outcome one by one.",
                "%(n)s people are below the minimum attendance: decide their outcome one by one.",
                len(done.below),
            )
            % {"n": len(done.below)},
        )
    return redirect(activity)


@require_POST
@requires("activities.manage")
def head_counts(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for(request.membership, pk)
    form = HeadCountForm(request.POST)
    if form.is_valid():
        try:
            services.record_head_counts(actor=request.user, activity=activity, counts=form.counts())
            messages.success(request, _("Head counts saved."))
            return redirect(activity)
        except RuleBroken as error:
            form.add_error(None, error.message)
    return _detail(request, activity, status=400, head_count_form=form)


# The register ------------------------------------------------------------------------------


def _register_context(request: HttpRequest, session) -> dict:
    return {
        "session": session,
        "activity": session.activity,
        "rows": selectors.register_of(session, request.membership),
        "statuses": AttendanceStatus.choices,
        "can_mark": request.membership.can("activities.record")
        and not session.is_cancelled
        and session.date <= timezone.localdate(),
    }


@reads
def register(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """The session's register on a phone: tap a name's button, the mark is saved at once."""
    session = selectors.get_session_for(request.membership, pk)
    return render(request, "activities/register.html", _register_context(request, session))


@require_POST
@requires("activities.record")
def mark(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """One tap: one person's mark, saved immediately (an upsert: sending it twice is fine)."""
    session = selectors.get_session_for(request.membership, pk)
    form = MarkForm(request.POST)
    error = ""
    enrolment_id = parse_id(request.POST.get("enrolment"))
    rows = {e.pk: (e, m) for e, m in selectors.register_of(session, request.membership)}
    if enrolment_id not in rows:
        return HttpResponse(_("This person is not on the register."), status=400)
    enrolment, current = rows[enrolment_id]
    if form.is_valid():
        status = form.cleaned_data["status"] or (
            current.status if current else AttendanceStatus.PRESENT
        )
        try:
            services.record_attendance(
                actor=request.user,
                session=session,
                marks=[services.Mark(enrolment, status, form.cleaned_data["hours"])],
            )
        except RuleBroken as broken:
            error = broken.message
    else:
        error = _("Present, absent or excused; hours between 0 and 24.")
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("activities:register", city_slug=city_slug, pk=session.pk)
    rows = {e.pk: (e, m) for e, m in selectors.register_of(session, request.membership)}
    row = rows[enrolment_id]
    context = {**_register_context(request, session), "row": row, "error": error}
    return render(request, "activities/register.html#row", context, status=400 if error else 200)


# Enrolments --------------------------------------------------------------------------------


@require_POST
@requires("activities.manage")
def enrol(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Enrol a person, from the activity's page or the person's."""
    form = EnrolForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an activity and a person."))
        return redirect("activities:list", city_slug=city_slug)
    activity = selectors.get_activity_for(request.membership, form.cleaned_data["activity"])
    person = people_selectors.get_person_for(request.city, form.cleaned_data["person"])
    try:
        enrolment = services.enrol(actor=request.user, activity=activity, person=person)
        if enrolment.status == EnrolmentStatus.WAITING:
            messages.warning(request, _("The activity is full: on the waiting list."))
        else:
            messages.success(request, _("Enrolled."))
    except RuleBroken as error:
        messages.error(request, error.message)
    if request.POST.get("back") == "person":
        return redirect(person)
    return redirect(activity)


@require_POST
@requires("activities.manage")
def enrol_candidates(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Persons of the city matching a name, to enrol (names travel by POST, not in URLs)."""
    activity = selectors.get_activity_for(request.membership, pk)
    q = request.POST.get("q", "").strip()[:100]
    persons = people_selectors.list_persons(request.city, q=q)[:10] if len(q) >= 2 else []
    return render(
        request,
        "activities/activity_detail.html#candidates",
        {"activity": activity, "persons": persons, "q": q},
    )


@reads
def enrolment_detail(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    enrolment = selectors.get_enrolment_for(request.membership, pk)
    return render(
        request,
        "activities/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "activity": enrolment.activity,
            "status_form": StatusForm(),
            "levels_form": LevelsForm(
                initial={"entry_level": enrolment.entry_level, "exit_level": enrolment.exit_level}
            ),
            "can_certify": certificates.can_certify(enrolment),
        },
    )


@require_POST
@requires("activities.manage")
def enrolment_status(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    enrolment = selectors.get_enrolment_for(request.membership, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_status(
                actor=request.user,
                enrolment=enrolment,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
            )
            messages.success(request, _("Status changed."))
        except RuleBroken as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Choose a status and a date."))
    return redirect(enrolment)


@require_POST
@requires("activities.record")
def enrolment_levels(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    enrolment = selectors.get_enrolment_for(request.membership, pk)
    form = LevelsForm(request.POST)
    if form.is_valid():
        services.record_levels(actor=request.user, enrolment=enrolment, **form.cleaned_data)
        messages.success(request, _("Levels saved."))
    else:
        messages.error(request, _("Choose a level from the list."))
    return redirect(enrolment)


@reads
def certificate(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """A printable certificate of attendance or completion (in Italian)."""
    enrolment = selectors.get_enrolment_for(request.membership, pk)
    if not certificates.can_certify(enrolment):
        return render(
            request,
            "activities/certificate_refused.html",
            {"enrolment": enrolment},
            status=409,
        )
    return certificates.html_response(request, enrolment)


@reads
def certificate_pdf(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    enrolment = selectors.get_enrolment_for(request.membership, pk)
    if not certificates.can_certify(enrolment):
        return render(
            request,
            "activities/certificate_refused.html",
            {"enrolment": enrolment},
            status=409,
        )
    return certificates.pdf_response(request, enrolment)


@requires("activities.view")
def certificate_verify(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Someone shows a certificate (an employer, a school) and asks whether it is genuine:
    the city types its verification code and sees the record it belongs to, as it is now.
    The code travels by POST, never in a URL."""
    form = VerifyForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        number = certificates.enrolment_number(code)
        enrolment = None
        if number is not None:
            enrolment = selectors.list_enrolments(request.membership).filter(pk=number).first()
        context["checked"] = True
        if enrolment is not None and certificates.matches(enrolment, code):
            context["enrolment"] = enrolment
    return render(request, "activities/certificate_verify.html", context)


@require_POST
@requires("activities.manage")
def language_certificate_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """A legal certificate of Italian (CPIA's A2 test, CILS, CELI) on the person's page."""
    person = people_selectors.get_person_for(request.city, pk)
    form = LanguageCertificateForm(request.POST)
    if form.is_valid():
        try:
            recorded = services.record_language_certificate(
                actor=request.user, person=person, **form.cleaned_data
            )
            messages.success(request, _("Language certificate recorded."))
            if recorded.goals_fed:
                messages.info(
                    request,
                    ngettext(
                        "Noted on %(n)s language goal of the plan.",
                        "Noted on %(n)s language goals of the plan.",
                        recorded.goals_fed,
                    )
                    % {"n": recorded.goals_fed},
                )
        except RuleBroken as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Give the level, who issued it and the date."))
    return redirect(person)


@require_POST
@requires("activities.record")
def request_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """A partner asks the city to enrol someone in its activity."""
    activity = selectors.get_activity_for(request.membership, pk)
    form = EnrolmentRequestForm(request.POST)
    if form.is_valid():
        try:
            services.request_enrolment(actor=request.user, activity=activity, **form.cleaned_data)
            messages.success(request, _("Request sent to the city."))
            return redirect(activity)
        except RuleBroken as error:
            _form_error(form, error)
    return _detail(request, activity, status=400, request_form=form)


@require_POST
@requires("activities.manage")
def request_close(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """The city marks a partner's request as enrolled or declined."""
    activity = selectors.get_activity_for(request.membership, pk)
    asked = activity.enrolment_requests.filter(
        pk=parse_id(request.POST.get("request")) or 0
    ).first()
    if asked is None:
        messages.error(request, _("Choose a request."))
        return redirect(activity)
    try:
        services.close_enrolment_request(
            actor=request.user, request=asked, status=request.POST.get("status", "")
        )
    except RuleBroken as error:
        messages.error(request, error.message)
    return redirect(activity)
