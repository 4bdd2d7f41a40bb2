"""Uploaded files and their reports go: after the network's period, and with the erasure of a
person they touched; the import's page still shows what it did."""

from __future__ import annotations

import json
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from lgnet.core.models import AuditEvent
from lgnet.imports.models import Import, ImportedRecord, ImportStatus
from lgnet.people.models import Person
from lgnet.privacy import erasure, services

TARANTO = "taranto"
HEADER = "Codice,Nome,Cognome,Sesso,Data di nascita,Nazionalità\n"
# Names no demo or fixture person carries, so finding one anywhere means it was kept.
ZEBULON = "Z1,Zebulon,Quattrocchi,M,12/03/1990,GN\n"
ORTENSIA = "Z2,Ortensia,Vallerotonda,F,1993,GH\n"
LAVINIO = "Z3,Lavinio,Sbarbaro,M,05/07/1988,SN\n"


def _upload(client, filename: str, rows: str) -> Import:
    response = client.post(
        reverse("imports:list", args=[TARANTO]),
        {"kind": "persons", "file": SimpleUploadedFile(filename, (HEADER + rows).encode())},
    )
    assert response.status_code == 302
    with scopes_disabled():
        return Import.objects.order_by("-pk").first()


def _apply(client, data_import: Import) -> Import:
    client.post(reverse("imports:apply", args=[TARANTO, data_import.pk]), {})
    data_import.refresh_from_db()
    assert data_import.status == ImportStatus.APPLIED
    return data_import


def _stored(data_import: Import) -> str:
    """Everything the database holds on the import: its row and its row history."""
    with scopes_disabled():
        rows = list(Import.objects.filter(pk=data_import.pk).values())
        for event_model in erasure.event_models(Import):
            rows += list(event_model.objects.filter(pgh_obj_id=data_import.pk).values())
    return json.dumps(rows, cls=DjangoJSONEncoder)


def _file_exists(data_import: Import, name: str) -> bool:
    return data_import.file.storage.exists(name)


