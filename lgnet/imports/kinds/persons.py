"""Persons: the registry's own checks, duplicates looked up in the registry and in the file.

Rows are handled a batch at a time (``write_batch``): one query asks which rows were
imported before, one set of queries matches the whole batch against the registry, one
query finds the earlier rows of the file sharing name keys; then the new persons, their
audit events and their name keys are written with COPY. A batch's rows are kept in memory
until it is written; the file's earlier rows are looked up in the database (temporary
tables of the run's transaction), so memory stays flat however long the file is.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from lgnet.core.models import AuditEvent
from lgnet.core.signals import rows_written
from lgnet.imports.ahead import Row
from lgnet.imports.bulk import (
    Copy,
    RowText,
    Writer,
    prepare_insert,
    prepare_values,
    reserve_ids,
)
from lgnet.imports.kinds.base import (
    CellError,
    Column,
    Context,
    Kind,
    Outcome,
    RowRefused,
    choice,
    is_id,
    parse_birth,
    parse_date,
    parse_list,
    text,
)
from lgnet.people import matching
from lgnet.people import selectors as people_selectors

# The registry's own validation, the one register_person runs (no second copy of the rules).
from lgnet.people import services as people_services
from lgnet.people.choices import (
    COUNTRY_CODES,
    LANGUAGE_CODES,
    Dwelling,
    LegalStatus,
    Precision,
    Sex,
    Vulnerability,
    country_name,
    language_name,
)
from lgnet.people.models import Person

BATCH = 500
IN_FILE_WINDOW = 50  # earlier rows remembered per name key, at most
IN_FILE_SCORED = 20  # earlier rows scored in full per row, at most
# Fields of rows older than IN_FILE_KEPT kept in memory, the last read from the table (the
# rows near many others, those of a common family name and birth year, are read again).
CANDIDATES_KEPT = 2000
# Rows created last whose name keys stay in memory for the in-file match (the older ones are
# looked up in the run's name table, when its Bloom filter says it may hold the key).
IN_FILE_KEPT = 20000
EVICTED_BITS = 1 << 26  # the Bloom filter of the keys in the run's name table (8 MB)
REPORTED = 2000  # likely duplicates kept for the report, at most (as many as it shows)
TEMPORARY_BUFFERS = "256MB"  # the database session's memory for the run's own tables

# The run's own tables, in its transaction only (ON COMMIT DROP): the keys of the rows seen
# so far, and the name keys of the persons written so far, with their row.
_SEEN, _NAMES = "lgnet_import_seen", "lgnet_import_names"

SEX_WORDS = {"femmina": "F", "donna": "F", "maschio": "M", "uomo": "M", "altro": "X"}


def _birth(value: Any):
    if value in ("", None):
        raise CellError(_("This column is required."))
    return parse_birth(value)


def _codes(known, normalise) -> Any:
    def parse(value: Any) -> list[str]:
        return [normalise(v) for v in parse_list(value)]

    return parse


class PersonsKind(Kind):
    name = "persons"
    label = _l("Persons")
    model_label = "people.person"
    columns = [
        Column(
            "external_id",
            _l("Your own id of the person (makes a re-import change nothing)"),
            text(80),
            ("id_esterno", "codice", "id", "codice_utente", "n"),
            example="TA-0001",
        ),
        Column(
            "given_names",
            _l("Given names"),
            text(150),
            ("nome", "nomi"),
            required=True,
            example="Mohamed",
        ),
        Column(
            "family_names",
            _l("Family names"),
            text(150),
            ("cognome", "cognomi"),
            required=True,
            example="Diallo",
        ),
        Column("aliases", _l("Other names, separated by ;"), parse_list, ("alias", "altri_nomi")),
        Column(
            "original_script_name",
            _l("Name in the original script"),
            text(200),
            ("nome_originale", "nome_in_grafia_originale"),
        ),
        Column(
            "sex",
            _l("Sex"),
            choice(Sex.choices, SEX_WORDS),
            ("sesso", "genere"),
            required=True,
            example="M",
            allowed=lambda city: list(Sex.choices),
        ),
        Column(
            "birth_date",
            _l("Birth date: 2024-03-31, 31/03/2024, 03/1990 (month) or 1990 (year only)"),
            _birth,
            ("data_di_nascita", "nascita", "data_nascita", "anno_di_nascita"),
            required=True,
            example="12/03/1990",
        ),
        Column(
            "birth_date_precision",
            _l("Precision of the birth date (left empty: from how the date is written)"),
            choice(Precision.choices, {"esatta": "day", "mese": "month", "anno": "year"}),
            ("precisione_data_di_nascita", "precisione"),
            allowed=lambda city: list(Precision.choices),
        ),
        Column(
            "nationalities",
            _l("Nationalities: ISO 3166 codes separated by ;"),
            parse_list,
            ("nazionalita", "cittadinanza", "cittadinanze"),
            example="GN",
            allowed=lambda city: [(c, country_name(c)) for c in sorted(COUNTRY_CODES)],
        ),
        Column(
            "languages",
            _l("Languages: ISO 639 codes separated by ;"),
            parse_list,
            ("lingue", "lingua"),
            example="fr; en",
            allowed=lambda city: [(c, language_name(c)) for c in sorted(LANGUAGE_CODES)],
        ),
        Column(
            "codice_fiscale",
            _l("Codice fiscale or the 11-digit provisional code"),
            text(20),
            ("codice_fiscale", "cf"),
        ),
        Column(
            "legal_status",
            _l("Residence permit type"),
            choice(LegalStatus.choices),
            ("permesso", "permesso_di_soggiorno", "titolo_di_soggiorno", "status_giuridico"),
            example="asylum_request",
            allowed=lambda city: list(LegalStatus.choices),
        ),
        Column(
            "permit_number",
            _l("Permit number"),
            text(40),
            ("numero_permesso", "n_permesso"),
        ),
        Column(
            "permit_expiry",
            _l("Permit expiry"),
            parse_date,
            ("scadenza_permesso", "scadenza"),
        ),
        Column("phone", _l("Phone"), text(40), ("telefono", "cellulare"), example="333 1234567"),
        Column(
            "dwelling",
            _l("Dwelling"),
            choice(Dwelling.choices),
            ("alloggio", "situazione_abitativa", "domicilio"),
            allowed=lambda city: list(Dwelling.choices),
        ),
        Column(
            "vulnerabilities",
            _l("Vulnerability codes separated by ; (sensitive)"),
            parse_list,
            ("vulnerabilita",),
            allowed=lambda city: list(Vulnerability.choices),
        ),
        Column(
            "privacy_notice_on",
            _l("Privacy notice given on"),
            parse_date,
            ("informativa_privacy", "data_informativa"),
        ),
        Column(
            "privacy_notice_language",
            _l("Language of the privacy notice (ISO 639)"),
            text(3),
            ("lingua_informativa",),
        ),
    ]

    # --- the run -------------------------------------------------------------------------

    def start(self, ctx: Context) -> None:
        ctx.state.update(
            registry=Person.objects.filter(city=ctx.city).exists(),
            # The registry as it stood: the rows this run writes are matched as rows of the file.
            started_at=timezone.now(),
            written=0,  # rows sent to the database (the held batch not counted)
            written_rows={},  # number -> person id, of the batch checked last
            pending=[],  # (number, key, person) of this batch, to be created
            held=[],  # the COPYs of the batch checked last, sent when the next one is looked up
            batch_rows={},  # number -> (candidate, person) of this batch's rows to be created
            last_written={},  # number -> person id, of the batch before (held)
            # The rows created last (IN_FILE_KEPT), for the in-file match: row -> _Kept,
            # oldest first, and name key -> its last IN_FILE_WINDOW rows among them.
            recent={},
            recent_order=deque(),
            recent_keys={},
            # The rows created before those: their own year's name keys in the run's name
            # table, and a Bloom filter of the keys there (most lookups need no query).
            evicted=0,
            evicted_keys=None,  # made at the first row moved (8 MB): most files never do
            held_rows=0,
            targets={},  # row -> person, of older batches' rows this batch's decisions name
            # person id -> candidate, of the rows read last from the table (CANDIDATES_KEPT)
            candidates={},
        )
        _temporary_buffers()
        if ctx.state["registry"]:
            _short_pending_list()
        with connection.cursor() as cursor:
            for table in (_SEEN, _NAMES):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")  # a run earlier in this transaction
            cursor.execute(f"CREATE TEMPORARY TABLE {_SEEN} (key text PRIMARY KEY) ON COMMIT DROP")
            # Name keys as Python's 64-bit hash of the text (the same within this process,
            # which is all the table lives for): a smaller, faster index. Two keys sharing a
            # hash would only bring one more candidate to score.
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_NAMES} (key bigint NOT NULL, line integer NOT NULL,"
                " person_id bigint NOT NULL) ON COMMIT DROP"
            )
            cursor.execute(f"CREATE INDEX ON {_NAMES} (key, line)")
            # Without statistics (temporary tables get none), the batch queries look costly
            # enough to be compiled (JIT): tens of milliseconds for a query of a hundred.
            cursor.execute("SET LOCAL jit = off")
        ctx.state["writer"] = Writer()

    def write(self, ctx: Context, number: int, values: dict, key: str) -> Outcome:
        result = self.write_batch(ctx, [Row(number, values, [], key, self.prepare(values))])[0]
        if isinstance(result, RowRefused):
            raise result
        return result

    def prepare(self, values: dict) -> Prepared | RowRefused:
        """What a row's values alone tell (Python only; see ``lgnet.imports.ahead``): the
        person checked by the registry's own rules with its keys derived, or why not."""
        try:
            person = _person(values)
        except RowRefused as refused:
            return refused
        query = people_selectors.candidate_of(person)
        text = _row_text().text(person)
        return Prepared(
            text,
            person if text is None else None,
            query,
            matching.readings(query),
            _query_keys(person),
            person.match_keys,
            person.birth_display,
            person.privacy_notice_on is not None,
        )

    def carried(self, values: dict) -> dict:
        """A prepared row's run reads its external id only (the other values, choices as
        enumeration members among them, are costly to send between processes)."""
        return {"external_id": values.get("external_id", "")}

    def write_batch(self, ctx: Context, items: list[Row]) -> list:
        """Check and write a batch of parsed and prepared rows: an Outcome or a RowRefused
        per row, in order. The batch is written before this returns."""
        results: dict[int, Outcome | RowRefused] = {}
        # The registry's checks were made by ``prepare``; their answer counts only for the
        # rows found new below.
        checked = {row.number: row.prepared for row in items}
        state = ctx.state
        # The batch before last is written: the connection is this thread's until the last
        # batch's writes are sent (below), then the writer's while this batch is decided.
        state["writer"].wait()
        known = self._known_keys(ctx, [row.key for row in items])
        externals = {row.values["external_id"] for row in items if row.values.get("external_id")}
        registered = self._registered_externals(ctx, externals)
        seen: set[str] = set()
        fresh: list[tuple[int, str, Prepared]] = []
        for number, values, _errors, key, _ready in items:
            external = values.get("external_id", "")
            if known.get(key) == "seen" or key in seen:
                results[number] = (
                    RowRefused(
                        "external_id", _("This external id is used by an earlier row of the file.")
                    )
                    if external
                    else RowRefused("", _("This row repeats an earlier row of the file."))
                )
                continue
            if known.get(key) == "unchanged" or external in registered:
                results[number] = Outcome("unchanged")
                continue
            seen.add(key)
            if isinstance(checked[number], RowRefused):
                results[number] = checked[number]
            else:
                fresh.append((number, key, checked[number]))
        self._note_seen(seen)
        in_registry = self._in_registry(ctx, [ready.query for _n, _k, ready in fresh])
        # The file's rows written so far: those of the batches before the last one (the last
        # one is held, and matched from memory: ``_in_file``).
        earlier = self._earlier_rows(ctx, [ready.keys for _n, _k, ready in fresh])
        ids = reserve_ids(Person, len(fresh))  # more than needed when some are duplicates
        state["targets"] = self._older_targets(ctx, items)
        if state["held"]:
            self._send(ctx)
        # From here to the next batch, Python only: the writer holds the connection.
        for (number, key, ready), registry, rows in zip(fresh, in_registry, earlier, strict=True):
            try:
                results[number] = self._decide(ctx, number, key, ready, registry, rows)
            except RowRefused as refused:
                results[number] = refused
        self._hold(ctx, ids)
        written = state["written_rows"]
        for number, result in results.items():  # rows of this batch now have their person
            if isinstance(result, Outcome) and result.target and result.target[0] == "row":
                results[number] = Outcome(result.action, ("person", written[result.target[1]]))
        return [results[row.number] for row in items]

    # The lookups below go key by key through an index (a LATERAL subquery with LIMIT 1 is
    # planned once per key): the rows this transaction wrote have no statistics yet, and
    # with "key = ANY(...)" the planner would read the whole city for every batch instead.

    def _known_keys(self, ctx: Context, keys: list[str]) -> dict[str, str]:
        """Which keys an earlier import made ("unchanged") or an earlier row of this file
        used ("seen")."""
        with connection.cursor() as cursor:
            sql = f"""SELECT k.key FROM unnest(%s::text[]) AS k(key) CROSS JOIN LATERAL
                (SELECT 1 FROM {_SEEN} s WHERE s.key = k.key LIMIT 1) s"""  # noqa: S608
            cursor.execute(sql, [keys])
            known = {key: "seen" for (key,) in cursor.fetchall()}
            cursor.execute(
                "SELECT k.key FROM unnest(%s::text[]) AS k(key) CROSS JOIN LATERAL"
                " (SELECT 1 FROM imports_importedrecord r WHERE r.city_id = %s AND r.kind = %s"
                "  AND r.key = k.key AND r.data_import_id <> %s LIMIT 1) r",
                [keys, ctx.city.pk, self.name, ctx.data_import.pk],
            )
            for (key,) in cursor.fetchall():
                known.setdefault(key, "unchanged")
        return known

    def _registered_externals(self, ctx: Context, externals: set[str]) -> set[str]:
        """External ids the registry held before this run (a re-import changes nothing)."""
        if not externals:
            return set()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.id FROM unnest(%s::text[]) AS e(id) CROSS JOIN LATERAL"
                " (SELECT 1 FROM people_person p WHERE p.city_id = %s AND p.external_id = e.id"
                "  AND NOT (p.external_id = '') AND p.created_at < %s LIMIT 1) p",
                [sorted(externals), ctx.city.pk, ctx.state["started_at"]],
            )
            return {external for (external,) in cursor.fetchall()}

    def _note_seen(self, keys: set[str]) -> None:
        if keys:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {_SEEN} SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
                    [sorted(keys)],
                )

    def _decide(
        self,
        ctx: Context,
        number: int,
        key: str,
        ready: Prepared,
        in_registry: list[dict],
        earlier: dict[str, list[tuple[int, matching.Candidate]]],
    ) -> Outcome:
        """Create the person, link the row to the record the operator chose, or hold it as
        a likely duplicate until they choose."""
        state = ctx.state
        query = ready.query
        in_file = self._in_file(state, ready, earlier)
        if in_registry or in_file:
            found = {
                "row": number,
                "person": {
                    "given_names": query.given_names,
                    "family_names": query.family_names,
                    "sex": query.sex,
                    "birth": ready.birth,
                    "nationalities": query.nationalities,
                    "codice_fiscale": query.codice_fiscale,
                },
                "candidates": in_registry,
                "rows": in_file,
            }
            decision = str(ctx.decisions.get(str(number), ""))
            found["decision"] = decision
            if len(ctx.duplicates) < REPORTED:
                ctx.duplicates.append(found)
            if decision.startswith("person:"):
                chosen = decision.split(":", 1)[1]
                ids = {c["id"] for c in found["candidates"]}
                if not is_id(chosen) or int(chosen) not in ids:
                    raise RowRefused("", _("Choose one of the persons proposed."))
                return Outcome("linked", ("person", int(chosen)))
            if decision.startswith("row:"):
                other = decision.split(":", 1)[1]
                target = self._row_target(ctx, int(other)) if is_id(other) else None
                if target is None:
                    raise RowRefused("", _("Choose one of the rows proposed."))
                return Outcome("linked", target)
            if decision != "create" and not ctx.create_duplicates:
                return Outcome("duplicate")
        state["batch_rows"][number] = (query, ready)
        _remember(state, number, ready)
        state["pending"].append((number, key, ready))
        return Outcome("created", ("row", number))

    def _in_registry(self, ctx: Context, queries: list[matching.Candidate]) -> list[list[dict]]:
        """Likely matches in the registry, for the whole batch at once (skipped, one query,
        when the city's registry was empty)."""
        if not ctx.state["registry"] or not queries:
            return [[] for _query in queries]
        found = people_selectors.find_matches_many(
            ctx.city,
            queries,
            limit=3,
            minimum=matching.LIKELY,
            created_before=ctx.state["started_at"],
        )
        return [
            [
                {
                    "id": scored.person.pk,
                    "score": round(scored.score, 2),
                    "reasons": [str(r) for r in scored.reasons],
                }
                for scored in matches
            ]
            for matches in found
        ]

    def _earlier_rows(
        self, ctx: Context, lookups: list[list[str]]
    ) -> list[dict[str, list[tuple[int, matching.Candidate]]]]:
        """For each query, by name key, the rows created before the last IN_FILE_KEPT that
        may be in the key's window (its last IN_FILE_WINDOW rows of the whole file), latest
        first: (row, candidate). One query for the batch, none when the run's name table
        cannot hold any.

        A key's window is its rows in memory first, then the table's: the table is asked
        only for the keys whose window the memory leaves room in and that it may hold (its
        Bloom filter), for as many rows as that room. The batch's own rows join the memory
        as it is decided, so ``_in_file`` cuts each key's rows to the room left then.
        """
        found: list[dict[str, list]] = [{} for _keys in lookups]
        state = ctx.state
        if not state["evicted"] or not lookups:
            return found
        recent, stored = state["recent_keys"], state["evicted_keys"]
        indexes, positions, limits = [], [], []
        years: tuple[list, list, list] = ([], [], [])
        for index, lookup in enumerate(lookups):
            for position, key in enumerate(lookup):
                room = IN_FILE_WINDOW - len(recent.get(key, ()))
                if room <= 0:
                    continue
                variants = _year_variants(key)
                if not any(_may_hold(stored, h) for h in variants if h is not None):
                    continue
                indexes.append(index)
                positions.append(position)
                limits.append(room)
                for column, h in zip(years, variants, strict=True):
                    column.append("NULL" if h is None else str(h))
        if not indexes:
            return found
        # The table holds each row's keys of its own birth year: a key of year Y reaches
        # the rows of years Y - 1 to Y + 1 (those whose stored keys, ``keys_for``, it meets).
        sql = f"""
            WITH q AS (
                SELECT * FROM unnest(%s::int[], %s::int[], %s::bigint[], %s::bigint[],
                                     %s::bigint[], %s::int[]) AS q(i, j, k0, k1, k2, n)
            )
            SELECT q.i, q.j, w.line, w.person_id
            FROM q CROSS JOIN LATERAL (
                SELECT u.line, u.person_id FROM (
                    (SELECT t.line, t.person_id FROM {_NAMES} t
                     WHERE t.key = q.k0 ORDER BY t.line DESC LIMIT q.n)
                    UNION ALL
                    (SELECT t.line, t.person_id FROM {_NAMES} t
                     WHERE t.key = q.k1 ORDER BY t.line DESC LIMIT q.n)
                    UNION ALL
                    (SELECT t.line, t.person_id FROM {_NAMES} t
                     WHERE t.key = q.k2 ORDER BY t.line DESC LIMIT q.n)
                ) u ORDER BY u.line DESC LIMIT q.n
            ) w
            ORDER BY q.i, q.j, w.line DESC
        """  # noqa: S608 - the table names are this module's constants
        with connection.cursor() as cursor:
            # The arrays as one literal each: quoting thousands of numbers one by one costs.
            arrays = [_array(indexes), _array(positions)]
            arrays += ["{" + ",".join(column) + "}" for column in years] + [_array(limits)]
            cursor.execute(sql, arrays)
            hits = cursor.fetchall()
            near = self._candidates(ctx, cursor, {person_id for *_hit, person_id in hits})
        for index, position, line, person_id in hits:
            key = lookups[index][position]
            found[index].setdefault(key, []).append((line, near[person_id]))
        return found

    def _candidates(self, ctx: Context, cursor, ids: set[int]) -> dict[int, matching.Candidate]:
        """The fields of rows the run wrote, as candidates: kept in memory (the last
        CANDIDATES_KEPT read) or read once each, however many rows they are near."""
        kept = ctx.state["candidates"]
        near = {}
        for person_id in ids:
            if person_id in kept:
                near[person_id] = kept[person_id] = kept.pop(person_id)  # the last to go
        missing = ids - near.keys()
        if missing:
            # By primary key only: the rows this transaction wrote have no statistics yet,
            # and with the city in the condition the planner would read the whole city.
            cursor.execute(
                "SELECT id, city_id, given_names, family_names, aliases, sex, birth_date,"
                " birth_date_precision, nationalities, codice_fiscale FROM people_person"
                " WHERE id = ANY(%s::bigint[])",
                [_array(sorted(missing))],
            )
            for pk, city_id, *fields in cursor.fetchall():
                if city_id == ctx.city.pk:
                    near[pk] = _candidate(*fields)
                    _keep(kept, pk, near[pk])
        return near

    def _in_file(
        self,
        state: dict,
        ready: Prepared,
        earlier: dict[str, list[tuple[int, matching.Candidate]]],
    ) -> list[dict]:
        """The earlier rows of the file that are likely the same person, best first: those
        sharing the most name keys (as the registry's blocking does) are scored. A key's
        rows are its window: its last IN_FILE_WINDOW rows, in memory then in the table."""
        shared: Counter[int] = Counter()
        recent_keys = state["recent_keys"]
        found = {}
        for key in ready.keys:
            window = recent_keys.get(key)
            if window:
                shared.update(window)
            older = earlier.get(key)
            if older:
                for line, candidate in older[: IN_FILE_WINDOW - len(window or ())]:
                    shared[line] += 1
                    found[line] = candidate
        # The rows sharing the most keys, the earliest first among equals: one number each
        # to sort (fewer keys shared, larger; then the row).
        ranked = sorted([((_RANKS - count) << 32) | line for line, count in shared.items()])
        recent = state["recent"]
        query, words = ready.query, ready.readings[0]
        in_file = []
        for rank in ranked[:IN_FILE_SCORED]:
            other = rank & 0xFFFFFFFF
            kept = recent.get(other)
            candidate = kept.candidate if kept is not None else found[other]
            if not matching.may_reach(query, candidate, matching.LIKELY):
                continue
            read = kept.readings if kept is not None else matching.readings(candidate)
            if not matching.reaches_read(query, words, candidate, read, matching.LIKELY):
                continue
            match = matching.score(query, candidate)
            if match.score >= matching.LIKELY:
                in_file.append(
                    {
                        "row": other,
                        "score": round(match.score, 2),
                        "reasons": [str(r) for r in match.reasons],
                        "person": _summary(candidate),  # to compare side by side
                    }
                )
        return sorted(in_file, key=lambda m: -m["score"])[:3]

    def _row_target(self, ctx: Context, row: int) -> tuple[str, int] | None:
        """The record an earlier row of this file created, for a row linked to it (no
        query: the writer holds the connection while a batch is decided)."""
        state = ctx.state
        if row in state["batch_rows"]:
            return ("row", row)
        target = state["last_written"].get(row) or state["targets"].get(row)
        return ("person", target) if target is not None else None

    def _older_targets(self, ctx: Context, items: list[Row]) -> dict[int, int]:
        """The persons made by the rows of written batches that this batch's decisions
        name ("the same person as row 12"), by row."""
        from lgnet.imports.models import ImportedRecord

        named = set()
        for row in items:
            decision = str(ctx.decisions.get(str(row.number), ""))
            other = decision.split(":", 1)[1] if decision.startswith("row:") else ""
            if is_id(other) and int(other) not in ctx.state["last_written"]:
                named.add(int(other))
        if not named:
            return {}
        made = ImportedRecord.objects.filter(
            data_import=ctx.data_import, row__in=sorted(named), action="created"
        ).values_list("row", "target_id")
        return dict(made)

    def finish(self, ctx: Context) -> None:
        """Write what is left and wait until everything is written: an error of the
        writes is raised here, before the run decides to commit."""
        ctx.state["writer"].wait()
        self._send(ctx)
        ctx.state["writer"].wait()
        # Persons went in with COPY (no model signal): the figures hear of them all the same,
        # when the run commits (a dry run rolls back, and schedules nothing).
        rows_written.send(sender=Person, rows=[{"city_id": ctx.city.pk}])

    def close(self, ctx: Context) -> None:
        """Whatever happened, nothing is being written any more when this returns (the
        transaction may then end, either way)."""
        if "writer" in ctx.state:
            ctx.state["writer"].close()

    def send(self, ctx: Context, copy: Copy) -> None:
        """Write ``copy`` after the batch (the row links), with it."""
        ctx.state["held"].append(copy)

    def _send(self, ctx: Context) -> None:
        """Send the held batch's writes (its persons, their audit events and name keys, its
        row links) to the writer's thread: the database writes them while this thread decides
        the next batch. Only when this thread is done with the connection until ``wait``."""
        state = ctx.state
        held, state["held"] = state["held"], []
        if held:
            state["writer"].send(*held)
        state["written"] += state["held_rows"]
        state["held_rows"] = 0

    def _hold(self, ctx: Context, ids: list[int]) -> None:
        """Make the batch's writes (COPY text), held until the next batch is looked up
        (``_send``): the persons with the ids reserved for them, one audit event each,
        their name keys."""
        state = ctx.state
        pending = state["pending"]
        state["written_rows"] = {}
        state["batch_rows"] = {}
        state["last_written"] = {}
        if not pending:
            return
        pks = ids[: len(pending)]
        actor = ctx.actor.pk if getattr(ctx.actor, "is_authenticated", False) else None
        city, now, data = ctx.city.pk, timezone.now(), {"import": ctx.data_import.pk}
        events = prepare_values(
            AuditEvent,
            ["at", "actor", "city", "action", "target_type", "target_id", "data"],
            ((now, actor, city, "person.registered", "people.person", str(pk), data) for pk in pks),
        )
        # Each person's line was made ahead; the run gives the id, its city, who registered
        # the person (and gave the privacy notice, when the row says it was given), the dates.
        texts, whole = [], []
        for (_number, _key, ready), pk in zip(pending, pks, strict=True):
            noticed = actor if ready.has_notice else None
            if ready.text is not None:
                texts.append(((pk, city, actor, noticed, now, now), ready.text))
            else:  # a value only psycopg writes: the person as an object
                person = ready.person
                person.pk, person.city_id, person.registered_by_id = pk, city, actor
                person.privacy_notice_by_id = noticed
                whole.append(person)
        persons = [_row_text().copy(texts)] + ([prepare_insert(whole)] if whole else [])
        state["held"] = [*persons, events]
        recent = state["recent"]
        for (number, _key, _ready), pk in zip(pending, pks, strict=True):
            recent[number].person_id = pk
        self._forget_oldest(state)
        state["written_rows"] = {
            number: pk for (number, _key, _ready), pk in zip(pending, pks, strict=True)
        }
        state["last_written"] = dict(state["written_rows"])
        state["held_rows"] = len(pending)
        state["pending"] = []

    def _forget_oldest(self, state: dict) -> None:
        """Move the rows created before the last IN_FILE_KEPT from memory to the run's name
        table: their own year's keys, sent now (written before the next batch's lookup)."""
        recent, order, keys = state["recent"], state["recent_order"], state["recent_keys"]
        lines = []
        if state["evicted_keys"] is None and len(order) > max(IN_FILE_KEPT, BATCH):
            state["evicted_keys"] = bytearray(EVICTED_BITS // 8)
        stored = state["evicted_keys"]
        # Never this batch's rows: their persons are written after the next batch's lookup.
        while len(order) > max(IN_FILE_KEPT, BATCH):
            number = order.popleft()
            row = recent.pop(number)
            for k in (spread for own in row.own_keys for spread in _years_around(own)):
                window = keys.get(k)
                # The oldest row in memory is the first of each window it is still in.
                if window and window[0] == number:
                    del window[0]
                    if not window:
                        del keys[k]
            for k in row.own_keys:
                h = hash(k)
                _hold_key(stored, h)
                lines.append(f"{h}\t{number}\t{row.person_id}\n")
            state["evicted"] += 1
        if lines:
            copy = Copy(f"COPY {_NAMES} (key, line, person_id) FROM STDIN", "".join(lines), [])
            state["writer"].send(copy)

    def target_id(self, ctx: Context, target) -> int | None:
        """The record a row made or was linked to, once written."""
        if target is None:
            return None
        what, value = target
        if what == "person":
            return value
        return ctx.state.get("written_rows", {}).get(value)


class Prepared(NamedTuple):
    """A row's person as the run needs it, made by ``PersonsKind.prepare``: its COPY text
    but for the columns the run gives (``_row_text``), how it is looked up, and what the
    preview shows of it."""

    text: str | None  # None: a value only psycopg writes, and the person is given whole
    person: Person | None
    query: matching.Candidate
    readings: matching.Readings  # its name words read for the match (``matching.readings``)
    keys: list[str]  # the keys it is looked up by
    match_keys: list[str]  # the keys it is stored with
    birth: str  # the birth date as the preview shows it
    has_notice: bool  # the row gives the date of the privacy notice


@cache
def _row_text() -> RowText:
    """Persons as COPY text, but for their id, city, who registered them and gave the
    privacy notice, and their dates."""
    leading = ("id", "city", "registered_by", "privacy_notice_by", "created_at", "updated_at")
    return RowText(Person, leading)


def _person(values: dict) -> Person:
    """The person a row describes, checked by the registry's own rules, keys derived (its
    city and who registered it are the run's to give: ``_send``)."""
    data = dict(values)
    birth, implied = data.pop("birth_date")
    precision = data.get("birth_date_precision") or implied or Precision.DAY
    data.update(birth_date=birth, birth_date_precision=precision)
    for name in ("nationalities", "languages", "aliases", "vulnerabilities"):
        data.setdefault(name, [])
    # Every field's value in order (Django's quicker way in: positional), the given
    # ones or the field's default, as Person(**given) would set them.
    person = Person(
        *[
            data[name] if given and data.get(name) is not None else default()
            for name, given, default in _fields()
        ]
    )
    try:
        # The external id is checked by the run, against the registry and the file; the
        # database enforces the model's constraints again at insert.
        people_services.validate_person(person, check_constraints=False, today=_today())
    except ValidationError as error:
        raise RowRefused.from_validation(error) from error
    people_services.derive_keys(person)
    return person


def _temporary_buffers() -> None:
    """Room for the run's temporary tables in the database session's memory.

    A 100,000-row file puts some 150 MB of name keys there; with PostgreSQL's default 8 MB
    every lookup reads them back from files (a fifth of the database's time). The size can
    only be set before the session's first temporary table; a session that had one keeps
    its size (the SET fails, and nothing else changes).
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET temp_buffers = '{TEMPORARY_BUFFERS}'")
    except DatabaseError:
        pass


def _short_pending_list() -> None:
    """The registry's name-key index answers quickly while the run writes into it.

    PostgreSQL queues a GIN index's new entries in a pending list (up to 4 MB) that every
    lookup reads whole: with a batch of persons waiting there, each of the next batch's
    thousands of key lookups took milliseconds (8 ms of database time per row, measured,
    against 1.3 with a short list). A short list for this transaction, and the one that
    others left emptied first (only the index's owner may; otherwise the first batch
    written empties it).
    """
    index = next(i.name for i in Person._meta.indexes if i.fields == ["match_keys"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL gin_pending_list_limit = '64kB'")
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
    except DatabaseError:
        pass


@cache
def _fields() -> list[tuple[str, bool, Callable[[], Any]]]:
    """Person's fields in order: (name, whether a row gives it, the field's default)."""
    given = set(people_services.PERSON_FIELDS)
    return [(f.name, f.name in given, f.get_default) for f in Person._meta.concrete_fields]


def _keep(kept: dict, pk: int, candidate: matching.Candidate) -> None:
    """Remember a row's candidate, forgetting the one used least recently beyond
    CANDIDATES_KEPT (a dict keeps its order: a candidate read again moves to its end)."""
    kept.pop(pk, None)
    kept[pk] = candidate
    if len(kept) > CANDIDATES_KEPT:
        del kept[next(iter(kept))]


class _Kept:
    """A row created lately, as the in-file match needs it."""

    __slots__ = ("candidate", "readings", "own_keys", "person_id")

    def __init__(self, ready: Prepared) -> None:
        self.candidate, self.readings = ready.query, ready.readings
        # Its stored keys are its own year's keys and the same of the years either side
        # (``_years_around``): kept once, not three times.
        self.own_keys = ready.keys
        self.person_id: int | None = None  # once the batch's ids are reserved


def _remember(state: dict, number: int, ready: Prepared) -> None:
    """A row to be created joins the rows in memory, and each of its keys' windows."""
    state["recent"][number] = _Kept(ready)
    state["recent_order"].append(number)
    keys = state["recent_keys"]
    for k in ready.match_keys:
        window = keys.get(k)
        if window is None:
            keys[k] = [number]
        else:
            window.append(number)
            if len(window) > IN_FILE_WINDOW:
                del window[0]


