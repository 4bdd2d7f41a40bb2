"""Persons are checked and written a batch at a time: queries grow with the batches, not the
rows; the file's earlier batches are matched and linked like its earlier rows; the history
of every person written names the import."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from lgnet.imports import services
from lgnet.imports.bulk import copy_insert, prepare_values, reserve_ids
from lgnet.imports.kinds.persons import BATCH
from lgnet.imports.models import ImportedRecord, ImportStatus
from lgnet.people import services as people_services
from lgnet.people.models import Person

HEADER = "external_id,given_names,family_names,sex,birth_date,nationalities,languages\n"
SYLLABLES = ["ba", "ke", "li", "mo", "nu", "ra", "se", "ti"]
SYLLABLES += ["vo", "za", "do", "fe", "gu", "ha", "ji", "pa"]


def _name(i: int, salt: int) -> str:
    """Made-up names no two of which look alike to the matcher."""
    n = (i * 2654435761 + salt) % 4096
    return "".join(SYLLABLES[(n >> s) & 15] for s in (0, 4, 8)).capitalize()


def _rows(n: int, start: int = 0) -> list[str]:
    return [
        f"X{i},{_name(i, 1)},{_name(i, 99991)},M,"
        f"{1 + (i * 7) % 28:02d}/{1 + i % 12:02d}/{1940 + (i * 37) % 80},NG,en\n"
        for i in range(start, start + n)
    ]


def _upload(world, text: str):
    with scope(city=world.a.city):
        return services.create_import(
            actor=world.user("coordinator"),
            city=world.a.city,
            kind="persons",
            upload=SimpleUploadedFile("persone.csv", text.encode()),
        )


def _run(world, data_import, *, apply: bool = True, decisions: dict | None = None):
    with scope(city=world.a.city):
        if decisions is not None:
            services.set_decisions(data_import, decisions)
        return services.run(data_import, actor=world.user("coordinator"), apply=apply)


def test_queries_grow_with_the_batches_not_with_the_rows(world):
    with CaptureQueriesContext(connection) as small:
        assert _run(world, _upload(world, HEADER + "".join(_rows(10)))).counts["created"] == 10
    large_file = HEADER + "".join(_rows(2 * BATCH + 10, start=100))
    with CaptureQueriesContext(connection) as large:
        done = _run(world, _upload(world, large_file))
    assert done.status == ImportStatus.APPLIED
    assert done.counts["created"] == 2 * BATCH + 10
    # A handful of queries per batch of 500 rows (the rows themselves go by COPY).
    assert len(large.captured_queries) - len(small.captured_queries) < 40
    again = _run(world, _upload(world, large_file))
    assert again.counts["unchanged"] == 2 * BATCH + 10
    with scopes_disabled():
        assert ImportedRecord.objects.filter(data_import=done).count() == 2 * BATCH + 10
        assert not ImportedRecord.objects.filter(data_import=again).exists()


def test_a_row_is_matched_and_linked_to_a_row_of_an_earlier_batch(world):
    fatou = "F1,Fatou,Ndiaye,F,1985,SN,fr\n"
    fatu = "F2,Fatu,N'Diaye,F,1985,SN,fr\n"  # the same person, spelled otherwise
    data_import = _upload(world, HEADER + fatou + "".join(_rows(BATCH)) + fatu)
    last = BATCH + 3  # the header is row 1, Fatou row 2
    checked = _run(world, data_import, apply=False)
    assert checked.status == ImportStatus.CHECKED
    assert checked.counts["duplicate"] == 1
    assert [(d["row"], [r["row"] for r in d["rows"]]) for d in checked.duplicates] == [(last, [2])]
    done = _run(world, data_import, decisions={str(last): "row:2"})
    assert done.status == ImportStatus.APPLIED
    with scopes_disabled():
        made = Person.objects.get(city=world.a.city, external_id="F1")
        assert not Person.objects.filter(external_id="F2").exists()
        links = dict(
            ImportedRecord.objects.filter(data_import=done, row__in=[2, last]).values_list(
                "row", "target_id"
            )
        )
    assert links == {2: made.pk, last: made.pk}


def test_a_row_repeated_word_for_word_is_refused_not_crashed(world):
    row = "Lina,Sow,F,1992\n"
    text = "given_names,family_names,sex,birth_date\n" + row + "Amal,Haddad,F,2001\n" + row
    done = _run(world, _upload(world, text))
    assert done.status == ImportStatus.INVALID
    assert [(e["row"], e["column"]) for e in done.errors] == [(4, "")]
    with scopes_disabled():
        assert not Person.objects.filter(city=world.a.city, family_names="Sow").exists()


def test_the_history_of_each_person_written_names_the_import_and_who_ran_it(world):
    done = _run(world, _upload(world, HEADER + "".join(_rows(3))))
    person_event = apps.get_model("people", "PersonEvent")
    with scopes_disabled():
        ids = list(Person.objects.filter(external_id__in=["X0", "X1", "X2"]).values_list("pk"))
        events = person_event.objects.filter(pgh_obj_id__in=[pk for (pk,) in ids])
        assert events.count() == 3
        for event in events.select_related("pgh_context"):
            assert event.pgh_label == "insert"
            assert event.pgh_context.metadata["import"] == done.pk
            assert event.pgh_context.metadata["user"] == world.user("coordinator").pk


def test_text_that_copy_and_arrays_escape_is_stored_as_written(world):
    """The persons' rows are written as COPY text by hand: backslashes, quotes, commas,
    braces, tabs and line breaks in names and lists come back as they were."""
    given = 'Anna "Nana" \\ {x}'
    family = "O'Brien, Jr.\tII"
    for aliases in (
        ["a,b", "{c}", 'd"e', "f\\g", "NULL", "h\ni"],
        ["a,b", "{c}", "NULL", "", " x\t"],
    ):
        _stored_as_written(world, given, family, aliases)


def _stored_as_written(world, given: str, family: str, aliases: list[str]) -> None:
    with scope(city=world.a.city):
        person = Person(
            city=world.a.city,
            given_names=given,
            family_names=family,
            aliases=aliases,
            sex="F",
            birth_date=date(1990, 1, 2),
        )
        people_services.derive_keys(person)
        person.pk = reserve_ids(Person, 1)[0]
        copy_insert([person])
        stored = Person.objects.get(pk=person.pk)
    assert (stored.given_names, stored.family_names, stored.aliases) == (given, family, aliases)
    assert stored.match_keys == person.match_keys
    assert stored.created_at is not None and stored.birth_date == date(1990, 1, 2)


def test_a_write_that_fails_in_the_writer_thread_is_raised_by_wait(world):
    """The COPYs sent from the writer's thread run in the caller's transaction, in order;
    one the database refuses is raised to the caller, who then rolls everything back."""
    from django.db import transaction

    from lgnet.imports.bulk import Copy, Writer

    with pytest.raises(Exception, match="invalid input syntax"), transaction.atomic():
        writer = Writer()
        try:
            writer.send(
                prepare_values(ImportedRecord, ["kind", "key"], []),
                Copy("COPY imports_importedrecord (row) FROM STDIN", "not a number\n", []),
            )
            writer.wait()
        finally:
            writer.close()
    assert not ImportedRecord.objects.exists()


@pytest.mark.parametrize("between", [BATCH - 1, 2 * BATCH + 7])
def test_a_row_links_to_a_row_of_the_last_batch_or_an_older_one(world, between):
    """The last batch is matched and linked from memory (its writes wait for the next batch
    to be looked up), older ones from the run's name table and its row links."""
    fatou = "F1,Fatou,Ndiaye,F,1985,SN,fr\n"
    fatu = "F2,Fatu,N'Diaye,F,1985,SN,fr\n"
    data_import = _upload(world, HEADER + fatou + "".join(_rows(between)) + fatu)
    last = between + 3
    checked = _run(world, data_import, apply=False)
    assert [(d["row"], [r["row"] for r in d["rows"]]) for d in checked.duplicates] == [(last, [2])]
    done = _run(world, data_import, decisions={str(last): "row:2"})
    assert done.status == ImportStatus.APPLIED, done.errors[:2]
    assert done.counts["created"] == between + 1 and done.counts["linked"] == 1
    with scopes_disabled():
        made = Person.objects.get(city=world.a.city, external_id="F1")
        links = dict(
            ImportedRecord.objects.filter(data_import=done, row__in=[2, last]).values_list(
                "row", "target_id"
            )
        )
        assert Person.objects.filter(city=world.a.city).count() >= between + 1
    assert links == {2: made.pk, last: made.pk}


