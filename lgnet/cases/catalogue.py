"""The network's catalogue of service types, so that every city counts services alike.

Migration 0002 creates it in every deployment; the demo refreshes it (idempotent).
"""

from importlib import import_module


def ensure_network_catalogue() -> None:
    from lgnet.cases.models import ServiceType

    types = import_module("lgnet.cases.migrations.0002_network_catalogue").TYPES
    for code, name_it, name_en, unit in types:
        ServiceType.objects.update_or_create(
            code=code, city=None, defaults={"name_it": name_it, "name_en": name_en, "unit": unit}
        )
