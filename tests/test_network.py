"""The network's records through the API and the pages: rules, errors, audit, demo."""

import json
import os
import subprocess
import sys

import pghistory.models
import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django_scopes import scopes_disabled

from lgnet.accounts.models import Membership, User
from lgnet.core.models import AuditEvent
from lgnet.network.models import City, Edition, Organisation, Participation, Site


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_bad_input_answers_400_with_field_errors(client, world, bearer):
    headers = bearer("coordinator")
    response = post(client, "/api/v1/organisations", {"name": "", "kind": "castle"}, headers)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert {e["field"] for e in body["errors"]} == {"name", "kind"}


def test_malformed_json_is_a_400_not_a_500(client, world, bearer):
    response = client.post(
        "/api/v1/organisations",
        "{not json",
        content_type="application/json",
        headers=bearer("coordinator"),
    )
    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.parametrize("name", ["a\x00b", "x" * 5000])
def test_unstorable_values_answer_400(client, world, bearer, name):
    response = post(
        client, "/api/v1/organisations", {"name": name, "kind": "other"}, bearer("coordinator")
    )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_duplicate_names_answer_409(client, world, bearer):
    headers = bearer("coordinator")
    body = {"name": world.a.partner.name, "kind": "association"}
    response = post(client, "/api/v1/organisations", body, headers)
    assert response.status_code in (400, 409)
    assert response.json()["detail"]


def test_a_site_cannot_be_run_by_another_citys_organisation(client, world, bearer):
    response = post(
        client,
        "/api/v1/sites",
        {"name": "X", "kind": "other", "organisation": world.b.partner.pk},
        bearer("coordinator"),
    )
    assert response.status_code == 404
    with scopes_disabled():
        assert not Site.objects.filter(name="X").exists()


def test_agreement_dates_are_checked(client, world, bearer):
    response = post(
        client,
        "/api/v1/agreements",
        {
            "organisation": world.a.partner.pk,
            "title": "T",
            "starts_on": "2024-05-01",
            "ends_on": "2024-01-01",
        },
        bearer("coordinator"),
    )
    assert response.status_code == 400


def test_lists_answer_items_and_count_with_constant_queries(
    client, world, bearer, django_assert_max_num_queries
):
    headers = bearer("caseworker")
    with scopes_disabled():
        for i in range(30):
            Site.objects.create(
                city=world.a.city, name=f"Sede {i}", kind="other", organisation=world.a.partner
            )
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/sites?limit=100", headers=headers).json()
    assert body["count"] == 31 and len(body["items"]) == 31
    assert {s["city"] for s in body["items"]} == {"taranto"}


def test_city_pages_keep_their_query_count_as_data_grows(
    client, world, login, django_assert_max_num_queries
):
    login(world.user("coordinator"))
    with scopes_disabled():
        for i in range(25):
            Site.objects.create(
                city=world.a.city, name=f"Sede {i}", kind="other", organisation=world.a.partner
            )
    with django_assert_max_num_queries(14):
        assert client.get("/c/taranto/sites/").status_code == 200


