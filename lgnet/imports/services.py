"""Writes of the imports app: keep an upload, check it, apply it all or nothing."""

from __future__ import annotations

import ctypes
import functools
import gc
import itertools
import threading
from collections.abc import Callable
from contextlib import closing, contextmanager
from datetime import timedelta
from typing import Any

from django.core.files.base import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lgnet.core import audit
from lgnet.core.exceptions import RuleBroken
from lgnet.core.history import recorded_history
from lgnet.imports import ahead
from lgnet.imports.bulk import prepare_values
from lgnet.imports.kinds import KINDS, get_kind
from lgnet.imports.kinds.base import Context, RowError, RowRefused
from lgnet.imports.models import Import, ImportedRecord, ImportStatus
from lgnet.imports.reading import read_rows
from lgnet.imports.retention import cleared_report

MAX_BYTES = 50 * 1024 * 1024
BATCH = 500  # rows read before they are written, and the progress reported
# A run holds this advisory lock (class, import id) for its transaction: PostgreSQL frees it
# on commit, rollback or when the process dies, so "running without the lock" means dead.
RUN_LOCK_CLASS = 0x1A70
# A run is queued before a worker takes it: only past this wait is a missing lock a death.
START_GRACE = timedelta(minutes=10)


class _Rollback(Exception):
    """Leaves the run's transaction without keeping anything."""


def create_import(
    *, actor: Any, city, kind: str, upload, create_duplicates: bool = False
) -> Import:
    """Keep the uploaded file; nothing of its content is written yet."""
    if kind not in KINDS:
        raise RuleBroken(_("Choose what the file holds."), field="kind")
    if upload is None:
        raise RuleBroken(_("Choose a file."), field="file")
    if upload.size > MAX_BYTES:
        raise RuleBroken(_("The file is larger than 50 MB."), field="file")
    name = str(getattr(upload, "name", "") or "import")[-200:]
    data_import = Import(
        city=city,
        kind=kind,
        filename=name,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        create_duplicates=create_duplicates,
    )
    data_import.file.save(name, File(upload, name=name), save=False)
    data_import.save()
    audit.record(actor=actor, target=data_import, action="import.uploaded", data={"kind": kind})
    return data_import


def run(
    data_import: Import,
    *,
    actor: Any,
    apply: bool,
    progress: Callable[[int, int], None] | None = None,
) -> Import:
    """Read every row and write it through the services in one transaction.

    A check (``apply=False``) always rolls back; an apply keeps the rows only when every
    row was written, so a file is imported whole or not at all, and a process killed on
    the way leaves nothing (PostgreSQL drops an uncommitted transaction).
    """
    if data_import.is_cleared:  # its file and report were deleted (retention, erasure)
        return data_import
    kind = get_kind(data_import.kind)
    ctx = Context(
        city=data_import.city,
        actor=actor,
        data_import=data_import,
        decisions=dict(data_import.decisions or {}),
        create_duplicates=data_import.create_duplicates,
    )
    counts = {"created": 0, "linked": 0, "unchanged": 0, "duplicate": 0, "invalid": 0}
    rows = 0
    warnings: list[str] = []
    history = {"import": data_import.pk}
    if getattr(actor, "is_authenticated", False):
        history["user"] = actor.pk
    try:
        with _rare_collections(), transaction.atomic(), recorded_history(**history):
            with connection.cursor() as cursor:  # the run's sign of life (see RUN_LOCK_CLASS)
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)", [RUN_LOCK_CLASS, data_import.pk]
                )
            # Asked before the file is open: an open file's size is measured by seeking it.
            ahead_of_writes = data_import.file.size > ahead.AHEAD_FROM_BYTES
            if ahead_of_writes:  # a large file: the task worker's or the command's process
                steady_heap()
            with data_import.file.open("rb") as stream:
                header, body = read_rows(stream, data_import.filename)
                mapping, unknown, missing = kind.header_map(header)
                if unknown:
                    warnings.append(
                        _("Columns left out (not known): %(c)s") % {"c": ", ".join(unknown)}
                    )
                for name in missing:
                    ctx.errors.append(RowError(1, name, _("This column is missing.")))
                batches = ahead.batches(
                    kind,
                    body,
                    mapping,
                    missing=bool(missing),
                    size=BATCH,
                    ahead=ahead_of_writes,
                )
                with closing(batches):  # a reading process ends with it, however the run ends
                    # The reading process (if any) is forked before the kind starts a thread.
                    first = next(batches)
                    kind.start(ctx)
                    try:
                        for batch in itertools.chain([first], batches):
                            rows += len(batch)
                            _write(ctx, kind, batch, counts)
                            if progress and len(batch) == BATCH:
                                progress(rows, 0)
                        kind.finish(ctx)
                    finally:  # a kind writing from a thread is done before the transaction ends
                        if hasattr(kind, "close"):
                            kind.close(ctx)
            complete = not ctx.errors and not counts["duplicate"]
            if not (apply and complete):
                raise _Rollback
            data_import.status = ImportStatus.APPLIED
            data_import.applied_by = actor if getattr(actor, "is_authenticated", False) else None
            data_import.applied_at = timezone.now()
            _store(data_import, rows, counts, ctx, warnings)
            audit.record(
                actor=actor, target=data_import, action="import.applied", data={"counts": counts}
            )
    except _Rollback:
        data_import.status = ImportStatus.CHECKED if not ctx.errors else ImportStatus.INVALID
        _store(data_import, rows, counts, ctx, warnings)
    except RuleBroken as error:  # the file itself cannot be read
        data_import.status = ImportStatus.INVALID
        ctx.errors.append(RowError(0, "", str(error.message)))
        _store(data_import, rows, counts, ctx, warnings)
    except ahead.ReadingFailed:  # the process reading ahead ended (killed, out of memory)
        data_import.status = ImportStatus.FAILED
        data_import.failure = _("The file could not be read to the end. Nothing was written.")
        _store(data_import, rows, counts, ctx, warnings)
    if progress:
        progress(rows, rows)
    return data_import


