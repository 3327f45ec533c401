"""The reports page's chart: documents per month from the index, drawn as the report's."""

from __future__ import annotations

from collections import defaultdict

from ingest.reports.chart import ChartMonth, bar_chart_svg
from search.model import MonthlyCount

MAX_MONTHS = 24


def monthly_table(counts: list[MonthlyCount]) -> list[tuple[str, int, int]]:
    """(month, incoming, outgoing) for the last ``MAX_MONTHS`` months that have documents."""
    by_month: dict[str, dict[str, int]] = defaultdict(lambda: {"incoming": 0, "outgoing": 0})
    for row in counts:
        by_month[row.month][row.direction] = by_month[row.month].get(row.direction, 0) + row.count
    months = sorted(by_month)[-MAX_MONTHS:]
    return [(m, by_month[m]["incoming"], by_month[m]["outgoing"]) for m in months]


def monthly_svg(rows: list[tuple[str, int, int]], labels: dict[str, str]) -> str:
    """The chart of ``rows`` (``monthly_table``), scaled to its container."""
    months = [ChartMonth(axis=_month_label(month), name=_month_label(month),
                         counts={"incoming": incoming, "outgoing": outgoing})
              for month, incoming, outgoing in rows]
    return bar_chart_svg(months, labels, width=720, height=260, fit=True)


def _month_label(month: str) -> str:
    year, _, number = month.partition("-")
    return f"{number}/{year}"
