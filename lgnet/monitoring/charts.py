"""Charts drawn on the server as SVG, so the same picture appears in the page and in the PDF
(WeasyPrint runs no script). Each chart is decorative beside its data table: the SVG is
aria-hidden and the table carries the numbers (WCAG 1.1.1 and 1.3.1)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Bootstrap Italia's primary blue and a lighter companion; text in the page's dark blue.
COLOURS = ["#0066cc", "#7fb2e5", "#00264d", "#5c6f82"]
TEXT = "#17324d"
GRID = "#d9dadb"
FONT = "Titillium Web, DejaVu Sans, sans-serif"


@dataclass
class Series:
    name: str
    values: list[Decimal | int | float | None]  # None: hidden (disclosure control)


def _number(value) -> str:
    if value is None:
        return ""
    value = Decimal(value)
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.1f}"
    return text.replace(",", "\u202f").replace(".", ",")  # Italian: thin space, decimal comma


def _scale(largest: Decimal) -> tuple[Decimal, list[Decimal]]:
    """A round top for the axis and its grid lines (four steps)."""
    if largest <= 0:
        return Decimal(4), [Decimal(i) for i in range(5)]
    step = Decimal(1)
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000):
        step = Decimal(candidate)
        if step * 4 >= largest:
            break
    else:
        step = (largest / 4).to_integral_value() + 1
    return step * 4, [step * i for i in range(5)]


def columns(
    categories: list[str], series: list[Series], *, width: int = 360, height: int = 200
) -> SafeString:
    """Grouped vertical columns, one group per category (months), one colour per series."""
    left, right, top, bottom = 40, 8, 14, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [Decimal(v) for s in series for v in s.values if v is not None]
    top_value, ticks = _scale(max(values, default=Decimal(0)))
    parts = [_open(width, height)]
    for tick in ticks:
        y = top + plot_h - float(tick / top_value) * plot_h
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.6"/>'
            f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end" font-size="10">'
            f"{_number(tick)}</text>"
        )
    group_w = plot_w / max(len(categories), 1)
    small = 8 if len(categories) > 8 else 10
    every = -(-len(categories) // 12)  # at most twelve labels along the axis
    with_values = len(categories) * len(series) <= 24
    bar_w = min(28.0, group_w * 0.8 / max(len(series), 1))
    for i, category in enumerate(categories):
        x0 = left + i * group_w + (group_w - bar_w * len(series)) / 2
        for j, s in enumerate(series):
            value = s.values[i] if i < len(s.values) else None
            x = x0 + j * bar_w
            if value is None:  # hidden by disclosure control: a grey stub, the table says "<5"
                parts.append(
                    f'<rect x="{x:.1f}" y="{top + plot_h - 3:.1f}" width="{bar_w - 2:.1f}" '
                    f'height="3" fill="{GRID}"/>'
                )
                continue
            h = float(Decimal(value) / top_value) * plot_h
            y = top + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar_w - 2, 1):.1f}" '
                f'height="{h:.1f}" fill="{COLOURS[j % len(COLOURS)]}"/>'
            )
            if with_values:
                parts.append(
                    f'<text x="{x + (bar_w - 2) / 2:.1f}" y="{y - 2:.1f}" '
                    f'text-anchor="middle" font-size="{small - 1}">{_number(value)}</text>'
                )
        if i % every:
            continue
        parts.append(
            f'<text x="{left + (i + 0.5) * group_w:.1f}" y="{top + plot_h + 14}" '
            f'text-anchor="middle" font-size="{small}">{escape(category)}</text>'
        )
    parts.append(_legend(series, top + plot_h + 34, left))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped


def bars(labels: list[str], values: list, *, width: int = 360, row: int = 20) -> SafeString:
    """Horizontal bars, one per label (types of service), largest first as given."""
    label_w, right = 170, 40
    height = max(row * len(labels), row) + 6
    known = [Decimal(v) for v in values if v is not None]
    largest = max(known, default=Decimal(0)) or Decimal(1)
    plot_w = width - label_w - right
    parts = [_open(width, height)]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 3 + i * row
        short = label if len(label) <= 32 else label[:31] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + row * 0.65:.1f}" text-anchor="end" '
            f'font-size="10">{escape(short)}</text>'
        )
        if value is None:
            parts.append(f'<text x="{label_w}" y="{y + row * 0.65:.1f}" font-size="10">n.d.</text>')
            continue
        w = float(Decimal(value) / largest) * plot_w
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{max(w, 0.5):.1f}" height="{row - 5}" '
            f'fill="{COLOURS[0]}"/>'
            f'<text x="{label_w + w + 3:.1f}" y="{y + row * 0.65:.1f}" font-size="10">'
            f"{_number(value)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped


def _open(width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="lgnet-chart" aria-hidden="true" '
        'style="max-width: 100%; height: auto;" '
        f'focusable="false" font-family="{FONT}" fill="{TEXT}">'
    )


def _legend(series: list[Series], y: float, left: int) -> str:
    parts, x = [], float(left)
    for j, s in enumerate(series):
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 7:.1f}" width="8" height="8" '
            f'fill="{COLOURS[j % len(COLOURS)]}"/>'
            f'<text x="{x + 11:.1f}" y="{y:.1f}" font-size="10">{escape(s.name)}</text>'
        )
        x += 24 + len(s.name) * 5.2
    return "".join(parts)
