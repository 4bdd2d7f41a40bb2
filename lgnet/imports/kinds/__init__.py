"""The kinds of import, by name. Housing and activities importers are not built yet."""

from lgnet.imports.kinds.base import Kind
from lgnet.imports.kinds.cases import CasesKind, ServicesKind
from lgnet.imports.kinds.persons import PersonsKind

KINDS: dict[str, Kind] = {k.name: k for k in (PersonsKind(), CasesKind(), ServicesKind())}


def get_kind(name: str) -> Kind | None:
    return KINDS.get(name)
