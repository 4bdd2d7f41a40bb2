"""Pages of cases: the list, taking in charge, the case page with its services."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lgnet.accounts.permissions import requires
from lgnet.cases import selectors, services
from lgnet.cases.forms import CloseCaseForm, OpenCaseForm, ServiceForm
from lgnet.cases.models import ActionArea, Status
from lgnet.core.exceptions import RuleBroken
from lgnet.core.forms import parse_id
from lgnet.network import selectors as network_selectors
from lgnet.people import selectors as people_selectors


@requires("cases.view")
def case_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    status = request.GET.get("status", "")
    area = request.GET.get("area", "")
    q = request.GET.get("q", "")[:100]
    cases = selectors.list_cases(
        request.city,
        status=status if status in Status.values else "",
        area=area if area in ActionArea.values else "",
        q=q,
    )
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
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
        },
    )


@requires("cases.edit")
def case_create(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Take a person in charge, from the person page or from a first contact."""
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
            )
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect(case)
        except RuleBroken as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "person": person},
        status=400 if request.method == "POST" else 200,
    )


@requires("cases.view")
def case_detail(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    case = selectors.get_case_for(request.city, pk)
    service_form = ServiceForm(
        service_types=services.service_types_for(request.city),
        organisations=network_selectors.list_organisations(request.city),
    )
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "services": selectors.list_services(request.city, case=case),
            "members": case.members.select_related("user"),
            "service_form": service_form,
            "close_form": CloseCaseForm(),
        },
    )


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
                **{
                    "service_type": form.cleaned_data["service_type"],
                    "delivered_on": form.cleaned_data["delivered_on"],
                    "quantity": form.cleaned_data["quantity"],
                    "provider": form.cleaned_data["provider"],
                    "notes": form.cleaned_data["notes"],
                },
            )
            messages.success(request, _("Service recorded."))
            return redirect(case)
        except RuleBroken as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "services": selectors.list_services(request.city, case=case),
            "members": case.members.select_related("user"),
            "service_form": form,
            "close_form": CloseCaseForm(),
        },
        status=400,
    )


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
@requires("cases.close")
def case_reopen(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    case = selectors.get_case_for(request.city, pk)
    try:
        services.reopen_case(actor=request.user, case=case)
        messages.success(request, _("Case reopened."))
    except RuleBroken as error:
        messages.error(request, error.message)
    return redirect(case)
