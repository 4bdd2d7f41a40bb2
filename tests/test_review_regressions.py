"""Findings of the code review, kept fixed."""

import json
from datetime import date

from django_scopes import scopes_disabled

from lgnet.accounts.models import Membership
from lgnet.accounts.roles import Role


def test_a_city_cannot_take_over_another_citys_account(client, world, bearer):
    response = client.post(
        "/api/v1/memberships",
        json.dumps({"username": "caseworker", "role": "auditor"}),
        content_type="application/json",
        headers=bearer("outsider"),
    )
    assert response.status_code == 409
    assert not Membership.objects.filter(user=world.user("caseworker"), city=world.b.city).exists()
    again = client.post(
        "/api/v1/memberships",
        json.dumps({"username": "network", "role": "auditor"}),
        content_type="application/json",
        headers=bearer("outsider"),
    )
    assert again.status_code == 409


def test_a_city_may_give_its_own_user_a_second_role(client, world, bearer):
    response = client.post(
        "/api/v1/memberships",
        json.dumps({"username": "outreach", "role": "auditor"}),
        content_type="application/json",
        headers=bearer("coordinator"),
    )
    assert response.status_code == 201


def test_network_pages_use_the_network_role_after_a_city_page(client, world, login):
    Membership.objects.create(user=world.user("network"), role=Role.AUDITOR, city=world.a.city)
    login(world.user("network"))
    assert client.get("/c/taranto/").status_code == 200
    assert client.get("/rete/").status_code == 200


def test_the_network_home_shows_the_unique_person_count(client, world, login):
    login(world.user("network"))
    page = client.get("/rete/")
    assert b'data-testid="unique-persons"' in page.content


def test_password_change_needs_the_second_factor(client, world, settings):
    settings.LGNET_DEMO = False
    client.force_login(world.user("caseworker"))
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/")


def test_person_search_is_posted_and_survives_odd_characters(client, world, login):
    login(world.user("caseworker"))
    response = client.post("/c/taranto/persons/", {"q": "Dia\x00lo"})
    assert response.status_code == 200
    assert client.get("/c/taranto/persons/candidates/").status_code == 405


def test_editing_keeps_nationalities_the_form_does_not_show(client, world, login):
    with scopes_disabled():
        person = world.a.person
        person.nationalities = ["GN", "SN", "ML"]
        person.save(update_fields=["nationalities"])
    login(world.user("coordinator"))
    url = f"/c/taranto/persons/{person.pk}/edit/"
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, [])}
    data.update(
        {
            "birth_date": date(1990, 3, 12).isoformat(),
            "phone": "340 1111111",
            "vulnerabilities": ["homelessness"],
        }
    )
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.nationalities == ["GN", "SN", "ML"] and person.phone == "340 1111111"


def test_login_keeps_the_whole_next_address(client, world, settings):
    settings.LGNET_DEMO = False
    response = client.post(
        "/accounts/login/?next=/c/taranto/persons/%3Fpage%3D2%26permit%3Dexpiring",
        {
            "username": "caseworker",
            "password": "a-long-test-password",
            "next": "/c/taranto/persons/?page=2&permit=expiring",
        },
    )
    assert "permit%3Dexpiring" in response["Location"]
