"""The monthly report as one self-contained HTML page with an inline SVG chart.

No scripts, no fonts or styles from elsewhere: the page is archived and mailed
as it is, and must open the same on an offline machine in ten years.
"""

from __future__ import annotations

from html import escape

from ingest.reports.labels import label
from ingest.reports.monthly import DIMENSIONS, Comparison, MonthlyReport
from ingest.reports.tables import header, scope
from kernel.model import DIRECTIONS

COLOURS = {"incoming": "#1f6fb2", "outgoing": "#d9822b"}

_STYLE = """
body{font-family:"Noto Sans","DejaVu Sans",Arial,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #bbb;padding:.25em .6em}td.n{text-align:right}
th{background:#eef}p.meta{color:#666}
p.scope{font-weight:bold;border-left:4px solid #b3261e;padding-left:.5em}
.up{color:#1a7f37}.down{color:#b3261e}
"""


def trend_chart_svg(report: MonthlyReport, language: str, *, width: int = 760,
                    height: int = 300) -> str:
    """Grouped bars, incoming beside outgoing, for each month of ``report.trend``."""
    left, right, top, bottom = 48, 16, 36, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([1, *(c for _m, counts in report.trend for c in counts.values())])
    scale = _nice_ceiling(peak)
    slot = plot_w / max(1, len(report.trend))
    bar = slot * 0.38
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label("trend", language))}">',
        f'<text x="{left}" y="20" font-size="14" font-weight="bold">'
        f'{escape(label("trend", language))}</text>',
    ]
    for step in range(5):  # horizontal grid lines with their values
        value = scale * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                     'stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" '
                     f'text-anchor="end">{value:g}</text>')
    for i, (month, counts) in enumerate(report.trend):
        x0 = left + i * slot + (slot - 2 * bar) / 2
        for j, direction in enumerate(DIRECTIONS):
            h = plot_h * counts.get(direction, 0) / scale
            x = x0 + j * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{COLOURS[direction]}">'
                f'<title>{escape(label(direction, language))} {month}: '
                f'{counts.get(direction, 0)}</title></rect>'
            )
        weight = "bold" if month == report.month else "normal"
        parts.append(f'<text x="{left + (i + 0.5) * slot:.1f}" y="{top + plot_h + 16}" '
                     f'font-size="10" text-anchor="middle" font-weight="{weight}">'
                     f'{month.month:02d}/{month.year % 100:02d}</text>')
    for j, direction in enumerate(DIRECTIONS):  # legend
        x = left + j * 170
        y = height - 12
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" '
                     f'fill="{COLOURS[direction]}"/>')
        parts.append(f'<text x="{x + 18}" y="{y}" font-size="12">'
                     f'{escape(label(direction, language))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _nice_ceiling(value: int) -> float:
    """The smallest 1-2-5 x 10^n at or above ``value``, so grid lines are round."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude >= value:
                return float(factor * magnitude)
        magnitude *= 10


def _cells(counts: Comparison) -> str:
    change = counts.change
    css = "up" if change > 0 else "down" if change < 0 else ""
    figures = (counts.current, counts.previous, counts.last_year, counts.year_to_date)
    cells = "".join(f'<td class="n">{n}</td>' for n in figures)
    return cells + f'<td class="n {css}">{change:+d}</td>'


def _table(report: MonthlyReport, language: str, rows: list[tuple[str, Comparison]]) -> str:
    titles = header(report, language)[2:]
    head = "".join(f"<th>{escape(t)}</th>" for t in titles)
    body = "".join(f"<tr><td>{escape(name)}</td>{_cells(c)}</tr>" for name, c in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(report: MonthlyReport, language: str) -> bytes:
    """The whole report as a UTF-8 HTML page."""
    title = label("title", language, month=report.month)
    generated = report.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    out = [
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="scope">{escape(scope(report, language))}</p>',
        f'<p class="meta">{escape(label("generated", language, at=generated))}</p>',
        trend_chart_svg(report, language),
        f"<h2>{escape(label('totals', language))}</h2>",
        _table(report, language,
               [(label(d, language), report.totals[d]) for d in DIRECTIONS]),
    ]
    for dimension in DIMENSIONS:
        for direction in DIRECTIONS:
            rows = report.breakdown(dimension, direction)
            out.append(f"<h2>{escape(label(dimension, language))} — "
                       f"{escape(label(direction, language))}</h2>")
            if not rows:
                out.append(f"<p>{escape(label('none', language))}</p>")
                continue
            out.append(_table(report, language, [
                (r.value or label("not_stated", language), r.counts) for r in rows
            ]))
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")
