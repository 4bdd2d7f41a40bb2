"""Sections that later apps add to the network home (counts, never people).

network never imports them: they register a panel from their AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NetworkPanel:
    template: str
    context: Callable  # (request, edition) -> dict, or None to hide the panel
    order: int = 50


_panels: list[NetworkPanel] = []


def register(panel: NetworkPanel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def panels_for(request, edition) -> list[tuple[NetworkPanel, dict]]:
    shown = []
    for panel in sorted(_panels, key=lambda p: p.order):
        context = panel.context(request, edition)
        if context is not None:
            shown.append((panel, context))
    return shown


# The same idea on a city's home: figures that later apps add (persons, cases...).
_city_figures: list = []


def register_city_figures(figures: Callable) -> None:
    """figures(request) -> list of (value, label) tuples for the city's home."""
    if figures not in _city_figures:
        _city_figures.append(figures)


def city_figures_for(request) -> list[tuple]:
    shown = []
    for figures in _city_figures:
        shown += figures(request)
    return shown
