"""Pages of cases: the list, taking in charge, the case page with its services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lgnet.accounts.permissions import requires
from lgnet.cases import selectors, services, timeline
from lgnet.cases.forms import (
    AssessmentForm,
    AttachmentForm,
    CloseCaseForm,
    GoalForm,
    GoalStatusForm,
    NoteEditForm,
    NoteForm,
    OpenCaseForm,
    ReferralForm,
    ReviewForm,
    ReviewHeldForm,
    ServiceForm,
    ServiceTypeForm,
    TaskForm,
    TeamForm,
)
from lgnet.cases.models import ActionArea, GoalStatus, Status
from lgnet.core.exceptions import RuleBroken
from lgnet.core.forms import parse_id
from lgnet.network import selectors as network_selectors
from lgnet.people import selectors as people_selectors


@requires("cases.view")
def case_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Filters and search are POSTed, pages too: names never travel in URLs."""
    data = request.POST if request.method == "POST" else request.GET
    status = data.get("status", "")
    area = data.get("area", "")
    q = data.get("q", "").replace("\x00", "")[:100]
    managers = colleagues(request.city)
    manager_id = parse_id(data.get("manager"))
    overdue = data.get("overdue") == "1"
    cases = selectors.list_cases(
        request.city,
        status=status if status in Status.values else "",
        area=area if area in ActionArea.values else "",
        manager_id=manager_id,
        q=q,
        overdue=overdue,
    )
    page = Paginator(cases, 50).get_page(data.get("page"))
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "status": status,
            "area": area,
            "q": q,
            "statuses": Status.choices,
            "areas": ActionArea.choices,
            "managers": managers,
            "manager_id": manager_id,
            "overdue": overdue,
            "today": timezone.localdate(),
        },
    )


