"""The art. 15 export is built from sections every app contributes.

An app registers a function ``section(person) -> (title, rows)`` from its ``AppConfig.ready()``;
each row is a dict of field name to a JSON value. A section must read only records of that
person, in the person's city. ``model_rows`` turns model instances into such rows.

    # housing/apps.py
    def ready(self):
        from lgnet.privacy import sections
        sections.register(housing_section)       # def housing_section(person): ...
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

Row = dict[str, Any]
Section = tuple[str, list[Row]]
SectionFn = Callable[[Any], Section]

_sections: list[SectionFn] = []

# Columns kept by the services for matching and linkage: derived, not facts about the person.
INTERNAL = {"name_search", "match_keys", "linkage_cf", "linkage_bloom", "pgh_context"}


def register(section_fn: SectionFn) -> None:
    if section_fn not in _sections:
        _sections.append(section_fn)


def sections_for(person) -> list[Section]:
    return [fn(person) for fn in _sections]


def plain(value: Any) -> Any:
    """A JSON value for a model field's value."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def model_rows(instances: Iterable[models.Model], *, exclude: Iterable[str] = ()) -> list[Row]:
    """Every concrete column of each instance (foreign keys as ids), minus internal ones."""
    skip = INTERNAL | set(exclude)
    rows = []
    for instance in instances:
        row: Row = {}
        for field in instance._meta.concrete_fields:
            if field.name in skip:
                continue
            row[field.name] = plain(getattr(instance, field.attname))
            if field.choices and getattr(instance, field.attname) not in (None, ""):
                display = getattr(instance, f"get_{field.name}_display", None)
                if display is not None:
                    row[f"{field.name}_label"] = str(display())
        rows.append(row)
    return rows


def related_to_person(
    model: type[models.Model], person_model: type[models.Model], depth: int = 3
) -> str | None:
    """The lookup from ``model`` to the person through foreign keys named along the way
    (``person``, ``case__person``, ``assessment__case__person``), at most ``depth`` hops."""
    keys = [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is not model
    ]
    for field in keys:
        if field.name == "person" and field.related_model is person_model:
            return "person"
    if depth <= 1:
        return None
    for field in keys:
        if field.related_model._meta.app_label != model._meta.app_label:
            continue  # a case's chain stays inside its app; users and cities lead nowhere
        inner = related_to_person(field.related_model, person_model, depth - 1)
        if inner:
            return f"{field.name}__{inner}"
    return None


def app_sections(app_label: str, *, title: str = "", skip: Iterable[str] = ()) -> SectionFn:
    """One section function covering every model of an app that leads to a person.

    Used for the cases app; any app whose records hang off ``person`` (or off a record that
    does) can register ``app_sections("<label>")`` and be exported completely.
    """
    from django.apps import apps

    skipped = set(skip)

    def section(person) -> Section:
        person_model = type(person)
        rows: list[Row] = []
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.model_name in skipped or model.__name__.endswith("Event"):
                continue
            path = related_to_person(model, person_model)
            if path is None:
                continue
            manager = model._default_manager
            found = manager.filter(**{path: person, "city_id": person.city_id}).order_by("pk")
            for row in model_rows(found):
                rows.append({"record": model._meta.model_name, **row})
        return (title or app_label.capitalize(), rows)

    section.__name__ = f"{app_label}_section"
    return section
