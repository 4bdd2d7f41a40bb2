"""Figures, disclosure at the network level, reports and their freeze, the network's SQL."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from conftest import ensure_catalogues
from lgnet.cases.models import ServiceType
from lgnet.cases.services import close_case, open_case, record_service
from lgnet.monitoring import engine, selectors, services
from lgnet.monitoring.models import Figure, Indicator, PeriodReport, ReportFigure
from lgnet.network.models import City, Participation
from lgnet.people.models import Contact
from lgnet.people.services import register_person

ROME = ZoneInfo("Europe/Rome")


def _person(world, cw, name, sex="F", born=date(1995, 5, 1), nationalities=("NG",)):
    return register_person(
        actor=world.user("caseworker"),
        city=cw.city,
        data={
            "given_names": name,
            "family_names": "Test",
            "sex": sex,
            "birth_date": born,
            "nationalities": list(nationalities),
        },
    )


def _contact(world, cw, when, *, person=None, channel="street", **anonymous):
    return Contact.objects.create(
        city=cw.city,
        channel=channel,
        occurred_at=datetime(*when, 12, 0, tzinfo=ROME),
        recorded_by=world.user("outreach"),
        person=person,
        outcome="sent_to_desk",
        **anonymous,
    )


@pytest.fixture
def data(world):
    """Hand-made 2023 data in Taranto (city A) and a little in Milano (city B)."""
    with scopes_disabled():
        worker = world.user("caseworker")
        a, b = world.a, world.b
        p1 = _person(world, a, "Ada", sex="F", born=date(2000, 1, 1))
        p2 = _person(world, a, "Bea", sex="M", born=date(1980, 6, 1), nationalities=("MA",))
        p3 = _person(world, a, "Cleo", sex="F", born=date(1960, 6, 1))
        # p1: January to March, then again in November (two cases, one person).
        c1 = open_case(
            actor=worker, person=p1, opened_on=date(2023, 1, 10), areas=["taking_in_charge"]
        )
        close_case(actor=worker, case=c1, outcome="goals_reached", closed_on=date(2023, 3, 20))
        c1b = open_case(actor=worker, person=p1, opened_on=date(2023, 11, 2), areas=["housing"])
        # p2: from February, still open, in two action areas.
        c2 = open_case(
            actor=worker,
            person=p2,
            opened_on=date(2023, 2, 1),
            areas=["taking_in_charge", "housing"],
        )
        # p3: closed in May.
        c3 = open_case(actor=worker, person=p3, opened_on=date(2023, 4, 3), areas=["housing"])
        close_case(actor=worker, case=c3, outcome="lost_to_follow_up", closed_on=date(2023, 5, 30))
        legal = ServiceType.objects.get(code="legal_advice", city=None)
        food = ServiceType.objects.get(code="food_clothing", city=None)
        for case, day, kind in (
            (c1, date(2023, 1, 11), legal),
            (c1, date(2023, 2, 11), food),
            (c2, date(2023, 2, 2), legal),
            (c2, date(2023, 2, 3), legal),
            (c1b, date(2023, 11, 5), food),
        ):
            record_service(actor=worker, case=case, service_type=kind, delivered_on=day)
        _contact(world, a, (2023, 1, 5), anonymous_sex="M", anonymous_age_band="25-34")
        _contact(world, a, (2023, 1, 6), person=p1, channel="desk")
        _contact(world, a, (2023, 3, 31), anonymous_sex="F")
        # Milano: one person (a small cell for the network).
        pm = _person(world, b, "Dina")
        open_case(actor=world.user("outsider_caseworker"), person=pm, opened_on=date(2023, 6, 1))
        for cw in (a, b):
            engine.refresh(cw.city, world.edition)
    return {"p1": p1, "p2": p2, "p3": p3}


def _figures(world, indicator, start=None, end=None, by=(), city=None):
    query = selectors.Query(
        Indicator.objects.get(code=indicator),
        world.edition,
        start or world.edition.starts_on,
        end or world.edition.ends_on,
        list(by),
    )
    return selectors.city_figures(query, city or world.a.city)


def _value(world, indicator, start=None, end=None):
    return _figures(world, indicator, start, end)[0]["value"]


# Figures equal direct counts on hand-made data.


def test_unique_persons_are_counted_once_per_period_not_summed_over_months(world, data):
    months = _figures(world, "beneficiaries", by=["month"])
    by_month = {m["month"]: m["value"] for m in months}
    assert by_month["2023-01"] == 1
    assert by_month["2023-02"] == 2
    assert by_month["2023-03"] == 2
    assert by_month["2023-05"] == 2  # p2 and p3
    assert by_month["2023-11"] == 2  # p1 again and p2
    assert sum(by_month.values()) > 3
    assert _value(world, "beneficiaries", date(2023, 1, 1), date(2023, 3, 31)) == 2
    assert _value(world, "beneficiaries") == 3  # the year: three persons, whatever the months


def test_figures_equal_direct_counts_for_the_registry_and_cases(world, data):
    assert _value(world, "new_beneficiaries") == 3  # p1's second case is not new
    assert _value(world, "new_beneficiaries", date(2023, 11, 1), date(2023, 11, 30)) == 0
    assert _value(world, "contacts") == 3  # anonymous ones included
    assert _value(world, "contacts_mobile") == 2
    assert _value(world, "services") == 5
    types = {f["category"]: f["value"] for f in _figures(world, "services", by=["category"])}
    assert types == {"legal_advice": 3, "food_clothing": 2}
    outcomes = {f["category"]: f["value"] for f in _figures(world, "cases_closed", by=["category"])}
    assert outcomes == {"goals_reached": 1, "lost_to_follow_up": 1}
    sexes = {f["sex"]: f["value"] for f in _figures(world, "beneficiaries", by=["sex"])}
    assert sexes == {"F": 2, "M": 1}
    areas = {
        f["action_area"]: f["value"] for f in _figures(world, "beneficiaries", by=["action_area"])
    }
    assert areas == {"taking_in_charge": 2, "housing": 3}  # a person in each of their areas
    bands = {f["age_band"]: f["value"] for f in _figures(world, "beneficiaries", by=["age_band"])}
    assert bands == {"18-24": 1, "35-49": 1, "50-64": 1}  # age at the period's start


def test_stored_figures_equal_a_live_count_for_every_period_kind(world, data):
    indicator = Indicator.objects.get(code="beneficiaries")
    for start, end in engine.standard_periods(world.edition):
        live = engine.total(engine.compute(indicator, world.a.city, [(start, end)]))
        with scopes_disabled():
            stored = sum(
                f.value
                for f in Figure.objects.filter(
                    city=world.a.city,
                    indicator=indicator,
                    period_start=start,
                    period_end=end,
                    action_area="",
                )
            )
        assert stored == live, (start, end)


def test_measures_of_apps_not_installed_yield_no_rows(world, data, monkeypatch):
    from lgnet.monitoring import measures

    real = apps.get_model

    def without_housing(label, *args):
        if str(label).startswith("housing."):
            raise LookupError(label)
        return real(label, *args)

    monkeypatch.setattr(measures.apps, "get_model", without_housing)
    assert measures.sql_for("bed_nights") is None
    assert measures.sql_for("beneficiaries") is not None


# The API.


def test_city_users_get_their_exact_figures(world, data, client, bearer):
    response = client.get(
        "/api/v1/figures?indicator=beneficiaries&edition=LGNET2&by=sex",
        headers=bearer("caseworker"),
    )
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert {(i["city"], i["sex"], i["value"], i["suppressed"]) for i in items} == {
        ("taranto", "F", 2, False),
        ("taranto", "M", 1, False),
    }


def test_the_network_gets_every_city_with_small_cells_hidden(world, data, client, bearer):
    response = client.get(
        "/api/v1/figures?indicator=beneficiaries&edition=LGNET2", headers=bearer("network")
    )
    assert response.status_code == 200, response.content
    items = {i["city"]: i for i in response.json()["items"]}
    assert set(items) == {"taranto", "milano"}
    assert items["milano"] == {"city": "milano", "value": None, "suppressed": True}
    assert items["taranto"]["suppressed"]  # 3 is small too


def test_no_network_figure_lies_between_one_and_the_threshold(world, data, client, bearer):
    headers = bearer("network")
    for indicator in Indicator.objects.filter(is_active=True):
        for by in ["", *selectors.breakdowns_for(indicator, network=True)]:
            for period in ("", "&from=2023-01-01&to=2023-03-31"):
                url = f"/api/v1/figures?indicator={indicator.code}&edition=LGNET2&by={by}{period}"
                response = client.get(url + "&limit=500", headers=headers)
                assert response.status_code == 200, (url, response.content)
                for item in response.json()["items"]:
                    value = item["value"]
                    assert value is None or value == 0 or value >= 5, (url, item)
                    assert (value is None) == item["suppressed"]


def test_the_network_cannot_break_down_by_vulnerability(world, data, client, bearer):
    url = "/api/v1/figures?indicator=beneficiaries&edition=LGNET2&by=vulnerable"
    network = client.get(url, headers=bearer("network"))
    assert network.status_code == 400
    assert network.json()["errors"][0]["field"] == "by"
    assert client.get(url, headers=bearer("coordinator")).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "indicator=nope&edition=LGNET2",
        "indicator=beneficiaries&edition=NOPE",
        "indicator=beneficiaries&edition=LGNET2&by=shoe_size",
        "indicator=beneficiaries&edition=LGNET2&from=2023-05-01&to=2023-01-01",
        "indicator=beneficiaries&edition=LGNET2&from=not-a-date",
        "edition=LGNET2",
    ],
)
def test_bad_figure_queries_answer_400(world, client, bearer, query):
    response = client.get(f"/api/v1/figures?{query}", headers=bearer("coordinator"))
    assert response.status_code == 400, response.content
    assert set(response.json()) >= {"detail", "errors"}


def test_the_network_reads_only_stored_periods(world, data, client, bearer):
    url = "/api/v1/figures?indicator=beneficiaries&edition=LGNET2&from=2023-01-05&to=2023-02-10"
    assert client.get(url, headers=bearer("network")).status_code == 400
    city = client.get(url, headers=bearer("coordinator"))
    assert city.status_code == 200
    assert city.json()["items"][0]["value"] == 2  # computed live for the city itself


def test_indicators_list_the_contract_fields(world, client, bearer):
    response = client.get("/api/v1/indicators?limit=100", headers=bearer("network"))
    assert response.status_code == 200
    items = {i["code"]: i for i in response.json()["items"]}
    for code in (
        "beneficiaries",
        "new_beneficiaries",
        "contacts",
        "services",
        "bed_nights",
        "course_participants",
        "civic_hours",
    ):
        assert {"code", "name", "unit", "breakdowns"} <= set(items[code])
    assert "vulnerable" not in items["beneficiaries"]["breakdowns"]
    assert items["beneficiaries"]["unit"] == "persons"
    assert "O.2.3" in items["beneficiaries"]["fund_indicators"]


# Reports: the workflow and the freeze.


def test_report_workflow_through_the_api_and_the_freeze(world, data, client, bearer):
    city, network = bearer("coordinator"), bearer("network")
    created = client.post(
        "/api/v1/reports",
        data={"edition": "LGNET2", "period_start": "2023-01-01", "period_end": "2023-12-31"},
        content_type="application/json",
        headers=city,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft"
    figures = {f["indicator"]: f["value"] for f in body["figures"]}
    assert figures["beneficiaries"] == 3
    report_id = body["id"]
    url = f"/api/v1/reports/{report_id}"
    again = client.post(
        "/api/v1/reports",
        data={"edition": "LGNET2", "period_start": "2023-01-01", "period_end": "2023-12-31"},
        content_type="application/json",
        headers=city,
    )
    assert again.status_code == 409
    empty = {"data": {}, "content_type": "application/json"}
    assert client.post(f"{url}/approve", headers=network, **empty).status_code == 409
    assert client.post(f"{url}/submit", headers=city).status_code == 200  # no body at all
    returned = client.post(
        f"{url}/return", data={"comment": ""}, content_type="application/json", headers=network
    )
    assert returned.status_code == 400
    returned = client.post(
        f"{url}/return",
        data={"comment": "Manca la parte sui partner."},
        content_type="application/json",
        headers=network,
    )
    assert returned.json()["status"] == "returned"
    assert client.post(f"{url}/submit", headers=city, **empty).status_code == 200
    approved = client.post(f"{url}/approve", headers=network, **empty)
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    # The network sees the report under disclosure control.
    frozen = {f["indicator"]: f for f in approved.json()["figures"]}
    assert frozen["beneficiaries"] == {
        "indicator": "beneficiaries",
        "value": None,
        "suppressed": True,
    }

    # New data in the period: the approved figures stay, the page shows the difference.
    with scopes_disabled():
        late = _person(world, world.a, "Late")
        open_case(actor=world.user("caseworker"), person=late, opened_on=date(2023, 7, 1))
        engine.refresh(world.a.city, world.edition)
        report = PeriodReport.objects.get(pk=report_id)
        stored = ReportFigure.objects.get(report=report, indicator__code="beneficiaries")
    assert stored.value == 3
    assert client.get(url, headers=city).json()["figures"][0]["value"] == 3
    rows = {r["indicator"].code: r for r in selectors.report_figures(report, network=False)}
    assert rows["beneficiaries"]["current"] == 4
    assert rows["beneficiaries"]["changed"] and rows["beneficiaries"]["difference"] == 1
    assert (
        client.patch(
            url, data={"activities": "x"}, content_type="application/json", headers=city
        ).status_code
        == 409
    )
    # A new report for the approved period is its next version.
    next_version = client.post(
        "/api/v1/reports",
        data={"edition": "LGNET2", "period_start": "2023-01-01", "period_end": "2023-12-31"},
        content_type="application/json",
        headers=city,
    )
    assert next_version.status_code == 201
    with scopes_disabled():
        assert PeriodReport.objects.get(pk=next_version.json()["id"]).version == 2


def test_the_database_refuses_to_change_an_approved_reports_figures(world, data):
    report = world.a.report
    services.submit_report(actor=world.user("coordinator"), report=report)
    services.approve_report(actor=world.user("network"), report=report)
    with scopes_disabled():
        figures = ReportFigure.objects.filter(report=report)
        with pytest.raises(IntegrityError), transaction.atomic():
            figures.update(value=999)
        with pytest.raises(IntegrityError), transaction.atomic():
            figures.delete()
    from django.db import DatabaseError

    with pytest.raises(DatabaseError), transaction.atomic(), scopes_disabled():
        PeriodReport.objects.filter(pk=report.pk).update(status="draft")


def test_the_fund_export_opens_with_openpyxl(world, data, login):
    from openpyxl import load_workbook

    report = world.a.report
    services.submit_report(actor=world.user("coordinator"), report=report)
    services.approve_report(actor=world.user("network"), report=report)
    client = login(world.user("coordinator"))
    response = client.get(reverse("monitoring:report_export", args=["taranto", report.pk]))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Report", "Indicators", "AMIF"]
    amif = {row[0]: row for row in book["AMIF"].iter_rows(min_row=2, values_only=True)}
    assert amif["O.2.3"][3] == 2  # beneficiaries in Q1 2023
    # While the mapping is not checked against the Annex, the export says so.
    report_sheet = {row[0]: row[1] for row in book["Report"].iter_rows(values_only=True)}
    assert "Allegato VIII" in report_sheet["Nota"]
    page = client.get(reverse("monitoring:report_detail", args=["taranto", report.pk]))
    assert b'data-testid="fund-note"' in page.content
    network = login(world.user("network"))
    response = network.get(reverse("monitoring:network_report_export", args=[report.pk]))
    book = load_workbook(BytesIO(response.content))
    amif = {row[0]: row for row in book["AMIF"].iter_rows(min_row=2, values_only=True)}
    assert amif["O.2.3"][3] == "<5"


@pytest.mark.parametrize(
    ("fund", "expected"), [("FAMI 2021-2027", True), ("FAMI 2014-2020", False), ("", True)]
)
def test_fund_indicators_belong_to_the_editions_programming_period(world, fund, expected):
    edition = world.edition
    edition.fund = fund
    edition.save(update_fields=["fund"])
    rows = selectors.fund_rows(world.a.report, network=False)
    assert bool(rows) is expected
    assert all(r["fund"].programme.endswith("2021-2027") for r in rows)


def test_a_report_cannot_leave_its_edition(world):
    from lgnet.core.exceptions import RuleBroken

    with pytest.raises(RuleBroken):
        services.open_report(
            actor=world.user("coordinator"),
            city=world.a.city,
            edition=world.edition,
            period_start=date(2022, 12, 1),
            period_end=date(2023, 1, 31),
        )


# The network level reads only aggregate rows.


def _person_level_tables() -> set[str]:
    tables = set()
    for label in ("people", "cases", "housing", "activities"):
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            if model is ServiceType or model._meta.db_table == "cases_casecounter":
                continue  # the network's catalogue, case numbering: no person in them
            tables.add(model._meta.db_table)
    return tables


def _assert_aggregates_only(captured, where):
    tables = _person_level_tables()
    assert "people_person" in tables and "cases_case" in tables
    for query in captured.captured_queries:
        for table in tables:
            assert not re.search(rf"\b{table}\b", query["sql"]), f"{where} read {table}"


def test_network_pages_and_api_read_only_aggregate_rows(world, data, login, bearer):
    report = world.a.report
    services.submit_report(actor=world.user("coordinator"), report=report)
    services.approve_report(actor=world.user("network"), report=report)
    client = login(world.user("network"))
    pages = [
        reverse("monitoring:network_dashboard") + "?edition=LGNET2",
        reverse("monitoring:network_dashboard") + "?edition=LGNET2&indicator=services&by=category",
        reverse("monitoring:network_dashboard") + "?edition=LGNET2&indicator=contacts&by=sex",
        reverse("monitoring:network_reports") + "?edition=LGNET2",
        reverse("monitoring:network_report", args=[report.pk]),
        reverse("monitoring:network_report_export", args=[report.pk]),
        reverse("monitoring:network_report_pdf", args=[report.pk]),
        reverse("monitoring:targets") + "?edition=LGNET2",
    ]
    for url in pages:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        _assert_aggregates_only(captured, url)
    for url, body in (
        (reverse("monitoring:report_return", args=[world.b.report.pk]), {"comment": "x"}),
        (reverse("monitoring:report_approve", args=[world.b.report.pk]), {}),
        (reverse("monitoring:targets") + "?edition=LGNET2", {}),
    ):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, body)
        assert response.status_code < 500
        _assert_aggregates_only(captured, url)
    headers = bearer("network")
    api_calls = [
        "/api/v1/indicators",
        "/api/v1/figures?indicator=beneficiaries&edition=LGNET2",
        "/api/v1/figures?indicator=beneficiaries&edition=LGNET2&by=sex,age_band",
        "/api/v1/figures?indicator=services&edition=LGNET2&by=month,category",
        "/api/v1/figures?indicator=beneficiaries&edition=LGNET2&by=action_area",
        "/api/v1/reports?edition=LGNET2",
    ]
    for url in api_calls:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        _assert_aggregates_only(captured, url)
    for url, body in (
        (f"/api/v1/reports/{world.b.report.pk}/approve", {}),
        (f"/api/v1/reports/{world.b.report.pk}/return", {"comment": "x"}),
    ):
        with CaptureQueriesContext(connection) as captured:
            client.post(url, data=body, content_type="application/json", headers=headers)
        _assert_aggregates_only(captured, url)


def test_the_network_home_panel_reads_only_aggregate_rows(world, data, rf):
    from lgnet.monitoring.network_panel import figures_panel

    request = rf.get("/rete/")
    request.membership = world.memberships["network"]
    with CaptureQueriesContext(connection) as captured:
        context = figures_panel.context(request, world.edition)
    assert context["figures"]
    _assert_aggregates_only(captured, "network home panel")


# Pages.


def test_the_city_dashboard_shows_exact_figures_and_progress(world, data, login):
    client = login(world.user("auditor"))
    response = client.get(
        reverse("monitoring:city_dashboard", args=["taranto"]) + "?edition=LGNET2"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="value-beneficiaries">3<' in html
    assert "target 65" in html or "obiettivo 65" in html  # Italian first
    response = client.get(
        reverse("monitoring:city_dashboard", args=["taranto"])
        + "?edition=LGNET2&indicator=beneficiaries&by=vulnerable"
    )
    assert response.status_code == 200


def test_the_network_dashboard_shows_small_cells_as_below_the_threshold(world, data, login):
    client = login(world.user("network"))
    response = client.get(reverse("monitoring:network_dashboard") + "?edition=LGNET2")
    html = response.content.decode()
    assert "&lt;5" in html
    row = re.search(r'data-city="milano">.*?</tr>', html, re.S).group(0)
    assert ">1<" not in row


def _add_city(edition, slug, istat):
    city = City.objects.create(slug=slug, name=slug.title(), istat_code=istat, region="R")
    Participation.objects.create(edition=edition, city=city, target_beneficiaries=10)
    return city


def test_dashboards_use_a_constant_number_of_queries(world, data, login):
    client = login(world.user("network"))
    url = reverse("monitoring:network_dashboard") + "?edition=LGNET2&indicator=beneficiaries&by=sex"
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(4):
        city = _add_city(world.edition, f"citta{n}", f"09900{n}")
        services.set_target(
            actor=world.user("network"),
            edition=world.edition,
            city=city,
            indicator=Indicator.objects.get(code="services"),
            value=Decimal(10),
        )
    with scopes_disabled():
        for n in range(3):
            PeriodReport.objects.create(
                city=City.objects.get(slug=f"citta{n}"),
                edition=world.edition,
                period_start=date(2023, 1, 1),
                period_end=date(2023, 3, 31),
                created_by=world.user("network"),
            )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)

    city_client = login(world.user("coordinator"))
    url = reverse("monitoring:city_dashboard", args=["taranto"]) + "?edition=LGNET2"
    with CaptureQueriesContext(connection) as few:
        assert city_client.get(url).status_code == 200
    with scopes_disabled():
        extra = _person(world, world.a, "Extra")
        open_case(actor=world.user("caseworker"), person=extra, opened_on=date(2023, 8, 1))
        engine.refresh(world.a.city, world.edition)
    with CaptureQueriesContext(connection) as many:
        assert city_client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_report_pages_walk_the_workflow(world, data, login):
    city = login(world.user("coordinator"))
    report = world.a.report
    detail = reverse("monitoring:report_detail", args=["taranto", report.pk])
    response = city.post(
        reverse("monitoring:report_edit", args=["taranto", report.pk]),
        {
            "activities": "Sportello aperto",
            "deviations": "",
            "problems": "",
            "staff_changes": "",
            "partner_roles": "",
        },
    )
    assert response.status_code == 302
    city.post(reverse("monitoring:report_submit", args=["taranto", report.pk]), {"comment": ""})
    network = login(world.user("network"))
    network.post(reverse("monitoring:report_return", args=[report.pk]), {"comment": "Completate"})
    report.refresh_from_db()
    assert report.status == "returned"
    city = login(world.user("coordinator"))
    assert "Completate" in city.get(detail).content.decode()
    city.post(
        reverse("monitoring:report_submit", args=["taranto", report.pk]), {"comment": "Fatto"}
    )
    network = login(world.user("network"))
    network.post(reverse("monitoring:report_approve", args=[report.pk]), {"comment": ""})
    report.refresh_from_db()
    assert report.status == "approved"
    assert [s.action for s in selectors.report_steps(report)] == [
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]


def _pdf_text(body: bytes) -> str:
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(body)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def test_the_report_pdf_has_its_charts_and_tables_and_hides_small_cells_for_the_network(
    world, data, login
):
    report = world.a.report  # Taranto, first quarter of 2023: two persons, four services
    city = login(world.user("coordinator"))
    page = city.get(reverse("monitoring:report_detail", args=["taranto", report.pk]))
    html = page.content.decode()
    for testid in ("chart-trend", "chart-types"):  # each chart with its table beside it
        assert f'data-testid="{testid}"' in html and f'data-testid="{testid}-table"' in html
    charts = re.findall(r"<svg [^>]*>", html)
    drawn = [svg for svg in charts if "lgnet-chart" in svg]
    assert len(drawn) == 2 and all('aria-hidden="true"' in svg for svg in drawn)
    assert "<script" not in html.split("<footer")[0].split("<main")[-1]  # no chart script

    response = city.get(reverse("monitoring:report_pdf", args=["taranto", report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Rendicontazione periodica" in text and "Mese per mese" in text
    exact = selectors.report_charts(report, network=False)
    assert [v for _label, values in exact["trend_rows"] for v in values] == [1, 1, 2, 1, 2, 0]
    assert re.search(r"Feb 2023\s+2\s+1", text), text
    assert re.search(r"Consulenza legale\s+3", text), text

    network = login(world.user("network"))
    response = network.get(reverse("monitoring:network_report_pdf", args=[report.pk]))
    assert response.status_code == 200
    text = _pdf_text(response.content)
    protected = selectors.report_charts(report, network=True)
    shown = [v for _label, values in protected["trend_rows"] for v in values]
    shown += [v for _label, v in protected["type_rows"]]
    assert not [v for v in shown if v is not None and 0 < v < selectors.threshold()]
    assert re.search(r"Feb 2023\s+<5\s+<5", text), text
    assert re.search(r"Consulenza legale\s+<5", text), text


def test_other_citys_report_is_not_found(world, login):
    client = login(world.user("outsider"))
    url = reverse("monitoring:report_detail", args=["milano", world.a.report.pk])
    assert client.get(url).status_code == 404


def test_data_changes_schedule_a_refresh_of_the_city(world, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    connection.run_on_commit = []  # forget the callbacks the world fixture left pending
    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        _person(world, world.a, "Nuova")
        _person(world, world.a, "Altra")
    assert DBTaskResult.objects.count() == before + 1  # once per city and commit


def test_refresh_command_recomputes_one_city(world, data):
    from django.core.management import call_command

    with scopes_disabled():
        Figure.objects.filter(city=world.a.city).delete()
    call_command("refresh_figures", "--city", "taranto", "--edition", "LGNET2")
    assert _value(world, "beneficiaries") == 3
    with scopes_disabled():
        assert Figure.objects.filter(city=world.a.city).exists()


# The demo.


class _OnlyTaranto:
    """The demo's City, narrowed to Taranto so that the seeders run in seconds."""

    class objects:  # noqa: N801 - stands in for a manager
        @staticmethod
        def order_by(*fields):
            return City.objects.filter(slug="taranto").order_by(*fields)


