"""Tenancy that cannot be forgotten: scoped managers everywhere, scopes enforced."""

import pytest
from django.apps import apps
from django_scopes import ScopeError, scope, scopes_disabled

from lgnet.network.models import Organisation, Site

# Models with a city column that are read before any scope exists, and why.
UNSCOPED_BY_DESIGN = {
    "accounts.membership": "read by the tenancy middleware to open the scope",
    "network.participation": "network reference data: which city is in which edition",
    "core.auditevent": "append-only log, read only through city-filtered selectors",
    "cases.servicetype": "the network's catalogue (no city) and cities' local types",
    "cases.casecounter": "numbering, written under a row lock by open_case only",
}


def _city_models():
    for model in apps.get_models():
        if not any(f.name == "city" for f in model._meta.get_fields()):
            continue
        if (
            model._meta.app_label == "pghistory"
            or model.__name__.endswith("Event")
            and hasattr(model, "pgh_obj")
        ):
            continue  # history rows written by triggers, never read by pages
        yield model


def test_every_city_owned_model_uses_the_scoped_manager():
    unscoped = [
        model._meta.label_lower
        for model in _city_models()
        if model._meta.label_lower not in UNSCOPED_BY_DESIGN
        and type(model._default_manager).__module__ != "django_scopes.manager"
    ]
    assert unscoped == [], f"city-owned models without a scoped manager: {unscoped}"


def test_an_unscoped_query_raises(db):
    with pytest.raises(ScopeError):
        list(Organisation.objects.all())


def test_a_scope_shows_only_its_citys_rows(world):
    with scope(city=world.a.city):
        names = set(Site.objects.values_list("name", flat=True))
    assert names == {world.a.site.name}
    with scopes_disabled():
        assert Site.objects.count() == 2


def test_network_pages_run_in_an_empty_scope(world, login, client):
    """Outside a city the scope is empty: city-owned rows are invisible, not leaked."""
    login(world.user("network"))
    response = client.get("/rete/")
    assert response.status_code == 200
    with scope(city=[]):
        assert Organisation.objects.count() == 0


def test_the_network_coordinator_reaches_no_city_page(world, login, client):
    login(world.user("network"))
    for url in ["/c/taranto/", "/c/taranto/organisations/", "/c/milano/sites/"]:
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/organisations", headers={}).status_code in (401, 403)
