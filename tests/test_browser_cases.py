"""End to end in headless Chromium: an operator takes a person in charge from a contact,
assesses, plans, records a service and refers to ISOLA; ISOLA's worker sees only what the
consent allows and accepts; the operator sees the referral accepted.

Run with: pytest tests/test_browser_cases.py -p no:xdist   (or -m browser)
"""

from datetime import date

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.browser_support import BROWSER_LOCALE, TIMEOUT_MS, italian, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY = "taranto"
PERMIT_NUMBER = "TA9988776"  # must never reach the partner


def a_contact_with_a_person():
    from lgnet.accounts.models import User
    from lgnet.network.models import City
    from lgnet.people.services import record_contact, register_person

    with scopes_disabled():
        city = City.objects.get(slug=CITY)
        operator = User.objects.get(username=f"{CITY}.operatore")
        person = register_person(
            actor=operator,
            city=city,
            data={
                "given_names": "Awa",
                "family_names": "Traoré",
                "sex": "F",
                "birth_date": date(1994, 5, 2),
                "languages": ["fr"],
                "phone": "+39 333 111 2222",
                "permit_number": PERMIT_NUMBER,
                "legal_status": "asylum_request",
                "vulnerabilities": ["trafficking"],
            },
        )
        contact = record_contact(
            actor=operator,
            city=city,
            data={"channel": "desk", "outcome": "sent_to_desk", "person": person},
        )
    return person, contact


def test_case_from_contact_to_a_referral_accepted_by_isola(demo, live_server, page, browser):
    person, contact = a_contact_with_a_person()
    login(page, live_server, f"{CITY}.operatore")

    # From the contact list, open a case.
    page.goto(f"{live_server.url}/c/{CITY}/contacts/")
    link = page.locator(f"a[data-testid=open-case-from-contact][href$='contact={contact.pk}']")
    with page.expect_navigation():
        link.click()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/cases/" in page.url
    case_url = page.url.split("#")[0]

    # Assessment: housing in crisis, language vulnerable.
    page.locator("#assessment summary").click()
    page.select_option("select[name=level_housing]", "1")
    page.select_option("select[name=level_language]", "2")
    with page.expect_navigation():
        page.locator("#assessment form button[type=submit]").click()
    grid = page.locator("[data-testid=assessment-grid]")
    assert grid.is_visible()

    # A goal of the plan.
    page.locator("#plan details").first.locator("summary").click()
    page.select_option("#plan select[name=domain]", "housing")
    page.fill("#plan input[name=description]", "Trovare un alloggio in co-housing")
    with page.expect_navigation():
        page.locator("#plan details").first.locator("button[type=submit]").click()
    assert page.locator("[data-testid=goal]").count() == 1

    # A service.
    page.locator("#services summary").click()
    page.locator("#services select[name=service_type]").select_option(index=1)
    with page.expect_navigation():
        page.locator("#services form button[type=submit]").click()
    assert page.locator("[data-testid=service-row]").count() == 1

    # The referral to ISOLA, with the person's consent.
    page.locator("#referrals summary").click()
    page.locator("#referrals select[name=organisation]").select_option(
        label="ISOLA Cooperativa Sociale"
    )
    page.fill("#referrals textarea[name=reason]", "Inserimento in co-housing")
    with page.expect_navigation():
        page.locator("#referrals form button[type=submit]").click()
    status = page.locator("#referrals [data-testid=referral-status]")
    assert status.inner_text().strip() == italian("Sent")

    # ISOLA's worker, in another browser context.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=BROWSER_LOCALE)
    context.set_default_timeout(TIMEOUT_MS)
    isola = context.new_page()
    login(isola, live_server, f"{CITY}.isola")
    isola.goto(f"{live_server.url}/c/{CITY}/referrals/?status=sent")
    row = isola.locator("[data-testid=referral-row]").filter(has_text="Traoré")
    with isola.expect_navigation():
        row.locator("a").click()
    fields = isola.locator("main").inner_text()
    assert "Awa Traoré" in fields and "1994" in fields and "333 111 2222" in fields
    assert "Inserimento in co-housing" in fields
    for secret in (PERMIT_NUMBER, "trafficking", italian("Asylum request pending"), "02/05/1994"):
        assert secret not in fields, secret
    with isola.expect_navigation():
        isola.locator(f"form[action$='/referrals/{_referral_id(person)}/accept/'] button").click()
    assert isola.locator("[data-testid=referral-status]").inner_text().strip() == italian(
        "Accepted"
    )
    # The person page a partner sees holds the same few fields.
    isola.goto(f"{live_server.url}/c/{CITY}/persons/{person.pk}/")
    assert PERMIT_NUMBER not in isola.locator("main").inner_text()
    context.close()

    page.goto(case_url)
    assert page.locator("#referrals [data-testid=referral-status]").inner_text().strip() == (
        italian("Accepted")
    )
    assert timezone.localdate().strftime("%d/%m/%Y") in page.locator("#timeline").inner_text()


def _referral_id(person) -> int:
    from lgnet.cases.models import Referral

    with scopes_disabled():
        return Referral.objects.get(person=person).pk
