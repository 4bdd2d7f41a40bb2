"""Large files are read, parsed and checked by a second process ahead of the writes
(``lgnet.imports.ahead``): the run's report and records are the same as when its own
process reads them, the rows keep their order, and the reading process never outlives the
run."""

from __future__ import annotations

import io
import multiprocessing
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope, scopes_disabled

from lgnet.core.exceptions import RuleBroken
from lgnet.imports import ahead, services
from lgnet.imports.kinds import get_kind
from lgnet.imports.kinds.base import RowRefused
from lgnet.imports.kinds.persons import Prepared
from lgnet.imports.models import ImportedRecord
from lgnet.imports.reading import read_rows
from lgnet.people.models import Person

HEADER = "Codice;Nome;Cognome;Sesso;Data di nascita;Nazionalità;Lingue\n"
SYLLABLES = ["ba", "ke", "li", "mo", "nu", "ra", "se", "ti"]
SYLLABLES += ["vo", "za", "do", "fe", "gu", "ha", "ji", "pa"]


def _name(i: int, salt: int) -> str:
    n = (i * 2654435761 + salt) % 4096
    return "".join(SYLLABLES[(n >> s) & 15] for s in (0, 4, 8)).capitalize()


def _file(rows: int) -> str:
    """Valid rows, with along the way: a bad date, an unknown sex, a future birth date, an
    external id used twice, and a person written twice under two spellings."""
    lines = [HEADER]
    for i in range(rows):
        lines.append(
            f"A{i};{_name(i, 1)};{_name(i, 99991)};{'MF'[i % 2]};"
            f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1950 + i % 50};NG;fr; en\n"
        )
    lines[40] = "A39b;Awa;Diallo;F;31/02/1990;GN;fr\n"  # no 31 February
    lines[300] = "A299b;Awa;Diallo;Z;1990;GN;fr\n"
    lines[520] = "A519b;Awa;Diallo;F;01/01/2990;GN;fr\n"
    lines[700] = "A5;Awa;Diallo;F;01/01/1990;GN;fr\n"  # the id of row 7
    lines.append("Z1;Yohannes;Tesfaye;M;12/03/1990;ER;ti\n")
    lines.append("Z2;Yohanes;Tesfaie;M;12/03/1990;ER;ti\n")
    return "".join(lines)


def _upload(world, text: str, name: str):
    with scope(city=world.a.city):
        return services.create_import(
            actor=world.user("coordinator"),
            city=world.a.city,
            kind="persons",
            upload=SimpleUploadedFile(name, text.encode()),
        )


def _check(world, data_import):
    with scope(city=world.a.city):
        return services.run(data_import, actor=world.user("coordinator"), apply=False)


def _parsed(text: str, *, ahead_of_writes: bool, size: int = 100) -> list[list[ahead.Row]]:
    kind = get_kind("persons")
    header, body = read_rows(io.BytesIO(text.encode()), "persone.csv")
    mapping, _unknown, missing = kind.header_map(header)
    batches = ahead.batches(
        kind, body, mapping, missing=bool(missing), size=size, ahead=ahead_of_writes
    )
    with scopes_disabled():
        return list(batches)


def _comparable(row: ahead.Row) -> tuple:
    ready = row.prepared
    if isinstance(ready, Prepared):
        assert ready.text is not None and ready.person is None  # plain values only
    elif isinstance(ready, RowRefused):
        ready = ("refused", ready.column, str(ready.message), ready.more)
    return (row.number, row.values, [e and e.as_dict() for e in row.errors], row.key, ready)


@pytest.mark.django_db
def test_rows_read_ahead_are_the_rows_read_here_in_the_same_order():
    text = _file(1000)
    here = _parsed(text, ahead_of_writes=False)
    forked = _parsed(text, ahead_of_writes=True)
    assert [len(batch) for batch in forked] == [len(batch) for batch in here] == [100] * 10 + [2]
    assert [[_comparable(r) for r in b] for b in forked] == [
        [_comparable(r) for r in b] for b in here
    ]
    refused = [row.number for batch in forked for row in batch if row.errors]
    assert refused == [41, 301]  # the bad date and the unknown sex: errors of their cells
    checked = [row for batch in forked for row in batch if isinstance(row.prepared, RowRefused)]
    assert [(row.number, row.prepared.column) for row in checked] == [(521, "birth_date")]


