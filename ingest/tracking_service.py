"""Tracking operations on the backends: assign, start, handle, return, and the digest.

The one way the command line, the web app and the ``docket_deadlines`` DAG
change an assignment: each checks the rules (``ingest.tracking.assignments``),
stores the change and its history entry in one register transaction
(``Register.changing_assignment``), then appends an entry to the audit chain,
as a correction does.  ``max_secrecy`` is the acting user's clearance: a
document above it is "not found", whether it exists or not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from ingest.audit import AuditLog
from ingest.backends import Backends
from ingest.indexing import load_record
from ingest.register.tracking import TrackedAssignment
from ingest.register.tracking_book import TrackingLine, tracking_lines
from ingest.tracking.assignments import (
    OPEN_STATUSES,
    SEARCH_STATUSES,
    Assignment,
    DeadlineDigest,
    HistoryEntry,
    Role,
    Status,
    TrackingRefused,
    assign,
    check_member,
    complete,
    deadline_digest,
    return_to_clerk,
    start,
)
from ingest.tracking.setup import TrackingSetup
from kernel.errors import NotFound
from kernel.model import register_label

ASSIGN_ACTION = "assign"  # audit chain action of a new assignment
TRACK_ACTION = "track"  # ... and of a status change


@dataclass(frozen=True)
class Actor:
    """Who acts, when, and what they may see (the rank of the highest mark)."""

    user: str
    max_secrecy: int
    at: datetime | None = None
    # True for a unit member acting in a work list: only their units' assignments.
    as_member: bool = False

    def moment(self, backends: Backends) -> datetime:
        """When, in the office's time zone: a handled day is the office's day."""
        return (self.at or datetime.now(UTC)).astimezone(backends.register.tz)


def _visible(backends: Backends, doc_id: str, actor: Actor, direction: str) -> None:
    document = backends.register.get_document(doc_id)
    if document is None or document.secrecy > actor.max_secrecy:
        raise NotFound(f"no document {doc_id[:40]!r}")
    if document.direction != direction:
        raise TrackingRefused("tracking_not_incoming" if direction == "incoming"
                              else "tracking_answer_not_outgoing")


def handling_deadline(backends: Backends, setup: TrackingSetup, doc_id: str, *,
                      deadline: date | None = None, days: int | None = None,
                      today: date) -> date:
    """The deadline a clerk asked for: a date, N working days from ``today``, or the
    default for the document's urgency, counted from its registration day."""
    if deadline is not None:
        return deadline
    if days is not None:
        return setup.calendar.add_working_days(today, days)
    document = backends.register.get_document(doc_id)
    if document is None:
        raise NotFound(f"document {doc_id} is not registered")
    registered = document.registered_at.astimezone(backends.register.tz).date()
    return setup.default_deadline(registered, load_record(backends, doc_id).meta("urgency"))


def assign_document(backends: Backends, audit: AuditLog, setup: TrackingSetup, doc_id: str,
                    unit: str, actor: Actor, *, cooperating: Iterable[str] = (),
                    deadline: date, instruction: str = "") -> list[TrackedAssignment]:
    """Assign ``doc_id`` to the lead ``unit`` and the ``cooperating`` ones, by ``deadline``.

    ``TrackingRefused`` for an unknown unit, an outgoing document or a unit
    that holds it open already; ``NotFound`` beyond the actor's clearance.
    """
    _visible(backends, doc_id, actor, "incoming")
    roles = {unit: Role.LEAD} | {code: Role.COOPERATING for code in cooperating
                                 if code != unit}
    for code in roles:
        if setup.unit(code) is None:
            raise TrackingRefused("tracking_unknown_unit", unit=code)
    made = [assign(doc_id, code, deadline, actor.user, actor.moment(backends), role=role,
                   instruction=instruction) for code, role in roles.items()]
    ids = backends.register.add_assignments(made)
    for (assignment, _entry), _id in zip(made, ids, strict=True):
        audit.append(actor.user, ASSIGN_ACTION, doc_id,
                     f"{assignment.unit} ({assignment.role.value}), "
                     f"hạn {assignment.deadline:%d/%m/%Y}: {instruction}".rstrip(": "))
    found = backends.register.assignments_of(doc_id, max_secrecy=actor.max_secrecy)
    return [t for t in found if t.id in ids]


def open_assignment(backends: Backends, doc_id: str, unit: str | None,
                    actor: Actor) -> TrackedAssignment:
    """The open assignment of ``doc_id`` to ``unit`` (or its only open one)."""
    found = [t for t in backends.register.assignments_of(doc_id, max_secrecy=actor.max_secrecy)
             if t.assignment.status.is_open and unit in (None, t.assignment.unit)]
    if not found:
        raise TrackingRefused("tracking_no_assignment", doc_id=doc_id[:40], unit=unit or "-")
    if len(found) > 1:
        raise TrackingRefused("tracking_unit_needed")
    return found[0]


