"""Charts drawn on the server as SVG by pygal, so the same picture appears in the page and in
the PDF (WeasyPrint runs no script). Each chart is decorative beside its data table: the SVG is
aria-hidden and the table carries the numbers (WCAG 1.1.1 and 1.3.1)."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - we write this tree, we never parse input
from dataclasses import dataclass
from decimal import Decimal

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

# Bootstrap Italia's primary blue and companions; text in the page's dark blue. Opaque colours:
# the value labels and the text keep their contrast on white.
STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#17324d",
    foreground_strong="#17324d",
    foreground_subtle="#d9dadb",
    opacity="1",
    opacity_hover="1",
    colors=("#0066cc", "#7fb2e5", "#00264d", "#5c6f82"),
    font_family="Titillium Web, DejaVu Sans, sans-serif",
    label_font_size=10,
    major_label_font_size=10,
    legend_font_size=11,
    value_font_size=9,
    value_colors=("#ffffff", "#17324d", "#ffffff", "#ffffff"),
    tooltip_font_size=10,
)
COMMON = {
    "style": STYLE,
    "js": [],  # no script: the page's CSP allows none inline, and the PDF runs none
    "disable_xml_declaration": True,
    "explicit_size": True,
    "decimal_separator": ",",
    "thousands_separator": "\u202f",  # Italian: thin space, decimal comma
    "margin": 6,
    "truncate_label": 32,
    "show_y_guides": True,
    "show_x_guides": False,
}


@dataclass
class Series:
    name: str
    values: list[Decimal | int | float | None]  # None: hidden (disclosure control)


def _number(value) -> float | None:
    return None if value is None else float(value)


def _ticks(values: list) -> list[float]:
    """Round steps from zero to a little above the largest value (counts stay whole)."""
    largest = max((float(v) for v in values if v is not None), default=0.0)
    step = 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000):
        if step * 4 >= largest:
            break
    else:
        step = float(-(-largest // 4))
    return [step * i for i in range(5)]


def columns(
    categories: list[str], series: list[Series], *, width: int = 360, height: int = 200
) -> SafeString:
    """Grouped vertical columns, one group per category (months), one colour per series.
    A hidden value (None) draws no column: the table beside says "< 5"."""
    chart = pygal.Bar(
        width=width,
        height=height,
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=max(len(series), 1),
        # Values on the columns when they are few enough to read; months tilted when many.
        print_values=len(categories) * len(series) <= 24,
        x_label_rotation=40 if len(categories) > 8 else 0,
        show_minor_x_labels=False,
        x_labels_major_every=-(-len(categories) // 12),  # at most twelve labels along the axis
        truncate_legend=-1,
        **COMMON,
    )
    chart.y_labels = _ticks([v for s in series for v in s.values])
    chart.x_labels = categories
    for s in series:
        chart.add(s.name, [_number(v) for v in s.values])
    return _svg(chart)


def bars(labels: list[str], values: list, *, width: int = 480, row: int = 28) -> SafeString:
    """Horizontal bars, one per label (types of service), largest first as given; a hidden
    value draws no bar and its label says n.d."""
    chart = pygal.HorizontalBar(
        width=width,
        height=row * max(len(labels), 1) + 50,  # the rows, the value axis and the margins
        show_legend=False,
        print_values=True,
        **COMMON,
    )
    chart.y_labels = _ticks(values)
    # pygal draws the first label at the bottom: reversed, the largest stays on top.
    shown = [
        label if value is not None else f"{label} (n.d.)"
        for label, value in zip(labels, values, strict=True)
    ]
    chart.x_labels = list(reversed(shown))
    chart.add("", [_number(v) for v in reversed(values)])
    return _svg(chart)


def _svg(chart) -> SafeString:
    """The chart's SVG without pygal's script (its configuration, values included) and
    hidden from assistive technology. Its size in the page: .lgnet-chart in lgnet.css (an
    inline style would also size it in the PDF, where WeasyPrint then leaves a gap)."""
    root = chart.render_tree()
    for parent in root.iter():
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    root.set("class", "pygal-chart lgnet-chart")
    root.set("aria-hidden", "true")
    root.set("focusable", "false")
    # pygal escapes every label and value it writes into the tree; serialising keeps that.
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308
