"""End-to-end checks in headless Chromium against pytest-django's live server.

Run with: pytest tests/test_browser.py -p no:xdist   (or -m browser)
"""

import base64
import re

import pytest
from django_otp.oath import totp

from tests.browser_support import (
    BROWSER_LOCALE,
    TIMEOUT_MS,
    italian,
    login,
    path_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out_button(page):
    return page.locator("form[action$='/accounts/logout/'] button")


def test_city_login_and_language_switch(demo, live_server, page):
    login(page, live_server, "taranto.operatore")
    assert path_of(page, live_server) == "/c/taranto/"
    assert "Taranto" in page.locator("[data-testid=page-title]").inner_text()

    assert page.get_attribute("html", "lang") == "it"
    assert sign_out_button(page).inner_text().strip() == "Esci"

    with page.expect_navigation():
        page.click("form[action$='/i18n/setlang/'] button[name=language][value=en]")
    assert path_of(page, live_server) == "/c/taranto/"
    assert page.get_attribute("html", "lang") == "en"
    assert sign_out_button(page).inner_text().strip() == "Sign out"

    with page.expect_navigation():
        page.click("form[action$='/i18n/setlang/'] button[name=language][value=it]")
    assert page.get_attribute("html", "lang") == "it"
    assert sign_out_button(page).inner_text().strip() == "Esci"


def test_network_login_sees_cities_but_not_city_pages(demo, live_server, page):
    login(page, live_server, "rete")
    assert path_of(page, live_server) == "/rete/"
    rows = page.locator("[data-testid=edition-cities] tbody tr")
    assert rows.count() >= 1
    assert rows.first.locator("td").first.inner_text().strip()

    response = page.goto(f"{live_server.url}/c/taranto/")
    assert response is not None
    assert response.status == 404


def test_phone_layout_and_skip_link(demo, live_server, browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        locale=BROWSER_LOCALE,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        login(page, live_server, "taranto.operatore")
        assert path_of(page, live_server) == "/c/taranto/"

        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1] + 1, f"horizontal scroll: scrollWidth/innerWidth {widths}"
        # The menu sits above the page, never over its title.
        menu = page.locator(".it-header-navbar-wrapper").bounding_box()
        title = page.locator("main h1").first.bounding_box()
        assert menu["y"] + menu["height"] <= title["y"], (menu, title)
        page.screenshot(path="/tmp/phone-city-home.png")  # noqa: S108 - a look, not a secret

        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => [document.activeElement.textContent.trim(),"
            " document.activeElement.getAttribute('href')]"
        )
        assert focused == [italian("Skip to content"), "#main"]
    finally:
        context.close()


def test_second_factor_enrolment_outside_demo(demo, settings, live_server, page):
    settings.LGNET_DEMO = False  # data seeded by `demo`; from now on the second factor applies
    login(page, live_server, "taranto.operatore")
    assert path_of(page, live_server) == "/accounts/otp/"
    assert page.locator(".lgnet-qr svg").count() == 1
    secret = page.locator("[data-testid=otp-secret]").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]+", secret), secret

    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("input[name=otp_token]", f"{totp(key):06d}")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    # A new authenticator is followed by the offer of recovery codes, shown once.
    assert path_of(page, live_server) == "/accounts/recovery-codes/"
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("[data-testid=recovery-codes] li").count() == 10
    with page.expect_navigation():
        page.click("main a.btn-primary")
    assert path_of(page, live_server) == "/c/taranto/"
    assert "Taranto" in page.locator("[data-testid=page-title]").inner_text()
