"""The benchmark registry: labelled originals, loaded fast into ``people_person``.

The originals are ``names.population(rng, n, today=TODAY)`` drawn one at a time, so a larger
registry extends a smaller one: the 10k registry is the first 10k persons of the 100k one, and
the 100k registry the first 100k of the 1M one. Each row carries ``external_id = "e<entity>"``.

Rows go in with PostgreSQL COPY inside one transaction per step, with the history triggers off
(a benchmark load is not an operator's change) and the secondary indexes built after the load
(much faster than maintaining two GIN indexes row by row). The matching columns are computed as
``services._derive`` computes them; ``check_derive`` makes sure of it.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone

from lgnet.people import linkage, matching, names
from lgnet.people.choices import LegalStatus
from lgnet.people.models import Person
from lgnet.people.services import _derive

TODAY = datetime.date(2026, 1, 1)  # fixed: the same seed gives the same records on any day

# The HMAC Bloom filter costs ~0.4 ms a row (7 minutes for 1M rows on 2 cores) and no lookup
# reads it: by default the column holds a value of the same width, so rows weigh the same.
BLOOM_PLACEHOLDER = "0" * 16 + ":" + "0" * 128

COLUMNS = (
    "created_at",
    "updated_at",
    "city_id",
    "external_id",
    "given_names",
    "family_names",
    "original_script_name",
    "aliases",
    "sex",
    "birth_date",
    "birth_date_precision",
    "nationalities",
    "languages",
    "codice_fiscale",
    "legal_status",
    "permit_number",
    "phone",
    "dwelling",
    "vulnerabilities",
    "privacy_notice_language",
    "name_search",
    "match_keys",
    "birth_year",
    "linkage_cf",
    "linkage_bloom",
)
# Nullable columns left out of COPY stay NULL: permit_expiry, privacy_notice_on,
# privacy_notice_by_id, registered_by_id, merged_into_id.


def originals(seed: int) -> Iterator[names.Record]:
    """Endless originals, entities 0, 1, 2, ...: ``population(rng, n)`` for every n."""
    rng = random.Random(f"lgnet-dedup-registry-{seed}")
    entity = 0
    while True:
        yield names.person(rng, entity=entity, today=TODAY)
        entity += 1


def check_population(seed: int, n: int = 200) -> None:
    """The stream above is the same as ``names.population`` (no duplicates)."""
    rng = random.Random(f"lgnet-dedup-registry-{seed}")
    expected = names.population(rng, n, duplicate_rate=0.0, today=TODAY)
    assert list(islice(originals(seed), n)) == expected, "originals() drifted from population()"


def derived(record: names.Record, *, bloom: bool = False) -> tuple:
    """(name_search, match_keys, birth_year, linkage_cf, linkage_bloom) as _derive fills them."""
    given, family, aliases = record.given_names, record.family_names, []
    year = record.birth_date.year
    return (
        matching.normalised_name(" ".join([given, *aliases]), family),
        matching.keys_for(given, family, *aliases, birth_year=year),
        year,
        linkage.cf_key(record.codice_fiscale),
        linkage.bloom(given, family, year) if bloom else BLOOM_PLACEHOLDER,
    )


def check_derive(records: Iterable[names.Record]) -> None:
    """``derived`` gives what ``services._derive`` gives (the Bloom filter included)."""
    for record in records:
        person = Person(
            given_names=record.given_names,
            family_names=record.family_names,
            birth_date=record.birth_date,
            codice_fiscale=record.codice_fiscale,
        )
        _derive(person)
        expected = (
            person.name_search,
            person.match_keys,
            person.birth_year,
            person.linkage_cf,
            person.linkage_bloom,
        )
        assert derived(record, bloom=True) == expected, f"derive drifted for {record}"


def row(record: names.Record, city_id: int, now: datetime.datetime, *, bloom: bool) -> tuple:
    return (
        now,
        now,
        city_id,
        f"e{record.entity}",
        record.given_names,
        record.family_names,
        record.original_script_name,
        [],
        record.sex,
        record.birth_date,
        record.birth_date_precision,
        record.nationalities,
        record.languages,
        record.codice_fiscale,
        LegalStatus.UNKNOWN.value,
        "",
        "",
        "",
        [],
        "",
        *derived(record, bloom=bloom),
    )


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of people_person's indexes that back no constraint."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = 'people_person'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        ORDER BY i.indexname
        """
    )
    return cursor.fetchall()


def truncate() -> None:
    """Empty the benchmark database's registry (and what hangs off it)."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE people_person RESTART IDENTITY CASCADE")


def load(records: list[names.Record], city_id: int, *, bloom: bool = False) -> dict:
    """COPY the records into people_person; returns the timings in seconds."""
    now = timezone.now()
    started = time.perf_counter()
    rows = [row(record, city_id, now, bloom=bloom) for record in records]
    prepared = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        # No history rows for a benchmark load; ALTER TABLE is rolled back with the rest.
        cursor.execute("ALTER TABLE people_person DISABLE TRIGGER USER")
        indexes = _secondary_indexes(cursor)
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        columns = ", ".join(COLUMNS)
        with cursor.cursor.copy(f"COPY people_person ({columns}) FROM STDIN") as copy:
            for values in rows:
                copy.write_row(values)
        # Check the deferred foreign keys now: CREATE INDEX refuses pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        copied = time.perf_counter()
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("ALTER TABLE people_person ENABLE TRIGGER USER")
    indexed = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE people_person")
    done = time.perf_counter()
    return {
        "rows": len(rows),
        "generate_derive_s": round(prepared - started, 1),
        "copy_s": round(copied - prepared, 1),
        "index_s": round(indexed - copied, 1),
        "vacuum_analyze_s": round(done - indexed, 1),
        "total_s": round(done - started, 1),
    }
