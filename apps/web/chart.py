"""The monthly bar chart as inline SVG: incoming and outgoing side by side per month."""

from __future__ import annotations

import html
import math
from collections import defaultdict

from search.model import MonthlyCount

COLOURS = {"incoming": "#2563eb", "outgoing": "#d97706"}
MAX_MONTHS = 24


def monthly_table(counts: list[MonthlyCount]) -> list[tuple[str, int, int]]:
    """(month, incoming, outgoing) for the last ``MAX_MONTHS`` months that have documents."""
    by_month: dict[str, dict[str, int]] = defaultdict(lambda: {"incoming": 0, "outgoing": 0})
    for row in counts:
        by_month[row.month][row.direction] = by_month[row.month].get(row.direction, 0) + row.count
    months = sorted(by_month)[-MAX_MONTHS:]
    return [(m, by_month[m]["incoming"], by_month[m]["outgoing"]) for m in months]


def monthly_svg(rows: list[tuple[str, int, int]], labels: dict[str, str], *,
                width: int = 720, height: int = 260) -> str:
    """An accessible SVG (title, text labels) drawing ``rows``; scales to its container."""
    left, right, top, bottom = 40, 10, 30, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([1, *(max(i, o) for _, i, o in rows)])
    ceiling = _nice(peak)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f"<title>{html.escape(labels['title'])}</title>",
    ]
    for step in range(5):
        value = ceiling * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                     'stroke="#e5e7eb"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'font-size="11" fill="#555">{value:g}</text>')
    slot = plot_w / max(1, len(rows))
    bar = max(2.0, min(24.0, slot * 0.35))
    for index, (month, incoming, outgoing) in enumerate(rows):
        x0 = left + slot * index + slot / 2 - bar
        for offset, (direction, value) in enumerate((("incoming", incoming),
                                                     ("outgoing", outgoing))):
            h = plot_h * value / ceiling
            x = x0 + offset * bar
            y = top + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[direction]}"><title>{html.escape(labels[direction])} '
                f"{html.escape(_month_label(month))}: {value}</title></rect>"
            )
        parts.append(f'<text x="{left + slot * index + slot / 2:.1f}" y="{height - bottom + 16}" '
                     f'text-anchor="middle" font-size="11" fill="#333">'
                     f"{html.escape(_month_label(month))}</text>")
    for offset, direction in enumerate(("incoming", "outgoing")):
        x = left + offset * 120
        parts.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{COLOURS[direction]}"/>')
        parts.append(f'<text x="{x + 16}" y="18" font-size="12" fill="#222">'
                     f"{html.escape(labels[direction])}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _month_label(month: str) -> str:
    year, _, number = month.partition("-")
    return f"{number}/{year}"


def _nice(value: int) -> float:
    """A round axis ceiling at or above ``value`` (1, 2, 5 times a power of ten)."""
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 5, 10):
        if value <= factor * magnitude:
            return float(factor * magnitude)
    return float(10 * magnitude)
