"""The monthly report as one self-contained HTML page with an inline SVG chart.

No scripts, no fonts or styles from elsewhere: the page is archived and mailed
as it is, and must open the same on an offline machine in ten years.
"""

from __future__ import annotations

from html import escape

from ingest.reports.chart import ChartMonth, bar_chart_svg
from ingest.reports.labels import label
from ingest.reports.monthly import DIMENSIONS, Comparison, MonthlyReport
from ingest.reports.tables import header, scope, tracking_rows
from kernel.model import DIRECTIONS

_STYLE = """
body{font-family:"Noto Sans","DejaVu Sans",Arial,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #bbb;padding:.25em .6em}td.n{text-align:right}
th{background:#eef}p.meta{color:#666}
p.scope{font-weight:bold;border-left:4px solid #b3261e;padding-left:.5em}
.up{color:#1a7f37}.down{color:#b3261e}
"""


def trend_chart_svg(report: MonthlyReport, language: str) -> str:
    """Grouped bars, incoming beside outgoing, for each month of ``report.trend``."""
    months = [ChartMonth(axis=f"{month.month:02d}/{month.year % 100:02d}", name=str(month),
                         counts=counts, current=month == report.month)
              for month, counts in report.trend]
    labels: dict[str, str] = {direction: label(direction, language) for direction in DIRECTIONS}
    labels["title"] = label("trend", language)
    return bar_chart_svg(months, labels)


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


def _tracking_section(report: MonthlyReport, language: str) -> list[str]:
    out = [f"<h2>{escape(label('tracking', language))}</h2>"]
    if not report.tracking:
        return [*out, f"<p>{escape(label('no_tracking', language))}</p>"]
    [head, *rows] = tracking_rows(report, language)
    cells = "".join(f"<th>{escape(str(t))}</th>" for t in head)
    body = "".join(
        f"<tr><td>{escape(str(name))}</td>"
        + "".join(f'<td class="n">{n}</td>' for n in figures) + "</tr>"
        for name, *figures in rows)
    return [*out, f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"]


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
        f"<h2>{escape(label('trend', language))}</h2>",
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
    out.extend(_tracking_section(report, language))
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")
