"""Writes of the imports app: keep an upload, check it, apply it all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lgnet.core import audit
from lgnet.core.exceptions import RuleBroken
from lgnet.imports.kinds import KINDS, get_kind
from lgnet.imports.kinds.base import Context, RowError, RowRefused
from lgnet.imports.models import Import, ImportedRecord, ImportStatus
from lgnet.imports.reading import read_rows

MAX_BYTES = 50 * 1024 * 1024
PROGRESS_EVERY = 500


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
    kind = get_kind(data_import.kind)
    ctx = Context(
        city=data_import.city,
        actor=actor,
        data_import=data_import,
        decisions=dict(data_import.decisions or {}),
        create_duplicates=data_import.create_duplicates,
    )
    counts = {"created": 0, "linked": 0, "unchanged": 0, "duplicate": 0, "invalid": 0}
    outcomes: list[tuple[int, str, Any]] = []
    rows = 0
    warnings: list[str] = []
    try:
        with transaction.atomic():
            with data_import.file.open("rb") as stream:
                header, body = read_rows(stream, data_import.filename)
                mapping, unknown, missing = kind.header_map(header)
                if unknown:
                    warnings.append(
                        _("Columns left out (not known): %(c)s") % {"c": ", ".join(unknown)}
                    )
                for name in missing:
                    ctx.errors.append(RowError(1, name, _("This column is missing.")))
                kind.start(ctx)
                for number, cells in body:
                    rows += 1
                    values, errors = kind.parse_row(number, cells, mapping)
                    if errors or missing:
                        ctx.errors.extend(errors)
                        counts["invalid"] += 1
                    else:
                        try:
                            outcome = kind.write(ctx, number, values, kind.key(values))
                        except RowRefused as refused:
                            ctx.errors.extend(refused.row_errors(number))
                            counts["invalid"] += 1
                        else:
                            counts[outcome.action] += 1
                            if outcome.action in ("created", "linked"):
                                outcomes.append((number, kind.key(values), outcome))
                    if progress and rows % PROGRESS_EVERY == 0:
                        progress(rows, 0)
                kind.finish(ctx)
            complete = not ctx.errors and not counts["duplicate"]
            if not (apply and complete):
                raise _Rollback
            _link_rows(ctx, kind, outcomes)
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
    if progress:
        progress(rows, rows)
    return data_import


def _store(data_import: Import, rows: int, counts: dict, ctx: Context, warnings: list) -> None:
    data_import.rows = data_import.done = rows
    data_import.counts = counts
    data_import.report = {
        "errors": [e.as_dict() for e in ctx.errors[:2000]],
        "error_count": len(ctx.errors),
        "duplicates": ctx.duplicates[:2000],
        "warnings": [str(w) for w in warnings],
    }
    data_import.save()


def _link_rows(ctx: Context, kind, outcomes: list) -> None:
    """Each written row points at the record it made or was linked to."""
    records = []
    for number, key, outcome in outcomes:
        target = kind.target_id(ctx, outcome.target)
        if target is None:
            continue
        records.append(
            ImportedRecord(
                city=ctx.city,
                data_import=ctx.data_import,
                kind=kind.name,
                row=number,
                key=key,
                target_type=kind.model_label,
                target_id=target,
                action=outcome.action,
            )
        )
    ImportedRecord.objects.bulk_create(records, batch_size=2000)


def check_import(data_import: Import, *, actor: Any, progress=None) -> Import:
    """Validate every row and find the likely duplicates; nothing is written."""
    return run(data_import, actor=actor, apply=False, progress=progress)


def apply_import(
    data_import: Import, *, actor: Any, decisions: dict | None = None, progress=None
) -> Import:
    """Write every row, or none: refused while rows have errors or undecided duplicates."""
    if data_import.status == ImportStatus.APPLIED:
        raise RuleBroken(_("This import was applied already."), status=409)
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