def test_the_report_is_the_same_whoever_reads_the_file(world, monkeypatch):
    text = _file(1200)
    monkeypatch.setattr(ahead, "AHEAD_FROM_BYTES", len(text.encode()))
    here = _check(world, _upload(world, text, "qui.csv"))
    forks, heaps = [], []
    fork = ahead._forked
    monkeypatch.setattr(ahead, "_forked", lambda *a: forks.append(1) or fork(*a))
    monkeypatch.setattr(services, "steady_heap", lambda: heaps.append(1))
    here_again = _check(world, _upload(world, text, "qui.csv"))
    assert forks == heaps == []  # a small file: the allocator is left as it is
    monkeypatch.setattr(ahead, "AHEAD_FROM_BYTES", 0)
    forked = _check(world, _upload(world, text, "avanti.csv"))
    assert forks == heaps == [1]  # read by the second process, this time
    assert here_again.counts == here.counts
    assert here.rows == forked.rows == 1202
    assert here.counts == forked.counts
    assert here.counts["invalid"] == 4 and here.counts["duplicate"] >= 1
    assert here.report["errors"] == forked.report["errors"]
    assert [e["row"] for e in forked.report["errors"]] == [41, 301, 521, 701]
    assert here.report["duplicates"] == forked.report["duplicates"]
    yohanes = next(d for d in forked.report["duplicates"] if d["row"] == 1203)
    assert yohanes["rows"][0]["row"] == 1202


def test_an_apply_read_ahead_writes_every_row_and_links_it(world, monkeypatch):
    monkeypatch.setattr(ahead, "AHEAD_FROM_BYTES", 0)
    lines = _file(800).splitlines(keepends=True)
    text = "".join(line for n, line in enumerate(lines) if n not in (40, 300, 520, 700, 802))
    data_import = _upload(world, text, "pulito.csv")
    with scope(city=world.a.city):
        done = services.run(data_import, actor=world.user("coordinator"), apply=True)
    assert done.status == "applied", done.report["errors"][:3]
    assert done.counts["created"] == 797
    with scopes_disabled():
        assert Person.objects.filter(city=world.a.city, external_id__startswith="A").count() == 796
        links = ImportedRecord.objects.filter(data_import=done)
        assert links.count() == 797
        first = links.get(row=2)
        assert Person.objects.get(pk=first.target_id).external_id == "A0"


def test_a_file_that_breaks_half_way_is_refused_as_when_read_here(monkeypatch):
    # The csv module stops at a cell longer than its limit (131,072 characters).
    text = HEADER + "A1;Awa;Diallo;F;1990;GN;fr\n" * 50 + "A2;" + "x" * 200_000 + "\n"
    with pytest.raises(RuleBroken) as here:
        _parsed(text, ahead_of_writes=False)
    with pytest.raises(RuleBroken) as forked:
        _parsed(text, ahead_of_writes=True)
    assert str(forked.value.message) == str(here.value.message)


def test_the_reading_process_ends_when_the_run_stops_listening():
    before = set(multiprocessing.active_children())
    kind = get_kind("persons")
    header, body = read_rows(io.BytesIO(_file(3000).encode()), "persone.csv")
    mapping, _unknown, _missing = kind.header_map(header)
    batches = ahead.batches(kind, body, mapping, missing=False, size=100, ahead=True)
    with scopes_disabled():
        next(batches)
    readers = set(multiprocessing.active_children()) - before
    assert len(readers) == 1
    (reader,) = readers
    batches.close()  # the run ends early: an error of its own, a duplicate...
    deadline = time.monotonic() + 10
    while reader.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not reader.is_alive()


def test_a_person_whose_values_only_psycopg_writes_is_written_whole(world, monkeypatch):
    from lgnet.imports.kinds import persons

    row_text = persons._row_text()
    monkeypatch.setattr(row_text, "text", lambda person: None)
    text = HEADER + "W1;Awa;Kone;F;03/1990;ML;fr\nW2;Sekou;Traore;M;1984;ML;bm\n"
    with scope(city=world.a.city):
        done = services.run(
            _upload(world, text, "intero.csv"), actor=world.user("coordinator"), apply=True
        )
    assert done.status == "applied" and done.counts["created"] == 2
    with scopes_disabled():
        awa = Person.objects.get(city=world.a.city, external_id="W1")
        assert awa.registered_by == world.user("coordinator")
        assert (awa.birth_date.month, awa.birth_date_precision) == (3, "month")
        assert awa.match_keys and awa.linkage_bloom
        link = ImportedRecord.objects.get(data_import=done, row=2)
        assert link.target_id == awa.pk


def test_who_gave_the_privacy_notice_is_the_importer_when_the_row_dates_it(world):
    header = HEADER.rstrip("\n") + ";Informativa privacy\n"
    text = header + "N1;Awa;Kone;F;1990;ML;fr;02/05/2024\nN2;Sekou;Traore;M;1984;ML;bm;\n"
    with scope(city=world.a.city):
        done = services.run(
            _upload(world, text, "informativa.csv"), actor=world.user("coordinator"), apply=True
        )
    assert done.status == "applied"
    with scopes_disabled():
        awa = Person.objects.get(city=world.a.city, external_id="N1")
        sekou = Person.objects.get(city=world.a.city, external_id="N2")
    assert awa.privacy_notice_by == world.user("coordinator") == awa.registered_by
    assert sekou.privacy_notice_by is None and sekou.privacy_notice_on is None
    assert awa.city_id == sekou.city_id == world.a.city.pk
    assert awa.created_at == awa.updated_at