@pytest.mark.django_db
def test_the_demo_gives_taranto_65_beneficiaries_in_lgnet2(monkeypatch):
    from lgnet.cases import demo as cases_demo
    from lgnet.core import demo
    from lgnet.network.models import Edition
    from lgnet.people import demo as people_demo

    monkeypatch.setattr(people_demo, "City", _OnlyTaranto)
    monkeypatch.setattr(cases_demo, "City", _OnlyTaranto)
    ensure_catalogues()
    with scopes_disabled():
        for seeder in demo.seeders():
            if seeder.name in ("network", "accounts", "people", "cases"):
                seeder.run(1)
        taranto = City.objects.get(slug="taranto")
        edition = Edition.objects.get(code="LGNET2")
        engine.refresh(taranto, edition)
        query = selectors.Query(
            Indicator.objects.get(code="beneficiaries"), edition, edition.starts_on, edition.ends_on
        )
        assert selectors.city_figures(query, taranto)[0]["value"] == 65
        network = {i["city"]: i["value"] for i in selectors.network_figures(query)}
    assert network["taranto"] == 65
    assert len(network) == 16  # every LgNet2 city, the others with no data


# Housing and activities measures, on the world's sample placement, rent support and course.


def _live(world, code, start, end):
    indicator = Indicator.objects.get(code=code)
    return engine.total(engine.compute(indicator, world.a.city, [(start, end)]))