def _families_with_repeats(n: int) -> str:
    """Rows of a few family names and birth years, and now and then the same person again
    (another external id, half of them born a year apart) a few hundred rows later."""
    families = ["Diallo", "Ndiaye", "Haddad", "Rahman", "Okafor", "Sow", "Bah", "Kone"]
    rows = []
    for i in range(n):
        j = i - 37 - (i * 13) % 700 if i % 23 == 0 and i > 800 else i
        year = 1960 + (j * 7) % 40 + (i != j and i % 2)  # a year apart: the same day
        born = f"{1 + j % 28:02d}/{1 + j % 12:02d}/{year}"
        rows.append(f"Y{i},{_name(j, 1)},{families[j % 8]} {_name(j, 5)},F,{born},SN,fr\n")
    return HEADER + "".join(rows)


def test_rows_moved_from_memory_to_the_name_table_are_matched_as_before(world, monkeypatch):
    """The in-file match keeps the last IN_FILE_KEPT rows in memory and the older ones in
    the run's table: however few stay in memory, the likely duplicates are the same."""
    from lgnet.imports.kinds import persons

    text = _families_with_repeats(1700)
    reports, looked_up = [], []
    for kept in (100_000, 10):  # BATCH rows stay at least
        monkeypatch.setattr(persons, "IN_FILE_KEPT", kept)
        with CaptureQueriesContext(connection) as queries:
            checked = _run(world, _upload(world, text), apply=False)
        looked_up.append(any("lgnet_import_names t" in q["sql"] for q in queries))
        reports.append([(d["row"], d["rows"]) for d in checked.duplicates])
    assert looked_up == [False, True]  # all in memory; then most rows in the table
    assert len(reports[0]) >= 30
    assert reports[1] == reports[0]


