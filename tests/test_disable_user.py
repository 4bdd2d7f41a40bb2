"""A coordinator disables a user at once (issue 10): the user's browser session and API token,
both already open, stop working on the very next request, whether the membership is ended
on the city's users page (accounts:member_toggle) or by the API (PATCH /api/v1/memberships).
An account switched off altogether (User.is_active, as a superuser would from the shell)
stops the same way."""

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from conftest import verify_second_factor
from lgnet.accounts.models import ApiToken, Membership, User
from lgnet.accounts.roles import Role
from lgnet.accounts.services import issue_token

LOGIN = "/accounts/login/"


def signed_in(user) -> Client:
    """A browser of its own, signed in (second factor included) and working in Taranto."""
    browser = Client()
    browser.force_login(user)
    verify_second_factor(browser, user)
    assert browser.get("/c/taranto/").status_code == 200
    return browser


def token_of(membership) -> dict:
    secret, _token = issue_token(membership=membership)
    return {"Authorization": f"Bearer {secret}"}


def api_me(headers) -> int:
    return Client().get("/api/v1/me", headers=headers).status_code


def assert_session_stopped(browser: Client) -> None:
    """Every kind of request the session made before is refused: a city page, the home,
    the profile (sent to sign in) and the API through the session cookie (401)."""
    page = browser.get("/c/taranto/persons/")
    assert page.status_code == 302 and page["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in browser.session
    for url in ("/c/taranto/", "/", "/accounts/profile/"):
        response = browser.get(url)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), url
    assert browser.get("/api/v1/persons").status_code == 401


@pytest.fixture
def caseworker(world):
    """The caseworker with an open browser session and a working API token."""
    user = world.user("caseworker")
    browser = signed_in(user)
    headers = token_of(world.memberships["caseworker"])
    assert api_me(headers) == 200
    assert browser.get("/api/v1/persons").status_code == 200
    return user, browser, headers


def test_ending_the_membership_on_the_users_page_stops_session_and_token_at_once(world, caseworker):
    user, browser, headers = caseworker
    coordinator = signed_in(world.user("coordinator"))
    membership = world.memberships["caseworker"]
    toggled = coordinator.post(f"/c/taranto/users/{membership.pk}/toggle/")
    assert toggled.status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is False
    assert api_me(headers) == 401
    assert_session_stopped(browser)
    with scopes_disabled():
        assert not ApiToken.objects.usable().filter(membership=membership).exists()


def test_ending_the_membership_by_the_api_stops_session_and_token_at_once(world, caseworker):
    user, browser, headers = caseworker
    membership = world.memberships["caseworker"]
    response = Client().patch(
        f"/api/v1/memberships/{membership.pk}",
        {"is_active": False},
        content_type="application/json",
        headers=token_of(world.memberships["coordinator"]),
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert api_me(headers) == 401
    assert_session_stopped(browser)


def test_a_user_signing_in_again_after_the_end_has_no_access(world, caseworker):
    user, browser, _headers = caseworker
    Client().patch(
        f"/api/v1/memberships/{world.memberships['caseworker'].pk}",
        {"is_active": False},
        content_type="application/json",
        headers=token_of(world.memberships["coordinator"]),
    )
    again = signed_in_without_check(user)
    assert again.get("/c/taranto/").status_code in (302, 403, 404)
    assert again.get("/").status_code == 403  # the "no membership" page
    assert Client().post(
        "/api/v1/auth/token",
        {"username": "caseworker", "password": "a-long-test-password"},
        content_type="application/json",
    ).status_code in (401, 403)


def signed_in_without_check(user) -> Client:
    browser = Client()
    browser.force_login(user)
    verify_second_factor(browser, user)
    return browser


def test_ending_one_city_leaves_the_users_other_city_working_after_signing_in_again(
    world, caseworker
):
    """A user of two cities: Taranto ends its membership. The session that worked in
    Taranto stops; signed in again, the user works in Milano and Taranto answers 404."""
    user, browser, headers = caseworker
    with scopes_disabled():
        milano = Membership.objects.create(user=user, role=Role.AUDITOR, city=world.b.city)
    milano_headers = token_of(milano)
    coordinator = signed_in(world.user("coordinator"))
    coordinator.post(f"/c/taranto/users/{world.memberships['caseworker'].pk}/toggle/")
    assert api_me(headers) == 401
    assert api_me(milano_headers) == 200  # another membership's token is not touched
    page = browser.get("/c/taranto/persons/")
    assert page.status_code == 302 and page["Location"].startswith(LOGIN)
    again = signed_in_without_check(user)
    assert again.get("/c/milano/").status_code == 200
    assert again.get("/c/taranto/").status_code == 404


def test_a_disabled_account_stops_session_and_token_at_once(world, caseworker):
    user, browser, headers = caseworker
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert api_me(headers) == 401
    page = browser.get("/c/taranto/persons/")
    assert page.status_code == 302 and page["Location"].startswith(LOGIN)
    assert browser.get("/api/v1/persons").status_code == 401
    assert (
        Client()
        .post(
            "/api/v1/auth/token",
            {"username": "caseworker", "password": "a-long-test-password"},
            content_type="application/json",
        )
        .status_code
        == 401
    )


def test_a_coordinator_cannot_end_another_citys_membership(world, caseworker):
    user, browser, headers = caseworker
    outsider = signed_in_outsider(world)
    response = outsider.post(f"/c/taranto/users/{world.memberships['caseworker'].pk}/toggle/")
    assert response.status_code == 404
    response = outsider.post(f"/c/milano/users/{world.memberships['caseworker'].pk}/toggle/")
    assert response.status_code == 404
    assert api_me(headers) == 200
    assert browser.get("/c/taranto/persons/").status_code == 200


def signed_in_outsider(world) -> Client:
    browser = Client()
    user = world.user("outsider")
    browser.force_login(user)
    verify_second_factor(browser, user)
    return browser
