"""MFA recovery codes (issue 10): created after enrolment or from the profile, shown once,
each accepted once at the second step instead of the authenticator's code, replaced as a
whole, slowed down like the authenticator when wrong, and never taken by the API."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from lgnet.accounts import services
from lgnet.core.models import AuditEvent

LOGIN = "/accounts/login/"
OTP = "/accounts/otp/"


@pytest.fixture(autouse=True)
def outside_demo(settings):
    settings.LGNET_DEMO = False


def _totp(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def _password_step(user) -> Client:
    browser = Client()
    response = browser.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(OTP)
    return browser


def _is_verified(browser: Client) -> bool:
    return browser.get("/c/taranto/").status_code == 200


def test_a_recovery_code_is_accepted_once_then_refused(world):
    user = world.user("caseworker")
    _enrolled(user)
    codes = services.generate_recovery_codes(user=user)
    first = _password_step(user)
    page = first.get(OTP)
    assert b'name="recovery_code"' in page.content  # offered beside the six digits
    shown = f"{codes[0][:4]}-{codes[0][4:]}".upper()  # typed as shown, capitals or not
    response = first.post(OTP, {"recovery_code": shown, "next": "/c/taranto/"})
    assert response.status_code == 302 and response["Location"] == "/c/taranto/"
    assert _is_verified(first)
    assert StaticToken.objects.filter(device__user=user).count() == 9
    used = AuditEvent.objects.get(action="otp.recovery_code_used")
    assert used.actor == user and used.data == {"left": 9}

    second = _password_step(user)
    refused = second.post(OTP, {"recovery_code": codes[0]})
    assert refused.status_code == 200
    assert "recovery_code" in refused.context["recovery_form"].errors
    assert not _is_verified(second)


def test_new_codes_replace_the_old_ones(world):
    user = world.user("caseworker")
    _enrolled(user)
    old = services.generate_recovery_codes(user=user)
    new = services.generate_recovery_codes(user=user)
    assert len(new) == 10 and not set(old) & set(new)
    assert StaticDevice.objects.filter(user=user).count() == 1
    assert StaticToken.objects.filter(device__user=user).count() == 10
    browser = _password_step(user)
    assert browser.post(OTP, {"recovery_code": old[0]}).status_code == 200
    assert not _is_verified(browser)
    StaticDevice.objects.filter(user=user).update(throttling_failure_count=0)
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0)
    assert browser.post(OTP, {"recovery_code": new[0]}).status_code == 302
    assert _is_verified(browser)


def test_the_profile_creates_codes_shown_once_and_audited(world, login):
    user = world.user("caseworker")
    browser = login(user)
    profile = browser.get("/accounts/profile/")
    assert profile.context["recovery_codes_left"] == 0
    page = browser.get("/accounts/recovery-codes/")
    assert page.status_code == 200 and b'data-testid="recovery-codes"' not in page.content
    made = browser.post("/accounts/recovery-codes/")
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    codes = made.context["codes"]
    assert len(codes) == 10
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert {code.replace("-", "") for code in codes} == stored
    for code in codes:
        assert code.encode() in made.content
    again = browser.get("/accounts/recovery-codes/")
    assert not any(code.encode() in again.content for code in codes)  # shown once
    assert again.context["left"] == 10
    event = AuditEvent.objects.get(action="otp.recovery_codes_generated")
    assert event.actor == user and event.data == {"count": 10}


def test_enrolling_an_authenticator_leads_to_the_recovery_codes(world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = world.user("caseworker")
    browser = _password_step(user)
    browser.get(OTP)
    device = TOTPDevice.objects.get(user=user)
    response = browser.post(OTP, {"otp_token": _totp(device), "next": "/c/taranto/"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/recovery-codes/?next=")
    offer = browser.get(response["Location"])
    assert offer.status_code == 200 and offer.context["next"] == "/c/taranto/"
    assert browser.post("/accounts/recovery-codes/", {"next": "/c/taranto/"}).status_code == 200
    assert _is_verified(browser)


def test_wrong_recovery_codes_slow_down_every_code(world):
    """After wrong recovery codes, even a right code (recovery or authenticator) waits."""
    user = world.user("caseworker")
    device = _enrolled(user)
    codes = services.generate_recovery_codes(user=user)
    browser = _password_step(user)
    for _ in range(3):  # the back-off is now 4 seconds
        browser.post(OTP, {"recovery_code": "zzzz-zzzz"})
    waiting = browser.post(OTP, {"recovery_code": codes[0]})
    assert waiting.status_code == 200 and not _is_verified(browser)
    assert browser.post(OTP, {"otp_token": _totp(device)}).status_code == 200
    assert not _is_verified(browser)
    assert StaticToken.objects.filter(device__user=user).count() == 10  # nothing used up
    # Once the back-off has passed, the right code works.
    earlier = timezone.now() - timedelta(minutes=5)
    StaticDevice.objects.filter(user=user).update(throttling_failure_timestamp=earlier)
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=earlier)
    assert browser.post(OTP, {"recovery_code": codes[0]}).status_code == 302
    assert _is_verified(browser)


def test_the_api_does_not_take_recovery_codes(world, client):
    user = world.user("caseworker")
    _enrolled(user)
    codes = services.generate_recovery_codes(user=user)
    response = client.post(
        "/api/v1/auth/token",
        {"username": "caseworker", "password": PASSWORD, "otp": codes[0]},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert StaticToken.objects.filter(device__user=user, token=codes[0]).exists()


def test_demo_mode_has_no_recovery_codes(world, login, settings):
    settings.LGNET_DEMO = True
    browser = Client()
    browser.post(LOGIN, {"username": "caseworker", "password": PASSWORD})
    assert _is_verified(browser)  # demo logins work as before, no second step
    assert browser.get("/accounts/profile/").context["recovery_codes_left"] is None
    response = browser.post("/accounts/recovery-codes/")
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    assert not StaticDevice.objects.exists()