def test_housing_measures_count_half_open_stays(world):
    # The person sleeps in bed 1A from 1 March 2024 and leaves on 1 June 2024.
    assert _live(world, "persons_housed", date(2024, 3, 1), date(2024, 3, 31)) == 1
    assert _live(world, "persons_housed", date(2024, 6, 1), date(2024, 6, 30)) == 0
    assert _live(world, "bed_nights", date(2024, 3, 1), date(2024, 3, 31)) == 31
    assert _live(world, "bed_nights", date(2024, 4, 1), date(2024, 6, 30)) == 61
    assert _live(world, "bed_nights", date(2024, 1, 1), date(2024, 12, 31)) == 92
    # A rent contribution of six months from June 2023.
    assert _live(world, "rent_supports", date(2023, 1, 1), date(2023, 12, 31)) == 1
    assert _live(world, "rent_supports", date(2024, 1, 1), date(2024, 12, 31)) == 0


def test_activity_measures_count_course_participants(world):
    assert _live(world, "language_course_participants", date(2024, 1, 1), date(2024, 6, 30)) == 1
    assert _live(world, "course_participants", date(2024, 1, 1), date(2024, 6, 30)) == 1
    assert _live(world, "course_participants", date(2023, 1, 1), date(2023, 12, 31)) == 0
    assert _live(world, "civic_hours", date(2024, 1, 1), date(2024, 12, 31)) == 0


def test_figures_count_up_to_today_never_the_months_to_come(world):
    # The world's case opened on 1 March 2024 is still open.
    today = timezone.localdate()
    this_month = today.replace(day=1)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    after = (next_month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    assert _live(world, "beneficiaries", this_month, today) == 1
    assert _live(world, "beneficiaries", next_month, after) == 0
    # A period running through today counts so far; its row keeps the period's own end.
    rows = engine.compute(
        Indicator.objects.get(code="beneficiaries"), world.a.city, [(this_month, after)]
    )
    assert {(r.period_start, r.period_end) for r in rows} == {(this_month, after)}
    # An open-ended stay counts its nights up to tonight, not to the period's end.
    from lgnet.housing.services import place_person

    with scopes_disabled():
        place_person(
            actor=world.user("coordinator"),
            person=world.a.other_person,
            bed=world.a.spare_bed,
            start_date=this_month,
        )
    nights = (today - this_month).days + 1
    assert _live(world, "bed_nights", this_month, after) == nights