def test_after_the_period_the_file_and_the_names_go_and_the_page_keeps_the_counts(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.user("coordinator"))
    applied = _apply(client, _upload(client, "Quattrocchi Zebulon.csv", ZEBULON + ORTENSIA))
    file_name = applied.file.name
    assert _file_exists(applied, file_name)
    assert "Quattrocchi" in _stored(applied)  # the file name and the row history hold it
    # Checked, with errors, never written: its report quotes what the rows hold.
    invalid = _upload(client, "lista.csv", LAVINIO + "Z4,,Sbarbaro,Q,31/02/1990,XX\n")
    assert invalid.status == ImportStatus.INVALID and invalid.errors

    with scopes_disabled():
        services.save_policy(
            actor=world.user("network"), kind="import_files", months=3, is_active=True
        )
    today = timezone.localdate()
    assert services.retention_preview(today)[0]["total"] == 0  # touched today: kept
    later = today + timedelta(days=100)
    with scopes_disabled():  # the world's own imports (one in each city) are due too
        expected = {
            city.slug: Import.objects.filter(city=city).count()
            for city in (world.a.city, world.b.city)
        }
    assert expected[TARANTO] >= 2 and expected["milano"] >= 1
    preview = {i["policy"].kind: i["cities"] for i in services.retention_preview(later)}
    assert preview == {"import_files": expected}

    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_retention(today=later)
    assert run.counts == {slug: {"import_files": n} for slug, n in expected.items()}

    applied.refresh_from_db()
    assert not _file_exists(applied, file_name)
    assert not applied.file and applied.is_cleared
    stored = _stored(applied)
    for word in ("Zebulon", "Quattrocchi", "Ortensia", "Vallerotonda", "1990"):
        assert word not in stored
    assert applied.filename == f"persons-{applied.pk}.csv"
    assert applied.status == ImportStatus.APPLIED
    assert applied.rows == 2 and applied.counts["created"] == 2
    invalid.refresh_from_db()
    assert "Sbarbaro" not in _stored(invalid) and "Lavinio" not in _stored(invalid)
    assert invalid.error_count >= 1 and invalid.errors == []
    with scopes_disabled():  # the records the import wrote stay, and their links
        assert Person.objects.filter(family_names="Quattrocchi").exists()
        assert ImportedRecord.objects.filter(data_import=applied).count() == 2
        assert AuditEvent.objects.filter(
            action="import.cleared", target_id=str(applied.pk), data={"why": "retention"}
        ).exists()

    page = client.get(reverse("imports:detail", args=[TARANTO, applied.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="import-cleared"' in html and 'data-testid="import-counts"' in html
    assert "Quattrocchi" not in html
    page = client.get(reverse("imports:detail", args=[TARANTO, invalid.pk]))
    assert page.status_code == 200 and 'data-testid="import-cleared"' in page.content.decode()
    listing = client.get(reverse("imports:list", args=[TARANTO]))
    assert listing.status_code == 200 and b"Quattrocchi" not in listing.content
    api = client.get(f"/api/v1/imports/{applied.pk}")
    assert api.status_code == 200 and api.json()["counts"]["created"] == 2
    # The next run finds nothing more to do.
    assert services.retention_preview(later)[0]["total"] == 0


def test_a_checked_import_cleared_by_retention_cannot_be_written(world, login):
    client = login(world.user("coordinator"))
    _apply(client, _upload(client, "prima.csv", ZEBULON))
    waiting = _upload(client, "seconda.csv", "Z9,Zebulon,Quatrocchi,M,12/03/1990,GN\n")
    assert waiting.status == ImportStatus.CHECKED and waiting.duplicates
    with scopes_disabled():
        services.save_policy(
            actor=world.user("network"), kind="import_files", months=1, is_active=True
        )
    services.run_retention(today=timezone.localdate() + timedelta(days=40))
    waiting.refresh_from_db()
    assert waiting.status == ImportStatus.FAILED and waiting.failure
    response = client.post(reverse("imports:apply", args=[TARANTO, waiting.pk]), {})
    assert response.status_code == 302
    page = client.get(reverse("imports:detail", args=[TARANTO, waiting.pk]))
    assert page.status_code == 200 and "Quatrocchi" not in page.content.decode()
    with scopes_disabled():
        assert Person.objects.filter(family_names__in=["Quatrocchi", "Quattrocchi"]).count() == 1


def test_erasing_a_person_clears_the_imports_that_touched_them_and_no_other(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.user("coordinator"))
    theirs = _apply(client, _upload(client, "ospiti.csv", ZEBULON + ORTENSIA))
    other = _apply(client, _upload(client, "altri.csv", LAVINIO))
    # Never written: it offered Zebulon's record as a likely duplicate of its row.
    offered = _upload(client, "di nuovo.csv", "Z8,Zebulon,Quatrocchi,M,12/03/1990,GN\n")
    assert offered.status == ImportStatus.CHECKED
    files = {i.pk: i.file.name for i in (theirs, other, offered)}
    before = other.report
    with scopes_disabled():
        person = Person.objects.get(city=world.a.city, external_id="Z1")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/c/{TARANTO}/privacy/persons/{person.pk}/anonymise/", {"confirm": str(person.pk)}
        )
    assert response.status_code == 302

    for data_import in (theirs, offered):
        data_import.refresh_from_db()
        assert data_import.is_cleared
        assert not _file_exists(data_import, files[data_import.pk])
        stored = _stored(data_import)
        assert "Zebulon" not in stored and "Quattrocchi" not in stored
        assert "Quatrocchi" not in stored
    assert theirs.counts["created"] == 2 and theirs.status == ImportStatus.APPLIED
    assert offered.status == ImportStatus.FAILED

    other.refresh_from_db()
    assert not other.is_cleared and other.filename == "altri.csv"
    assert _file_exists(other, files[other.pk])
    assert other.report == before

    with scopes_disabled():
        rows = ImportedRecord.objects.filter(data_import=theirs)
        keys = dict(rows.values_list("target_id", "key"))
        assert keys[person.pk] == f"erased:{rows.get(target_id=person.pk).pk}"
        assert "Z2" in keys.values()  # Ortensia's row keeps its key: she was not erased
        erased = AuditEvent.objects.get(action="privacy.anonymised", target_id=str(person.pk))
        assert erased.data["by"]["anonymise_imports"] == 3  # two imports, one row's key
        cleared = AuditEvent.objects.filter(action="import.cleared", data={"why": "erasure"})
        assert sorted(int(e.target_id) for e in cleared) == sorted([theirs.pk, offered.pk])

    page = client.get(reverse("imports:detail", args=[TARANTO, theirs.pk]))
    assert page.status_code == 200 and 'data-testid="import-cleared"' in page.content.decode()


def test_retention_keeps_an_import_of_a_restricted_person(world, login):
    client = login(world.user("coordinator"))
    kept = _apply(client, _upload(client, "ospiti.csv", ZEBULON))
    with scopes_disabled():
        person = Person.objects.get(city=world.a.city, external_id="Z1")
        services.set_restriction(actor=world.user("coordinator"), person=person, restricted=True)
        services.save_policy(
            actor=world.user("network"), kind="import_files", months=1, is_active=True
        )
    with scopes_disabled():  # the world's own imports go; this one stays
        others = Import.objects.filter(city=world.a.city).exclude(pk=kept.pk).count()
    run = services.run_retention(today=timezone.localdate() + timedelta(days=40))
    assert run.counts[TARANTO] == {"import_files": others}
    kept.refresh_from_db()
    assert not kept.is_cleared and kept.file
