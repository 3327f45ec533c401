"""The monthly report's tracking section: per unit, what it was given and how it went.

For the reported month and each lead unit: documents received (assigned in
the month), handled on time and handled late (closed as handled in the month,
on or before the deadline or after it), and, at the month's end, still open
and, of those, overdue.  Counted from the register's assignments
(``Register.lead_assignments_active``), for one clearance level like the rest
of the report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from ingest.register.tracking import TrackedAssignment
from ingest.tracking.assignments import Status

FIGURES = ("received", "on_time", "late", "still_open", "overdue")


@dataclass(frozen=True)
class UnitFigures:
    """One unit's line of the tracking section."""

    unit: str
    received: int = 0
    on_time: int = 0
    late: int = 0
    still_open: int = 0
    overdue: int = 0  # of the still open, those past their deadline at the month's end

    def figures(self) -> list[int]:
        return [getattr(self, name) for name in FIGURES]


def _figures_of(tracked: TrackedAssignment, first: date, last: date,
                tz: ZoneInfo) -> tuple[int, int, int, int, int]:
    a = tracked.assignment
    received = int(first <= tracked.assigned_at.astimezone(tz).date() <= last)
    closed_in_month = a.closed_on is not None and first <= a.closed_on <= last
    done = closed_in_month and a.status is Status.DONE
    on_time = int(done and a.closed_on is not None and a.closed_on <= a.deadline)
    late = int(done) - on_time
    still_open = int(a.closed_on is None or a.closed_on > last)
    overdue = int(bool(still_open) and a.deadline < last)
    return received, on_time, late, still_open, overdue


def tracking_figures(assignments: Iterable[TrackedAssignment], first: date, last: date,
                     tz: ZoneInfo) -> list[UnitFigures]:
    """The section's lines, by unit code, for the month from ``first`` to ``last``."""
    totals: dict[str, list[int]] = {}
    for tracked in assignments:
        counts = totals.setdefault(tracked.assignment.unit, [0] * len(FIGURES))
        for i, n in enumerate(_figures_of(tracked, first, last, tz)):
            counts[i] += n
    return [UnitFigures(unit, *counts) for unit, counts in sorted(totals.items())]
