"""Assignments of incoming documents to units, their status flow, and what is late.

An assignment moves ``chờ xử lý`` (waiting) -> ``đang xử lý`` (in progress)
-> ``đã xử lý`` (handled: a result note, optionally the outgoing document that
answers it), or is ``trả lại`` (returned to the clerk, with a reason).  A
waiting assignment may also be closed at once, when a confirmed reply answers
it.  Handled and returned are final: the clerk assigns again if needed.
Every move returns the new assignment and one ``HistoryEntry``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from ingest.tracking.calendar import WorkingCalendar, packaged_calendar
from ingest.tracking.deadlines import TrackingPolicy
from ingest.tracking.units import Unit
from kernel.errors import UsageError
from kernel.i18n import translate


class Status(StrEnum):
    """Where an assignment stands; the value is stored, ``label`` is shown."""

    WAITING = "waiting"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    RETURNED = "returned"

    def label(self, language: str = "vi") -> str:
        return translate(f"tracking_status_{self.value}", language)

    @property
    def is_open(self) -> bool:
        return self in (Status.WAITING, Status.IN_PROGRESS)


OPEN_STATUSES = tuple(s.value for s in Status if s.is_open)
# A search by tracking state: the statuses each choice keeps ("": any status).
SEARCH_STATUSES: dict[str, tuple[str, ...] | None] = {
    "": None, "open": OPEN_STATUSES, **{s.value: (s.value,) for s in Status}}


class Role(StrEnum):
    """A unit leads the handling (chủ trì) or cooperates (phối hợp)."""

    LEAD = "lead"
    COOPERATING = "cooperating"


MOVES: dict[Status, frozenset[Status]] = {
    Status.WAITING: frozenset({Status.IN_PROGRESS, Status.DONE, Status.RETURNED}),
    Status.IN_PROGRESS: frozenset({Status.DONE, Status.RETURNED}),
    Status.DONE: frozenset(),
    Status.RETURNED: frozenset(),
}


class TrackingRefused(UsageError):
    """A status change that is not allowed; ``key`` names its message in ``kernel.i18n``."""

    def __init__(self, key: str, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(self.text("en"))

    def text(self, language: str) -> str:
        shown = {k: v.label(language) if isinstance(v, Status) else v
                 for k, v in self.values.items()}
        return translate(self.key, language, **shown)


@dataclass(frozen=True)
class Assignment:
    """One unit's duty to handle one incoming document by ``deadline``."""

    doc_id: str
    unit: str
    deadline: date
    role: Role = Role.LEAD
    status: Status = Status.WAITING
    instruction: str = ""  # the leader's direction (ý kiến chỉ đạo)
    result_note: str = ""
    answered_by: str | None = None  # the doc id of the outgoing document that answers
    returned_reason: str = ""
    closed_on: date | None = None


@dataclass(frozen=True)
class HistoryEntry:
    """One change of an assignment: who, when, from which status to which, and why."""

    doc_id: str
    unit: str
    who: str
    when: datetime
    old: Status | None  # None: the assignment was created
    new: Status
    note: str = ""
    answered_by: str | None = None


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("a history time carries its time zone (the office's)")
    return at


def assign(doc_id: str, unit: str, deadline: date, by: str, at: datetime, *,
           role: Role = Role.LEAD, instruction: str = "") -> tuple[Assignment, HistoryEntry]:
    """A new waiting assignment of ``doc_id`` to ``unit``, and its first history entry."""
    assignment = Assignment(doc_id, unit, deadline, role, instruction=instruction.strip())
    entry = HistoryEntry(doc_id, unit, by, _aware(at), None, Status.WAITING, instruction.strip())
    return assignment, entry


