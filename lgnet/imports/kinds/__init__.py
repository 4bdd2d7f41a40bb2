"""The kinds of import, by name."""

from lgnet.imports.kinds.base import Kind
from lgnet.imports.kinds.cases import CasesKind, ServicesKind
from lgnet.imports.kinds.later import EnrolmentsKind, PlacementsKind
from lgnet.imports.kinds.persons import PersonsKind

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (PersonsKind(), CasesKind(), ServicesKind(), PlacementsKind(), EnrolmentsKind())
}


def get_kind(name: str) -> Kind | None:
    return KINDS.get(name)
