"""Reads of imports; every read takes the city explicitly."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from lgnet.imports.models import Import
from lgnet.people.models import Person


def list_imports(city) -> QuerySet[Import]:
    return Import.objects.filter(city=city).select_related("created_by", "applied_by")


def get_import_for(city, import_id: int) -> Import:
    return get_object_or_404(list_imports(city).select_related("city"), pk=import_id)


def duplicate_view(data_import: Import) -> list[dict]:
    """The likely duplicates with the existing persons fetched in one query, for the page."""
    rows = data_import.duplicates
    ids = {c["id"] for row in rows for c in row["candidates"]}
    persons = Person.objects.filter(city=data_import.city, pk__in=ids).in_bulk()
    out = []
    for row in rows:
        candidates = [
            {**c, "person": persons[c["id"]], "value": f"person:{c['id']}"}
            for c in row["candidates"]
            if c["id"] in persons
        ]
        chosen = str(data_import.decisions.get(str(row["row"]), ""))
        if not chosen:  # suggested: the best likely match, else a new record
            chosen = (
                f"person:{candidates[0]['id']}"
                if candidates
                else (f"row:{row['rows'][0]['row']}" if row["rows"] else "create")
            )
        rows_in_file = [{**r, "value": f"row:{r['row']}"} for r in row["rows"]]
        out.append({**row, "candidates": candidates, "rows": rows_in_file, "chosen": chosen})
    return out
