"""Documents per month as an inline SVG bar chart: incoming beside outgoing.

One drawing for the archived monthly report (a fixed size, in a page that
must open offline for years) and for the web's reports page (``fit``: it
scales to its container).  Accessible: a ``<title>``, each bar's own title
("Văn bản đến 03/2024: 12"), and text labels, never colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from kernel.model import DIRECTIONS

COLOURS = {"incoming": "#1f6fb2", "outgoing": "#d9822b"}
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 30, 40


@dataclass(frozen=True)
class ChartMonth:
    """One month's bars: ``axis`` under them, ``name`` in each bar's title."""

    axis: str
    name: str
    counts: Mapping[str, int]  # by direction
    current: bool = False  # the month a report is about: its axis label is bold


def bar_chart_svg(months: Sequence[ChartMonth], labels: Mapping[str, str], *,
                  width: int = 760, height: int = 280, fit: bool = False) -> str:
    """The chart of ``months``; ``labels`` names the ``title`` and each direction."""
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    ceiling = nice_ceiling(max([1, *(c for m in months for c in m.counts.values())]))
    size = ('class="chart" preserveAspectRatio="xMidYMid meet"' if fit
            else f'width="{width}" height="{height}"')
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" {size} viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(labels["title"])}">',
             f"<title>{escape(labels['title'])}</title>"]
    for step in range(5):  # horizontal grid lines with their values
        y = TOP + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{width - RIGHT}" y2="{y:.1f}" '
                     'stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
                     f'fill="#555">{ceiling * step / 4:g}</text>')
    slot = plot_w / max(1, len(months))
    bar = max(2.0, min(24.0, slot * 0.38))
    for i, month in enumerate(months):
        parts.extend(_bars(month, LEFT + (i + 0.5) * slot, bar, TOP + plot_h,
                           plot_h / ceiling, labels))
        weight = "bold" if month.current else "normal"
        parts.append(f'<text x="{LEFT + (i + 0.5) * slot:.1f}" y="{TOP + plot_h + 16}" '
                     f'font-size="10" text-anchor="middle" font-weight="{weight}" fill="#333">'
                     f"{escape(month.axis)}</text>")
    for j, direction in enumerate(DIRECTIONS):  # the legend, above the bars
        x = LEFT + j * 170
        parts.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{COLOURS[direction]}"/>')
        parts.append(f'<text x="{x + 18}" y="18" font-size="12" fill="#222">'
                     f"{escape(labels[direction])}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _bars(month: ChartMonth, centre: float, bar: float, floor: float, scale: float,
          labels: Mapping[str, str]) -> list[str]:
    """The month's bars side by side around ``centre``, growing up from ``floor``."""
    out = []
    for j, direction in enumerate(DIRECTIONS):
        value = month.counts.get(direction, 0)
        h = value * scale
        out.append(
            f'<rect x="{centre - bar + j * bar:.1f}" y="{floor - h:.1f}" width="{bar:.1f}" '
            f'height="{h:.1f}" fill="{COLOURS[direction]}"><title>{escape(labels[direction])} '
            f"{escape(month.name)}: {value}</title></rect>")
    return out


def nice_ceiling(value: int) -> float:
    """The smallest 1-2-5 x 10^n at or above ``value``, so grid lines are round."""
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 5, 10):
        if value <= factor * magnitude:
            return float(factor * magnitude)
    return float(10 * magnitude)
