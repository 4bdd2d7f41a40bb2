"""The kinds of import, by name."""

from lgnet.imports.kinds.activities import ActivitiesKind, AttendanceKind, EnrolmentsKind
from lgnet.imports.kinds.base import Kind
from lgnet.imports.kinds.cases import CasesKind, ServicesKind
from lgnet.imports.kinds.later import PlacementsKind
from lgnet.imports.kinds.persons import PersonsKind
from lgnet.imports.kinds.rent import RentPaymentsKind, RentSupportsKind

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        PersonsKind(),
        CasesKind(),
        ServicesKind(),
        PlacementsKind(),
        RentSupportsKind(),
        RentPaymentsKind(),
        ActivitiesKind(),
        EnrolmentsKind(),
        AttendanceKind(),
    )
}


def get_kind(name: str) -> Kind | None:
    return KINDS.get(name)
