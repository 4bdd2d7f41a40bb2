"""What privacy does to imports: the uploaded file and the rows of the report (names, birth
dates, likely duplicates) go after the network's period, and at once when a person the import
touched is erased. Who, when, the status and the counts stay, so the import's page still tells
what it did. Rules in docs/decisions/0013-anonymisation-and-retention.md (addendum).
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext

from lgnet.core import audit
from lgnet.imports.models import Import, ImportedRecord, ImportStatus

PERSON = "people.person"  # the target type of a row that made or linked a person
# A run cannot last this long: an import still "checking" or "writing" when cleared is dead.
NOT_FINISHED = (ImportStatus.CHECKING, ImportStatus.CHECKED, ImportStatus.APPLYING)


def due_imports(cutoff: date) -> QuerySet[Import]:
    """Imports not cleared yet whose last change (the writing, for an applied one) came before
    the cutoff. An import that made or linked a restricted person is kept with that file."""
    from lgnet.people.models import Person

    restricted = ImportedRecord.objects.filter(
        data_import=OuterRef("pk"),
        target_type=PERSON,
        target_id__in=Person.objects.filter(is_restricted=True).values("pk"),
    )
    return Import.objects.filter(cleared_at__isnull=True, updated_at__date__lt=cutoff).filter(
        ~Exists(restricted)
    )


def cleared_report(report: dict) -> dict:
    """The report without its rows: how many errors and likely duplicates there were. The
    warnings go too: a file without a header row puts its first person in "unknown columns"."""
    errors = report.get("errors") or []
    return {
        "error_count": int(report.get("error_count", len(errors))),
        "duplicate_count": len(report.get("duplicates") or []),
        "cleared": True,
    }


def neutral_filename(data_import: Import) -> str:
    """The operator names the file freely ("Diallo Mohammed.xlsx" happens): it becomes the
    kind and the import's number, with the file's extension."""
    extension = os.path.splitext(data_import.filename or "")[1].lower()
    if not extension[1:].isalnum() or len(extension) > 6:
        extension = ""
    return f"{data_import.kind}-{data_import.pk}{extension}"


def clear_imports(imports: QuerySet[Import], *, why: str = "retention", actor: Any = None) -> int:
    """Delete the files of these imports and clear their reports, row history included (it
    keeps the old report); the files leave storage once the transaction commits. An import
    that was never written cannot be written any more: it is marked failed."""
    from lgnet.privacy.erasure import forget_history

    found = list(
        imports.filter(cleared_at__isnull=True)
        .select_related("city")
        .only("pk", "city", "kind", "file", "filename", "status", "report")
        .order_by("pk")
    )
    if not found:
        return 0
    ids = [data_import.pk for data_import in found]
    files = [(i.file.storage, i.file.name) for i in found if i.file]
    forget_history(Import, ids)
    now = timezone.now()
    failure = gettext(
        "The file was deleted at the end of its retention period before it was written. "
        "Nothing was written."
    )
    for data_import in found:
        changes: dict[str, Any] = {
            "file": "",
            "filename": neutral_filename(data_import),
            "report": cleared_report(data_import.report or {}),
            "decisions": {},
            "cleared_at": now,
            "updated_at": now,
        }
        if data_import.status in NOT_FINISHED:
            changes.update(status=ImportStatus.FAILED, failure=failure)
        Import.objects.filter(pk=data_import.pk).update(**changes)
        audit.record(actor=actor, action="import.cleared", target=data_import, data={"why": why})

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return len(ids)


def _ids_of(person) -> list[int]:
    """The person and the duplicate records merged into them (erased with them)."""
    from lgnet.people.models import Person

    merged = Person.objects.filter(city_id=person.city_id, merged_into=person)
    return [person.pk, *merged.values_list("pk", flat=True)]


def imports_touching(person) -> QuerySet[Import]:
    """The city's imports whose rows made or linked the person (or a record of theirs: a case,
    an enrolment, a placement...), and those whose report offered the person as a likely
    duplicate (never written, but the file holds the row that looked like them)."""
    from lgnet.people.models import Person
    from lgnet.privacy.sections import related_to_person

    ids = _ids_of(person)
    records = ImportedRecord.objects.filter(city_id=person.city_id)
    touched = Q(target_type=PERSON, target_id__in=ids)
    labels = records.exclude(target_type=PERSON).values_list("target_type", flat=True).distinct()
    for label in list(labels):
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        path = related_to_person(model, Person)
        if path is not None:
            theirs = model._default_manager.filter(
                **{f"{path}__in": ids, "city_id": person.city_id}
            ).values("pk")
            touched |= Q(target_type=label, target_id__in=theirs)
    offered = Q()
    for pk in ids:
        offered |= Q(report__contains={"duplicates": [{"candidates": [{"id": pk}]}]})
    return Import.objects.filter(city_id=person.city_id).filter(
        Q(pk__in=records.filter(touched).values("data_import_id")) | offered
    )


def anonymise_imports(person) -> int:
    """Erasure: every import that touched the person loses its file and its report's rows
    (the other people of the file with them: the records were written, the file is only an
    evidence copy), and the person's rows lose their external id or fingerprint, so a later
    file with that id no longer finds them."""
    cleared = clear_imports(imports_touching(person), why="erasure")
    ids = _ids_of(person)
    keyed = (
        ImportedRecord.objects.filter(city_id=person.city_id, target_type=PERSON, target_id__in=ids)
        .exclude(key__startswith="erased:")
        .update(key=Concat(Value("erased:"), Cast("pk", CharField())))
    )
    return cleared + keyed


def connect() -> None:
    from lgnet.privacy import erasure, retention
    from lgnet.privacy.models import RetentionKind

    retention.register(RetentionKind.IMPORT_FILES, due=due_imports, clear=clear_imports)
    erasure.register(anonymise_imports)
