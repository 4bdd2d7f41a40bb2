"""Sign-in: lockout, second factor, session lifetimes, API tokens."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from lgnet.accounts.middleware import SESSION_AUTH_AT
from lgnet.accounts.models import ApiToken
from lgnet.core.models import AuditEvent

LOGIN = "/accounts/login/"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_login_page_has_the_contract_fields(client, db):
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert b'name="username"' in page.content and b'name="password"' in page.content
    assert "csrftoken" in page.cookies


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, world):
    for _ in range(5):
        client.post(LOGIN, {"username": "caseworker", "password": "wrong"})
    response = client.post(LOGIN, {"username": "caseworker", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_api_token_endpoint_is_locked_out_too(client, world):
    for _ in range(5):
        client.post(
            "/api/v1/auth/token",
            {"username": "caseworker", "password": "x"},
            content_type="application/json",
        )
    response = client.post(
        "/api/v1/auth/token",
        {"username": "caseworker", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert response.json()["detail"]


def test_outside_demo_mode_every_page_waits_for_the_second_factor(client, world, settings):
    settings.LGNET_DEMO = False
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code below must not delay the right one
    response = client.post(LOGIN, {"username": "caseworker", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/")
    home = client.get("/c/taranto/")
    assert home.status_code == 302 and home["Location"].startswith("/accounts/otp/")
    enrol = client.get("/accounts/otp/")
    assert b"<svg" in enrol.content  # the QR code to enrol an authenticator
    device = TOTPDevice.objects.get(user=world.user("caseworker"))
    assert not device.confirmed
    bad = client.post(
        "/accounts/otp/", {"otp_token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert bad.status_code == 200 and client.get("/c/taranto/").status_code == 302
    good = client.post("/accounts/otp/", {"otp_token": _code(device)})
    assert good.status_code == 302
    assert client.get("/c/taranto/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_demo_mode_needs_no_second_factor(client, world, settings):
    settings.LGNET_DEMO = True
    client.post(LOGIN, {"username": "caseworker", "password": PASSWORD})
    assert client.get("/c/taranto/").status_code == 200


def test_api_token_needs_the_one_time_code_outside_demo_mode(client, world, settings):
    settings.LGNET_DEMO = False
    device = TOTPDevice.objects.create(user=world.user("caseworker"), name="t", confirmed=True)
    body = {"username": "caseworker", "password": PASSWORD}
    missing = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert missing.status_code == 401
    assert missing.json()["errors"][0]["field"] == "otp"
    ok = client.post(
        "/api/v1/auth/token", {**body, "otp": _code(device)}, content_type="application/json"
    )
    assert ok.status_code == 200
    token = ok.json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["membership"]["city"] == "taranto"


def test_tokens_are_stored_hashed_and_revocation_stops_them(client, world, settings, login):
    settings.LGNET_DEMO = True
    response = client.post(
        "/api/v1/auth/token",
        {"username": "caseworker", "password": PASSWORD},
        content_type="application/json",
    )
    secret = response.json()["token"]
    assert not ApiToken.objects.filter(digest=secret).exists()
    assert ApiToken.objects.filter(digest=ApiToken.digest_of(secret)).exists()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/organisations", headers=headers).status_code == 200
    token = ApiToken.objects.get(digest=ApiToken.digest_of(secret))
    login(world.user("caseworker"))
    profile = client.get("/accounts/profile/")
    assert f"lgn_{token.prefix}_".encode() in profile.content
    assert secret.encode() not in profile.content
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    client.logout()
    after = client.get("/api/v1/organisations", headers=headers)
    assert after.status_code == 401
    assert AuditEvent.objects.filter(action="token.revoked", target_id=str(token.pk)).exists()


def test_a_token_created_on_the_profile_is_shown_once(client, world, login):
    login(world.user("coordinator"))
    client.post(
        "/accounts/tokens/new/",
        {"membership": world.memberships["coordinator"].pk, "name": "script"},
    )
    first = client.get("/accounts/profile/")
    assert b'data-testid="new-token"' in first.content
    second = client.get("/accounts/profile/")
    assert b'data-testid="new-token"' not in second.content


def test_a_user_cannot_revoke_someone_elses_token(client, world, login, bearer):
    bearer("outsider")
    token = ApiToken.objects.get(membership=world.memberships["outsider"])
    login(world.user("caseworker"))
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_ending_a_membership_revokes_its_tokens(client, world, bearer):
    headers = bearer("caseworker")
    coordinator = bearer("coordinator")
    membership = world.memberships["caseworker"]
    response = client.patch(
        f"/api/v1/memberships/{membership.pk}",
        {"is_active": False},
        content_type="application/json",
        headers=coordinator,
    )
    assert response.status_code == 200
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_idle_sessions_expire_after_thirty_minutes(client, world, login, settings):
    from django.contrib.sessions.models import Session

    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    login(world.user("caseworker"))
    assert client.get("/c/taranto/").status_code == 200
    key = client.session.session_key
    expiry = Session.objects.get(session_key=key).expire_date
    assert 29 * 60 < (expiry - timezone.now()).total_seconds() <= 30 * 60
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    response = client.get("/c/taranto/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_sessions_end_after_eight_hours_even_when_active(client, world, login):
    login(world.user("caseworker"))
    assert client.get("/c/taranto/").status_code == 200
    session = client.session
    session[SESSION_AUTH_AT] = time.time() - 8 * 3600 - 1
    session.save()
    response = client.get("/c/taranto/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get("/c/taranto/").status_code == 302


def test_city_switcher_moves_between_memberships(client, world, login):
    from lgnet.accounts.models import Membership
    from lgnet.accounts.roles import Role

    Membership.objects.create(user=world.user("caseworker"), role=Role.AUDITOR, city=world.b.city)
    login(world.user("caseworker"))
    home = client.get("/c/taranto/")
    assert b'id="city-switcher"' in home.content
    auditor = Membership.objects.get(user=world.user("caseworker"), city=world.b.city)
    response = client.post("/accounts/switch/", {"membership": auditor.pk})
    assert response["Location"] == "/c/milano/"
    assert client.get("/").headers["Location"] == "/c/milano/"
    page = client.get("/c/milano/")
    assert page.context["membership"].role == Role.AUDITOR


@pytest.mark.parametrize("header", ["Token abc", "Bearer ", "Bearer not-a-token"])
def test_bad_authorization_headers_get_401(client, db, header):
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["errors"] == []


def test_session_api_calls_need_csrf_for_writes(world, login):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("coordinator"))
    from conftest import verify_second_factor

    verify_second_factor(client, world.user("coordinator"))
    response = client.post(
        "/api/v1/organisations", {"name": "X", "kind": "other"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert client.get("/api/v1/organisations").status_code == 200


def test_x_city_header_picks_the_membership_for_session_callers(client, world, login):
    from lgnet.accounts.models import Membership
    from lgnet.accounts.roles import Role

    Membership.objects.create(user=world.user("caseworker"), role=Role.AUDITOR, city=world.b.city)
    login(world.user("caseworker"))
    session = client.session
    session.pop("lgnet_membership", None)
    session.save()
    assert client.get("/api/v1/organisations").status_code == 400
    milano = client.get("/api/v1/organisations", headers={"X-City": "milano"}).json()
    assert {o["city"] for o in milano["items"]} == {"milano"}
    assert client.get("/api/v1/organisations", headers={"X-City": "roma"}).status_code == 404


def test_add_member_command_creates_the_first_coordinators(world, capsys):
    from django.core.management import call_command

    from lgnet.accounts.models import Membership

    call_command("add_member", "capo.rete", "--role", "network_coordinator", "--no-password")
    call_command(
        "add_member",
        "capo.taranto",
        "--role",
        "city_coordinator",
        "--city",
        "taranto",
        "--no-password",
    )
    assert Membership.objects.get(user__username="capo.rete").city is None
    assert Membership.objects.get(user__username="capo.taranto").city == world.a.city
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("add_member", "x", "--role", "caseworker", "--no-password")
