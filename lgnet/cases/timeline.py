"""The case timeline: every app adds its dated entries (contacts, assessments, services,
referrals, notes here; placements and activities from their own apps).

An entry source is ``source(case, membership) -> iterable of Entry`` and must read with a
constant number of queries, whatever the number of entries.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

_sources: list[Callable] = []


@dataclass(frozen=True)
class Entry:
    on: date
    kind: str  # a short code: "service", "placement", "enrolment" ...
    title: str  # what happened, in the user's language
    detail: str = ""
    url: str = ""


def register(source: Callable[..., Iterable[Entry]]) -> None:
    if source not in _sources:
        _sources.append(source)


def entries_for(case, membership) -> list[Entry]:
    """Newest first."""
    entries: list[Entry] = []
    for source in _sources:
        entries.extend(source(case, membership))
    return sorted(entries, key=lambda e: e.on, reverse=True)
