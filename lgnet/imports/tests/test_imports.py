"""Imports: reading, row errors, all or nothing, re-imports, duplicates, the command."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation
from django_scopes import scope, scopes_disabled

from lgnet.cases.models import Case, Service
from lgnet.core.exceptions import RuleBroken
from lgnet.core.models import AuditEvent
from lgnet.imports import services
from lgnet.imports.models import ImportedRecord, ImportStatus
from lgnet.people.models import Person

EN_HEADER = "external_id,given_names,family_names,sex,birth_date,nationalities,languages\n"
IT_HEADER = "Codice;Nome;Cognome;Sesso;Data di nascita;Nazionalità;Lingue\n"


def upload(world, content: bytes | str, name="persone.csv", kind="persons", **options):
    if isinstance(content, str):
        content = content.encode("utf-8")
    with scope(city=world.a.city):
        return services.create_import(
            actor=world.user("coordinator"),
            city=world.a.city,
            kind=kind,
            upload=SimpleUploadedFile(name, content),
            **options,
        )


def check(world, data_import):
    with scope(city=world.a.city):
        return services.check_import(data_import, actor=world.user("coordinator"))


def apply(world, data_import, decisions=None):
    with scope(city=world.a.city):
        return services.apply_import(
            data_import, actor=world.user("coordinator"), decisions=decisions
        )


def persons_of(world):
    with scopes_disabled():
        return Person.objects.filter(city=world.a.city)


def test_italian_headers_windows_1252_semicolons_and_mixed_dates(world):
    text = (
        IT_HEADER
        + 'P1;Aïcha;Traoré;Femmina;31/03/1995;ML;"fr; bm"\n'
        + "P2;Kofi;Mensah;M;1988;GH;en\n"
        + "P3;Amal;Haddad;F;2001-07-15;SY;ar\n"
    )
    data_import = upload(world, text.encode("cp1252"))
    data_import = apply(world, data_import)
    assert data_import.status == ImportStatus.APPLIED
    assert data_import.counts["created"] == 3
    with scopes_disabled():
        aicha = Person.objects.get(city=world.a.city, external_id="P1")
        kofi = Person.objects.get(city=world.a.city, external_id="P2")
        assert (aicha.given_names, aicha.family_names) == ("Aïcha", "Traoré")
        assert aicha.sex == "F" and aicha.birth_date == date(1995, 3, 31)
        assert aicha.languages == ["fr", "bm"] and aicha.nationalities == ["ML"]
        assert kofi.birth_date == date(1988, 1, 1) and kofi.birth_date_precision == "year"
        records = ImportedRecord.objects.filter(data_import=data_import).order_by("row")
        assert [(r.row, r.target_id) for r in records][:2] == [(2, aicha.pk), (3, kofi.pk)]


def test_utf8_with_bom_and_english_headers_and_tabs(world):
    text = EN_HEADER.replace(",", "\t") + "X1\tJoy\tOkafor\tF\t12/05/1999\tNG\ten\n"
    data_import = apply(world, upload(world, "\ufeff" + text))
    assert data_import.counts["created"] == 1
    assert persons_of(world).filter(external_id="X1", given_names="Joy").exists()


SYLLABLES = [
    "ba",
    "ke",
    "li",
    "mo",
    "nu",
    "ra",
    "se",
    "ti",
    "vo",
    "za",
    "do",
    "fe",
    "gu",
    "ha",
    "ji",
    "pa",
]


def _name(i: int, salt: int) -> str:
    """Made-up names no two of which look alike to the matcher (no in-file duplicates)."""
    n = (i * 2654435761 + salt) % 4096
    return "".join(SYLLABLES[(n >> s) & 15] for s in (0, 4, 8)).capitalize()


def _rows(n: int, bad: int | None = None) -> str:
    lines = [EN_HEADER]
    for i in range(n):
        nationality = "ZZ" if i == bad else "NG"
        born = f"{1 + (i * 7) % 28:02d}/{1 + i % 12:02d}/{1940 + (i * 37) % 80}"
        lines.append(f"B{i},{_name(i, 1)},{_name(i, 99991)},M,{born},{nationality},en\n")
    return "".join(lines)


def test_one_bad_row_among_a_thousand_writes_nothing_and_says_where(world):
    before = persons_of(world).count()
    data_import = upload(world, _rows(1000, bad=500))
    with pytest.raises(RuleBroken), translation.override("en"):
        apply(world, data_import)
    data_import.refresh_from_db()
    assert data_import.status == ImportStatus.INVALID
    assert persons_of(world).count() == before
    assert data_import.errors == [
        {
            "row": 502,
            "column": "nationalities",
            "message": "Unknown country codes: ZZ (use ISO 3166, e.g. NG, MA)",
        }
    ]


def test_errors_by_row_column_and_reason_in_the_users_language(world):
    text = (
        IT_HEADER.replace(";", ",")
        + "E1,Ana,,F,31/02/1990,IT,it\n"  # no family name, no such date
        + "E2,Bea,Rossi,Q,1990,IT,it\n"  # unknown sex
        + "E3,Cloe,Verdi,F,2999,IT,it\n"  # born in the future
    )
    with translation.override("en"):
        report = check(world, upload(world, text))
    found = {(e["row"], e["column"]) for e in report.errors}
    assert found == {(2, "family_names"), (2, "birth_date"), (3, "sex"), (4, "birth_date")}
    assert report.status == ImportStatus.INVALID
    assert any("future" in e["message"] for e in report.errors)


def test_a_missing_required_column_is_reported_once(world):
    report = check(world, upload(world, "given_names,sex\nAna,F\n"))
    missing = {e["column"] for e in report.errors if e["row"] == 1}
    assert missing == {"family_names", "birth_date"}


def test_the_same_file_twice_changes_nothing_the_second_time(world):
    text = _rows(20)
    apply(world, upload(world, text))
    count = persons_of(world).count()
    events = AuditEvent.objects.filter(action="person.registered").count()
    second = apply(world, upload(world, text))
    assert second.counts == {
        "created": 0,
        "linked": 0,
        "unchanged": 20,
        "duplicate": 0,
        "invalid": 0,
    }
    assert persons_of(world).count() == count
    assert AuditEvent.objects.filter(action="person.registered").count() == events


def test_rows_without_external_id_are_recognised_by_their_values(world):
    text = "given_names,family_names,sex,birth_date\nLina,Sow,F,1992\n"
    apply(world, upload(world, text))
    second = apply(world, upload(world, text))
    assert second.counts["unchanged"] == 1
    assert persons_of(world).filter(family_names="Sow").count() == 1


def test_likely_duplicates_in_the_registry_and_in_the_file_block_until_chosen(world):
    text = (
        EN_HEADER
        + "D1,Mohammed,Diallo,M,12/03/1990,GN,fr\n"  # world.a.person is Mohamed Dialo
        + "D2,Fatou,Ndiaye,F,1985,SN,fr\n"
        + "D3,Fatu,N'Diaye,F,1985,SN,fr\n"  # the same as D2, spelled otherwise
    )
    data_import = upload(world, text)
    report = check(world, data_import)
    assert report.status == ImportStatus.CHECKED
    assert report.counts["duplicate"] == 2
    by_row = {d["row"]: d for d in report.duplicates}
    assert world.a.person.pk in [c["id"] for c in by_row[2]["candidates"]]
    assert [r["row"] for r in by_row[4]["rows"]] == [3]
    # The earlier row is shown as it was read, to compare side by side.
    assert by_row[4]["rows"][0]["person"] == {
        "given_names": "Fatou",
        "family_names": "Ndiaye",
        "sex": "F",
        "birth": "1985",
        "nationalities": ["SN"],
    }
    with pytest.raises(RuleBroken):
        apply(world, data_import)
    assert not persons_of(world).filter(external_id__in=["D1", "D2", "D3"]).exists()
    done = apply(world, data_import, {"2": f"person:{world.a.person.pk}", "4": "row:3"})
    assert done.status == ImportStatus.APPLIED
    assert done.counts == {"created": 1, "linked": 2, "unchanged": 0, "duplicate": 0, "invalid": 0}
    with scopes_disabled():
        assert not Person.objects.filter(external_id__in=["D1", "D3"]).exists()
        fatou = Person.objects.get(external_id="D2")
        linked = dict(
            ImportedRecord.objects.filter(data_import=done).values_list("row", "target_id")
        )
    assert linked == {2: world.a.person.pk, 3: fatou.pk, 4: fatou.pk}


def test_a_link_to_a_person_not_proposed_is_refused(world):
    text = EN_HEADER + "D1,Mohammed,Diallo,M,12/03/1990,GN,fr\n"
    data_import = upload(world, text)
    with pytest.raises(RuleBroken):
        apply(world, data_import, {"2": f"person:{world.b.person.pk}"})
    assert data_import.errors[0]["row"] == 2


def test_an_error_half_way_leaves_nothing_written(world, monkeypatch):
    from lgnet.imports.kinds import persons

    original = persons.PersonsKind._send  # sends a batch's writes
    calls = {"n": 0}

    def failing(self, ctx):
        calls["n"] += 1
        if calls["n"] == 2:  # the first batch of 500 is in the database already
            raise RuntimeError("killed")
        return original(self, ctx)

    monkeypatch.setattr(persons.PersonsKind, "_send", failing)
    before = persons_of(world).count()
    with pytest.raises(RuntimeError):
        apply(world, upload(world, _rows(1200)))
    assert calls["n"] == 2
    assert persons_of(world).count() == before
    assert not ImportedRecord.objects.exists()


def test_xlsx_and_ods_files(world):
    import tablib

    data = tablib.Dataset(headers=["Nome", "Cognome", "Sesso", "Data di nascita", "Codice"])
    data.append(["Olena", "Shevchenko", "F", date(1980, 4, 2), "U1"])
    data.append(["Ivan", "Petrenko", "M", "1975", "U2"])
    for fmt in ("xlsx", "ods"):
        report = check(world, upload(world, data.export(fmt), name=f"lista.{fmt}"))
        assert report.status == ImportStatus.CHECKED, report.report
        assert report.counts["created"] == 2


def test_cases_and_services_through_their_services(world):
    apply(world, upload(world, EN_HEADER + "C1,Joy,Okafor,F,1990,NG,en\n"))
    cases = "numero,persona,data_apertura,aree\nK1,C1,01/02/2024,housing\nK2,nobody,,\n"
    with translation.override("en"):
        report = check(world, upload(world, cases, kind="cases"))
    assert report.errors == [
        {"row": 3, "column": "person", "message": "No person with this external id."}
    ]
    apply(world, upload(world, cases.replace("K2,nobody,,\n", ""), kind="cases"))
    with scopes_disabled():
        case = Case.objects.get(person__external_id="C1")
    assert case.opened_on == date(2024, 2, 1) and case.areas == ["housing"]
    rows = (
        "case,service_type,delivered_on,quantity\n"
        "K1,orientation,2024-02-03,2\n"
        "K1,orientation,2024-01-01,1\n"  # before the case opened
    )
    report = check(world, upload(world, rows, kind="services"))
    assert [(e["row"], e["column"]) for e in report.errors] == [(3, "delivered_on")]
    apply(world, upload(world, rows.splitlines()[0] + "\n" + rows.splitlines()[1], kind="services"))
    with scopes_disabled():
        assert Service.objects.get(case=case).quantity == 2


def test_command_exit_codes(world, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(_rows(3))
    bad = tmp_path / "bad.csv"
    bad.write_text(_rows(3, bad=1).replace("B", "Z"))
    with pytest.raises(SystemExit) as failed:
        call_command("import", "persons", str(bad), "--city", "taranto")
    assert failed.value.code == 1
    assert "row 3, nationalities" in capsys.readouterr().out
    assert not persons_of(world).filter(external_id__startswith="Z").exists()
    call_command("import", "persons", str(good), "--city", "taranto", "--dry-run")
    assert not persons_of(world).filter(external_id__startswith="B").exists()
    call_command("import", "persons", str(good), "--city", "taranto")
    assert persons_of(world).filter(external_id__startswith="B").count() == 3
    dup = tmp_path / "dup.csv"
    dup.write_text(EN_HEADER + "D1,Mohammed,Diallo,M,12/03/1990,GN,fr\n")
    with pytest.raises(SystemExit):
        call_command("import", "persons", str(dup), "--city", "taranto")
    assert "likely the same as person" in capsys.readouterr().out
    call_command("import", "persons", str(dup), "--city", "taranto", "--create-duplicates")
    assert persons_of(world).filter(external_id="D1").exists()


def test_export_command_then_import_into_an_empty_city_gives_the_same_persons(world, tmp_path):
    from lgnet.accounts.models import Membership
    from lgnet.accounts.roles import Role
    from lgnet.network.models import City

    apply(world, upload(world, _rows(5)))
    out = tmp_path / "persons.csv"
    call_command("export", "persons", "--city", "taranto", "--format", "csv", "-o", str(out))
    assert AuditEvent.objects.filter(action="data.exported", data__rows=7).exists()
    empty = City.objects.create(slug="bari", name="Bari", istat_code="072006", region="Puglia")
    Membership.objects.create(
        user=world.user("coordinator"), city=empty, role=Role.CITY_COORDINATOR
    )
    call_command("import", "persons", str(out), "--city", "bari", "--create-duplicates")
    fields = [
        "given_names",
        "family_names",
        "sex",
        "birth_date",
        "birth_date_precision",
        "nationalities",
        "languages",
        "vulnerabilities",
    ]
    with scopes_disabled():
        before = sorted(Person.objects.filter(city=world.a.city).values_list(*fields))
        after = sorted(Person.objects.filter(city=empty).values_list(*fields))
    assert before == after


def test_a_file_that_is_not_a_spreadsheet(world):
    report = check(world, upload(world, b"PK\x03\x04garbage", name="x.xlsx"))
    assert report.status == ImportStatus.INVALID
    assert report.errors[0]["row"] == 0


def test_placements_and_enrolments_through_their_apps_services(world):
    from lgnet.activities.models import Enrolment
    from lgnet.housing.models import Placement

    person = world.a.other_person
    with scopes_disabled():
        person.external_id = "OP1"
        person.save(update_fields=["external_id"])
        spare = world.a.spare_bed
        spare_name = f"{spare.facility.name} · {spare.label}"
        taken = world.a.placement
    rows = (
        "persona,posto_letto,dal,al\n"
        f"OP1,{spare_name},01/02/2024,01/03/2024\n"
        f"OP1,{taken.bed.pk},{taken.start_date.isoformat()},\n"
    )
    report = check(world, upload(world, rows, kind="placements"))
    assert report.counts["created"] == 1
    assert [e["row"] for e in report.errors] == [3]
    apply(world, upload(world, rows.rsplit("\n", 2)[0] + "\n", kind="placements"))
    with scopes_disabled():
        assert Placement.objects.filter(person=person, bed=spare).exists()
    enrol = f"activity,person,enrolled_on\n{world.a.activity.pk},OP1,\nnothing,OP1,\n"
    report = check(world, upload(world, enrol, kind="enrolments"))
    assert [(e["row"], e["column"]) for e in report.errors] == [(3, "activity")]
    apply(world, upload(world, enrol.rsplit("\n", 2)[0] + "\n", kind="enrolments"))
    with scopes_disabled():
        assert Enrolment.objects.filter(person=person, activity=world.a.activity).exists()


def test_a_binary_file_named_csv_is_refused_not_crashed(world):
    report = check(world, upload(world, b"\x00\x01\x02given_names\x00\n\x00\xff" * 50))
    assert report.status == ImportStatus.INVALID


def test_an_empty_cell_takes_the_records_default(world):
    text = "given_names,family_names,sex,birth_date,legal_status,dwelling\nEla,Bun,F,1990,,\n"
    done = apply(world, upload(world, text))
    assert done.status == ImportStatus.APPLIED
    assert persons_of(world).get(family_names="Bun").legal_status == "unknown"


def test_an_applied_import_schedules_its_citys_figures_and_a_dry_run_does_not(
    world, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    def queued() -> list:
        return [
            r.args_kwargs["args"]
            for r in DBTaskResult.objects.filter(task_path__endswith="refresh_city_figures")
        ]

    text = "given_names,family_names,sex,birth_date\nIrene,Bah,F,1991\n"
    connection.run_on_commit = []  # forget the callbacks the world fixture left pending
    before = queued()
    with django_capture_on_commit_callbacks(execute=True):
        check(world, upload(world, text))
    assert queued() == before  # nothing written, nothing to count
    with django_capture_on_commit_callbacks(execute=True):
        apply(world, upload(world, text, name="di-nuovo.csv"))
    assert queued() == [*before, [world.a.city.pk]]  # the whole edition: persons count in all
