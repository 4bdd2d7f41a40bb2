"""Retention kinds whose records live in a later app: the app says what is past the period
and how to clear it; privacy keeps the period, the preview, the daily run and its log.

A keeper is two functions: ``due(cutoff) -> QuerySet`` (every record, across cities, whose
clock started before ``cutoff``; each has a ``city``) and ``clear(queryset) -> int`` (clears
one city's records inside the run's transaction and says how many).

    # imports/apps.py
    def ready(self):
        from lgnet.privacy import retention
        retention.register("import_files", due=due_imports, clear=clear_imports)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class Keeper:
    due: Callable[[date], QuerySet[Any]]
    clear: Callable[[QuerySet[Any]], int]


_keepers: dict[str, Keeper] = {}


def register(
    kind: str, *, due: Callable[[date], QuerySet[Any]], clear: Callable[[QuerySet[Any]], int]
) -> None:
    _keepers[kind] = Keeper(due=due, clear=clear)


def keeper(kind: str) -> Keeper | None:
    return _keepers.get(kind)
