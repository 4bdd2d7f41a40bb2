"""Pages of referrals: the comune's list, the partner's inbox, one referral, its answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lgnet.accounts.permissions import requires
from lgnet.cases import selectors, services
from lgnet.cases.forms import IncomingReferralForm, PartnerServiceForm, ReferralForm, RejectForm
from lgnet.cases.models import Direction, ReferralStatus, Shared
from lgnet.cases.views import _case_page, _fail, partner_organisations
from lgnet.core.exceptions import RuleBroken
from lgnet.core.forms import parse_id
from lgnet.network import selectors as network_selectors
from lgnet.people import selectors as people_selectors


def _reader(request: HttpRequest) -> None:
    membership = request.membership
    if not (membership.can("cases.view") or membership.can("referrals.respond")):
        raise PermissionDenied


def _is_partner(request: HttpRequest) -> bool:
    return request.membership.organisation_id is not None


@requires("city.view")
def referral_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    """The comune sees every referral; a partner its organisation's inbox."""
    _reader(request)
    status = request.GET.get("status", "")
    direction = request.GET.get("direction", "")
    referrals = selectors.referrals_for(request.membership)
    if status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    if direction in Direction.values:
        referrals = referrals.filter(direction=direction)
    page = Paginator(referrals, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/referral_list.html",
        {
            "page": page,
            "status": status,
            "direction": direction,
            "statuses": ReferralStatus.choices,
            "directions": Direction.choices,
            "partner": _is_partner(request),
        },
    )


def _partner_view(referral) -> dict:
    """Only what the consent lets the partner read, and only while the referral is open."""
    person = referral.person
    if person is None or not referral.is_open:
        return {"name": referral.proposed_name if referral.direction == Direction.INCOMING else ""}
    return {
        "name": person.full_name,
        "sex": person.get_sex_display() if referral.shares(Shared.BIRTH_YEAR) else None,
        "birth_year": person.birth_date.year if referral.shares(Shared.BIRTH_YEAR) else None,
        "languages": person.languages if referral.shares(Shared.LANGUAGES) else None,
        "phone": person.phone if referral.shares(Shared.CONTACT) else None,
    }


