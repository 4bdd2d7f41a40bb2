"""Data-subject rights, restriction, erasure, retention, notice and the access log."""

import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from lgnet.core.exceptions import RuleBroken
from lgnet.core.models import AccessLog
from lgnet.people.models import Contact, Person
from lgnet.people.services import add_household_link, record_contact, update_person
from lgnet.privacy import sections, services
from lgnet.privacy.models import RetentionPolicy, RetentionRun, RightsRequest


def _enrich(world):
    """Person A gets a contact with notes, a household member by name and a service note."""
    person = world.a.person
    with scopes_disabled():
        update_person(
            actor=world.user("caseworker"),
            person=person,
            changes={"given_names": "Ousmaneh", "phone": "3331234567"},
        )
        record_contact(
            actor=world.user("outreach"),
            city=world.a.city,
            data={
                "channel": "street",
                "place": "Via Cesare Battisti",
                "outcome": "sent_to_desk",
                "person": person,
                "notes": "dorme in stazione con il fratello Karim",
            },
        )
        add_household_link(
            actor=world.user("caseworker"),
            person=person,
            relation="sibling",
            relative=None,
            name="Karim Dialo",
        )
        service = world.a.service
        type(service).objects.filter(pk=service.pk).update(notes="accompagnato in questura")
    return person


def _everything(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)


# --- art. 15 export -----------------------------------------------------------------------


def test_export_holds_every_record_of_the_person_and_no_one_elses(world, bearer, client):
    person = _enrich(world)
    response = client.get(f"/api/v1/persons/{person.pk}/export", headers=bearer("coordinator"))
    assert response.status_code == 200
    data = response.json()
    text = _everything(data)
    titles = {section["title"]: section["rows"] for section in data["sections"]}
    assert titles["Person"][0]["id"] == person.pk
    assert titles["Person"][0]["family_names"] == "Dialo"
    assert "name_search" not in titles["Person"][0]  # internal columns stay out
    assert any("dorme in stazione" in (row["notes"] or "") for row in titles["First contacts"])
    assert any(row["name"] == "Karim Dialo" for row in titles["Household"])
    assert titles["History of changes"]  # the insert, at least
    case_rows = titles["Cases"]
    assert {row["record"] for row in case_rows} >= {"case", "service"}
    assert any(row.get("notes") == "accompagnato in questura" for row in case_rows)
    assert {row["id"] for row in case_rows if row["record"] == "case"} == {world.a.case.pk}
    # no one else: not the other person of the city, nothing of the other city
    assert "Muhammad" not in text and "Diallo" not in text
    with scopes_disabled():
        other_city_ids = set(Person.objects.filter(city=world.b.city).values_list("pk", flat=True))
    assert not any(
        row.get("person") in other_city_ids or row.get("id") in other_city_ids
        for section in data["sections"]
        for row in section["rows"]
        if section["title"] == "Person"
    )
    with scopes_disabled():
        logged = AccessLog.objects.filter(person_id=person.pk, what="export").get()
    assert logged.user == world.user("coordinator") and logged.channel == "api"


def test_export_lists_who_read_the_file(world, bearer, client):
    person = world.a.person
    client.get(f"/api/v1/persons/{person.pk}", headers=bearer("caseworker"))
    data = client.get(f"/api/v1/persons/{person.pk}/export", headers=bearer("coordinator")).json()
    log = next(s for s in data["sections"] if s["title"] == "Access log")["rows"]
    assert any(row["user"] == "caseworker" for row in log)


def test_a_registered_section_appears_in_the_export(world):
    def extra(person):
        return ("Extra", [{"person": person.pk, "value": 42}])

    sections.register(extra)
    try:
        with scopes_disabled():
            data = services.export_person(
                membership=world.memberships["coordinator"], person=world.a.person
            )
    finally:
        sections._sections.remove(extra)
    assert {"title": "Extra", "rows": [{"person": world.a.person.pk, "value": 42}]} in data[
        "sections"
    ]


