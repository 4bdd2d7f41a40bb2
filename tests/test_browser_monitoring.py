"""Monitoring end to end in headless Chromium: the network coordinator reads LgNet2 (16 cities,
Taranto at 65) under disclosure control; Taranto's coordinator opens a quarterly LGNET3
report, the network returns it with a comment, the coordinator answers and resubmits, the
network approves; a case recorded afterwards in that quarter leaves the approved figures as
they were and the report shows the difference; the report's PDF is opened and looked at.

Run with: pytest tests/test_browser_monitoring.py -p no:xdist   (or -m browser)
"""

import os
import re
from datetime import date

import pytest
from django.conf import settings
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from tests.browser_support import BROWSER_LOCALE, TIMEOUT_MS, italian, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY = "taranto"
# Looked at by a person after the run (the copy in docs/screenshots is one such run).
PDF_SHOT = os.environ.get("LGNET_REPORT_PDF_SHOT", "/tmp/report-pdf.png")  # noqa: S108
RETURN_COMMENT = "Manca il ruolo di ISOLA nelle attività abitative: completate, grazie."
ANSWER = "Aggiunto il ruolo di ISOLA (gestione della Casa del rifugiato)."
NARRATIVE = {
    "activities": "Sportello re-point aperto cinque giorni su sette; unità mobile tre sere.",
    "deviations": "Nessuno scostamento rilevante.",
    "problems": "Tempi lunghi per i permessi: accompagnamento in Questura.",
    "staff_changes": "Nessuna.",
    "partner_roles": "ISOLA gestisce lo sportello.",
}


def numbers_in(texts: list[str]) -> list[int]:
    """The integers shown in figure cells ("<5" is not a number: it is the hidden mark)."""
    found = []
    for text in texts:
        text = text.strip().replace("\u202f", "").replace(".", "")
        if re.fullmatch(r"\d+", text):
            found.append(int(text))
    return found


def assert_no_small_figure(page, where: str) -> None:
    limit = settings.LGNET_DISCLOSURE_THRESHOLD
    shown = page.locator("[data-testid=figure]").all_inner_texts()
    assert shown, f"{where}: no figure on the page"
    small = [n for n in numbers_in(shown) if 0 < n < limit]
    assert not small, f"{where} shows figures below {limit}: {small}"


def free_quarter(edition) -> tuple[date, date]:
    """A past quarter of the edition for which Taranto has no report yet."""
    from lgnet.monitoring import engine
    from lgnet.monitoring.models import PeriodReport

    today = date.today()  # noqa: DTZ011 - compared with calendar dates
    with scopes_disabled():
        taken = set(
            PeriodReport.objects.filter(city__slug=CITY, edition=edition).values_list(
                "period_start", "period_end"
            )
        )
    for start, end in engine.quarter_periods(edition.starts_on, edition.ends_on):
        if end < today and (start, end) not in taken:
            return start, end
    raise AssertionError("no past quarter of LGNET3 without a report")


def person_without_open_case():
    from lgnet.cases.models import Case
    from lgnet.people.models import Person

    with scopes_disabled():
        busy = Case.objects.filter(city__slug=CITY).not_closed().values("person_id")
        return (
            Person.objects.filter(city__slug=CITY, merged_into__isnull=True)
            .exclude(pk__in=busy)
            .order_by("id")
            .first()
        )


def new_context_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=BROWSER_LOCALE)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


def report_value(page, code: str) -> str:
    return page.locator(f"[data-testid=report-{code}]").inner_text().strip()


def status_is(page, status: str) -> None:
    expect(page.locator("[data-testid=report-status]")).to_have_text(italian(status))


