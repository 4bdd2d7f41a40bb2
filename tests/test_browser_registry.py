"""End-to-end checks of the registry in headless Chromium: search before create,
the street contact form on a phone, keyboard and labels of the intake form.

Run with: pytest tests/test_browser_registry.py -p no:xdist   (or -m browser)
"""

import re
import time
from datetime import date

import pytest
from django_scopes import scopes_disabled

from tests.browser_support import BROWSER_LOCALE, TIMEOUT_MS, italian, login, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY = "taranto"
INTAKE_SHOT = "/tmp/intake.png"  # noqa: S108 - asked-for screenshots, not secrets
CONTACT_SHOT = "/tmp/contact.png"  # noqa: S108


def register_mohamed_dialo():
    """The record already in the registry that the operator must be warned about."""
    from lgnet.accounts.models import User
    from lgnet.network.models import City
    from lgnet.people.services import register_person

    with scopes_disabled():
        return register_person(
            actor=User.objects.get(username=f"{CITY}.operatore"),
            city=City.objects.get(slug=CITY),
            data={
                "given_names": "Mohamed",
                "family_names": "Dialo",
                "sex": "M",
                "birth_date": date(1990, 3, 12),
            },
        )


def no_horizontal_scroll(page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] + 1, f"horizontal scroll: scrollWidth/innerWidth {widths}"


def test_intake_warns_of_likely_same_person_and_opens_it(demo, live_server, page):
    existing = register_mohamed_dialo()
    login(page, live_server, f"{CITY}.operatore")

    page.goto(f"{live_server.url}/c/{CITY}/persons/new/")
    assert page.get_attribute("html", "lang") == "it"
    # Typed key by key: the candidates are fetched on keyup (page.fill sends no key events).
    page.locator("input[name=given_names]").press_sequentially("Muhammad", delay=20)
    page.locator("input[name=family_names]").press_sequentially("Diallo", delay=20)
    page.locator("input[name=birth_year]").press_sequentially("1990", delay=20)

    to_existing = f"a[href$='/c/{CITY}/persons/{existing.pk}/']"
    card = page.locator("#candidates [data-testid=candidate]").filter(has=page.locator(to_existing))
    link = card.locator(to_existing)
    try:
        link.wait_for()
    except Exception:  # Playwright's TimeoutError: show what the page showed instead
        page.screenshot(path=INTAKE_SHOT.replace(".png", "-no-candidate.png"), full_page=True)
        pytest.fail(
            "the existing 'Mohamed Dialo' never appeared among the candidates; "
            f"sex select left at {page.locator('select[name=sex]').input_value()!r}; "
            f"#candidates says {page.locator('#candidates').inner_text().strip()!r}"
        )
    assert link.inner_text().strip() == "Mohamed Dialo"
    assert "12/03/1990" in card.inner_text(), card.inner_text()

    # Likely, not merely possible: the score printed on the card is at least 0.80.
    score = re.search(r"(\d)[.,](\d\d)\b", card.locator("p").first.inner_text())
    assert score, card.inner_text()
    assert float(f"{score.group(1)}.{score.group(2)}") >= 0.8, card.inner_text()
    assert italian("Likely the same person") in card.inner_text(), card.inner_text()

    page.screenshot(path=INTAKE_SHOT, full_page=True)

    with page.expect_navigation():
        link.click()
    assert path_of(page, live_server) == f"/c/{CITY}/persons/{existing.pk}/"
    assert page.locator("[data-testid=person-name]").inner_text().strip() == "Mohamed Dialo"


def test_street_contact_on_a_phone(demo, live_server, browser):
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
        login(page, live_server, f"{CITY}.mobile")
        page.goto(f"{live_server.url}/c/{CITY}/contacts/new/")
        assert page.get_attribute("html", "lang") == "it"
        no_horizontal_scroll(page)

        form = page.locator("form.lgnet-quick-form")
        started = time.perf_counter()
        form.locator("input[name=channel][value=street]").check()
        form.locator("input[name=place]").fill("Piazza Fontana")
        form.locator("select[name=anonymous_sex]").select_option("M")
        form.locator("select[name=anonymous_age_band]").select_option("25-34")
        form.locator("input[name=needs][value=food]").check()
        form.locator("input[name=help_given][value=food]").check()
        form.locator("input[name=outcome][value=sent_to_desk]").check()
        filled = time.perf_counter()
        page.screenshot(path=CONTACT_SHOT, full_page=True)
        shot = time.perf_counter()
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        done = time.perf_counter()
        print(
            f"\nstreet contact: fill {filled - started:.2f}s, "
            f"submit {done - shot:.2f}s (screenshot excluded)"
        )

        assert path_of(page, live_server) == f"/c/{CITY}/contacts/"
        row = page.locator("[data-testid=contact]").filter(has_text="Piazza Fontana")
        assert row.count() == 1
        assert page.locator("[data-testid=contact]").first.inner_text() == row.inner_text()
        no_horizontal_scroll(page)
    finally:
        context.close()


def test_intake_form_keyboard_and_labels(demo, live_server, page):
    login(page, live_server, f"{CITY}.operatore")
    page.goto(f"{live_server.url}/c/{CITY}/persons/new/")

    focused = []
    for _ in range(60):
        page.keyboard.press("Tab")
        name = page.evaluate("() => document.activeElement.getAttribute('name')")
        focused.append(name)
        if name == "given_names":
            break
    assert focused[-1] == "given_names", f"Tab never reached the given names: {focused}"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('name')") == "family_names"

    controls = page.locator(
        "#person-form input[name]:not([type=hidden]), #person-form select[name],"
        " #person-form textarea[name]"
    )
    assert controls.count() >= 6
    missing = []
    for i in range(controls.count()):
        control = controls.nth(i)
        name = control.get_attribute("name")
        ident = control.get_attribute("id")
        label = page.locator(f"#person-form label[for='{ident}']") if ident else None
        if not ident or label.count() != 1 or not label.is_visible():
            missing.append(f"{name}#{ident}")
    assert not missing, f"controls without a visible <label for=id>: {missing}"


LABEL_TARGETS = """() => [...document.querySelectorAll('main label')]
    .filter(l => !l.htmlFor || !document.getElementById(l.htmlFor))
    .map(l => `${l.textContent.trim().replace(/\\s+/g, ' ')} [for="${l.getAttribute('for')}"]`)"""


def test_form_labels_point_at_a_control_and_pages_load_without_script_errors(
    demo, live_server, page
):
    """A label with for="" points nowhere, and Bootstrap Italia's label script then throws."""
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{path_of(page, live_server)}: {error}"))
    dangling = {}
    login(page, live_server, f"{CITY}.operatore")
    for path in (f"/c/{CITY}/persons/new/", f"/c/{CITY}/contacts/new/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        if labels := page.evaluate(LABEL_TARGETS):
            dangling[path] = labels
    assert not dangling, f"labels whose for= matches no control: {dangling}"
    assert not errors, f"script errors: {errors}"
