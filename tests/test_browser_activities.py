"""Activities end to end in headless Chromium: a course planned with a weekly pattern,
people enrolled, the register kept on a 390 px phone tap by tap (and still there after a
reload), a partner that sees only its own activities, hours and rate on the person page,
and a certificate PDF looked at as an image.

Run with: pytest tests/test_browser_activities.py -p no:xdist   (or -m browser)
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from tests.browser_support import BROWSER_LOCALE, TIMEOUT_MS, login, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY = "taranto"
REGISTER_SHOT = "/tmp/register.png"  # noqa: S108 - asked-for screenshots, not secrets
CERTIFICATE_SHOT = "/tmp/certificate.png"  # noqa: S108
TITLE = "Italiano per il lavoro — prova"


def no_horizontal_scroll(page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] + 1, f"horizontal scroll: scrollWidth/innerWidth {widths}"


def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale=BROWSER_LOCALE,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def three_people():
    """Three of Taranto's demo persons with distinct family names."""
    from lgnet.people.models import Person

    chosen, families = [], set()
    with scopes_disabled():
        for person in Person.objects.filter(
            city__slug=CITY, external_id__startswith="demo-", merged_into__isnull=True
        ).order_by("id"):
            if person.family_names not in families and len(person.family_names) > 3:
                chosen.append(person)
                families.add(person.family_names)
            if len(chosen) == 3:
                return chosen
    raise AssertionError("the demo registry has fewer than three families")


def organisation_id(name: str) -> int:
    from lgnet.network.models import Organisation

    with scopes_disabled():
        return Organisation.objects.get(city__slug=CITY, name=name).pk


IOM = "OIM — Organizzazione Internazionale per le Migrazioni"