def test_quarterly_report_from_draft_to_approval_and_after(demo, live_server, page, browser):
    from lgnet.monitoring.models import PeriodReport, ReportFigure
    from lgnet.network.models import Edition

    lgnet3 = Edition.objects.get(code="LGNET3")
    start, end = free_quarter(lgnet3)

    # The network sees LgNet2: sixteen cities, Taranto's 65, nothing small in sight.
    login(page, live_server, "rete")
    page.goto(f"{live_server.url}/rete/monitoring/?edition=LGNET2")
    rows = page.locator("[data-testid=network-figures] tbody tr[data-city]")
    expect(rows).to_have_count(16)
    taranto = page.locator(
        "[data-testid=network-figures] tr[data-city=taranto] td[data-indicator=beneficiaries] "
        "[data-testid=figure]"
    )
    assert taranto.inner_text().strip() == "65"
    assert_no_small_figure(page, "LgNet2 network dashboard")
    # Every chart of the page has its data table: the month-by-month chart sits on the
    # table of its values; the breakdown's bars are drawn inside its table's rows.
    expect(page.locator("[data-testid=trend-chart] svg[aria-hidden=true]")).to_have_count(1)
    for testid in ("breakdown", "trend"):
        table = page.locator(f"table[data-testid={testid}]")
        expect(table).to_have_count(1)
        assert table.locator("caption").inner_text().strip()
    expect(page.locator("table[data-testid=trend] tbody tr")).to_have_count(12)
    # Taranto's first months had fewer than five people: the network sees them hidden.
    limit = settings.LGNET_DISCLOSURE_THRESHOLD
    expect(page.locator("table[data-testid=trend]")).to_contain_text(f"<{limit}")
    page.goto(f"{live_server.url}/rete/monitoring/?edition=LGNET2&indicator=services&by=category")
    assert_no_small_figure(page, "LgNet2 services by type")

    # Taranto's coordinator opens the quarter's report and fills the narrative.
    city_context, city = new_context_page(browser)
    try:
        login(city, live_server, f"{CITY}.coordinatore")
        city.goto(f"{live_server.url}/c/{CITY}/reports/")
        form = city.locator("main form[action$='/reports/new/']")
        form.locator("select[name=edition]").select_option("LGNET3")
        form.locator("input[name=period_start]").fill(start.isoformat())
        form.locator("input[name=period_end]").fill(end.isoformat())
        with city.expect_navigation():
            form.locator("button[type=submit]").click()
        status_is(city, "Draft")
        report_path = city.url.removeprefix(live_server.url)
        report_id = int(re.search(r"/reports/(\d+)/", report_path).group(1))
        approved_before = report_value(city, "beneficiaries")

        narrative = city.locator("main form[action$='/edit/']")
        for name, text in NARRATIVE.items():
            narrative.locator(f"textarea[name={name}]").fill(text)
        with city.expect_navigation():
            narrative.locator("button[type=submit]").click()
        with city.expect_navigation():
            city.locator("[data-testid=submit-report]").click()
        status_is(city, "Submitted")

        # The network returns it, saying what is missing.
        page.goto(f"{live_server.url}/rete/reports/?edition=LGNET3")
        link = page.locator(f"[data-testid=report-grid] a[href='/rete/reports/{report_id}/']")
        with page.expect_navigation():
            link.click()
        status_is(page, "Submitted")
        assert_no_small_figure(page, "the network's view of the report")
        back = page.locator("main form[action$='/return/']")
        back.locator("textarea[name=comment]").fill(RETURN_COMMENT)
        with page.expect_navigation():
            page.locator("[data-testid=return-report]").click()
        status_is(page, "Returned")

        # The coordinator reads the comment, completes the report, answers and resubmits.
        city.goto(f"{live_server.url}{report_path}")
        status_is(city, "Returned")
        expect(city.locator("[data-testid=report-steps]")).to_contain_text(RETURN_COMMENT)
        narrative = city.locator("main form[action$='/edit/']")
        narrative.locator("textarea[name=partner_roles]").fill(
            "ISOLA gestisce lo sportello e la Casa del rifugiato."
        )
        with city.expect_navigation():
            narrative.locator("button[type=submit]").click()
        answer = city.locator("main form[action$='/submit/']")
        answer.locator("textarea[name=comment]").fill(ANSWER)
        with city.expect_navigation():
            city.locator("[data-testid=submit-report]").click()
        status_is(city, "Submitted")

        # The network reads the answer and approves.
        page.goto(f"{live_server.url}/rete/reports/{report_id}/")
        expect(page.locator("[data-testid=report-steps]")).to_contain_text(ANSWER)
        with page.expect_navigation():
            page.locator("[data-testid=approve-report]").click()
        status_is(page, "Approved")
        assert_no_small_figure(page, "the network's view of the approved report")

        with scopes_disabled():
            report = PeriodReport.objects.get(pk=report_id)
            frozen = dict(
                ReportFigure.objects.filter(report=report).values_list("indicator__code", "value")
            )
            actions = [s.action for s in report.steps.order_by("at")]
        assert actions == [
            "submitted",
            "returned",
            "submitted",
            "approved",
        ]
        assert str(int(frozen["beneficiaries"])) == approved_before

        # Afterwards a case is recorded late, opened in that quarter; the coordinator
        # recomputes the figures (what the task worker does by itself).
        from lgnet.accounts.models import User
        from lgnet.cases.services import open_case

        person = person_without_open_case()
        assert person is not None
        with scopes_disabled():
            open_case(
                actor=User.objects.get(username=f"{CITY}.operatore"),
                person=person,
                opened_on=start,
                areas=["taking_in_charge"],
            )
        city.goto(f"{live_server.url}/c/{CITY}/monitoring/")
        with city.expect_navigation():
            city.locator("main form[action$='/monitoring/refresh/'] button").click()

        city.goto(f"{live_server.url}{report_path}")
        status_is(city, "Approved")
        row = city.locator("[data-testid=report-figures] tr[data-indicator=beneficiaries]")
        assert report_value(city, "beneficiaries") == approved_before
        expect(row).to_contain_text(italian("changed since approval"))
        expect(row).to_contain_text("(+1)")
        with scopes_disabled():
            again = dict(
                ReportFigure.objects.filter(report=report).values_list("indicator__code", "value")
            )
        assert again == frozen

        # The report's PDF: Italian, with the figures, the difference and the charts.
        pdfium = pytest.importorskip("pypdfium2")
        href = city.locator("[data-testid=report-pdf]").get_attribute("href")
        response = city.request.get(f"{live_server.url}{href}")
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        document = pdfium.PdfDocument(response.body())
        text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
        for words in (
            italian("Period report"),
            "Taranto",
            italian("changed since approval"),
            italian("Month by month"),
            RETURN_COMMENT[:30],
            NARRATIVE["activities"][:30],
        ):
            assert words in text, (words, text[:2000])
        assert re.search(rf"{approved_before}\s+{int(approved_before) + 1}", text), text[:1500]
        document[0].render(scale=1.5).to_pil().save(PDF_SHOT)

        # Beside each chart of the report page, its data table.
        for testid in ("chart-trend",):
            pair = city.locator(f"[data-testid={testid}]")
            expect(pair.locator("svg")).to_have_count(1)
            expect(pair.locator(f"table[data-testid={testid}-table] tbody tr")).to_have_count(3)
    finally:
        city_context.close()

    # The network's copy of the same PDF opens too, under disclosure control.
    response = page.request.get(f"{live_server.url}/rete/reports/{report_id}/report.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
