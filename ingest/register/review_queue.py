"""Corrections of a registered document's description, and the review queue."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select, update

from ingest.register.columns import description_values, document_from_row, review_values
from ingest.register.database import RegisterDatabase, chunks
from ingest.register.engine import unavailable_on_db_errors
from ingest.register.models import ReviewPage
from ingest.register.schema import INDEX_PENDING, documents
from kernel.errors import NotFound
from kernel.model import DocumentRecord

_NEWEST = (documents.c.received_at.desc(), documents.c.doc_id.desc())


def _page_of_all(
    conn: Connection, wanted: ColumnElement[bool], offset: int, limit: int
) -> ReviewPage:
    total = conn.execute(select(func.count()).where(wanted)).scalar_one()
    if limit <= 0:
        return ReviewPage(total, [])
    rows = conn.execute(select(documents).where(wanted).order_by(*_NEWEST)
                        .offset(offset).limit(limit)).all()
    return ReviewPage(total, [document_from_row(r) for r in rows])


def _page_among(
    conn: Connection, wanted: ColumnElement[bool], among: Sequence[str], offset: int, limit: int
) -> ReviewPage:
    found: list[tuple[datetime, str]] = []
    for chunk in chunks(list(dict.fromkeys(among))):
        query = select(documents.c.received_at, documents.c.doc_id).where(
            wanted, documents.c.doc_id.in_(chunk))
        found += [(at, doc_id) for at, doc_id in conn.execute(query)]
    found.sort(reverse=True)
    page = [doc_id for _at, doc_id in found[offset:offset + max(0, limit)]]
    rows = conn.execute(select(documents).where(documents.c.doc_id.in_(page))
                        .order_by(*_NEWEST)).all() if page else []
    return ReviewPage(len(found), [document_from_row(r) for r in rows])


@dataclass
class Correction:
    """A correction in progress: ``record`` is the rewritten record, once written."""

    doc_id: str
    record: DocumentRecord | None = None


class ReviewQueue(RegisterDatabase):
    """The description columns of registered documents and their review flags."""

    @contextmanager
    def correcting(self, doc_id: str) -> Iterator[Correction]:
        """A correction of a registered document's record, its row brought in line.

        Inside the ``with`` block the row is locked (two corrections of one
        document queue up): read the record, change it, write it to the store
        and set ``correction.record``.  When the block ends the row takes that
        record's description columns and review flag, goes back to "pending"
        for the index, and the transaction commits; if the block raises,
        nothing changes here.  Numbers, book and secrecy are untouched
        (``changing_secrecy`` moves those).  ``NotFound`` for an unknown ``doc_id``.
        """
        with unavailable_on_db_errors("correcting a document"), self._write() as conn:
            query = select(documents.c.reg_year).where(documents.c.doc_id == doc_id)
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            year = conn.execute(query).scalar_one_or_none()
            if year is None:
                raise NotFound(f"document {doc_id} is not registered")
            correction = Correction(doc_id)
            yield correction
            if correction.record is None:
                raise RuntimeError(f"the correction of {doc_id} set no record")
            conn.execute(
                update(documents).where(documents.c.doc_id == doc_id).values(
                    **description_values(correction.record, year, self.review_confidence),
                    index_state=INDEX_PENDING)
            )

    def review_of(self, record: DocumentRecord) -> dict[str, Any]:
        """The review flag columns for ``record`` under this register's threshold."""
        return review_values(record, self.review_confidence)

    def set_review_flags(self, flags: Iterable[tuple[str, dict[str, Any]]]) -> int:
        """Store ``(doc_id, review_of(record))`` pairs (after a reindex); how many rows matched."""
        changed = 0
        for chunk in chunks(list(flags)):
            with unavailable_on_db_errors("updating review flags"), self._write() as conn:
                for doc_id, values in chunk:
                    changed += conn.execute(
                        update(documents).where(documents.c.doc_id == doc_id).values(**values)
                    ).rowcount
        return changed

    def needing_review(
        self,
        *,
        max_secrecy: int,
        among: Sequence[str] | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> ReviewPage:
        """Documents whose key fields need a person's check, newest received first.

        Only documents of secrecy rank ``max_secrecy`` or below, and, when
        ``among`` is given, only those doc ids (a clerk's own uploads); the
        total counts exactly those.  ``limit=0`` gives the total alone.
        """
        wanted = (documents.c.needs_review == 1) & (documents.c.secrecy <= max_secrecy)
        with unavailable_on_db_errors("listing documents to review"), self._read() as conn:
            if among is None:
                return _page_of_all(conn, wanted, offset, limit)
            return _page_among(conn, wanted, among, offset, limit)