def test_the_bloom_filter_of_the_name_table_forgets_no_key():
    import random

    from lgnet.imports.kinds.persons import EVICTED_BITS, _hold_key, _may_hold

    bits = bytearray(EVICTED_BITS // 8)
    noted = [hash(f"k{random.random()}@1990") for _ in range(5000)] + [-1, 0, 2**63 - 1]
    for h in noted:
        _hold_key(bits, h)
    assert all(_may_hold(bits, h) for h in noted)
    others = [hash(f"other{i}") for i in range(5000)]
    assert sum(_may_hold(bits, h) for h in others) < 10  # few false positives


def test_the_cycle_collector_runs_rarely_during_a_run_and_as_before_after(world, monkeypatch):
    import gc

    from lgnet.imports.kinds.persons import PersonsKind

    seen = []
    start = PersonsKind.start
    monkeypatch.setattr(
        PersonsKind,
        "start",
        lambda self, ctx: (seen.append(gc.get_threshold()), start(self, ctx))[1],
    )
    before = gc.get_threshold()
    done = _run(world, _upload(world, HEADER + "".join(_rows(3))))
    assert done.status == ImportStatus.APPLIED
    assert seen == [services.RUN_COLLECTION_THRESHOLDS] != [before]
    assert gc.get_threshold() == before


def test_a_rows_stored_keys_are_its_own_years_keys_and_the_years_either_side():
    """Rows leave memory by the keys ``_years_around`` gives of their own year's keys:
    exactly the keys the registry stores for them."""
    from lgnet.imports.kinds.persons import _years_around
    from lgnet.people.matching import keys_for, own_year_keys

    for names, year in [(("Mohamed Lamine", "El Amrani", "Md Amrani"), 1990), (("Awa", ""), None)]:
        stored = keys_for(*names, birth_year=year)
        pairs, singles = own_year_keys(stored, year)
        assert sorted(k for own in pairs + singles for k in _years_around(own)) == sorted(stored)


def test_a_keys_window_stays_its_last_rows_while_the_batch_joins_it(world, monkeypatch):
    """The table's rows of a key are cut to the room its window has when each row is
    decided (the batch's own rows join the memory meanwhile): "Pawel Diallo" is matched
    to "Pavel Diallo", inside the window, whether older rows are in memory or in the table
    (found by a review: the table's rows once went past the window and crowded him out)."""
    from lgnet.imports.kinds import persons

    def diallo(tag: str, i: int, salt: int) -> str:
        return f"{tag}{i},{_name(i, salt)},Diallo,M,{1 + i % 28:02d}/{1 + i % 12:02d}/1990,NG,en\n"

    rows = []
    for i in range(200):
        if i == 160:
            rows.append("P1,Sergei,Diallo,M,30/06/1990,NG,en\n")
        elif i == 190:
            rows.append("P2,Pavel,Diallo,M,29/07/1990,NG,en\n")
        else:
            rows.append(diallo("A", i, 7))
    rows += _rows(1300, start=5000)
    rows += [diallo("B", i, 5) for i in range(30)]
    rows += ["Q1,Sergej,Diallo,M,30/06/1990,NG,en\n", "Q2,Pawel,Diallo,M,29/07/1990,NG,en\n"]
    reports = {}
    for kept in (100_000, 10):
        monkeypatch.setattr(persons, "IN_FILE_KEPT", kept)
        checked = _run(world, _upload(world, HEADER + "".join(rows)), apply=False)
        reports[kept] = [(d["row"], [r["row"] for r in d["rows"]]) for d in checked.duplicates]
    assert (1533, [192]) in reports[100_000]  # Pawel (row 1533) is Pavel (row 192)
    assert reports[10] == reports[100_000]


def test_a_decision_naming_no_row_or_person_is_refused_not_crashed(world):
    fatou = "F1,Fatou,Ndiaye,F,1985,SN,fr\n"
    fatu = "F2,Fatu,N'Diaye,F,1985,SN,fr\n"
    data_import = _upload(world, HEADER + fatou + fatu)
    for decision in ("row:²", "person:²", "row:99999999999999999999", "row:x"):
        done = _run(world, data_import, decisions={"3": decision})
        assert done.status == ImportStatus.INVALID, decision
        assert [(e["row"], e["column"]) for e in done.errors] == [(3, "")]


def test_runs_overlapping_in_one_process_put_the_collector_back_when_the_last_ends():
    import gc

    before = gc.get_threshold()
    first, second = services._rare_collections(), services._rare_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first ends while the second still runs
    assert gc.get_threshold() == services.RUN_COLLECTION_THRESHOLDS
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


def test_large_blocks_go_back_to_the_system_where_the_c_library_allows():
    import platform

    assert services.steady_heap() == (platform.libc_ver()[0] == "glibc")
