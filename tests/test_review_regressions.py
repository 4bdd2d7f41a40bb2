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


def test_sensitive_reads_are_logged_and_shown_to_the_auditor(client, world, login):
    from lgnet.core.models import AccessLog

    login(world.user("coordinator"))
    client.get(f"/c/taranto/persons/{world.a.person.pk}/")
    with scopes_disabled():
        entry = AccessLog.objects.get(person_id=world.a.person.pk, what="vulnerabilities")
    assert entry.user == world.user("coordinator")
    assert entry.outside_team  # the coordinator reads as coordinator, not as team member
    client.logout()
    login(world.user("auditor"))
    page = client.get(f"/c/taranto/persons/{world.a.person.pk}/")
    assert b'data-testid="access-log"' in page.content and b"coordinator" in page.content
    with scopes_disabled():  # the auditor sees the log but reads no vulnerability
        read = AccessLog.objects.filter(person_id=world.a.person.pk, user=world.user("auditor"))
        assert [e.what for e in read] == ["legal_status"]  # the permit it was shown


def test_the_recorder_alone_no_longer_sees_vulnerabilities(world):
    from lgnet.people.selectors import can_see_sensitive

    with scopes_disabled():
        other = world.a.other_person  # registered by the caseworker, no case
        assert not can_see_sensitive(world.memberships["caseworker"], other)
        assert can_see_sensitive(world.memberships["caseworker"], world.a.person)  # team


def test_api_reads_of_vulnerabilities_are_logged_and_listed(client, world, bearer):
    url = f"/api/v1/persons/{world.a.person.pk}"
    listing = client.get("/api/v1/persons", headers=bearer("coordinator")).json()
    assert all(p["vulnerabilities"] is None for p in listing["items"])  # never in lists
    assert client.get(url, headers=bearer("coordinator")).json()["vulnerabilities"] == [
        "homelessness"
    ]
    log = client.get(url + "/access-log", headers=bearer("auditor")).json()
    assert sorted(e["what"] for e in log["items"]) == ["legal_status", "vulnerabilities"]
    assert all(e["user"] == "coordinator" and e["channel"] == "api" for e in log["items"])
    assert client.get(url + "/access-log", headers=bearer("caseworker")).status_code == 403


def test_a_new_user_gets_a_one_time_password_to_sign_in_with(client, world, login, settings):
    login(world.user("coordinator"))
    client.post("/c/taranto/users/", {"username": "nuova.operatrice", "role": "caseworker"})
    page = client.get("/c/taranto/users/")
    password = page.context["new_password"][1]
    assert client.get("/c/taranto/users/").context["new_password"] is None  # shown once
    client.logout()
    settings.LGNET_DEMO = True
    response = client.post(
        "/accounts/login/", {"username": "nuova.operatrice", "password": password}
    )
    assert response.status_code == 302
    assert client.get("/c/taranto/").status_code == 200


def test_merging_takes_the_birth_date_with_its_precision(world):
    from django_scopes import scope

    from lgnet.people.services import merge_persons

    with scope(city=world.a.city):
        survivor = merge_persons(
            actor=world.user("coordinator"),
            survivor=world.a.other_person,
            duplicate=world.a.person,
            take=["birth_date"],
        )
        assert survivor.birth_date == date(1990, 3, 12)
        assert survivor.birth_date_precision == "day"


def test_a_merge_in_the_opposite_direction_afterwards_is_refused(world):
    import pytest
    from django_scopes import scope

    from lgnet.core.exceptions import RuleBroken
    from lgnet.people.services import merge_persons

    stale_a, stale_b = world.a.person, world.a.other_person  # objects read before the merge
    with scope(city=world.a.city):
        merge_persons(actor=world.user("coordinator"), survivor=stale_a, duplicate=stale_b)
        with pytest.raises(RuleBroken):
            merge_persons(actor=world.user("caseworker"), survivor=stale_b, duplicate=stale_a)


def test_a_token_for_a_user_with_two_roles_in_one_city_carries_the_strongest(
    client, world, settings
):
    settings.LGNET_DEMO = True
    Membership.objects.create(user=world.user("caseworker"), role=Role.AUDITOR, city=world.a.city)
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": "caseworker", "password": "a-long-test-password"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["role"] == "caseworker" and response.json()["city"] == "taranto"


def test_the_city_home_shows_the_registry_and_case_figures(client, world, login):
    login(world.user("caseworker"))
    page = client.get("/c/taranto/")
    # The registry's and the cases' figures come first; housing and activities add theirs.
    assert [value for value, _label in page.context["figures"]][:4] == [2, 1, 1, 1]
    client.logout()
    login(world.user("partner"))
    assert client.get("/c/taranto/").context["figures"] == []
