"""The demo data registry: each app adds its part of the story (see `lgnet seed_demo`).

Seeders run in order, inside one transaction, with scopes disabled (the demo spans every
city). Each must be idempotent: running seed_demo twice leaves the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Seeder:
    order: int
    name: str
    run: Callable[[int], None]  # receives the --scale factor


_seeders: list[Seeder] = []


def register(order: int, name: str, run: Callable[[int], None]) -> None:
    if any(s.name == name for s in _seeders):
        return
    _seeders.append(Seeder(order, name, run))


def seeders() -> list[Seeder]:
    return sorted(_seeders, key=lambda s: s.order)
