"""Import pages and API, exports by role, their log and their query counts."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from lgnet.core.models import AuditEvent
from lgnet.imports.models import Import, ImportStatus
from lgnet.people.models import Person
from lgnet.people.services import register_person

TARANTO = "taranto"


def _csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_upload_check_choose_and_apply_in_the_pages(world, login):
    client = login(world.user("coordinator"))
    content = (
        "Codice,Nome,Cognome,Sesso,Data di nascita,Nazionalità\n"
        "W1,Mohammed,Diallo,M,12/03/1990,GN\n"
        "W2,Grace,Osei,F,1993,GH\n"
    ).encode()
    response = client.post(
        reverse("imports:list", args=[TARANTO]),
        {"kind": "persons", "file": SimpleUploadedFile("lista.csv", content)},
    )
    assert response.status_code == 302
    with scopes_disabled():
        data_import = Import.objects.get(city=world.a.city, filename="lista.csv")
    assert data_import.status == ImportStatus.CHECKED
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Mohamed" in html and "Dialo" in html  # the registry's record, side by side
    assert page.content.count(b'data-testid="duplicate"') == 1
    with scopes_disabled():
        assert not Person.objects.filter(external_id__in=["W1", "W2"]).exists()
    client.post(reverse("imports:apply", args=[TARANTO, data_import.pk]), {"row-2": "create"})
    data_import.refresh_from_db()
    assert data_import.status == ImportStatus.APPLIED
    assert data_import.counts["created"] == 2
    with scopes_disabled():
        assert Person.objects.filter(external_id__in=["W1", "W2"]).count() == 2
    listing = client.get(reverse("imports:list", args=[TARANTO]))
    assert b"lista.csv" in listing.content


def test_error_table_names_the_column_in_words(world, login):
    client = login(world.user("coordinator"))
    content = b"Codice,Nome,Cognome,Sesso,Data di nascita\nE1,Amina,,F,1990\n"
    response = client.post(
        reverse("imports:list", args=[TARANTO]),
        {"kind": "persons", "file": SimpleUploadedFile("errori.csv", content)},
    )
    page = client.get(response["Location"]).content.decode()
    row = page[page.index('data-testid="import-error"') :].split("</tr>")[0]
    assert "<td>Cognome <code" in row and "family_names</code>" in row


def test_template_has_headers_example_and_guide(world, login):
    from openpyxl import load_workbook

    client = login(world.user("coordinator"))
    for kind in ("persons", "cases", "services"):
        response = client.get(reverse("imports:template", args=[TARANTO]) + f"?kind={kind}")
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames[0] == kind and len(book.sheetnames) == 3
        if kind == "persons":
            headers = [c.value for c in book.worksheets[0][1]]
            assert headers[:3] == ["external_id", "given_names", "family_names"]
            codes = {row[1] for row in book.worksheets[2].iter_rows(values_only=True)}
            assert {"NG", "asylum_request", "homelessness"} <= codes
        if kind == "services":
            codes = {row[1] for row in book.worksheets[2].iter_rows(values_only=True)}
            assert "orientation" in codes


def test_api_upload_dry_run_then_apply(world, client, bearer):
    headers = bearer("coordinator")
    file = SimpleUploadedFile("p.csv", b"given_names,family_names,sex,birth_date\nAda,Obi,F,1990\n")
    response = client.post("/api/v1/imports", {"kind": "persons", "file": file}, headers=headers)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "checked" and body["rows"] == 1 and body["errors"] == []
    applied = client.post(
        f"/api/v1/imports/{body['id']}/apply",
        "{}",
        content_type="application/json",
        headers=headers,
    )
    assert applied.status_code == 200 and applied.json()["status"] == "applied"
    again = client.post(
        f"/api/v1/imports/{body['id']}/apply",
        "{}",
        content_type="application/json",
        headers=headers,
    )
    assert again.status_code == 409


def test_api_reports_row_errors_in_the_callers_language(world, client, bearer):
    file = SimpleUploadedFile("p.csv", b"given_names,family_names,sex,birth_date\nAda,,F,1990\n")
    body = client.post(
        "/api/v1/imports",
        {"kind": "persons", "file": file},
        headers={**bearer("coordinator"), "Accept-Language": "en"},
    ).json()
    assert body["status"] == "invalid"
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "family_names")]


def test_caseworker_and_outreach_may_not_export(world, login):
    for name in ("caseworker", "outreach"):
        client = login(world.user(name))
        assert client.get(reverse("imports:export", args=[TARANTO])).status_code == 403


def test_partner_exports_what_its_pages_show_and_nothing_else(world, login):
    from lgnet.imports.exports import FULL_PERSON

    client = login(world.user("partner"))
    url = reverse("imports:export", args=[TARANTO])
    rows = _csv_rows(client.post(url + "?kind=persons", {"format": "csv"}))
    # Only the person referred to its organisation, in the partner's shape.
    assert [r["family_names"] for r in rows] == ["Dialo"]
    hidden = {"codice_fiscale", "legal_status", "permit_number", "permit_expiry", "nationalities"}
    assert hidden <= set(FULL_PERSON) and not hidden & set(rows[0])
    assert "vulnerabilities" not in rows[0] and "dwelling" not in rows[0]
    assert rows[0]["birth_date"].endswith("-01-01")
    event = AuditEvent.objects.get(action="data.exported")
    assert event.actor == world.user("partner") and event.data["rows"] == 1
    for kind in ("cases", "services", "placements", "rent_supports", "rent_payments"):
        assert client.get(url + f"?kind={kind}").status_code == 403, kind


def test_coordinator_export_holds_vulnerabilities_and_is_logged(world, login):
    client = login(world.user("coordinator"))
    response = client.post(
        reverse("imports:export", args=[TARANTO]) + "?kind=persons", {"format": "csv"}
    )
    rows = _csv_rows(response)
    assert "vulnerabilities" in rows[0]
    mohamed = next(r for r in rows if r["family_names"] == "Dialo")
    assert mohamed["vulnerabilities"] == "homelessness"
    event = AuditEvent.objects.get(action="data.exported")
    assert event.actor == world.user("coordinator") and event.city == world.a.city
    assert event.data["rows"] == len(rows) == 2 and event.data["kind"] == "persons"


def test_auditor_export_has_no_vulnerabilities(world, login):
    client = login(world.user("auditor"))
    response = client.get(reverse("imports:export", args=[TARANTO]) + "?kind=persons&format=csv")
    rows = _csv_rows(response)
    assert rows and "vulnerabilities" not in rows[0]
    assert "codice_fiscale" in rows[0]
    assert AuditEvent.objects.filter(action="data.exported", actor=world.user("auditor")).exists()


def test_partner_shape_holds_only_what_its_pages_show(world):
    from lgnet.imports import exports

    membership = world.memberships["partner"]
    with scopes_disabled():
        columns, rows = exports.export_table("persons", membership, world.a.city)
        rows = list(rows)
    assert columns == exports.PARTNER_PERSON
    assert not {"vulnerabilities", "codice_fiscale", "nationalities", "legal_status"} & set(columns)
    # Only the persons its organisation reaches (the referred one), birth as a year.
    assert [r[2] for r in rows] == ["Dialo"]
    assert rows[0][columns.index("birth_date")].isoformat() == "1990-01-01"


def test_export_applies_the_list_filters(world, login):
    client = login(world.user("coordinator"))
    response = client.post(
        reverse("imports:export", args=[TARANTO]) + "?kind=persons",
        {"q": "Muhammad", "format": "csv"},
    )
    assert [r["given_names"] for r in _csv_rows(response)] == ["Muhammad"]
    event = AuditEvent.objects.get(action="data.exported")
    assert event.data["filters"] == ["q"] and "Muhammad" not in json.dumps(event.data)
    cases = client.post(
        reverse("imports:export", args=[TARANTO]) + "?kind=cases",
        {"status": "closed", "format": "csv"},
    )
    assert _csv_rows(cases) == []


@pytest.mark.parametrize("kind", ["persons", "cases", "services"])
def test_exports_take_the_same_queries_for_one_row_or_many(
    world, login, kind, django_assert_max_num_queries
):
    from lgnet.cases.models import ServiceType
    from lgnet.cases.services import open_case, record_service

    client = login(world.user("coordinator"))
    url = reverse("imports:export", args=[TARANTO]) + f"?kind={kind}&format=csv"
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    with scopes_disabled():
        orientation = ServiceType.objects.get(code="orientation", city=None)
        for i in range(15):
            person = register_person(
                actor=world.user("caseworker"),
                city=world.a.city,
                data={
                    "given_names": f"N{i}",
                    "family_names": "Q",
                    "sex": "F",
                    "birth_date": date(1990, 1, 1),
                },
            )
            case = open_case(actor=world.user("caseworker"), person=person)
            record_service(
                actor=world.user("caseworker"),
                case=case,
                service_type=orientation,
                delivered_on=case.opened_on,
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(_csv_rows(response)) >= 15


def test_api_exports_answer_items_and_count_shaped_by_role(world, client, bearer):
    body = client.get("/api/v1/exports/persons", headers=bearer("auditor")).json()
    assert body["count"] == 2 and "vulnerabilities" not in body["items"][0]
    body = client.get("/api/v1/exports/persons", headers=bearer("coordinator")).json()
    assert "vulnerabilities" in body["items"][0]
    response = client.get("/api/v1/exports/cases?format=csv", headers=bearer("auditor"))
    assert response["Content-Type"].startswith("text/csv")
    assert AuditEvent.objects.filter(action="data.exported").count() == 3


def test_other_citys_import_is_not_found(world, login, client, bearer):
    other = world.b.data_import
    coordinator = login(world.user("coordinator"))
    assert coordinator.get(reverse("imports:detail", args=[TARANTO, other.pk])).status_code == 404
    assert (
        client.get(f"/api/v1/imports/{other.pk}", headers=bearer("coordinator")).status_code == 404
    )


def test_a_large_file_goes_to_the_task_worker(world, login, monkeypatch):
    from lgnet.imports import tasks

    queued = []
    monkeypatch.setattr(tasks, "LARGE_FILE_BYTES", 10)
    monkeypatch.setattr(
        tasks,
        "run_import_task",
        type("Queue", (), {"enqueue": staticmethod(lambda *a: queued.append(a))}),
    )
    client = login(world.user("coordinator"))
    content = b"given_names,family_names,sex,birth_date\nAda,Obi,F,1990\n"
    response = client.post(
        reverse("imports:list", args=[TARANTO]),
        {"kind": "persons", "file": SimpleUploadedFile("big.csv", content)},
    )
    with scopes_disabled():
        data_import = Import.objects.get(filename="big.csv")
    assert data_import.status == ImportStatus.CHECKING and queued
    polling = client.get(response["Location"], headers={"HX-Request": "true"})
    assert b"hx-trigger" in polling.content
    # What the worker runs: the check, then the page shows the report.
    tasks.execute(data_import.pk, apply=False, user_id=world.user("coordinator").pk)
    data_import.refresh_from_db()
    assert data_import.status == ImportStatus.CHECKED and data_import.rows == 1
    finished = client.get(response["Location"], headers={"HX-Request": "true"})
    assert finished["HX-Refresh"] == "true"


def test_placements_and_enrolments_exports(world, client, bearer):
    body = client.get("/api/v1/exports/placements", headers=bearer("auditor")).json()
    assert body["count"] == 1 and body["items"][0]["start_date"]
    body = client.get("/api/v1/exports/enrolments", headers=bearer("coordinator")).json()
    assert body["count"] == 1 and body["items"][0]["activity"] == world.a.activity.pk
    # The partner runs the course: its enrolments are what its activity pages show.
    body = client.get("/api/v1/exports/enrolments", headers=bearer("partner")).json()
    assert [item["activity"] for item in body["items"]] == [world.a.activity.pk]
    assert client.get("/api/v1/exports/cases", headers=bearer("partner")).status_code == 403


@pytest.mark.parametrize(
    ("actor", "page", "kinds"),
    [
        ("coordinator", "housing:placement_list", ["placements"]),
        ("coordinator", "housing:rent_list", ["rent_supports", "rent_payments"]),
        ("coordinator", "activities:list", ["activities", "enrolments", "attendance"]),
        ("partner", "activities:list", ["activities", "enrolments", "attendance"]),
    ],
)
def test_lists_link_to_their_exports(world, login, actor, page, kinds):
    client = login(world.user(actor))
    content = client.get(reverse(page, args=[TARANTO])).content.decode()
    for kind in kinds:
        assert f'data-testid="export-{kind}"' in content, kind
        assert (
            client.get(reverse("imports:export", args=[TARANTO]) + f"?kind={kind}").status_code
            == 200
        )


def test_lists_without_the_capability_show_no_export(world, login):
    client = login(world.user("caseworker"))
    content = client.get(reverse("activities:list", args=[TARANTO])).content.decode()
    assert "export-activities" not in content


def test_an_unexpected_failure_keeps_no_personal_data(world, monkeypatch):
    """A database error quotes the row it refused: the import's record and the error the
    worker logs name its kind and constraint only."""
    from django.db import connection, transaction

    from lgnet.imports import services, tasks

    def refused_by_the_database(data_import, **kwargs):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE refused (name text CONSTRAINT named_check CHECK (name = ''))"
            )
            cursor.execute("INSERT INTO refused VALUES ('Mario Rossi, 1990-03-12')")

    monkeypatch.setattr(services, "apply_import", refused_by_the_database)
    with scopes_disabled():
        data_import = Import.objects.create(
            city=world.a.city, kind="persons", filename="x.csv", status=ImportStatus.CHECKED
        )
    with pytest.raises(tasks.ImportFailed) as raised:
        tasks.execute(data_import.pk, apply=True, user_id=None)
    data_import.refresh_from_db()
    assert data_import.status == ImportStatus.FAILED
    for text in (data_import.failure, str(raised.value)):
        assert "Rossi" not in text and "1990" not in text
        assert "IntegrityError 23514 named_check" in text
