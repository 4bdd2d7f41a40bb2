"""Pages of the privacy app: the register of requests, a person's privacy page with export,
restriction, erasure and the notice; the city's access log; the network's retention periods."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lgnet.accounts.permissions import requires
from lgnet.core.exceptions import RuleBroken
from lgnet.core.forms import parse_id
from lgnet.people import selectors as people_selectors
from lgnet.privacy import pdf as privacy_pdf
from lgnet.privacy import selectors, services
from lgnet.privacy.forms import AccessFilterForm, AnswerForm, NoticeForm, PolicyForm, RequestForm
from lgnet.privacy.models import RequestStatus, RetentionKind, RetentionPolicy, RetentionRun


def _person(request: HttpRequest, pk: int):
    return people_selectors.get_person_for(request.city, pk)


@requires("privacy.manage")
def request_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    status = request.GET.get("status", "open")
    if status not in {"open", "", *RequestStatus.values}:
        status = "open"
    page = Paginator(selectors.list_requests(request.city, status=status), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "privacy/request_list.html",
        {"page": page, "status": status, "statuses": RequestStatus.choices},
    )


@requires("privacy.manage")
def request_create(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.register_request(
                actor=request.user, person=person, **form.cleaned_data
            )
            messages.success(
                request,
                _("Request registered: answer by %(d)s.")
                % {"d": created.due_on.strftime("%d/%m/%Y")},
            )
            return redirect("privacy:request_detail", city_slug=city_slug, pk=created.pk)
        except RuleBroken as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(
        request,
        "privacy/request_form.html",
        {"form": form, "person": person},
        status=400 if request.method == "POST" else 200,
    )


@requires("privacy.manage")
def request_detail(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    found = selectors.get_request_for(request.city, pk)
    form = AnswerForm(
        request.POST or None,
        initial={"status": found.status, "answer": found.answer, "answered_on": found.answered_on},
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "answered_on" or v}
        try:
            services.update_request(actor=request.user, request=found, changes=changes)
            messages.success(request, _("Request updated."))
            return redirect("privacy:request_detail", city_slug=city_slug, pk=found.pk)
        except RuleBroken as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(
        request,
        "privacy/request_detail.html",
        {"item": found, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _notice_languages():
    return [(n.language, n.name) for n in selectors.notices()]


def _consents(request: HttpRequest, person) -> list:
    from lgnet.cases.models import Shared

    consents = list(selectors.consents_of(request.city, person))
    for referral in consents:
        referral.shared_labels = [str(Shared(code).label) for code in referral.consent_shares]
    return consents


def _person_page(request: HttpRequest, person, status: int = 200) -> HttpResponse:
    return render(
        request,
        "privacy/person_privacy.html",
        {
            "person": person,
            "requests": selectors.list_requests(request.city, person_id=person.pk),
            "consents": _consents(request, person),
            "notice_form": NoticeForm(
                languages=_notice_languages(),
                initial={"language": person.privacy_notice_language or "it"},
            ),
            "notices": selectors.notices(),
        },
        status=status,
    )


@requires("privacy.manage")
def person_privacy(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    return _person_page(request, _person(request, pk))


@requires("privacy.manage")
def export_json(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    person = _person(request, pk)
    data = services.export_person(membership=request.membership, person=person, channel="web")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="art15-person-{person.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@requires("privacy.manage")
def export_pdf(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    person = _person(request, pk)
    data = services.export_person(membership=request.membership, person=person, channel="web")
    pdf = privacy_pdf.render_pdf(
        "privacy/export_pdf.html", {"data": data, "person": person, "city": request.city}
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="art15-person-{person.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@requires("privacy.manage")
def restrict(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    person = _person(request, pk)
    restricted = request.POST.get("restricted") == "1"
    try:
        services.set_restriction(actor=request.user, person=person, restricted=restricted)
        messages.success(
            request,
            _("Processing restricted: only the city coordinator opens this file.")
            if restricted
            else _("Restriction lifted."),
        )
    except RuleBroken as error:
        messages.error(request, error.message)
    return redirect("privacy:person", city_slug=city_slug, pk=person.pk)


@require_POST
@requires("privacy.manage")
def anonymise(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    person = _person(request, pk)
    if request.POST.get("confirm") != str(person.pk):
        messages.error(request, _("Type the record's number to confirm the erasure."))
        return _person_page(request, person, status=400)
    try:
        count = services.anonymise_person(actor=request.user, person=person, reason="erasure")
        messages.success(request, _("Record anonymised (%(n)d records changed).") % {"n": count})
    except RuleBroken as error:
        messages.error(request, error.message)
    return redirect("privacy:person", city_slug=city_slug, pk=person.pk)


@require_POST
@requires("people.edit")
def notice_record(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = NoticeForm(request.POST, languages=_notice_languages())
    if form.is_valid():
        try:
            services.record_notice(actor=request.user, person=person, **form.cleaned_data)
            messages.success(request, _("Privacy notice recorded."))
        except RuleBroken as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Choose the language, how and when the notice was given."))
    return redirect(person)


@requires("people.register_minimal")
def notice_pdf(request: HttpRequest, city_slug: str) -> HttpResponse:
    """The notice in the person's language with the Italian beside it, ready to print."""
    language = request.GET.get("language", "it")[:3]
    notice = selectors.get_notice(language)
    pdf = privacy_pdf.notice_pdf(notice, selectors.get_notice("it"), request.city)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="informativa-{notice.language}.pdf"'
    return response


@requires("audit.view")
def access_log(request: HttpRequest, city_slug: str) -> HttpResponse:
    from lgnet.accounts.models import User

    users = User.objects.filter(memberships__city=request.city).distinct().order_by("username")
    form = AccessFilterForm(request.GET or None, users=users)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.list_access(
        request.city,
        user_id=parse_id(filters.get("user")),
        since=filters.get("since"),
        until=filters.get("until"),
        flagged=bool(filters.get("flagged")),
    )
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    exports = selectors.list_bulk_exports(
        request.city,
        user_id=parse_id(filters.get("user")),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "privacy/access_log.html",
        {"form": form, "page": page, "exports": exports[:100], "query": query.urlencode()},
        status=400 if request.GET and not form.is_valid() else 200,
    )


@requires("retention.manage")
def retention(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        prefix = request.POST.get("policy", "")
        form = PolicyForm(request.POST, prefix=prefix if prefix in RetentionKind.values else None)
        if form.is_valid():
            try:
                services.save_policy(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Retention period saved."))
                return redirect("privacy:retention")
            except RuleBroken as error:
                messages.error(request, error.message)
        else:
            messages.error(request, _("Give a number of months between 1 and 1200."))
    policies = list(RetentionPolicy.objects.order_by("kind"))
    forms = [
        (
            policy,
            PolicyForm(
                initial={
                    "kind": policy.kind,
                    "months": policy.months,
                    "is_active": policy.is_active,
                },
                prefix=policy.kind,
            ),
        )
        for policy in policies
    ]
    return render(
        request,
        "privacy/retention.html",
        {
            "forms": forms,
            "preview": services.retention_preview(),
            "runs": RetentionRun.objects.select_related("triggered_by")[:20],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@requires("retention.manage")
def retention_run(request: HttpRequest) -> HttpResponse:
    from lgnet.privacy.tasks import run_retention_task

    run_retention_task.enqueue()
    messages.success(request, _("The retention run is queued: its log appears below when done."))
    return redirect(reverse("privacy:retention"))