def _change(backends: Backends, audit: AuditLog, setup: TrackingSetup, target: TrackedAssignment,
            actor: Actor, new: Status, note: str = "",
            answered_by: str | None = None) -> TrackedAssignment:
    with backends.register.changing_assignment(target.id,
                                               max_secrecy=actor.max_secrecy) as change:
        current = change.current.assignment
        if actor.as_member:
            unit = setup.unit(current.unit)
            if unit is None:
                raise TrackingRefused("tracking_unknown_unit", unit=current.unit)
            check_member(unit, actor.user)
        change.moved = _moved(current, actor.user, actor.moment(backends), new, note,
                              answered_by)
    moved, entry = change.moved
    audit.append(actor.user, TRACK_ACTION, moved.doc_id, _audit_detail(moved, entry))
    return replace(change.current, assignment=moved)


def _moved(current: Assignment, user: str, at: datetime, new: Status, note: str,
           answered_by: str | None) -> tuple[Assignment, HistoryEntry]:
    if new is Status.IN_PROGRESS:
        return start(current, user, at)
    if new is Status.DONE:
        return complete(current, user, at, note, answered_by)
    return return_to_clerk(current, user, at, note)


def _audit_detail(moved: Assignment, entry: HistoryEntry) -> str:
    old = entry.old.value if entry.old is not None else "-"
    detail = f"{moved.unit}: {old} -> {entry.new.value}"
    if entry.answered_by:
        detail += f" (trả lời bằng {entry.answered_by})"
    return f"{detail}: {entry.note}" if entry.note else detail


def start_handling(backends: Backends, audit: AuditLog, setup: TrackingSetup, doc_id: str,
                   unit: str | None, actor: Actor) -> TrackedAssignment:
    """The unit begins: chờ xử lý -> đang xử lý."""
    target = open_assignment(backends, doc_id, unit, actor)
    return _change(backends, audit, setup, target, actor, Status.IN_PROGRESS)


def mark_handled(backends: Backends, audit: AuditLog, setup: TrackingSetup, doc_id: str,
                 unit: str | None, actor: Actor, note: str,
                 answered_by: str | None = None) -> TrackedAssignment:
    """Handled, with a result note and optionally the registered outgoing document that
    answers it (visible to the actor)."""
    if answered_by is not None:
        _visible(backends, answered_by, actor, "outgoing")
    target = open_assignment(backends, doc_id, unit, actor)
    return _change(backends, audit, setup, target, actor, Status.DONE, note, answered_by)


def return_assignment(backends: Backends, audit: AuditLog, setup: TrackingSetup, doc_id: str,
                      unit: str | None, actor: Actor, reason: str) -> TrackedAssignment:
    """Sent back to the clerk, with a reason."""
    target = open_assignment(backends, doc_id, unit, actor)
    return _change(backends, audit, setup, target, actor, Status.RETURNED, reason)


def digest_for(backends: Backends, setup: TrackingSetup, today: date, *,
               max_secrecy: int) -> DeadlineDigest:
    """What is overdue on ``today`` and what falls due within the policy's window
    (``DeadlineDigest.for_unit`` splits it for one message per unit)."""
    horizon = setup.calendar.add_working_days(today, setup.policy.due_soon_days)
    due = backends.register.open_assignments(max_secrecy=max_secrecy, due_by=horizon)
    return deadline_digest([t.assignment for t in due], today, setup.policy, setup.calendar)


def tracked_assignments(backends: Backends, *, max_secrecy: int, units: list[str] | None,
                        status: str = "", overdue: bool = False,
                        today: date) -> list[TrackedAssignment]:
    """What a search by tracking state keeps to: the assignments of ``units`` (None:
    every unit) in ``status`` (a ``SEARCH_STATUSES`` key; an unknown one keeps none),
    open and past their deadline on ``today`` when ``overdue``."""
    statuses = SEARCH_STATUSES.get(status, ())
    due_by = None
    if overdue:  # open, with a deadline before today
        statuses = tuple(s for s in statuses or OPEN_STATUSES if s in OPEN_STATUSES)
        due_by = today - timedelta(days=1)
    return backends.register.assignments_matching(
        max_secrecy=max_secrecy, units=units, statuses=statuses, due_by=due_by)


def tracking_book_lines(backends: Backends, year: int, *, max_secrecy: int,
                        book: str = "ordinary") -> list[TrackingLine]:
    """The lines of the tracking register of ``year`` (``book``: ordinary or secret), the
    answering documents shown by their number/symbol (or register number)."""
    register = backends.register
    found = register.assignments_registered(year, max_secrecy=max_secrecy, book=book)
    answers: dict[str, str] = {}
    for tracked in found:
        answer = tracked.assignment.answered_by
        document = register.get_document(answer) if answer else None
        if answer and document is not None and document.secrecy <= max_secrecy:
            answers[answer] = document.number_symbol or register_label(
                document.number, document.year, document.book)
    return tracking_lines(found, answers, register.tz)
