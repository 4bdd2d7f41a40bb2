"""Pages of the network (editions, cities) and of a city (home, partners, sites)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lgnet.accounts.permissions import requires
from lgnet.core.exceptions import RuleBroken
from lgnet.network import panels, selectors, services
from lgnet.network.forms import (
    AgreementForm,
    CityForm,
    EditionForm,
    OrganisationForm,
    ParticipationForm,
    SiteForm,
)
from lgnet.network.models import Agreement, Organisation, Site


def _save_form(
    request: HttpRequest,
    form: forms.ModelForm,
    save: Callable[[dict], object],
    *,
    title: str,
    back: str,
    success: str,
) -> HttpResponse:
    """Validate a form, hand its cleaned data to one service, show errors in place."""
    if request.method == "POST" and form.is_valid():
        try:
            save({name: form.cleaned_data[name] for name in form.Meta.fields})
            messages.success(request, success)
            return redirect(back)
        except RuleBroken as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "network/form.html", {"form": form, "title": title, "back": back}, status=status
    )


# The network


@requires("network.view")
def network_home(request: HttpRequest) -> HttpResponse:
    """The coordinators' view: the current edition's cities with budget and target."""
    edition = selectors.current_edition()
    return render(
        request,
        "network/network_home.html",
        {
            "edition": edition,
            "participations": selectors.participations_of(edition) if edition else [],
            "totals": selectors.edition_totals(edition) if edition else {},
            "editions": selectors.list_editions(),
            "panels": panels.panels_for(request, edition) if edition else [],
        },
    )


@requires("network.view")
def edition_list(request: HttpRequest) -> HttpResponse:
    return render(request, "network/edition_list.html", {"editions": selectors.list_editions()})


@requires("network.manage")
def edition_create(request: HttpRequest) -> HttpResponse:
    form = EditionForm(request.POST or None)
    return _save_form(
        request,
        form,
        lambda data: services.save_edition(actor=request.user, changes=data),
        title=_("New edition"),
        back=reverse("network:edition_list"),
        success=_("Edition saved."),
    )


@requires("network.view")
def edition_detail(request: HttpRequest, code: str) -> HttpResponse:
    edition = selectors.get_edition(code)
    form = ParticipationForm(request.POST or None)
    form.fields["city"].queryset = selectors.list_cities()
    if request.method == "POST":
        if not request.membership.can("network.manage"):
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            services.set_participation(
                actor=request.user, edition=edition, city=data.pop("city"), changes=data
            )
            messages.success(request, _("City added to the edition."))
            return redirect("network:edition_detail", code=code)
    return render(
        request,
        "network/edition_detail.html",
        {
            "edition": edition,
            "participations": selectors.participations_of(edition),
            "totals": selectors.edition_totals(edition),
            "form": form,
        },
    )


@requires("network.manage")
def edition_edit(request: HttpRequest, code: str) -> HttpResponse:
    edition = selectors.get_edition(code)
    form = EditionForm(request.POST or None, instance=edition)
    form.fields["code"].disabled = True
    return _save_form(
        request,
        form,
        lambda data: services.save_edition(
            actor=request.user,
            edition=selectors.get_edition(code),
            changes={k: v for k, v in data.items() if k != "code"},
        ),
        title=_("Edit edition"),
        back=reverse("network:edition_list"),
        success=_("Edition saved."),
    )


@require_POST
@requires("network.manage")
def participation_remove(request: HttpRequest, code: str, city_slug_: str) -> HttpResponse:
    edition = selectors.get_edition(code)
    participation = selectors.participations_of(edition).filter(city__slug=city_slug_).first()
    if participation is not None:
        services.remove_participation(actor=request.user, participation=participation)
    return redirect("network:edition_detail", code=code)


@requires("network.view")
def city_list(request: HttpRequest) -> HttpResponse:
    return render(request, "network/city_list.html", {"cities": selectors.list_cities()})


@requires("network.manage")
def city_create(request: HttpRequest) -> HttpResponse:
    form = CityForm(request.POST or None)
    return _save_form(
        request,
        form,
        lambda data: services.save_city(actor=request.user, changes=data),
        title=_("New city"),
        back=reverse("network:city_list"),
        success=_("City saved."),
    )


@requires("network.manage")
def city_edit(request: HttpRequest, slug: str) -> HttpResponse:
    city = selectors.get_city(slug)
    form = CityForm(request.POST or None, instance=city)
    form.fields["slug"].disabled = True
    return _save_form(
        request,
        form,
        lambda data: services.save_city(
            actor=request.user,
            city=selectors.get_city(slug),
            changes={k: v for k, v in data.items() if k != "slug"},
        ),
        title=_("Edit city"),
        back=reverse("network:city_list"),
        success=_("City saved."),
    )


# A city


@requires("city.view")
def city_home(request: HttpRequest, city_slug: str) -> HttpResponse:
    """A city user's home: the city's figures so far."""
    return render(
        request,
        "network/city_home.html",
        {
            "overview": selectors.city_overview(request.city),
            "figures": panels.city_figures_for(request),
        },
    )


@requires("city.view")
def organisation_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    return render(
        request,
        "network/organisation_list.html",
        {"organisations": selectors.list_organisations(request.city)},
    )


@requires("city.manage")
def organisation_edit(request: HttpRequest, city_slug: str, pk: int | None = None) -> HttpResponse:
    organisation = selectors.get_organisation_for(request.city, pk) if pk else None
    form = OrganisationForm(
        request.POST or None, instance=organisation or Organisation(city=request.city)
    )
    return _save_form(
        request,
        form,
        lambda data: services.save_organisation(
            actor=request.user, city=request.city, organisation=organisation, changes=data
        ),
        title=_("Edit organisation") if pk else _("New organisation"),
        back=reverse("network:organisation_list", kwargs={"city_slug": city_slug}),
        success=_("Organisation saved."),
    )


@requires("city.view")
def agreement_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    return render(
        request,
        "network/agreement_list.html",
        {"agreements": selectors.list_agreements(request.city)},
    )


@requires("city.manage")
def agreement_edit(request: HttpRequest, city_slug: str, pk: int | None = None) -> HttpResponse:
    agreement = selectors.get_agreement_for(request.city, pk) if pk else None
    form = AgreementForm(
        request.POST or None,
        instance=agreement or Agreement(city=request.city),
        organisations=selectors.list_organisations(request.city),
    )
    return _save_form(
        request,
        form,
        lambda data: services.save_agreement(
            actor=request.user, city=request.city, agreement=agreement, changes=data
        ),
        title=_("Edit agreement") if pk else _("New agreement"),
        back=reverse("network:agreement_list", kwargs={"city_slug": city_slug}),
        success=_("Agreement saved."),
    )


@requires("city.view")
def site_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    return render(request, "network/site_list.html", {"sites": selectors.list_sites(request.city)})


@requires("city.manage")
def site_edit(request: HttpRequest, city_slug: str, pk: int | None = None) -> HttpResponse:
    site = selectors.get_site_for(request.city, pk) if pk else None
    form = SiteForm(
        request.POST or None,
        instance=site or Site(city=request.city),
        organisations=selectors.list_organisations(request.city),
    )
    return _save_form(
        request,
        form,
        lambda data: services.save_site(
            actor=request.user, city=request.city, site=site, changes=data
        ),
        title=_("Edit site") if pk else _("New site"),
        back=reverse("network:site_list", kwargs={"city_slug": city_slug}),
        success=_("Site saved."),
    )