def test_history_records_the_acting_user(client, world, bearer):
    headers = bearer("coordinator")
    organisation = world.a.partner
    response = client.patch(
        f"/api/v1/organisations/{organisation.pk}",
        json.dumps({"phone": "099 123"}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    event = (
        pghistory.models.Events.objects.filter(
            pgh_obj_model="network.Organisation",
            pgh_obj_id=str(organisation.pk),
            pgh_label="update",
        )
        .order_by("-pgh_created_at")
        .first()
    )
    assert event is not None
    assert event.pgh_context["user"] == world.user("coordinator").pk
    assert AuditEvent.objects.filter(
        action="organisation.saved", target_id=str(organisation.pk)
    ).exists()


def test_audit_events_cannot_be_changed_or_deleted(world):
    event = AuditEvent.objects.create(action="test.event")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_a_city_coordinator_adds_a_partner_worker(client, world, bearer):
    headers = bearer("coordinator")
    response = post(
        client,
        "/api/v1/memberships",
        {"username": "nuovo.partner", "role": "partner_worker", "organisation": world.a.partner.pk},
        headers,
    )
    assert response.status_code == 201, response.content
    assert response.json()["organisation"] == world.a.partner.pk
    refused = post(
        client,
        "/api/v1/memberships",
        {"username": "x.rete", "role": "network_coordinator"},
        headers,
    )
    assert refused.status_code == 403


def test_network_coordinator_adds_a_city_to_an_edition(client, world, bearer):
    headers = bearer("network")
    with scopes_disabled():
        City.objects.create(slug="bari", name="Bari", istat_code="072006", region="Puglia")
    response = client.put(
        f"/api/v1/editions/{world.edition.code}/cities",
        json.dumps({"city": "bari", "target_beneficiaries": 40}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    assert "bari" in response.json()["cities"]


def test_forms_show_errors_in_place(client, world, login):
    login(world.user("coordinator"))
    response = client.post("/c/taranto/organisations/new/", {"name": "", "kind": "comune"})
    assert response.status_code == 400
    assert b"is-invalid" in response.content
    duplicate = client.post(
        "/c/taranto/organisations/new/", {"name": world.a.partner.name, "kind": "comune"}
    )
    assert duplicate.status_code == 400
    created = client.post(
        "/c/taranto/organisations/new/",
        {"name": "Caritas diocesana", "kind": "association", "is_active": "on"},
    )
    assert created.status_code == 302
    with scopes_disabled():
        assert Organisation.objects.get(name="Caritas diocesana").city == world.a.city


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_the_ui_speaks_italian_first_and_english_on_request(client, db):
    page = client.get("/accounts/login/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert b'lang="it"' in page.content and b"Accedi" in page.content
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/")
    assert b'lang="en"' in page.content and b"Sign in" in page.content


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_tells_the_seed_story(settings):
    call_command("seed_demo")
    with scopes_disabled():
        counts = [
            m.objects.count()
            for m in (City, Edition, Participation, Organisation, Site, Membership, User)
        ]
        call_command("seed_demo")
        assert counts == [
            m.objects.count()
            for m in (City, Edition, Participation, Organisation, Site, Membership, User)
        ]
        assert {e.code: e.cities.count() for e in Edition.objects.all()} == {
            "LGNETEA": 18,
            "LGNET2": 16,
            "LGNET3": 22,
        }
        sites = set(Site.objects.filter(city__slug="taranto").values_list("kind", flat=True))
        assert {"one_stop_shop", "mobile_unit", "shelter", "garden", "school"} <= sites
        assert Organisation.objects.filter(city__slug="taranto", name__icontains="ISOLA").exists()
        from lgnet.people.models import Contact, Person

        taranto = Person.objects.filter(city__slug="taranto")
        # The 65 beneficiaries of the press release, and three of them typed twice.
        assert taranto.count() == 68
        assert (
            taranto.filter(external_id__regex=r"^demo-taranto-([0-9]|[1-5][0-9]|6[0-4])$").count()
            == 65
        )
        assert Contact.objects.filter(city__slug="taranto", channel="street").exists()
        from lgnet.cases.models import Case

        in_lgnet2 = Case.objects.filter(city__slug="taranto", opened_on__year=2023)
        # Taranto's 65 beneficiaries of LgNet2: one case each, opened in 2023.
        assert in_lgnet2.values("person").distinct().count() == 65
        for slug in ["milano", "roma", "palermo"]:
            assert 100 <= Person.objects.filter(city__slug=slug).count() <= 900
    for username in [
        "rete",
        "taranto.coordinatore",
        "taranto.operatore",
        "taranto.mobile",
        "taranto.auditor",
        "taranto.isola",
        "taranto.iom",
        "taranto.uepe",
        "taranto.crest",
        "milano.operatore",
    ]:
        assert User.objects.get(username=username).check_password("demo-lgnet"), username


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _settings_process(env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "LGNET_DEMO",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_its_secrets():
    result = _settings_process(
        {"LGNET_ENV": "production", "DATABASE_URL": "postgres://u@127.0.0.1:1/x"}
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _settings_process(
        {
            "LGNET_ENV": "production",
            "SECRET_KEY": "x" * 64 + "-production-secret-for-test",
            "ALLOWED_HOSTS": "lgnet.example.org",
            "LGNET_LINKAGE_KEY": "k" * 48,
            "DATABASE_URL": "postgres://u@127.0.0.1:1/x",
        }
    )
    assert result.returncode == 0, result.stderr + result.stdout
