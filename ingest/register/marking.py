"""Marking a registered document secret, or lifting its mark: a move between the books."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from ingest.register.columns import document_from_row
from ingest.register.counters import take_numbers
from ingest.register.database import RegisterDatabase
from ingest.register.engine import unavailable_on_db_errors
from ingest.register.models import LedgerEvent, RegisteredDocument, SecrecyMove
from ingest.register.schema import INDEX_PENDING, documents, events
from kernel.errors import NotFound, UsageError
from kernel.model import SECRECY_LEVELS, Registration, book_for_secrecy


def locked_document(conn: Connection, doc_id: str) -> RegisteredDocument:
    """The row of ``doc_id``, locked until the transaction ends; ``NotFound`` if none."""
    query = select(documents).where(documents.c.doc_id == doc_id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"document {doc_id} is not registered")
    return document_from_row(row)


def _secrecy_event(doc: RegisteredDocument, move: SecrecyMove) -> dict[str, Any]:
    return {
        "sha256": doc.sha256,
        "event": LedgerEvent.SECRECY_CHANGED.value,
        "original_name": doc.original_name,
        "direction": doc.direction,
        "folder": doc.folder,
        "at": move.at,
        "detail": {
            "by": move.by, "reason": move.reason,
            "old_secrecy": SECRECY_LEVELS[move.old_secrecy],
            "new_secrecy": SECRECY_LEVELS[move.new_secrecy],
            "old_number": move.old.label, "new_number": move.new.label,
        },
        "doc_id": doc.doc_id,
    }


class SecrecyMarking(RegisterDatabase):
    """Changing the secrecy rank of registered documents."""

    def change_secrecy(
        self, doc_id: str, secrecy: int, *, by: str, reason: str, at: datetime | None = None
    ) -> SecrecyMove:
        """``changing_secrecy`` with nothing to write before the commit."""
        with self.changing_secrecy(doc_id, secrecy, by=by, reason=reason, at=at) as move:
            return move

    @contextmanager
    def changing_secrecy(
        self, doc_id: str, secrecy: int, *, by: str, reason: str, at: datetime | None = None
    ) -> Iterator[SecrecyMove]:
        """Set the secrecy rank (0 open, 1..3) of a registered document, moving books if needed.

        Marking an ordinary document secret (or unmarking a secret one) gives
        it the next number of the other book in the year of ``at``; its old
        number is not given back (the counter never goes down).  Changing
        between secret levels keeps the number.  The document goes back to
        "pending" for the index and a ``secrecy_changed`` ledger event records
        who, when, why, and the old and new mark and number.

        The move is handed to the ``with`` block inside the transaction, the
        row locked; the change commits when the block ends (rewrite the record
        JSON there), and if the block raises nothing changes.  ``NotFound``
        for an unknown ``doc_id``.
        """
        if not 0 <= secrecy < len(SECRECY_LEVELS):
            raise UsageError(f"secrecy rank must be 0..{len(SECRECY_LEVELS) - 1}, not {secrecy}")
        if not by.strip() or not reason.strip():
            raise UsageError("a secrecy change needs who made it and why")
        moment = self._now(at, "time of the change")
        with unavailable_on_db_errors("changing secrecy"), self._write() as conn:
            doc = locked_document(conn, doc_id)
            new = self._registration_in_book(conn, doc, secrecy, moment)
            move = SecrecyMove(doc_id=doc_id, at=moment, by=by, reason=reason,
                               old_secrecy=doc.secrecy, new_secrecy=secrecy,
                               old=doc.registration, new=new)
            conn.execute(
                update(documents).where(documents.c.doc_id == doc_id).values(
                    book=new.book, reg_year=new.year, reg_number=new.number,
                    registered_at=new.registered_at, secrecy=secrecy,
                    index_state=INDEX_PENDING)
            )
            conn.execute(insert(events), _secrecy_event(doc, move))
            yield move

    def _registration_in_book(
        self, conn: Connection, doc: RegisteredDocument, secrecy: int, moment: datetime
    ) -> Registration:
        """``doc``'s registration, or a new number in the book ``secrecy`` calls for."""
        book = book_for_secrecy(secrecy)
        if book == doc.book:
            return doc.registration
        year = self.year_of(moment)
        number = take_numbers(conn, year, doc.direction, book, 1)
        return Registration(year=year, number=number, registered_at=moment, book=book)
