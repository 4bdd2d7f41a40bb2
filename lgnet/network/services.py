"""Writes to the network: editions, cities, organisations, agreements, sites."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lgnet.core.services import save_changes
from lgnet.network.models import Agreement, City, Edition, Organisation, Participation, Site

EDITION_FIELDS = ("code", "name", "starts_on", "ends_on", "fund")
CITY_FIELDS = ("istat_code", "name", "slug", "region", "controller")
ORGANISATION_FIELDS = ("name", "kind", "tax_code", "email", "phone", "is_active")
AGREEMENT_FIELDS = ("organisation", "title", "scope", "starts_on", "ends_on")
SITE_FIELDS = ("name", "kind", "organisation", "address", "is_active")
PARTICIPATION_FIELDS = ("budget", "target_beneficiaries")


@transaction.atomic
def save_edition(*, actor: Any, changes: dict, edition: Edition | None = None) -> Edition:
    """Editions are the network's: codes are unique and written in capitals."""
    return save_changes(
        edition or Edition(),
        changes=changes,
        fields=EDITION_FIELDS,
        actor=actor,
        action="edition.saved" if edition else "edition.created",
        conflict_message=_("An edition with this code exists already."),
    )


@transaction.atomic
def save_city(*, actor: Any, changes: dict, city: City | None = None) -> City:
    """A city is identified by its ISTAT code and its short name in URLs."""
    return save_changes(
        city or City(),
        changes=changes,
        fields=CITY_FIELDS,
        actor=actor,
        action="city.saved" if city else "city.created",
        conflict_message=_("A city with this ISTAT code or short name exists already."),
    )


@transaction.atomic
def set_participation(*, actor: Any, edition: Edition, city: City, changes: dict) -> Participation:
    """Adds the city to the edition, or updates its budget and target."""
    participation = Participation.objects.filter(edition=edition, city=city).first()
    participation = participation or Participation(edition=edition, city=city)
    return save_changes(
        participation,
        changes=changes,
        fields=PARTICIPATION_FIELDS,
        actor=actor,
        action="participation.saved",
    )


@transaction.atomic
def remove_participation(*, actor: Any, participation: Participation) -> None:
    from lgnet.core import audit

    audit.record(
        actor=actor,
        target=participation,
        action="participation.removed",
        city=participation.city,
        data={"edition": participation.edition.code},
    )
    participation.delete()


@transaction.atomic
def save_organisation(
    *, actor: Any, city: City, changes: dict, organisation: Organisation | None = None
) -> Organisation:
    """Organisations belong to the city that works with them; names are unique per city."""
    return save_changes(
        organisation or Organisation(city=city),
        changes=changes,
        fields=ORGANISATION_FIELDS,
        actor=actor,
        action="organisation.saved" if organisation else "organisation.created",
        conflict_message=_("An organisation with this name exists already."),
    )


@transaction.atomic
def save_agreement(
    *, actor: Any, city: City, changes: dict, agreement: Agreement | None = None
) -> Agreement:
    """An agreement binds the city to one of its own organisations."""
    organisation = changes.get("organisation")
    if organisation is not None and organisation.city_id != city.pk:
        raise_foreign("organisation")
    return save_changes(
        agreement or Agreement(city=city),
        changes=changes,
        fields=AGREEMENT_FIELDS,
        actor=actor,
        action="agreement.saved" if agreement else "agreement.created",
    )


@transaction.atomic
def save_site(*, actor: Any, city: City, changes: dict, site: Site | None = None) -> Site:
    """A site belongs to the city; when a partner runs it, the partner is the city's too."""
    organisation = changes.get("organisation")
    if organisation is not None and organisation.city_id != city.pk:
        raise_foreign("organisation")
    return save_changes(
        site or Site(city=city),
        changes=changes,
        fields=SITE_FIELDS,
        actor=actor,
        action="site.saved" if site else "site.created",
        conflict_message=_("A site with this name exists already."),
    )


def raise_foreign(field: str) -> None:
    from lgnet.core.exceptions import RuleBroken

    raise RuleBroken(_("Choose one of your city's own records."), field=field, status=404)