def test_export_pages_give_json_and_pdf(world, login):
    client = login(world.user("coordinator"))
    person = world.a.person
    response = client.get(f"/c/taranto/privacy/persons/{person.pk}/export.json")
    assert response.status_code == 200
    assert json.loads(response.content)["person"] == person.pk
    response = client.get(f"/c/taranto/privacy/persons/{person.pk}/export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_caseworker_cannot_export(world, bearer, client):
    response = client.get(
        f"/api/v1/persons/{world.a.person.pk}/export", headers=bearer("caseworker")
    )
    assert response.status_code == 403


# --- requests -----------------------------------------------------------------------------


def test_the_answer_is_due_one_month_after_receipt():
    assert services.one_month_after(date(2024, 1, 31)) == date(2024, 2, 29)
    assert services.one_month_after(date(2023, 12, 15)) == date(2024, 1, 15)
    assert services.one_month_after(date(2024, 3, 1)) == date(2024, 4, 1)


def test_request_is_registered_and_answered_through_the_api(world, bearer, client):
    headers = bearer("coordinator")
    response = client.post(
        "/api/v1/privacy-requests",
        data={"person": world.a.person.pk, "kind": "erasure", "received_on": "2024-01-31"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["due_on"] == "2024-02-29" and created["status"] == "received"
    assert created["is_overdue"] is True
    url = f"/api/v1/privacy-requests/{created['id']}"
    refused = client.patch(
        url, data={"status": "answered"}, content_type="application/json", headers=headers
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "answer"
    answered = client.patch(
        url,
        data={"status": "answered", "answer": "Dati anonimizzati."},
        content_type="application/json",
        headers=headers,
    )
    assert answered.status_code == 200
    assert answered.json()["answered_on"] == timezone.localdate().isoformat()
    listed = client.get("/api/v1/privacy-requests?status=open", headers=headers).json()
    assert created["id"] not in {item["id"] for item in listed["items"]}


def test_request_for_another_citys_person_is_404(world, bearer, client):
    response = client.post(
        "/api/v1/privacy-requests",
        data={"person": world.b.person.pk, "kind": "access"},
        content_type="application/json",
        headers=bearer("coordinator"),
    )
    assert response.status_code == 404


def test_request_received_in_the_future_is_refused(world):
    with pytest.raises(RuleBroken):
        services.register_request(
            actor=world.user("coordinator"),
            person=world.a.person,
            kind="access",
            received_on=timezone.localdate() + timedelta(days=1),
        )


def test_request_pages(world, login):
    client = login(world.user("coordinator"))
    person = world.a.person
    response = client.post(
        f"/c/taranto/privacy/persons/{person.pk}/requests/new/",
        {"kind": "access", "received_on": "2024-05-02", "details": "copia completa"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        created = RightsRequest.objects.get(person=person, kind="access")
    assert created.due_on == date(2024, 6, 2)
    page = client.get("/c/taranto/privacy/requests/?status=")
    assert page.status_code == 200
    assert f"/privacy/requests/{created.pk}/" in page.content.decode()
    detail = client.post(
        f"/c/taranto/privacy/requests/{created.pk}/",
        {"status": "answered", "answer": "Consegnata copia PDF", "answered_on": "2024-05-20"},
    )
    assert detail.status_code == 302
    created.refresh_from_db()
    assert created.status == "answered" and created.answered_on == date(2024, 5, 20)


def test_request_list_queries_do_not_grow_with_rows(world, login, django_assert_max_num_queries):
    client = login(world.user("coordinator"))
    with django_assert_max_num_queries(20) as one:
        client.get("/c/taranto/privacy/requests/?status=")
    with scopes_disabled():
        for _ in range(15):
            services.register_request(
                actor=world.user("coordinator"), person=world.a.person, kind="objection"
            )
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/c/taranto/privacy/requests/?status=")


# --- restriction --------------------------------------------------------------------------


def test_a_restricted_file_opens_only_for_the_coordinator(world, login, bearer, client):
    person = world.a.person
    with scopes_disabled():
        services.set_restriction(actor=world.user("coordinator"), person=person, restricted=True)
    worker = bearer("caseworker")
    response = client.get(f"/api/v1/persons/{person.pk}", headers=worker)
    assert response.status_code == 403
    listed = client.get("/api/v1/persons", headers=worker).json()
    assert person.pk not in {item["id"] for item in listed["items"]}
    assert client.get(f"/api/v1/persons/{person.pk}", headers=bearer("auditor")).status_code == 403
    coordinator = bearer("coordinator")
    assert client.get(f"/api/v1/persons/{person.pk}", headers=coordinator).status_code == 200
    listed = client.get("/api/v1/persons", headers=coordinator).json()
    assert person.pk in {item["id"] for item in listed["items"]}
    page = login(world.user("caseworker")).get(f"/c/taranto/persons/{person.pk}/")
    assert page.status_code == 403
    with scopes_disabled():
        services.set_restriction(actor=world.user("coordinator"), person=person, restricted=False)
    assert client.get(f"/api/v1/persons/{person.pk}", headers=worker).status_code == 200


def test_restrict_page_toggles(world, login):
    client = login(world.user("coordinator"))
    person = world.a.person
    client.post(f"/c/taranto/privacy/persons/{person.pk}/restrict/", {"restricted": "1"})
    person.refresh_from_db()
    assert person.is_restricted
    page = client.get(f"/c/taranto/privacy/persons/{person.pk}/")
    assert 'data-testid="restricted"' in page.content.decode()


# --- erasure ------------------------------------------------------------------------------


def _counts(city):
    from lgnet.cases.models import Case, Service

    with scopes_disabled():
        persons = Person.objects.filter(city=city)
        return {
            "persons": persons.count(),
            "cases": Case.objects.filter(city=city).count(),
            "services": Service.objects.filter(city=city).count(),
            "contacts": Contact.objects.filter(city=city).count(),
            "by_sex": sorted(persons.values_list("sex", flat=True)),
            "by_year": sorted(persons.values_list("birth_date__year", flat=True)),
            "by_nationality": sorted(
                str(n) for n in persons.values_list("nationalities", flat=True)
            ),
        }


def _text_in_database(needle: str) -> list[str]:
    """Tables (history included) holding the text anywhere in a row."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        for (table,) in cursor.fetchall():
            query = f"SELECT 1 FROM {table} t WHERE t::text ILIKE %s LIMIT 1"  # noqa: S608
            cursor.execute(query, [f"%{needle}%"])
            if cursor.fetchone():
                found.append(table)
    return found


def test_erasure_anonymises_everywhere_and_keeps_the_figures(world, login):
    person = _enrich(world)
    before = _counts(world.a.city)
    other_before = _counts(world.b.city)
    assert _text_in_database("Ousmaneh")  # the name is there, history included
    client = login(world.user("coordinator"))
    refused = client.post(f"/c/taranto/privacy/persons/{person.pk}/anonymise/", {"confirm": "x"})
    assert refused.status_code == 400
    done = client.post(
        f"/c/taranto/privacy/persons/{person.pk}/anonymise/", {"confirm": str(person.pk)}
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert (person.given_names, person.family_names) == ("Anonimo", f"#{person.pk}")
    assert person.vulnerabilities == ["other"] and person.codice_fiscale == ""  # which one goes
    assert person.sex == "M" and person.birth_date == date(1990, 3, 31)  # born 12/03/1990
    assert person.birth_date_precision == "month"
    assert person.nationalities == ["GN"]
    for text in ("Ousmaneh", "3331234567", "dorme in stazione", "Battisti", "questura", "Karim"):
        assert _text_in_database(text) == [], text
    assert _counts(world.a.city) == before
    assert _counts(world.b.city) == other_before
    again = client.post(
        f"/c/taranto/privacy/persons/{person.pk}/anonymise/", {"confirm": str(person.pk)}
    )
    assert again.status_code == 302  # refused with a message, nothing changes
    with scopes_disabled():
        assert (
            services.export_person(membership=world.memberships["coordinator"], person=person)[
                "sections"
            ][0]["rows"][0]["family_names"]
            == f"#{person.pk}"
        )


# --- retention ----------------------------------------------------------------------------


def test_retention_preview_run_and_log(world, login):
    from lgnet.cases.services import close_case

    person = world.a.person
    with scopes_disabled():
        close_case(
            actor=world.user("caseworker"),
            case=world.a.case,
            outcome="goals_reached",
            closed_on=date(2024, 3, 10),
        )
        before = _counts(world.a.city)
        policy = RetentionPolicy.objects.get(kind="closed_cases")
        services.save_policy(
            actor=world.user("network"), kind="closed_cases", months=12, is_active=True
        )
    today = date(2025, 4, 1)
    preview = services.retention_preview(today)
    assert preview == [{"policy": policy, "cities": {"taranto": 1}, "total": 1}] or [
        (item["policy"].kind, item["cities"]) for item in preview
    ] == [("closed_cases", {"taranto": 1})]
    assert services.retention_preview(date(2025, 3, 1))[0]["total"] == 0  # not yet past

    run = services.run_retention(actor=None, today=today)
    assert run.counts == {"taranto": {"closed_cases": 1}}
    person.refresh_from_db()
    assert person.anonymised_at is not None
    with scopes_disabled():
        assert Person.objects.get(pk=world.b.person.pk).anonymised_at is None
    assert _counts(world.a.city) == before
    assert services.retention_preview(today)[0]["total"] == 0  # nothing left to do

    client = login(world.user("network"))
    page = client.get("/rete/privacy/retention/")
    assert page.status_code == 200
    assert "taranto: closed_cases 1" in page.content.decode()


def test_retention_keeps_restricted_and_open_cases(world):
    with scopes_disabled():
        services.save_policy(
            actor=world.user("network"), kind="closed_cases", months=1, is_active=True
        )
        services.save_policy(actor=world.user("network"), kind="no_case", months=1, is_active=True)
        services.set_restriction(
            actor=world.user("coordinator"), person=world.a.other_person, restricted=True
        )
    preview = {item["policy"].kind: item["cities"] for item in services.retention_preview()}
    # A's person has an open case; A's other person is restricted; B's other person has no case
    # but was registered today.
    assert preview == {"closed_cases": {}, "no_case": {}}
    later = timezone.localdate() + timedelta(days=70)
    preview = {item["policy"].kind: item["cities"] for item in services.retention_preview(later)}
    assert preview == {"closed_cases": {}, "no_case": {"milano": 1}}


def test_retention_page_saves_a_period(world, login):
    client = login(world.user("network"))
    response = client.post(
        "/rete/privacy/retention/",
        {
            "policy": "no_case",
            "no_case-kind": "no_case",
            "no_case-months": "36",
            "no_case-is_active": "on",
        },
    )
    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(kind="no_case")
    assert (policy.months, policy.is_active) == (36, True)
    assert client.post("/rete/privacy/retention/run/").status_code == 302
    assert RetentionRun.objects.count() == 0  # queued for the worker, not run in the request


def test_retention_cutoff_counts_months():
    policy = RetentionPolicy(kind="no_case", months=24)
    assert policy.cutoff(date(2026, 2, 28)) == date(2024, 2, 28)
    assert RetentionPolicy(kind="no_case", months=1).cutoff(date(2026, 3, 31)) == date(2026, 2, 28)


# --- privacy notice -----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ar", "fr", "it"])
def test_notice_prints_in_the_language_with_the_italian_beside(world, login, language):
    client = login(world.user("caseworker"))
    response = client.get(f"/c/taranto/privacy/notice.pdf?language={language}")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_arabic_notice_is_shaped_in_dejavu_sans(world):
    import re

    from lgnet.privacy import pdf
    from lgnet.privacy.models import PrivacyNotice

    notice, italian = (
        PrivacyNotice.objects.get(language="ar"),
        PrivacyNotice.objects.get(language="it"),
    )
    content = pdf.notice_pdf(notice, italian, world.a.city, uncompressed=True)
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([\w-]+)", content))
    assert fonts and all(name.startswith(b"DejaVu") for name in fonts), fonts
    # Arabic letters reach the page from a real font, in their joined forms: the letter
    # meem (U+0645) is drawn with more than one glyph (initial, medial, final shapes).
    meem_glyphs = set(re.findall(rb"<([0-9a-f]{4})> <0645>", content))
    assert len(meem_glyphs) >= 2
    assert re.search(rb"> <0049>", content)  # "I" of "Informativa"


def test_notice_in_a_missing_language_is_404(world, login):
    client = login(world.user("caseworker"))
    assert client.get("/c/taranto/privacy/notice.pdf?language=xx").status_code == 404


def test_recording_the_notice(world, login):
    client = login(world.user("caseworker"))
    person = world.a.person
    response = client.post(
        f"/c/taranto/privacy/persons/{person.pk}/notice/",
        {"language": "ar", "channel": "read_aloud", "given_on": "2024-03-02"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.privacy_notice_on, person.privacy_notice_language) == (date(2024, 3, 2), "ar")
    assert person.privacy_notice_channel == "read_aloud"
    assert person.privacy_notice_by == world.user("caseworker")


# --- access log ---------------------------------------------------------------------------


def test_access_log_page_filters(world, login, bearer, client):
    person = world.a.person
    client.get(f"/api/v1/persons/{person.pk}", headers=bearer("coordinator"))
    client.get(f"/api/v1/persons/{person.pk}", headers=bearer("caseworker"))
    page = login(world.user("auditor"))
    everyone = page.get("/c/taranto/privacy/access-log/")
    assert everyone.status_code == 200
    # Each read: legal status and vulnerabilities (one insert, two rows).
    assert everyone.content.decode().count('data-testid="access-row"') == 4
    flagged = page.get("/c/taranto/privacy/access-log/?flagged=on")
    rows = flagged.content.decode()
    assert rows.count('data-testid="access-row"') == 2  # the coordinator is not on the team
    by_user = page.get(f"/c/taranto/privacy/access-log/?user={world.user('caseworker').pk}")
    assert by_user.content.decode().count('data-testid="access-row"') == 2
    bad = page.get("/c/taranto/privacy/access-log/?since=not-a-date")
    assert bad.status_code == 400
    api = client.get("/api/v1/access-log?flagged=true", headers=bearer("auditor")).json()
    assert api["count"] == 2 and {e["user"] for e in api["items"]} == {"coordinator"}
    assert client.get("/api/v1/access-log", headers=bearer("outsider")).json()["count"] == 0


def test_access_log_cannot_be_changed(world, bearer, client):
    from django.db import DatabaseError, transaction

    client.get(f"/api/v1/persons/{world.a.person.pk}", headers=bearer("coordinator"))
    with scopes_disabled():
        entry = AccessLog.objects.first()
    with scopes_disabled(), pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).delete()
    with scopes_disabled(), pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).update(user=world.user("auditor"), what="x")
    with connection.cursor() as cursor, pytest.raises(DatabaseError), transaction.atomic():
        cursor.execute("UPDATE core_accesslog SET outside_team = NOT outside_team")  # raw SQL too
    with scopes_disabled():
        entry.refresh_from_db()
    assert entry.user == world.user("coordinator") and entry.what == "vulnerabilities"


def test_the_daily_task_and_the_command_run_the_retention(world):
    import io

    from django.core.management import call_command

    from lgnet.cases.services import close_case
    from lgnet.privacy.tasks import run_retention_task

    with scopes_disabled():
        close_case(
            actor=world.user("caseworker"),
            case=world.a.case,
            outcome="goals_reached",
            closed_on=date(2024, 3, 10),
        )
        services.save_policy(
            actor=world.user("network"), kind="closed_cases", months=12, is_active=True
        )
    out = io.StringIO()
    call_command("run_retention", "--preview", stdout=out)
    assert "closed_cases: 1 {'taranto': 1}" in out.getvalue()
    result = run_retention_task.call()
    assert result["total"] == 1
    run = RetentionRun.objects.get(pk=result["run"])
    assert run.counts == {"taranto": {"closed_cases": 1}} and run.finished_at is not None
    world.a.person.refresh_from_db()
    assert world.a.person.anonymised_at is not None