@requires("cases.edit")
def case_create(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Take a person in charge, from the person page or from a first contact."""
    contact = None
    contact_id = parse_id(request.GET.get("contact") or request.POST.get("contact"))
    if contact_id is not None:
        contact = people_selectors.get_contact_for(request.membership, contact_id)
        if contact.person_id is None:
            messages.error(request, _("Link the contact to a person before opening a case."))
            return redirect("people:contact_link", city_slug=request.city.slug, pk=contact.pk)
        person = people_selectors.get_person_for(request.city, contact.person_id)
    else:
        person_id = parse_id(request.GET.get("person") or request.POST.get("person"))
        if person_id is None:
            raise Http404
        person = people_selectors.get_person_for(request.city, person_id)
    form = OpenCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(
                actor=request.user,
                person=person,
                opened_on=form.cleaned_data["opened_on"],
                areas=form.cleaned_data["areas"],
                contact=contact,
            )
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect(case)
        except RuleBroken as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "person": person, "contact": contact},
        status=400 if request.method == "POST" else 200,
    )


def colleagues(city):
    """Users of the comune who may work on cases: managers, team members, assignees."""
    from lgnet.accounts.models import User
    from lgnet.accounts.roles import Role

    return (
        User.objects.filter(
            memberships__city=city,
            memberships__is_active=True,
            memberships__role__in=[Role.CITY_COORDINATOR, Role.CASEWORKER],
        )
        .distinct()
        .order_by("username")
    )


def _case_page(request: HttpRequest, case, status: int = 200, **forms) -> HttpResponse:
    """The case page: header, timeline and every section, with any form given re-shown."""
    membership = request.membership
    city = request.city
    confidential_ok = services.can_read_confidential(membership, case)
    notes = list(selectors.notes_of(case))
    assessments = selectors.assessments_of(case)
    sensitive_ok = people_selectors.can_see_sensitive(membership, case.person)
    # Health levels only for the case team and the city coordinator (DESIGN §3).
    grid = selectors.assessment_grid(
        assessments, withheld=() if sensitive_ok else selectors.SENSITIVE_DOMAINS
    )
    attachments = list(selectors.attachments_of(case)) if sensitive_ok else None
    referrals = list(selectors.list_referrals(city, case=case))
    services.log_case_page_reads(
        membership,
        case,
        notes=notes if confidential_ok else [],
        health=selectors.shows_health(grid),
        attachments=attachments or [],
        referrals=referrals,
    )
    defaults = {
        "service_form": lambda: ServiceForm(
            service_types=services.service_types_for(city),
            organisations=network_selectors.list_organisations(city),
        ),
        "close_form": CloseCaseForm,
        "assessment_form": AssessmentForm,
        "goal_form": GoalForm,
        "review_form": ReviewForm,
        "note_form": NoteForm,
        "referral_form": lambda: ReferralForm(
            organisations=partner_organisations(city),
            agreements=network_selectors.list_agreements(city),
        ),
        "task_form": lambda: TaskForm(
            colleagues=colleagues(city), initial={"assignee": request.user}
        ),
        "attachment_form": AttachmentForm,
        "team_form": lambda: TeamForm(
            colleagues=colleagues(city),
            initial={
                "areas": case.areas,
                "manager": case.manager_id,
                "team": [m.user_id for m in case.members.all()],
            },
        ),
    }
    context = {name: forms.get(name) or make() for name, make in defaults.items()}
    context.update(
        {
            "case": case,
            "services": selectors.list_services(city, case=case),
            "members": case.members.select_related("user"),
            "timeline": timeline.entries_for(case, membership),
            "assessments": assessments,
            "grid": grid,
            "goals": selectors.goals_shown(case, sensitive_ok=sensitive_ok),
            "goal_statuses": GoalStatus.choices,
            "reviews": selectors.reviews_of(case),
            "notes": notes,
            "confidential_ok": confidential_ok,
            "referrals": referrals,
            "tasks": selectors.list_tasks(city, case=case, open_only=False),
            "attachments": attachments,
            "today": timezone.localdate(),
        }
    )
    return render(request, "cases/case_detail.html", context, status=status)


def partner_organisations(city):
    from lgnet.network.models import Organisation

    return network_selectors.list_organisations(city).exclude(kind=Organisation.Kind.COMUNE)


@requires("cases.view")
def case_detail(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    return _case_page(request, selectors.get_case_for(request.city, pk))


def _fail(form, error: RuleBroken) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@require_POST
@requires("cases.edit")
def service_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    case = selectors.get_case_for(request.city, pk)
    form = ServiceForm(
        request.POST,
        service_types=services.service_types_for(request.city),
        organisations=network_selectors.list_organisations(request.city),
    )
    if form.is_valid():
        try:
            services.record_service(
                actor=request.user,
                case=case,
                service_type=form.cleaned_data["service_type"],
                delivered_on=form.cleaned_data["delivered_on"],
                quantity=form.cleaned_data["quantity"],
                provider=form.cleaned_data["provider"],
                notes=form.cleaned_data["notes"],
            )
            messages.success(request, _("Service recorded."))
            return redirect(case)
        except RuleBroken as error:
            _fail(form, error)
    return _case_page(request, case, status=400, service_form=form)


@require_POST
@requires("cases.edit")
def assessment_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    case = selectors.get_case_for(request.city, pk)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.record_assessment(
                actor=request.user,
                case=case,
                assessed_on=form.cleaned_data["assessed_on"],
                levels=form.levels(),
                summary=form.cleaned_data["summary"],
            )
            messages.success(request, _("Assessment recorded."))
            return redirect(f"{case.get_absolute_url()}#assessment")
        except RuleBroken as error:
            _fail(form, error)
    return _case_page(request, case, status=400, assessment_form=form)


@require_POST
@requires("cases.edit")
def goal_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    case = selectors.get_case_for(request.city, pk)
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            services.add_goal(
                actor=request.user, case=case, **_pick(form, "domain", "description", "target_on")
            )
            messages.success(request, _("Goal added to the plan."))
            return redirect(f"{case.get_absolute_url()}#plan")
        except RuleBroken as error:
            _fail(form, error)
    return _case_page(request, case, status=400, goal_form=form)


def _pick(form, *names: str) -> dict:
    """Only the named cleaned fields: never the whole request into a service."""
    return {name: form.cleaned_data[name] for name in names}


@require_POST
@requires("cases.edit")
def goal_update(request: HttpRequest, city_slug: str, pk: int, goal_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.city, pk)
    goal = get_object_or_404(selectors.goals_of(case), pk=goal_id)
    sensitive_ok = people_selectors.can_see_sensitive(request.membership, case.person)
    if goal.domain in selectors.SENSITIVE_DOMAINS and not sensitive_ok:
        raise PermissionDenied  # a health goal is the case team's (DESIGN §3)
    form = GoalStatusForm(request.POST)
    if form.is_valid():
        try:
            services.update_goal(actor=request.user, goal=goal, **_pick(form, "status", "outcome"))
            messages.success(request, _("Goal updated."))
        except RuleBroken as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Choose a status."))
    return redirect(f"{case.get_absolute_url()}#plan")


@require_POST
@requires("cases.edit")
def review_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    case = selectors.get_case_for(request.city, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.schedule_review(
                actor=request.user, case=case, due_on=form.cleaned_data["due_on"]
            )
            messages.success(
                request, _("Plan review scheduled; the case manager has a task for it.")
            )
            return redirect(f"{case.get_absolute_url()}#plan")
        except RuleBroken as error:
            _fail(form, error)
    return _case_page(request, case, status=400, review_form=form)


@require_POST
@requires("cases.edit")
def review_held(request: HttpRequest, city_slug: str, pk: int, review_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.city, pk)
    review = get_object_or_404(selectors.reviews_of(case), pk=review_id)
    form = ReviewHeldForm(request.POST)
    if form.is_valid():
        try:
            services.hold_review(
                actor=request.user, review=review, **_pick(form, "held_on", "remarks")
            )
            messages.success(request, _("Plan review recorded."))
        except RuleBroken as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Give the date of the review."))
    return redirect(f"{case.get_absolute_url()}#plan")


@require_POST
@requires("cases.edit")
def note_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    case = selectors.get_case_for(request.city, pk)
    form = NoteForm(request.POST)
    addendum_id = parse_id(request.POST.get("addendum_to"))
    addendum_to = selectors.get_note_for(request.city, case, addendum_id) if addendum_id else None
    if form.is_valid():
        try:
            services.write_note(
                actor=request.user,
                membership=request.membership,
                case=case,
                body=form.cleaned_data["body"],
                confidential=form.cleaned_data["confidential"],
                addendum_to=addendum_to,
            )
            messages.success(request, _("Note saved."))
            return redirect(f"{case.get_absolute_url()}#notes")
        except RuleBroken as error:
            if error.status == 403:
                raise PermissionDenied from error
            _fail(form, error)
    return _case_page(request, case, status=400, note_form=form)


@requires("cases.edit")
def note_edit(request: HttpRequest, city_slug: str, pk: int, note_id: int) -> HttpResponse:
    """The author corrects a note within 24 hours."""
    case = selectors.get_case_for(request.city, pk)
    note = selectors.get_note_for(request.city, case, note_id)
    if note.author_id != request.user.pk:
        messages.error(request, _("Only the author may correct a note; add an addendum instead."))
        return redirect(f"{case.get_absolute_url()}#notes")
    form = NoteEditForm(request.POST or None, initial={"body": note.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_note(actor=request.user, note=note, body=form.cleaned_data["body"])
            messages.success(request, _("Note corrected."))
            return redirect(f"{case.get_absolute_url()}#notes")
        except RuleBroken as error:
            _fail(form, error)
    if note.confidential:
        services.log_confidential_reads(request.membership, case, [note])
    return render(
        request,
        "cases/note_form.html",
        {"case": case, "note": note, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@requires("cases.edit")
def team_update(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    case = selectors.get_case_for(request.city, pk)
    form = TeamForm(request.POST, colleagues=colleagues(request.city))
    if form.is_valid():
        try:
            services.update_case(
                actor=request.user,
                case=case,
                areas=form.cleaned_data["areas"],
                manager=form.cleaned_data["manager"],
                team=list(form.cleaned_data["team"]),
            )
            messages.success(request, _("Case updated."))
            return redirect(case)
        except RuleBroken as error:
            _fail(form, error)
    return _case_page(request, case, status=400, team_form=form)


@require_POST
@requires("cases.edit")
def attachment_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    case = selectors.get_case_for(request.city, pk)
    if not people_selectors.can_see_sensitive(request.membership, case.person):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(
                actor=request.user,
                case=case,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
            messages.success(request, _("File attached."))
            return redirect(f"{case.get_absolute_url()}#attachments")
        except RuleBroken as error:
            _fail(form, error)
    return _case_page(request, case, status=400, attachment_form=form)


@requires("cases.edit")
def attachment_download(
    request: HttpRequest, city_slug: str, pk: int, attachment_id: int
) -> HttpResponse:
    """Only the case team and the city coordinator; every download is in the access log."""
    case = selectors.get_case_for(request.city, pk)
    attachment = selectors.get_attachment_for(request.city, case, attachment_id)
    if not people_selectors.read_sensitive(
        request.membership, case.person, what=f"attachment:{attachment.pk}"
    ):
        raise PermissionDenied
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@requires("cases.edit")
def task_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    case = selectors.get_case_for(request.city, pk)
    form = TaskForm(request.POST, colleagues=colleagues(request.city))
    if form.is_valid():
        try:
            services.create_task(
                actor=request.user,
                city=request.city,
                case=case,
                **_pick(form, "title", "due_on", "assignee"),
            )
            messages.success(request, _("Task created."))
            return redirect(f"{case.get_absolute_url()}#tasks")
        except RuleBroken as error:
            _fail(form, error)
    return _case_page(request, case, status=400, task_form=form)


@requires("cases.edit")
def task_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    """My tasks, or every overdue task of the city."""
    show = request.GET.get("show", "mine")
    if show not in ("mine", "overdue", "all"):
        show = "mine"
    tasks = selectors.list_tasks(
        request.city,
        assignee=request.user if show == "mine" else None,
        overdue=show == "overdue",
    )
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/task_list.html",
        {"page": page, "show": show, "today": timezone.localdate()},
    )


@require_POST
@requires("cases.edit")
def task_done(request: HttpRequest, city_slug: str, task_id: int) -> HttpResponse:
    task = selectors.get_task_for(request.city, task_id)
    try:
        services.complete_task(actor=request.user, task=task)
        messages.success(request, _("Task done."))
    except RuleBroken as error:
        messages.error(request, error.message)
    target = request.POST.get("next", "")
    if task.case_id and target == "case":
        return redirect(f"{task.case.get_absolute_url()}#tasks")
    return redirect("cases:tasks", city_slug=request.city.slug)


@require_POST
@requires("cases.close")
def case_close(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    case = selectors.get_case_for(request.city, pk)
    form = CloseCaseForm(request.POST)
    if form.is_valid():
        try:
            services.close_case(
                actor=request.user,
                case=case,
                outcome=form.cleaned_data["outcome"],
                closed_on=form.cleaned_data["closed_on"],
            )
            messages.success(request, _("Case closed."))
        except RuleBroken as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Choose an outcome and a date to close the case."))
    return redirect(case)


@require_POST
@requires("cases.edit")
def case_activate(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """The plan starts: the case goes from open to active."""
    case = selectors.get_case_for(request.city, pk)
    try:
        services.activate_case(actor=request.user, case=case)
        messages.success(request, _("Case active: the plan has started."))
    except RuleBroken as error:
        messages.error(request, error.message)
    return redirect(case)


@require_POST
@requires("cases.close")
def case_reopen(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    case = selectors.get_case_for(request.city, pk)
    try:
        services.reopen_case(actor=request.user, case=case)
        messages.success(request, _("Case reopened."))
    except RuleBroken as error:
        messages.error(request, error.message)
    return redirect(case)


def _catalogue_page(request: HttpRequest, *, city, may_add: bool) -> HttpResponse:
    """The catalogue of service types; a city coordinator adds local types (each counted as
    a network type), the network coordinator adds the network's."""
    network_types = selectors.network_service_types() if city is not None else None
    form = ServiceTypeForm(request.POST or None, network_types=network_types) if may_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                added = services.add_service_type(
                    actor=request.user,
                    city=city,
                    code=form.cleaned_data["code"],
                    name_it=form.cleaned_data["name_it"],
                    name_en=form.cleaned_data["name_en"],
                    unit=form.cleaned_data["unit"],
                    counted_as=form.cleaned_data.get("counted_as"),
                )
                messages.success(request, _("Service type %(code)s added.") % {"code": added.code})
                return redirect(request.path)
            except RuleBroken as error:
                _fail(form, error)
    return render(
        request,
        "cases/service_type_list.html",
        {"catalogue": selectors.service_catalogue(city), "form": form, "local": city is not None},
        status=400 if request.method == "POST" else 200,
    )


@requires("cases.view")
def service_type_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    return _catalogue_page(
        request, city=request.city, may_add=request.membership.can("city.manage")
    )


@requires("network.view")
def network_service_type_list(request: HttpRequest) -> HttpResponse:
    return _catalogue_page(request, city=None, may_add=request.membership.can("network.manage"))