# Container objects allocated, less those freed, before Python's cycle collector runs (its
# default: 700), and how many such runs before it looks at older objects (default: 10 and
# 10). A run allocates millions of short-lived rows, values and keys: with the defaults the
# collector ran thousands of times, each older-generation pass scanning every object the
# run keeps (its rows in memory, its caches), about 8 of 19 CPU seconds of a 100,000-row
# import. Cycles made by a run are still collected, later, and the defaults come back with
# the run's end.
RUN_COLLECTION_THRESHOLDS = (100_000, 50, 1000)


_running = {"runs": 0, "before": None}  # runs in this process, the thresholds before them
_running_lock = threading.Lock()


@contextmanager
def _rare_collections():
    """The cycle collector runs rarely while an import runs (the reading process, forked
    inside, too); as before once the process's last run ends (runs in threads of one
    process overlap: the first sets the thresholds, the last puts them back)."""
    with _running_lock:
        if not _running["runs"]:
            _running["before"] = gc.get_threshold()
            gc.set_threshold(*RUN_COLLECTION_THRESHOLDS)
        _running["runs"] += 1
    try:
        yield
    finally:
        with _running_lock:
            _running["runs"] -= 1
            if not _running["runs"]:
                gc.set_threshold(*_running["before"])


_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
_MMAP_FROM = 128 * 1024  # glibc's own starting value


@functools.cache
def steady_heap() -> bool:
    """Large blocks are mapped and given back to the system when freed, for good (False
    where the C library is not glibc: nothing changes).

    glibc raises its mapping threshold each time a large mapped block is freed, and from
    then on serves such blocks from the heap, where they rarely go back to the system. A
    run keeps a dictionary of a few hundred thousand name keys that it adds to and takes
    from: each time the dictionary is rebuilt (a 12 MB block), the process grew by as
    much, 36 MB more for 200,000 rows than for 50,000. With the threshold fixed, 2 MB.
    Asked by runs of large files only (small ones, which the pages run in the web process,
    leave its allocator as it is); once a process asked, for the rest of its life.
    """
    try:
        libc = ctypes.CDLL(None)
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_FROM))
    except (OSError, AttributeError, TypeError):  # no C library to load, or no mallopt
        return False


def _write(ctx: Context, kind, batch: list[ahead.Row], counts: dict) -> None:
    """Write a batch of parsed rows (all at once when the kind can, else row by row, each
    through its service), count what each row did, and link the rows to their records.

    A row with an error of its own (or a file missing a column: the ``None`` error) is
    not written; the errors are reported in the order of the rows.
    """
    valid = [row for row in batch if not row.errors]
    results: dict[int, Any] = {}
    if hasattr(kind, "write_batch"):
        results = dict(
            zip((row.number for row in valid), kind.write_batch(ctx, valid), strict=True)
        )
    else:
        for row in valid:
            try:
                results[row.number] = kind.write(ctx, row.number, row.values, row.key)
            except RowRefused as refused:
                results[row.number] = refused
    keys = {row.number: row.key for row in valid}
    links = []
    for number, _values, errors, *_ready in batch:
        result = results.get(number)
        if errors:
            ctx.errors.extend(e for e in errors if e is not None)
            counts["invalid"] += 1
        elif isinstance(result, RowRefused):
            ctx.errors.extend(result.row_errors(number))
            counts["invalid"] += 1
        else:
            counts[result.action] += 1
            if result.action in ("created", "linked"):
                links.append((number, keys[number], result))
    _link_rows(ctx, kind, links)