_BLOOM_MASK = EVICTED_BITS - 1
_RANKS = 1 << 16  # more than the keys a row is looked up by


def _hold_key(bits: bytearray, h: int) -> None:
    """Note a key hash in the Bloom filter (two bits of the 64-bit hash)."""
    for bit in (h & _BLOOM_MASK, (h >> 32) & _BLOOM_MASK):
        bits[bit >> 3] |= 1 << (bit & 7)


def _may_hold(bits: bytearray, h: int) -> bool:
    """False when the key hash was never noted (True may be a false positive)."""
    a, b = h & _BLOOM_MASK, (h >> 32) & _BLOOM_MASK
    return bool(bits[a >> 3] >> (a & 7) & 1 and bits[b >> 3] >> (b & 7) & 1)


def _years_around(key: str) -> list[str]:
    """A key of year Y and the same key of years Y - 1 and Y + 1 (``keys_for``'s spread;
    a key without a year alone)."""
    name, _at, year = key.rpartition("@")
    if not year.isdigit():
        return [key]
    y = int(year)
    return [key, f"{name}@{y - 1}", f"{name}@{y + 1}"]


def _year_variants(key: str) -> tuple[int, int | None, int | None]:
    """The hashes of ``_years_around(key)`` (None for the years a key without one lacks)."""
    around = [hash(k) for k in _years_around(key)]
    return (around[0], None, None) if len(around) == 1 else (around[0], around[1], around[2])


