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


# What a partner's worker sees on the person page, beside the minimal fields: the referral
# to its organisation (cases), the enrolments in its activities (activities). Each panel's
# context must read only that organisation's records.
_partner_panels: list[Panel] = []


def register_partner(panel: Panel) -> None:
    if panel not in _partner_panels:
        _partner_panels.append(panel)


def partner_panels_for(request, person) -> list[tuple[Panel, dict]]:
    shown = []
    for panel in sorted(_partner_panels, key=lambda p: p.order):
        context = panel.context(request, person)
        if context is not None:
            shown.append((panel, context))
    return shown
