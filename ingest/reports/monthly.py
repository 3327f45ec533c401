"""The monthly statistics report: what came in and went out, counted from the register.

Counts come from the register (the legal ledger), never from the search index,
which may lag behind.  For the reported month every figure is set beside the
previous month, the same month a year earlier and the year-to-date total, for
each direction and by document type, issuing body and receiving department.

A report is built for one clearance level (``max_secrecy``: 0 counts open
documents only, 1..3 also those marked up to MẬT, TỐI MẬT, TUYỆT MẬT) and
counts nothing above it: the general report (level 0) carries no trace of a
secret document, not a count, an issuer's name or a bar of the chart.

``build_monthly_report`` only reads; the ``render`` and ``publish`` modules turn
the result into files.  Running it twice for the same month gives the same
figures, so a re-run of the monthly job simply replaces the files.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from ingest.register.tracking import TrackedAssignment
from ingest.reports.tracking_section import UnitFigures, tracking_figures
from kernel.errors import UsageError
from kernel.model import DIRECTIONS

# The three breakdowns, in the order they are shown; each names a register column.
DIMENSIONS: tuple[str, ...] = ("doc_type", "issuing_body", "folder")
TREND_MONTHS = 13  # the chart shows the reported month and the twelve before it
# 0 general, then cleared for MẬT, TỐI MẬT, TUYỆT MẬT (``User.max_secrecy`` on the web).
CLEARANCE_LEVELS: tuple[int, ...] = (0, 1, 2, 3)

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, e.g. ``Month(2024, 3)`` printed as ``2024-03``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 9999:
            raise UsageError(f"not a month: {self.year}-{self.month:02d}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """``"2024-03"`` -> ``Month(2024, 3)``; ``UsageError`` for anything else."""
        match = _MONTH.match(text.strip())
        if match is None:
            raise UsageError(f"a month is written YYYY-MM, e.g. 2024-03, not {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, moment: datetime, timezone: str | ZoneInfo) -> Month:
        """The month ``moment`` falls in, on the wall clock of ``timezone``."""
        tz = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone)
        local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(tz)
        return cls(local.year, local.month)

    @classmethod
    def of_interval(cls, start: datetime, end: datetime, timezone: str | ZoneInfo) -> Month:
        """The month a scheduler's data interval covers (its midpoint decides)."""
        return cls.containing(start + (end - start) / 2, timezone)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def shifted(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.shifted(1).first_day - timedelta(days=1)


class DocumentRows(Protocol):
    """What the report needs from the register (``ingest.register.Register``)."""

    tz: ZoneInfo

    def document_rows(self, received_from: date, received_to: date) -> list[dict[str, Any]]: ...

    def lead_assignments_active(self, start: date, end: date, *,
                                max_secrecy: int) -> list[TrackedAssignment]: ...


@dataclass(frozen=True)
class Comparison:
    """One figure for the reported month beside the figures it is compared with."""

    current: int = 0
    previous: int = 0  # the month before
    last_year: int = 0  # the same month a year earlier
    year_to_date: int = 0  # January 1st to the end of the reported month

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass(frozen=True)
class BreakdownRow:
    dimension: str  # one of DIMENSIONS
    direction: str  # "incoming" | "outgoing"
    value: str  # "" when the document did not say (shown as "not stated")
    counts: Comparison


@dataclass
class MonthlyReport:
    month: Month
    generated_at: datetime
    max_secrecy: int = 0  # the clearance level the report is for (see CLEARANCE_LEVELS)
    totals: dict[str, Comparison] = field(default_factory=dict)  # by direction
    rows: list[BreakdownRow] = field(default_factory=list)
    trend: list[tuple[Month, dict[str, int]]] = field(default_factory=list)  # oldest first
    tracking: list[UnitFigures] = field(default_factory=list)  # by lead unit
    unit_names: dict[str, str] = field(default_factory=dict)  # unit code -> name shown

    def breakdown(self, dimension: str, direction: str) -> list[BreakdownRow]:
        return [r for r in self.rows if r.dimension == dimension and r.direction == direction]

    @property
    def total(self) -> int:
        return sum(c.current for c in self.totals.values())

    def summary(self) -> dict[str, int]:
        """Flat figures for logs and XCom: ``incoming``, ``outgoing``, ``*_ytd``."""
        out: dict[str, int] = {}
        for direction, counts in self.totals.items():
            out[direction] = counts.current
            out[f"{direction}_ytd"] = counts.year_to_date
        return out


def build_monthly_report(
    register: DocumentRows, month: Month, *, max_secrecy: int = 0, now: datetime | None = None,
    unit_names: Mapping[str, str] | None = None,
) -> MonthlyReport:
    """Count the register's documents for ``month`` and the months it is compared with.

    Only documents of secrecy rank ``max_secrecy`` or below are counted (0:
    the general report).  Raises ``RegisterUnavailable`` (transient) if the
    register cannot be read.
    """
    if max_secrecy not in CLEARANCE_LEVELS:
        raise UsageError(f"clearance level must be one of {CLEARANCE_LEVELS}, not {max_secrecy}")
    first = month.shifted(-(TREND_MONTHS - 1))
    january = Month(month.year, 1)
    start = min(first, january)
    rows = [row for row in register.document_rows(start.first_day, month.last_day)
            if row.get("secrecy", 0) <= max_secrecy]
    # Bucket by the wall-clock month of the register's time zone, the one the
    # register uses for its number series, not by UTC.
    by_month: dict[Month, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_month.setdefault(Month.containing(row["received_at"], register.tz), []).append(row)

    def rows_of(months: Iterable[Month]) -> list[Mapping[str, Any]]:
        return [r for m in months for r in by_month.get(m, [])]

    periods = {
        "current": rows_of([month]),
        "previous": rows_of([month.shifted(-1)]),
        "last_year": rows_of([month.shifted(-12)]),
        "year_to_date": rows_of(Month(month.year, m) for m in range(1, month.month + 1)),
    }
    report = MonthlyReport(month=month, generated_at=now or datetime.now(UTC),
                           max_secrecy=max_secrecy, unit_names=dict(unit_names or {}))
    for direction in DIRECTIONS:
        counted = {name: _count(rs, direction, None) for name, rs in periods.items()}
        report.totals[direction] = Comparison(**{k: sum(v.values()) for k, v in counted.items()})
        for dimension in DIMENSIONS:
            report.rows.extend(_breakdown(periods, direction, dimension))
    report.trend = [
        (m, {d: sum(1 for r in by_month.get(m, []) if r["direction"] == d) for d in DIRECTIONS})
        for m in (first.shifted(i) for i in range(TREND_MONTHS))
    ]
    active = register.lead_assignments_active(month.first_day, month.last_day,
                                              max_secrecy=max_secrecy)
    report.tracking = tracking_figures(active, month.first_day, month.last_day, register.tz)
    return report


def _count(rows: list[Mapping[str, Any]], direction: str, dimension: str | None) -> Counter[str]:
    counter: Counter[str] = Counter()
    for row in rows:
        if row["direction"] == direction:
            counter[(row.get(dimension) or "").strip() if dimension else ""] += 1
    return counter


def _breakdown(
    periods: dict[str, list[Mapping[str, Any]]], direction: str, dimension: str
) -> list[BreakdownRow]:
    counted = {name: _count(rs, direction, dimension) for name, rs in periods.items()}
    # Every value seen this month or in a period it is compared with gets a row,
    # so a type that stopped arriving shows as a drop to zero.
    values = set().union(*counted.values())
    rows = [
        BreakdownRow(dimension, direction, value,
                     Comparison(**{name: c.get(value, 0) for name, c in counted.items()}))
        for value in values
    ]
    # Most frequent this month first; "not stated" last; then by name for stability.
    rows.sort(key=lambda r: (r.value == "", -r.counts.current, -r.counts.year_to_date, r.value))
    return rows
