"""Sections that later apps add to the person page (cases, placements, enrolments).

people never imports those apps: they register a panel from their AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: Callable  # (request, person) -> dict, or None to hide the panel
    order: int = 50


_panels: list[Panel] = []


def register(panel: Panel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def panels_for(request, person) -> list[tuple[Panel, dict]]:
    shown = []
    for panel in sorted(_panels, key=lambda p: p.order):
        context = panel.context(request, person)
        if context is not None:
            shown.append((panel, context))
    return shown