def test_course_planned_enrolled_and_kept_on_a_phone(demo, live_server, page, browser):
    today = timezone.localdate()
    start, end = today - timedelta(days=21), today + timedelta(days=27)
    holiday = today - timedelta(days=7)  # same weekday as today: skipped
    people = three_people()

    # The operator plans an IOM course with one session a week, on today's weekday.
    login(page, live_server, f"{CITY}.operatore")
    page.goto(f"{live_server.url}/c/{CITY}/activities/new/")
    form = page.locator("main form")
    form.locator("select[name=kind]").select_option("course")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("select[name=organisation]").select_option(str(organisation_id(IOM)))
    form.locator("input[name=start_date]").fill(start.isoformat())
    form.locator("input[name=end_date]").fill(end.isoformat())
    form.locator("input[name=capacity]").fill("12")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    activity_path = path_of(page, live_server)
    assert page.locator("[data-testid=activity-title]").inner_text().startswith(TITLE)

    page.locator("[data-testid=weekly-details] summary").click()
    weekly = page.locator("[data-testid=weekly-form]")
    weekly.locator(f"input[name=weekdays][value='{today.weekday()}']").check()
    weekly.locator("input[name=start_time]").fill("15:00")
    weekly.locator("input[name=hours]").fill("2")
    weekly.locator("input[name=first_day]").fill(start.isoformat())
    weekly.locator("input[name=last_day]").fill(end.isoformat())
    weekly.locator("input[name=skip]").fill(holiday.isoformat())
    with page.expect_navigation():
        weekly.locator("button[type=submit]").click()
    # Seven weeks from start to end, one of them a holiday.
    assert page.locator("[data-testid=session-row]").count() == 6

    for person in people:
        page.locator("#enrol-q").evaluate("e => e.closest('details').open = true")
        page.locator("#enrol-q").fill(person.family_names)
        page.locator("#enrol-q").press("Enter")
        candidate = page.locator("#candidates li").filter(
            has_text=f"{person.family_names} {person.given_names}"
        )
        candidate.first.wait_for()
        with page.expect_navigation():
            candidate.first.locator("[data-testid=enrol-button]").click()
        assert path_of(page, live_server) == activity_path
    assert page.locator("[data-testid=enrolment-row]").count() == 3

    # The IOM facilitator opens today's session on a phone and taps.
    context = phone(browser)
    iom = context.new_page()
    try:
        login(iom, live_server, f"{CITY}.iom")
        iom.goto(f"{live_server.url}/c/{CITY}/activities/")
        no_horizontal_scroll(iom)
        today_link = iom.locator("[data-testid=today-session]").filter(has_text=TITLE)
        with iom.expect_navigation():
            today_link.click()
        no_horizontal_scroll(iom)
        rows = iom.locator("[data-testid=register-row]")
        assert rows.count() == 3
        wanted = {people[0].pk: "present", people[1].pk: "present", people[2].pk: "absent"}
        for person_id, status in wanted.items():
            row = iom.locator(f"[data-testid=register-row][data-person='{person_id}']")
            with iom.expect_response(lambda r: "/mark/" in r.url and r.status == 200):
                row.locator(f"[data-testid=mark-{status}]").tap()
            # The page marks the row once the answer is read: wait for it, not for the wire.
            expect(row).to_have_attribute("data-status", status)
        iom.screenshot(path=REGISTER_SHOT, full_page=True)

        iom.reload()
        for person_id, status in wanted.items():
            row = iom.locator(f"[data-testid=register-row][data-person='{person_id}']")
            assert row.get_attribute("data-status") == status
            assert row.locator(f"[data-testid=mark-{status}]").get_attribute("aria-pressed") == (
                "true"
            )

        # The partner sees only the activities its organisation runs.
        iom.goto(f"{live_server.url}/c/{CITY}/activities/")
        titles = iom.locator("[data-testid=activity-row] td:first-child").all_inner_texts()
        assert any(TITLE in t for t in titles)
        assert not [t for t in titles if "Crest" in t or "CPIA" in t], titles
        from lgnet.activities.models import Activity

        with scopes_disabled():
            crest = Activity.objects.filter(city__slug=CITY, organisation__name="Teatro Crest")
            crest_id = crest.values_list("pk", flat=True).first()
        assert crest_id is not None
        response = iom.goto(f"{live_server.url}/c/{CITY}/activities/{crest_id}/")
        assert response.status == 404
    finally:
        context.close()

    # Back at the desk, the operator sees the hours and the rate on the person's page.
    page.goto(f"{live_server.url}/c/{CITY}/persons/{people[0].pk}/")
    item = page.locator("[data-testid=person-enrolment]").filter(has_text=TITLE)
    assert "2 h" in item.inner_text() and "100 %" in item.inner_text(), item.inner_text()
    page.goto(f"{live_server.url}/c/{CITY}/persons/{people[2].pk}/")
    item = page.locator("[data-testid=person-enrolment]").filter(has_text=TITLE)
    assert "0 h" in item.inner_text() and "0 %" in item.inner_text(), item.inner_text()


def test_certificate_pdf_of_a_completed_enrolment_shows_the_hours(demo, live_server, page):
    pdfium = pytest.importorskip("pypdfium2")
    from lgnet.activities.models import Enrolment
    from lgnet.activities.selectors import with_figures

    with scopes_disabled():
        enrolment = (
            with_figures(
                Enrolment.objects.filter(
                    city__slug=CITY, status="completed", activity__kind="italian_course"
                )
            )
            .exclude(exit_level="")
            .select_related("person")
            .order_by("id")
            .first()
        )
    assert enrolment is not None, "the demo has completed Italian courses"
    from django.template.defaultfilters import floatformat
    from django.utils import translation

    with translation.override("it"):  # the certificate speaks Italian: 56,5
        hours = floatformat(enrolment.hours_attended, "-2")

    login(page, live_server, f"{CITY}.operatore")
    page.goto(f"{live_server.url}/c/{CITY}/enrolments/{enrolment.pk}/")
    href = page.locator("[data-testid=certificate-pdf]").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"

    document = pdfium.PdfDocument(response.body())
    text = document[0].get_textpage().get_text_range()
    assert enrolment.person.family_names in text
    assert hours in text, (hours, text)
    assert enrolment.exit_level in text
    document[0].render(scale=1.5).to_pil().save(CERTIFICATE_SHOT)