def _store(data_import: Import, rows: int, counts: dict, ctx: Context, warnings: list) -> None:
    """Keep the run's counts and report. An import cleared while it ran (an erasure does not
    wait for a run to end) keeps its counts and status, and a report without personal data."""
    data_import.rows = data_import.done = rows
    data_import.counts = counts
    data_import.report = {
        "errors": [e.as_dict() for e in ctx.errors[:2000]],
        "error_count": len(ctx.errors),
        "duplicates": ctx.duplicates[:2000],
        "warnings": [str(w) for w in warnings],
    }
    with transaction.atomic():
        found = Import.objects.select_for_update().filter(pk=data_import.pk)
        cleared_at = found.values_list("cleared_at", flat=True).first()
        if cleared_at is None:
            data_import.save()
            return
        data_import.report = cleared_report(data_import.report)
        fields = [*_RUN_FIELDS, "updated_at"]
        if data_import.status != ImportStatus.APPLIED:  # nothing written: the clearing's stands
            fields.remove("status")
        data_import.save(update_fields=fields)
        data_import.refresh_from_db(
            fields=["file", "filename", "cleared_at", "decisions", "status", "failure"]
        )


# What a run sets on its import (the rest is the clearing's, when it came first).
_RUN_FIELDS = ("rows", "done", "counts", "report", "status", "applied_by", "applied_at", "failure")


def _link_rows(ctx: Context, kind, outcomes: list) -> None:
    """Each written row points at the record it made or was linked to (written as the run
    goes, in its transaction: a check rolls them back with the rest)."""
    now = timezone.now()
    rows = []
    for number, key, outcome in outcomes:
        target = kind.target_id(ctx, outcome.target)
        if target is not None:
            rows.append(
                (now, now, ctx.city.pk, ctx.data_import.pk, kind.name, number, key)
                + (kind.model_label, target, outcome.action)
            )
    if rows:
        links = prepare_values(
            ImportedRecord,
            ["created_at", "updated_at", "city", "data_import", "kind", "row", "key"]
            + ["target_type", "target_id", "action"],
            rows,
        )
        if hasattr(kind, "send"):  # after the kind's own writes, from its thread
            kind.send(ctx, links)
        else:
            with connection.cursor() as cursor:
                links.send(cursor)


def check_import(data_import: Import, *, actor: Any, progress=None) -> Import:
    """Validate every row and find the likely duplicates; nothing is written."""
    return run(data_import, actor=actor, apply=False, progress=progress)


def apply_import(
    data_import: Import, *, actor: Any, decisions: dict | None = None, progress=None
) -> Import:
    """Write every row, or none: refused while rows have errors or undecided duplicates."""
    if data_import.status == ImportStatus.APPLIED:
        raise RuleBroken(_("This import was applied already."), status=409)
    if data_import.is_cleared:
        raise RuleBroken(
            _("The file of this import was deleted (retention or erasure): upload it again."),
            status=409,
        )
    if decisions is not None:
        data_import.decisions = {str(k): str(v) for k, v in decisions.items()}
        data_import.save(update_fields=["decisions", "updated_at"])
    data_import = run(data_import, actor=actor, apply=True, progress=progress)
    if data_import.status != ImportStatus.APPLIED:
        raise RuleBroken(
            _("Nothing was written: correct the errors or choose for each likely duplicate."),
            status=409,
        )
    return data_import


def set_decisions(data_import: Import, decisions: dict) -> Import:
    data_import.decisions = {str(k): str(v) for k, v in decisions.items()}
    data_import.save(update_fields=["decisions", "updated_at"])
    return data_import


def is_alive(data_import: Import) -> bool:
    """Whether a process is running this import now (it holds the run's lock)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND classid = %s AND objid = %s AND objsubid = 2)",
            [RUN_LOCK_CLASS, data_import.pk],
        )
        return cursor.fetchone()[0]


def settle_interrupted(data_import: Import, *, now=None) -> Import:
    """An import left "checking" or "writing" by a process that died (a killed worker or
    command) is marked failed, so that its page stops waiting; nothing of it was written."""
    now = now or timezone.now()
    if not data_import.is_running or data_import.updated_at > now - START_GRACE:
        return data_import
    if is_alive(data_import):
        return data_import
    failure = _("Interrupted: the process ended before finishing. Nothing was written.")
    updated = Import.objects.filter(pk=data_import.pk, status=data_import.status).update(
        status=ImportStatus.FAILED, failure=failure, updated_at=now
    )
    if updated:
        data_import.status, data_import.failure = ImportStatus.FAILED, failure
    return data_import