@requires("city.view")
def referral_detail(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    _reader(request)
    referral = selectors.get_referral_for(request.membership, pk)
    partner = _is_partner(request)
    services.log_referral_read(request.membership, referral)
    context = {
        "referral": referral,
        "partner": partner,
        "reject_form": RejectForm(),
        "shares": [str(Shared(s).label) for s in referral.consent_shares],
        "shown_reason": referral.reason
        if (not partner or referral.shares(Shared.REASON) or referral.direction == "incoming")
        else None,
    }
    if partner:
        context["seen"] = _partner_view(referral)
        context["service_form"] = PartnerServiceForm(
            service_types=services.service_types_for(request.city)
        )
        context["services"] = (
            selectors.list_services(request.city, case=referral.case).filter(
                provider=referral.organisation
            )
            if referral.case_id and referral.is_open
            else []
        )
    elif referral.direction == Direction.INCOMING and referral.person_id is None:
        context["candidates"] = people_selectors.list_persons(
            request.city, q=referral.proposed_name, by_codice_fiscale=False
        )[:10]
    return render(request, "cases/referral_detail.html", context)


@require_POST
@requires("referrals.send")
def referral_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Refer the person of a case to a partner."""
    case = selectors.get_case_for(request.city, pk)
    form = ReferralForm(
        request.POST,
        organisations=partner_organisations(request.city),
        agreements=network_selectors.list_agreements(request.city),
    )
    if form.is_valid():
        try:
            referral = services.send_referral(
                actor=request.user,
                case=case,
                organisation=form.cleaned_data["organisation"],
                agreement=form.cleaned_data["agreement"],
                reason=form.cleaned_data["reason"],
                expected_on=form.cleaned_data["expected_on"],
                consent_on=form.cleaned_data["consent_on"],
                consent_shares=form.cleaned_data["consent_shares"],
            )
            messages.success(
                request, _("Referral sent to %(org)s.") % {"org": referral.organisation.name}
            )
            return redirect(f"{case.get_absolute_url()}#referrals")
        except RuleBroken as error:
            _fail(form, error)
    return _case_page(request, case, status=400, referral_form=form)


@requires("referrals.respond")
def referral_new(request: HttpRequest, city_slug: str) -> HttpResponse:
    """A partner (UEPE before a release) refers someone to the comune."""
    form = IncomingReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.receive_referral(
                actor=request.user,
                membership=request.membership,
                proposed_name=form.cleaned_data["proposed_name"],
                proposed_birth_year=form.cleaned_data["proposed_birth_year"],
                reason=form.cleaned_data["reason"],
                expected_on=form.cleaned_data["expected_on"],
                consent_on=form.cleaned_data["consent_on"],
            )
            messages.success(request, _("Referral sent to the comune."))
            return redirect("cases:referral_detail", city_slug=request.city.slug, pk=referral.pk)
        except RuleBroken as error:
            _fail(form, error)
    return render(
        request,
        "cases/referral_new.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _answer(request: HttpRequest, pk: int, action) -> HttpResponse:
    referral = selectors.get_referral_for(request.membership, pk)
    try:
        action(referral)
    except RuleBroken as error:
        messages.error(request, error.message)
    return redirect("cases:referral_detail", city_slug=request.city.slug, pk=referral.pk)


def _answerer(request: HttpRequest) -> None:
    membership = request.membership
    if not (membership.can("referrals.respond") or membership.can("referrals.send")):
        raise PermissionDenied


@require_POST
@requires("city.view")
def referral_accept(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """The partner accepts a referral sent to it; the comune accepts an incoming one by
    choosing the person in its registry."""
    _answerer(request)
    person_id = parse_id(request.POST.get("person"))
    person = people_selectors.get_person_for(request.city, person_id) if person_id else None

    def accept(referral):
        services.accept_referral(
            actor=request.user, membership=request.membership, referral=referral, person=person
        )
        messages.success(request, _("Referral accepted."))

    return _answer(request, pk, accept)


@require_POST
@requires("city.view")
def referral_reject(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    _answerer(request)
    form = RejectForm(request.POST)

    def reject(referral):
        if not form.is_valid():
            raise RuleBroken(_("Say why the referral is rejected."))
        services.reject_referral(
            actor=request.user,
            membership=request.membership,
            referral=referral,
            reason=form.cleaned_data["rejection_reason"],
        )
        messages.success(request, _("Referral rejected."))

    return _answer(request, pk, reject)


@require_POST
@requires("city.view")
def referral_complete(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    _answerer(request)

    def complete(referral):
        services.complete_referral(
            actor=request.user, membership=request.membership, referral=referral
        )
        messages.success(request, _("Referral completed: the partner's access has ended."))

    return _answer(request, pk, complete)


@require_POST
@requires("referrals.send")
def referral_withdraw(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    def withdraw(referral):
        services.withdraw_referral(actor=request.user, referral=referral)
        messages.success(request, _("Referral withdrawn: the partner's access has ended."))

    return _answer(request, pk, withdraw)


@require_POST
@requires("referrals.send")
def referral_revoke(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    def revoke(referral):
        services.revoke_consent(actor=request.user, referral=referral)
        messages.success(request, _("Consent revoked: the partner reads nothing more."))

    return _answer(request, pk, revoke)


@require_POST
@requires("services.record")
def referral_service(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """The partner records a service it gave to the person referred (the comune records its
    own services on the case page)."""
    referral = selectors.get_referral_for(request.membership, pk)
    back = redirect("cases:referral_detail", city_slug=request.city.slug, pk=referral.pk)
    form = PartnerServiceForm(request.POST, service_types=services.service_types_for(request.city))
    if not form.is_valid():
        messages.error(request, _("Choose a service, a date and a quantity."))
        return back
    try:
        services.record_partner_service(
            actor=request.user,
            membership=request.membership,
            referral=referral,
            service_type=form.cleaned_data["service_type"],
            delivered_on=form.cleaned_data["delivered_on"],
            quantity=form.cleaned_data["quantity"],
            notes=form.cleaned_data["notes"],
        )
        messages.success(request, _("Service recorded."))
    except RuleBroken as error:
        messages.error(request, error.message)
    return back