def _array(values: list[int]) -> str:
    return "{" + ",".join(map(str, values)) + "}"


def _query_keys(person: Person) -> list[str]:
    """The name keys a row is looked up by: those of its own birth year."""
    pairs, singles = matching.own_year_keys(person.match_keys, person.birth_year)
    return pairs + singles


_TODAY: list = [float("-inf"), None]  # when it was last asked, and the date


def _today() -> date:
    """The local date, asked at most once a second (a birth date may not pass it)."""
    now = time.monotonic()
    if now - _TODAY[0] > 1:
        _TODAY[:] = [now, timezone.localdate()]
    return _TODAY[1]


def _candidate(
    given_names, family_names, aliases, sex, birth_date, precision, nationalities, cf
) -> matching.Candidate:
    return matching.Candidate(
        given_names=given_names,
        family_names=family_names,
        aliases=list(aliases),
        sex=sex,
        birth_date=birth_date,
        birth_date_precision=precision,
        nationalities=list(nationalities),
        codice_fiscale=cf,
    )


def _summary(candidate: matching.Candidate) -> dict:
    """What the preview shows of an earlier row of the file (likely pairs only)."""
    born = Person(
        birth_date=candidate.birth_date, birth_date_precision=candidate.birth_date_precision
    )
    return {
        "given_names": candidate.given_names,
        "family_names": candidate.family_names,
        "sex": candidate.sex,
        "birth": born.birth_display if candidate.birth_date else "",
        "nationalities": list(candidate.nationalities),
    }
