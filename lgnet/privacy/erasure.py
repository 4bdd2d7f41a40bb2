"""Erasure as anonymisation: every app says how to anonymise its records of a person.

An anonymiser is ``fn(person) -> int`` (records changed). It runs inside the erasure's
transaction, removes names, contacts, documents and free text, and leaves ids, dates, codes and
categories alone, so the figures already counted do not change. The rules are in
docs/decisions/0013-anonymisation-and-retention.md.

    # housing/apps.py
    def ready(self):
        from lgnet.privacy import erasure
        erasure.register(erasure.free_text_of("housing"))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import models

Anonymiser = Callable[[Any], int]

_anonymisers: list[Anonymiser] = []

# Columns that look like free text but are codes or numbers.
NOT_FREE_TEXT = {"number", "code", "kind", "status", "outcome_code"}
FREE_TEXT_MIN_LENGTH = 200


def register(anonymiser: Anonymiser) -> None:
    if anonymiser not in _anonymisers:
        _anonymisers.append(anonymiser)


def anonymisers() -> list[Anonymiser]:
    return list(_anonymisers)


def event_models(model: type[models.Model]) -> list[type[models.Model]]:
    """The row-history (pghistory) tables of a model: they hold old values too."""
    return [m for m in apps.get_models() if getattr(m, "pgh_tracked_model", None) is model]


def forget_history(model: type[models.Model], ids: list[int]) -> None:
    """Delete the row history of these rows, which keeps every old value (names included).
    The anonymised row's own change is recorded again right after."""
    if not ids:
        return
    for event_model in event_models(model):
        event_model.objects.filter(pgh_obj_id__in=ids).delete()


def is_free_text(field: models.Field) -> bool:
    if field.name in NOT_FREE_TEXT or field.choices:
        return False
    if isinstance(field, models.TextField):
        return True
    return isinstance(field, models.CharField) and (field.max_length or 0) >= FREE_TEXT_MIN_LENGTH


def free_text_of(app_label: str) -> Anonymiser:
    """An anonymiser that empties the free text and deletes the files of every model of the
    app that leads to the person (``person``, ``case__person``, ...)."""
    from lgnet.privacy.sections import related_to_person

    def anonymise(person) -> int:
        changed = 0
        for model in apps.get_app_config(app_label).get_models():
            if getattr(model, "pgh_tracked_model", None) is not None:
                continue
            path = related_to_person(model, type(person))
            if path is None:
                continue
            texts = [f for f in model._meta.concrete_fields if is_free_text(f)]
            files = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
            if not texts and not files:
                continue
            rows = model._default_manager.filter(**{path: person, "city_id": person.city_id})
            ids = list(rows.values_list("pk", flat=True))
            if not ids:
                continue
            for instance in rows.only("pk", *[f.name for f in files]) if files else []:
                for field in files:
                    stored = getattr(instance, field.name)
                    if stored:
                        stored.storage.delete(stored.name)
            forget_history(model, ids)
            changed += rows.update(**{f.name: "" for f in texts}, **{f.name: "" for f in files})
        return changed

    anonymise.__name__ = f"anonymise_{app_label}"
    return anonymise
