"""Reading the register: the Decree 30 book, the rows of a report, the counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Row, func, select

from ingest.register.book import BookRow, book_row
from ingest.register.columns import document_from_row
from ingest.register.database import RegisterDatabase, check_book, check_direction
from ingest.register.engine import unavailable_on_db_errors
from ingest.register.models import LedgerEvent
from ingest.register.schema import INDEX_DONE, INDEX_PENDING, documents, events
from kernel.model import DIRECTIONS, register_label

_REPORT_COLUMNS = (
    documents.c.doc_id,
    documents.c.direction,
    documents.c.doc_type,
    documents.c.issuing_body,
    documents.c.folder,
    documents.c.received_at,
    documents.c.reg_year.label("year"),
    documents.c.reg_number.label("number"),
    documents.c.book,
    documents.c.secrecy,
    documents.c.index_state,
)


def _labels_of(conn: Connection, rows: Sequence[Row[Any]], *, include_secret: bool
               ) -> dict[str, str]:
    """Register labels ("12/2026", "3/2026-M") of the documents the rows are flagged against."""
    wanted = {d for r in rows for d in (r._mapping["possible_duplicate_of"] or [])}
    if not wanted:
        return {}
    query = select(documents.c.doc_id, documents.c.reg_number, documents.c.reg_year,
                   documents.c.book).where(documents.c.doc_id.in_(sorted(wanted)))
    if not include_secret:
        query = query.where(documents.c.book == "ordinary")
    return {d: register_label(n, y, b) for d, n, y, b in conn.execute(query)}


def _empty_stats() -> dict[str, int]:
    out: dict[str, int] = {"documents": 0, "possible_duplicates": 0}
    out.update({d: 0 for d in DIRECTIONS})
    out.update({f"index_{s}": 0 for s in (INDEX_PENDING, INDEX_DONE)})
    out.update({f"events_{e.value}": 0 for e in LedgerEvent})
    return out


class BookAndReports(RegisterDatabase):
    """What the register book, the monthly reports and the status page read."""

    def register_book(self, year: int, direction: str, book: str = "ordinary") -> list[BookRow]:
        """The Decree 30 register book of ``direction`` for ``year``, by number.

        ``book="secret"`` gives the secret book (sổ đăng ký văn bản mật), for
        cleared officers only; the ordinary book shows nothing of it, not
        even a duplicate warning pointing at a secret document.
        """
        check_direction(direction)
        check_book(book)
        query = (
            select(documents)
            .where(documents.c.reg_year == year, documents.c.direction == direction,
                   documents.c.book == book)
            .order_by(documents.c.reg_number)
        )
        with unavailable_on_db_errors("reading the register book"), self._read() as conn:
            rows = conn.execute(query).all()
            labels = _labels_of(conn, rows, include_secret=book == "secret")
        return [book_row(document_from_row(r), self.tz, labels) for r in rows]

    def document_rows(self, received_from: date, received_to: date) -> list[dict[str, Any]]:
        """Documents received between the two dates (inclusive, local time), for reports.

        Each dict: doc_id, direction, doc_type, issuing_body, folder,
        received_at (aware, UTC), year, number, book, secrecy (0..3), index_state.
        """
        start = datetime.combine(received_from, time.min, self.tz)
        end = datetime.combine(received_to + timedelta(days=1), time.min, self.tz)
        query = (
            select(*_REPORT_COLUMNS)
            .where(documents.c.received_at >= start, documents.c.received_at < end)
            .order_by(documents.c.received_at, documents.c.doc_id)
        )
        with unavailable_on_db_errors("reading documents for a report"), self._read() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def stats(self) -> dict[str, int]:
        """Counts for a status page: documents by direction and index state, events by kind."""
        out = _empty_stats()
        by_state = select(documents.c.direction, documents.c.index_state, func.count()).group_by(
            documents.c.direction, documents.c.index_state
        )
        by_event = select(events.c.event, func.count()).group_by(events.c.event)
        with unavailable_on_db_errors("counting"), self._read() as conn:
            for direction, state, count in conn.execute(by_state):
                out["documents"] += count
                out[direction] += count
                out[f"index_{state}"] = out.get(f"index_{state}", 0) + count
            # JSON lists are not comparable the same way on both backends:
            # count the non-empty ones here.
            lists = conn.execute(select(documents.c.possible_duplicate_of)).scalars()
            out["possible_duplicates"] = sum(1 for value in lists if value)
            for kind, count in conn.execute(by_event):
                out[f"events_{kind}"] = count
        return out
