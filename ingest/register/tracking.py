"""Document tracking in the register: assignments of incoming documents and their history.

The rules (status flow, deadlines, digests) are ``ingest.tracking``'s; this
part stores what they decide.  Every read takes the reader's clearance
(``max_secrecy``, the rank of the highest mark they may see): a secret
document's assignments are not shown to anyone below it, exactly as the
review queue does.  Lists are sorted by deadline, so overdue ones come first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Row, Select, insert, select, update

from ingest.register.database import RegisterDatabase, chunks
from ingest.register.engine import unavailable_on_db_errors
from ingest.register.schema import assignment_history, assignments, documents
from ingest.tracking.assignments import (
    Assignment,
    HistoryEntry,
    Role,
    Status,
    TrackingRefused,
)
from kernel.errors import NotFound
from kernel.model import register_label

OPEN = (Status.WAITING.value, Status.IN_PROGRESS.value)
_DOCUMENT_COLUMNS = (documents.c.reg_number, documents.c.reg_year, documents.c.book,
                     documents.c.secrecy, documents.c.number_symbol, documents.c.subject,
                     documents.c.issuing_body, documents.c.received_at)


@dataclass(frozen=True)
class TrackedAssignment:
    """A stored assignment, with the document facts a work list shows."""

    id: int
    assignment: Assignment
    assigned_by: str
    assigned_at: datetime
    label: str  # the document's register number, "12/2026"
    number_symbol: str | None
    subject: str | None
    issuing_body: str | None
    secrecy: int
    received_at: datetime


@dataclass
class AssignmentChange:
    """A change in progress: set ``moved`` to what ``ingest.tracking`` made of ``current``."""

    current: TrackedAssignment
    moved: tuple[Assignment, HistoryEntry] | None = None


def _assignment_of(row: Row[Any]) -> Assignment:
    m = row._mapping
    return Assignment(doc_id=m["doc_id"], unit=m["unit"], deadline=m["deadline"],
                      role=Role(m["role"]), status=Status(m["status"]),
                      instruction=m["instruction"], result_note=m["result_note"],
                      answered_by=m["answered_by"], returned_reason=m["returned_reason"],
                      closed_on=m["closed_on"])


def _tracked(row: Row[Any]) -> TrackedAssignment:
    m = row._mapping
    return TrackedAssignment(
        id=m["id"], assignment=_assignment_of(row), assigned_by=m["assigned_by"],
        assigned_at=m["assigned_at"], label=register_label(m["reg_number"], m["reg_year"],
                                                           m["book"]),
        number_symbol=m["number_symbol"], subject=m["subject"],
        issuing_body=m["issuing_body"], secrecy=m["secrecy"], received_at=m["received_at"])


def _history_row(assignment_id: int, entry: HistoryEntry) -> dict[str, Any]:
    return {"assignment_id": assignment_id, "doc_id": entry.doc_id, "unit": entry.unit,
            "who": entry.who, "at": entry.when,
            "old_status": entry.old.value if entry.old is not None else None,
            "new_status": entry.new.value, "note": entry.note,
            "answered_by": entry.answered_by}


def _values(assignment: Assignment) -> dict[str, Any]:
    return {"status": assignment.status.value, "result_note": assignment.result_note,
            "answered_by": assignment.answered_by,
            "returned_reason": assignment.returned_reason, "closed_on": assignment.closed_on}


def _joined(max_secrecy: int) -> Select[Any]:
    return (select(assignments, *_DOCUMENT_COLUMNS)
            .join(documents, documents.c.doc_id == assignments.c.doc_id)
            .where(documents.c.secrecy <= max_secrecy))


_BY_DEADLINE = (assignments.c.deadline, assignments.c.unit, assignments.c.doc_id,
                assignments.c.id)


def _check_assignable(conn: Connection, made: Sequence[Assignment]) -> None:
    """``NotFound`` for an unregistered document; refusals for an outgoing one or a unit
    that already holds it open."""
    doc_ids = sorted({a.doc_id for a in made})
    directions: dict[str, str] = {}
    held: set[tuple[str, str]] = set()
    for chunk in chunks(doc_ids):  # IN lists stay under the backends' limits
        directions.update((doc_id, direction) for doc_id, direction in conn.execute(
            select(documents.c.doc_id, documents.c.direction)
            .where(documents.c.doc_id.in_(chunk))))
        held.update((doc_id, unit) for doc_id, unit in conn.execute(
            select(assignments.c.doc_id, assignments.c.unit).where(
                assignments.c.doc_id.in_(chunk), assignments.c.status.in_(OPEN))))
    for doc_id in doc_ids:
        if doc_id not in directions:
            raise NotFound(f"document {doc_id} is not registered")
        if directions[doc_id] != "incoming":
            raise TrackingRefused("tracking_not_incoming")
    for assignment in made:
        if (assignment.doc_id, assignment.unit) in held:
            raise TrackingRefused("tracking_already_assigned", unit=assignment.unit)
        held.add((assignment.doc_id, assignment.unit))


def _insert(conn: Connection, made: Sequence[tuple[Assignment, HistoryEntry]]) -> list[int]:
    ids = []
    for assignment, entry in made:
        new_id = conn.execute(insert(assignments).values(
            doc_id=assignment.doc_id, unit=assignment.unit, role=assignment.role.value,
            deadline=assignment.deadline, instruction=assignment.instruction,
            assigned_by=entry.who, assigned_at=entry.when, **_values(assignment),
        ).returning(assignments.c.id)).scalar_one()
        conn.execute(insert(assignment_history), _history_row(new_id, entry))
        ids.append(new_id)
    return ids


class Tracking(RegisterDatabase):
    """Assignments of incoming documents to units, and every change of them."""

    def add_assignments(self, made: Sequence[tuple[Assignment, HistoryEntry]]) -> list[int]:
        """Store new assignments (``ingest.tracking.assign``'s pairs) in one transaction.

        ``NotFound`` for an unregistered document, ``TrackingRefused`` for an
        outgoing one or a unit that holds the document open already; then
        nothing is stored.  Returns the new ids, in order.
        """
        with unavailable_on_db_errors("assigning a document"), self._write() as conn:
            _check_assignable(conn, [assignment for assignment, _entry in made])
            return _insert(conn, made)

    def pre_assign(self, made: Sequence[tuple[Assignment, HistoryEntry]]) -> list[int]:
        """Store the assignments of documents that have none yet (routing at registration).

        Safe to repeat: a document assigned before, by routing or by a clerk,
        is left alone, so a batch run again after a crash routes once.
        """
        with unavailable_on_db_errors("routing documents"), self._write() as conn:
            doc_ids = sorted({a.doc_id for a, _entry in made})
            assigned: set[str] = set()
            for chunk in chunks(doc_ids):
                assigned.update(conn.execute(select(assignments.c.doc_id).where(
                    assignments.c.doc_id.in_(chunk))).scalars())
            fresh = [(a, e) for a, e in made if a.doc_id not in assigned]
            if fresh:
                _check_assignable(conn, [a for a, _e in fresh])
            return _insert(conn, fresh)

    @contextmanager
    def changing_assignment(self, assignment_id: int, *,
                            max_secrecy: int) -> Iterator[AssignmentChange]:
        """A change of one assignment: the row locked, stored when the block ends.

        Inside the block read ``change.current``, apply ``ingest.tracking``'s
        move and set ``change.moved``; the row takes the new status and the
        history entry is appended in the same transaction.  A block that
        raises, or sets nothing, changes nothing.  ``NotFound`` for an
        assignment that does not exist or is beyond ``max_secrecy``.
        """
        with unavailable_on_db_errors("changing an assignment"), self._write() as conn:
            query = _joined(max_secrecy).where(assignments.c.id == assignment_id)
            if conn.dialect.name == "postgresql":
                query = query.with_for_update(of=assignments)
            row = conn.execute(query).first()
            if row is None:
                raise NotFound(f"no assignment {assignment_id}")
            change = AssignmentChange(_tracked(row))
            yield change
            if change.moved is None:
                return
            moved, entry = change.moved
            conn.execute(update(assignments).where(assignments.c.id == assignment_id)
                         .values(**_values(moved)))
            conn.execute(insert(assignment_history), _history_row(assignment_id, entry))

    def assignments_of(self, doc_id: str, *, max_secrecy: int) -> list[TrackedAssignment]:
        """Every assignment of ``doc_id``, oldest first (none beyond ``max_secrecy``)."""
        query = _joined(max_secrecy).where(assignments.c.doc_id == doc_id).order_by(
            assignments.c.id)
        with unavailable_on_db_errors("reading assignments"), self._read() as conn:
            return [_tracked(row) for row in conn.execute(query)]

    def assignment_history(self, assignment_id: int, *,
                           max_secrecy: int) -> list[HistoryEntry]:
        """The changes of one assignment, in order; empty beyond ``max_secrecy``."""
        query = (select(assignment_history)
                 .join(documents, documents.c.doc_id == assignment_history.c.doc_id)
                 .where(assignment_history.c.assignment_id == assignment_id,
                        documents.c.secrecy <= max_secrecy)
                 .order_by(assignment_history.c.id))
        with unavailable_on_db_errors("reading assignment history"), self._read() as conn:
            return [HistoryEntry(r.doc_id, r.unit, r.who, r.at,
                                 Status(r.old_status) if r.old_status else None,
                                 Status(r.new_status), r.note, r.answered_by)
                    for r in conn.execute(query)]

    def open_assignments(self, *, max_secrecy: int, unit: str | None = None,
                         due_by: date | None = None) -> list[TrackedAssignment]:
        """Open assignments (of ``unit``; with a deadline on or before ``due_by``), by
        deadline: the overdue ones first."""
        query = _joined(max_secrecy).where(assignments.c.status.in_(OPEN))
        if unit is not None:
            query = query.where(assignments.c.unit == unit)
        if due_by is not None:
            query = query.where(assignments.c.deadline <= due_by)
        with unavailable_on_db_errors("listing open assignments"), self._read() as conn:
            return [_tracked(row) for row in conn.execute(query.order_by(*_BY_DEADLINE))]

    def assignments_matching(self, *, max_secrecy: int, units: Sequence[str] | None = None,
                             statuses: Sequence[str] | None = None,
                             due_by: date | None = None) -> list[TrackedAssignment]:
        """Assignments, open or closed, of ``units`` in ``statuses`` (None: any) with a
        deadline on or before ``due_by``, by deadline: what a search by tracking state
        keeps to (the web search page's unit, status and overdue filters)."""
        query = _joined(max_secrecy)
        if units is not None:
            query = query.where(assignments.c.unit.in_(list(units)))
        if statuses is not None:
            query = query.where(assignments.c.status.in_(list(statuses)))
        if due_by is not None:
            query = query.where(assignments.c.deadline <= due_by)
        with unavailable_on_db_errors("listing assignments"), self._read() as conn:
            return [_tracked(row) for row in conn.execute(query.order_by(*_BY_DEADLINE))]

    def assignments_registered(self, year: int, *, max_secrecy: int,
                               book: str = "ordinary") -> list[TrackedAssignment]:
        """Every assignment of the incoming documents registered in ``year`` in ``book``,
        by arrival number, then the lead unit first: what the tracking register prints."""
        query = _joined(max_secrecy).where(
            documents.c.reg_year == year, documents.c.direction == "incoming",
            documents.c.book == book,
        ).order_by(documents.c.reg_number, assignments.c.role != Role.LEAD.value,
                   assignments.c.id)
        with unavailable_on_db_errors("reading the tracking register"), self._read() as conn:
            return [_tracked(row) for row in conn.execute(query)]

    def lead_assignments_active(self, start: date, end: date, *,
                                max_secrecy: int) -> list[TrackedAssignment]:
        """Lead assignments made by ``end`` and not closed before ``start`` (local days):
        what a report of the period counts, received, handled or still open."""
        until = datetime.combine(end + timedelta(days=1), time.min, self.tz)
        query = _joined(max_secrecy).where(
            assignments.c.role == Role.LEAD.value, assignments.c.assigned_at < until,
            (assignments.c.closed_on.is_(None)) | (assignments.c.closed_on >= start),
        ).order_by(*_BY_DEADLINE)
        with unavailable_on_db_errors("reading assignments for a report"), self._read() as conn:
            return [_tracked(row) for row in conn.execute(query)]
