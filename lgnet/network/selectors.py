"""Reads of the network: every city-owned read takes the city explicitly."""

from __future__ import annotations

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from lgnet.network.models import Agreement, City, Edition, Organisation, Participation, Site


def list_editions() -> QuerySet[Edition]:
    return Edition.objects.annotate(city_count=Count("participations")).order_by("-starts_on")


def get_edition(code: str) -> Edition:
    return get_object_or_404(Edition, code=code)


def current_edition() -> Edition | None:
    """The most recent edition that has started."""
    from django.utils import timezone

    today = timezone.localdate()
    return (
        Edition.objects.filter(starts_on__lte=today).order_by("-starts_on").first()
        or Edition.objects.order_by("starts_on").first()
    )


def list_cities() -> QuerySet[City]:
    return City.objects.order_by("name")


def get_city(slug: str) -> City:
    return get_object_or_404(City, slug=slug)


def participations_of(edition: Edition) -> QuerySet[Participation]:
    return edition.participations.select_related("city").order_by("city__name")


def edition_totals(edition: Edition) -> dict:
    return edition.participations.aggregate(
        budget=Sum("budget"), target=Sum("target_beneficiaries"), cities=Count("id")
    )


def list_organisations(city: City) -> QuerySet[Organisation]:
    return Organisation.objects.filter(city=city).order_by("name")


def get_organisation_for(city: City, organisation_id: int) -> Organisation:
    return get_object_or_404(Organisation, city=city, pk=organisation_id)


def list_agreements(city: City) -> QuerySet[Agreement]:
    return (
        Agreement.objects.filter(city=city)
        .select_related("organisation")
        .order_by("-starts_on", "title")
    )


def get_agreement_for(city: City, agreement_id: int) -> Agreement:
    return get_object_or_404(
        Agreement.objects.select_related("organisation"), city=city, pk=agreement_id
    )


def list_sites(city: City) -> QuerySet[Site]:
    return Site.objects.filter(city=city).select_related("organisation").order_by("name")


def get_site_for(city: City, site_id: int) -> Site:
    return get_object_or_404(Site.objects.select_related("organisation"), city=city, pk=site_id)


def city_overview(city: City) -> dict:
    """The figures a city's home shows today; later capabilities add theirs here."""
    return {
        "organisations": Organisation.objects.filter(city=city, is_active=True).count(),
        "agreements": Agreement.objects.filter(city=city).count(),
        "sites": Site.objects.filter(city=city, is_active=True).count(),
        "editions": list(
            Participation.objects.filter(city=city)
            .select_related("edition")
            .order_by("-edition__starts_on")
        ),
    }