def move(assignment: Assignment, new: Status, by: str, at: datetime, note: str = "",
         answered_by: str | None = None) -> tuple[Assignment, HistoryEntry]:
    """``assignment`` moved to ``new``; ``TrackingRefused`` if the flow forbids it.

    ``note`` is the result note (required for DONE) or the reason (required for
    RETURNED); ``answered_by`` is only kept when the assignment is handled.
    """
    old, note = assignment.status, note.strip()
    if not MOVES[old]:
        raise TrackingRefused("tracking_closed", old=old)
    if new not in MOVES[old]:
        raise TrackingRefused("tracking_move_refused", old=old, new=new)
    if new is Status.DONE and not note:
        raise TrackingRefused("tracking_note_needed")
    if new is Status.RETURNED and not note:
        raise TrackingRefused("tracking_reason_needed")
    done = new is Status.DONE
    answer = answered_by if done else None
    moved = replace(
        assignment, status=new,
        result_note=note if done else assignment.result_note,
        answered_by=answer,
        returned_reason=note if new is Status.RETURNED else assignment.returned_reason,
        closed_on=None if new.is_open else _aware(at).date())
    entry = HistoryEntry(assignment.doc_id, assignment.unit, by, _aware(at), old, new, note,
                         answer)
    return moved, entry


def start(assignment: Assignment, by: str, at: datetime) -> tuple[Assignment, HistoryEntry]:
    """The unit begins handling: waiting -> in progress."""
    return move(assignment, Status.IN_PROGRESS, by, at)


def complete(assignment: Assignment, by: str, at: datetime, note: str,
             answered_by: str | None = None) -> tuple[Assignment, HistoryEntry]:
    """Handled, with a result note and optionally the answering outgoing document."""
    return move(assignment, Status.DONE, by, at, note, answered_by)


def return_to_clerk(assignment: Assignment, by: str, at: datetime,
                    reason: str) -> tuple[Assignment, HistoryEntry]:
    """Sent back to the clerk (wrong unit, incomplete file), with a reason."""
    return move(assignment, Status.RETURNED, by, at, reason)


def check_member(unit: Unit, user: str) -> None:
    """``TrackingRefused`` unless ``user`` belongs to ``unit``."""
    if not unit.has_member(user):
        raise TrackingRefused("tracking_not_member", user=user, unit=unit.name)


def handled_on_time(assignment: Assignment) -> bool | None:
    """True/False for a handled assignment (closed by its deadline or not), else None."""
    if assignment.status is not Status.DONE or assignment.closed_on is None:
        return None
    return assignment.closed_on <= assignment.deadline


@dataclass(frozen=True)
class Late:
    """An open assignment past its deadline, ``working_days`` working days late."""

    assignment: Assignment
    working_days: int


@dataclass(frozen=True)
class DeadlineDigest:
    """What is overdue on ``today`` and what falls due within the policy's window."""

    today: date
    overdue: tuple[Late, ...]
    due_soon: tuple[Assignment, ...]

    def for_unit(self, unit: str) -> DeadlineDigest:
        return DeadlineDigest(self.today,
                              tuple(late for late in self.overdue if late.assignment.unit == unit),
                              tuple(a for a in self.due_soon if a.unit == unit))

    @property
    def units(self) -> list[str]:
        """The units with anything to be told, in order."""
        return sorted({late.assignment.unit for late in self.overdue}
                      | {a.unit for a in self.due_soon})


def _by_deadline(assignment: Assignment) -> tuple[date, str, str]:
    return assignment.deadline, assignment.unit, assignment.doc_id


def deadline_digest(assignments: Iterable[Assignment], today: date,
                    policy: TrackingPolicy | None = None,
                    calendar: WorkingCalendar | None = None) -> DeadlineDigest:
    """Open assignments overdue on ``today`` (deadline before it) and those due from
    ``today`` to the ``policy.due_soon_days``-th working day after it, by deadline."""
    calendar = calendar or packaged_calendar()
    horizon = calendar.add_working_days(today, (policy or TrackingPolicy()).due_soon_days)
    open_ones = sorted((a for a in assignments if a.status.is_open), key=_by_deadline)
    overdue = tuple(Late(a, calendar.working_days_between(a.deadline, today))
                    for a in open_ones if a.deadline < today)
    due_soon = tuple(a for a in open_ones if today <= a.deadline <= horizon)
    return DeadlineDigest(today, overdue, due_soon)


def work_list(assignments: Iterable[Assignment], unit: str) -> list[Assignment]:
    """A unit's open assignments, earliest deadline (so overdue ones) first."""
    return sorted((a for a in assignments if a.unit == unit and a.status.is_open),
                  key=_by_deadline)
