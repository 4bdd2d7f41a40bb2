"""Own sessions (issue 10): the profile lists the user's signed-in sessions and nobody
else's, marks this one, and ends another one, or all the others, at once."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, verify_second_factor
from lgnet.accounts.models import BrowserSession
from lgnet.core.models import AuditEvent

LOGIN = "/accounts/login/"
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    verify_second_factor(browser, user)
    assert browser.get("/c/taranto/").status_code == 200
    return browser


def listed(browser: Client) -> list:
    response = browser.get("/accounts/profile/")
    assert response.status_code == 200
    return response.context["sessions"]


def is_signed_out(browser: Client) -> bool:
    page = browser.get("/c/taranto/")
    return page.status_code == 302 and page["Location"].startswith(LOGIN)


def test_signing_in_records_the_session_with_a_coarse_device_and_no_address(world, settings):
    settings.LGNET_DEMO = True
    browser = Client(HTTP_USER_AGENT=CHROME_ANDROID, REMOTE_ADDR="203.0.113.7")
    browser.post(LOGIN, {"username": "caseworker", "password": PASSWORD})
    row = BrowserSession.objects.get(user=world.user("caseworker"))
    assert row.session_id == browser.session.session_key
    assert row.device == "Chrome, Android"
    stored = " ".join(str(value) for value in BrowserSession.objects.values().get().values())
    assert "203.0.113" not in stored and "Pixel" not in stored


def test_the_list_shows_own_sessions_only_and_marks_this_one(world, django_assert_max_num_queries):
    user = world.user("caseworker")
    here, elsewhere = signed_in(user), signed_in(user)
    signed_in(world.user("coordinator"))
    with django_assert_max_num_queries(12):
        sessions = listed(here)
    assert len(sessions) == 2
    assert {s.user_id for s in sessions} == {user.pk}
    current = [s for s in sessions if s.is_current]
    assert len(current) == 1 and current[0].session_id == here.session.session_key
    assert {s.session_id for s in sessions} == {
        here.session.session_key,
        elsewhere.session.session_key,
    }
    page = here.get("/accounts/profile/").content.decode()
    assert page.count('name="session"') == 1  # an End button for the other one only


def test_ending_another_session_signs_that_browser_out(world):
    user = world.user("caseworker")
    here, elsewhere = signed_in(user), signed_in(user)
    other = next(s for s in listed(here) if not s.is_current)
    response = here.post("/accounts/sessions/end/", {"session": other.pk})
    assert response.status_code == 302
    assert is_signed_out(elsewhere)
    assert elsewhere.get("/api/v1/persons").status_code == 401
    assert here.get("/c/taranto/").status_code == 200  # this one goes on
    assert [s.is_current for s in listed(here)] == [True]
    event = AuditEvent.objects.get(action="session.ended")
    assert event.actor == user and event.data == {"count": 1}


def test_another_users_session_cannot_be_ended(world):
    mine = signed_in(world.user("caseworker"))
    theirs = signed_in(world.user("coordinator"))
    their_session = BrowserSession.objects.get(user=world.user("coordinator"))
    response = mine.post("/accounts/sessions/end/", {"session": their_session.pk})
    assert response.status_code == 404
    assert mine.post("/accounts/sessions/end/", {"session": "x"}).status_code == 302
    assert theirs.get("/c/taranto/").status_code == 200
    assert not AuditEvent.objects.filter(action="session.ended").exists()


def test_this_session_is_ended_by_signing_out_not_from_the_list(world):
    browser = signed_in(world.user("caseworker"))
    this = listed(browser)[0]
    assert browser.post("/accounts/sessions/end/", {"session": this.pk}).status_code == 302
    assert browser.get("/c/taranto/").status_code == 200
    browser.post("/accounts/logout/")
    assert not BrowserSession.objects.exists()  # gone with its session


def test_ending_all_other_sessions(world):
    user = world.user("caseworker")
    here = signed_in(user)
    others = [signed_in(user), signed_in(user)]
    coordinator = signed_in(world.user("coordinator"))
    assert here.post("/accounts/sessions/end-others/").status_code == 302
    assert all(is_signed_out(browser) for browser in others)
    assert here.get("/c/taranto/").status_code == 200
    assert coordinator.get("/c/taranto/").status_code == 200
    assert BrowserSession.objects.filter(user=user).count() == 1


def test_expired_sessions_are_not_listed_and_leave_with_clearsessions(world):
    user = world.user("caseworker")
    here, stale = signed_in(user), signed_in(user)
    Session.objects.filter(session_key=stale.session.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    assert len(listed(here)) == 1
    call_command("clearsessions")
    assert BrowserSession.objects.filter(user=user).count() == 1


def test_a_new_password_ends_the_other_sessions(world):
    user = world.user("caseworker")
    here, elsewhere = signed_in(user), signed_in(user)
    new_password = "another-long-password-2026"
    response = here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert here.get("/c/taranto/").status_code == 200
    assert is_signed_out(elsewhere)
    sessions = listed(here)
    assert len(sessions) == 1 and sessions[0].is_current
