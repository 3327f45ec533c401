"""Registering documents: a number each in its book, or the number its bytes already have.

Numbers run from 1 per calendar year, direction and book: documents marked
MẬT, TỐI MẬT or TUYỆT MẬT are numbered in the secret book, apart from the
ordinary one, so neither sequence shows gaps where the other's documents are.
The numbers are taken (``ingest.register.counters``) in the *same*
transaction that inserts the document rows, so:

- a crash or an exception before commit gives the numbers back (no gaps);
- concurrent workers queue on the counter row (PostgreSQL row lock, SQLite
  ``BEGIN IMMEDIATE``) and never get the same number;
- registering the same bytes again returns the existing number (the sha256
  column is unique; a worker that loses that race retries and finds it).

``Registering.registering`` hands the numbers to its caller *before* the
commit: what the caller must make durable under those numbers (the record
JSON of each document) is written inside the ``with`` block, and the numbers
commit only when the block ends without an error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RootTransaction, insert
from sqlalchemy.exc import IntegrityError

from ingest.register.columns import book_of, document_values
from ingest.register.counters import take_numbers
from ingest.register.database import RegisterDatabase, aware, check_direction
from ingest.register.engine import unavailable_on_db_errors
from ingest.register.ledger import event_row
from ingest.register.lookups import by_sha256s, same_identifiers
from ingest.register.models import (
    LedgerEntry,
    RegisterConflict,
    RegisteredDocument,
    RegistrationResult,
)
from ingest.register.schema import INDEX_PENDING, documents, events
from kernel.model import DocumentRecord, Registration

_REGISTER_ATTEMPTS = 3

Row = dict[str, Any]


class Registering(RegisterDatabase):
    """Giving documents their numbers, alone or a group in one transaction."""

    def register_document(
        self, record: DocumentRecord, *, at: datetime | None = None
    ) -> RegistrationResult:
        """Give ``record`` its number, or return the number its bytes already have.

        ``at`` is the registration time (default: now); its year in the
        register's time zone picks the number series.
        """
        [result] = self.register_documents([record], at=at)
        return result

    def register_documents(
        self,
        records: Sequence[DocumentRecord],
        *,
        at: datetime | None = None,
        ledger: Iterable[LedgerEntry] = (),
    ) -> list[RegistrationResult]:
        """``register_document`` for several records in one transaction, in their order."""
        with self.registering(records, at=at, ledger=ledger) as results:
            return results

    @contextmanager
    def registering(
        self,
        records: Sequence[DocumentRecord],
        *,
        at: datetime | None = None,
        ledger: Iterable[LedgerEntry] = (),
    ) -> Iterator[list[RegistrationResult]]:
        """Number ``records`` and give the results, in their order, to the ``with`` block.

        The transaction commits when the block ends: every record gets its
        number (or the one its bytes have) and the ``ledger`` events are
        appended, or, if the block or anything else fails before the commit,
        none of it happens and no number is used up.  Keep the block short:
        the counters stay locked until it ends.
        """
        registered_at = self._now(at, "registration time")
        for record in records:
            check_direction(record.direction)
            aware(record.received_at, "received_at")
        rows = [event_row(entry) for entry in ledger]
        conn, transaction, results = self._numbered(records, registered_at, rows)
        with conn:
            try:
                yield results
            except BaseException:
                transaction.rollback()
                raise
            with unavailable_on_db_errors("committing a registration"):
                transaction.commit()

    def _numbered(
        self, records: Sequence[DocumentRecord], registered_at: datetime, ledger: list[Row]
    ) -> tuple[Connection, RootTransaction, list[RegistrationResult]]:
        """An open write transaction in which ``records`` are numbered and ``ledger`` logged."""
        for attempt in range(1, _REGISTER_ATTEMPTS + 1):
            with unavailable_on_db_errors("registering documents"):
                conn = self._writer.connect()
                try:
                    transaction = conn.begin()
                    results = number_group(conn, records, registered_at,
                                           self.year_of(registered_at), self.review_confidence)
                    if ledger:
                        conn.execute(insert(events), ledger)
                    return conn, transaction, results
                except IntegrityError as exc:
                    conn.close()
                    # Another worker committed the same bytes between our look-up
                    # and our insert; the next attempt finds its row.
                    if attempt == _REGISTER_ATTEMPTS:
                        raise RegisterConflict(f"cannot register: {exc.orig}") from exc
                except BaseException:
                    conn.close()
                    raise
        raise AssertionError("unreachable")


def number_group(
    conn: Connection,
    records: Sequence[DocumentRecord],
    registered_at: datetime,
    year: int,
    review_confidence: float,
) -> list[RegistrationResult]:
    """Number the new records of a group with a few statements, whatever its size.

    The same as registering them one by one: numbers follow the order of
    ``records`` per direction and book, bytes seen before (also earlier in the
    group) keep their number, and a record is flagged against every
    document with its identifier registered before it, the group's included.
    """
    known = by_sha256s(conn, [r.sha256 for r in records])
    first_of: dict[str, int] = {}
    for i, record in enumerate(records):
        if record.sha256 not in known:
            first_of.setdefault(record.sha256, i)
    rows = {
        i: document_values(records[i], Registration(year=year, number=0,
                                                    registered_at=registered_at,
                                                    book=book_of(records[i])),
                           [], INDEX_PENDING, review_confidence)
        for i in first_of.values()
    }
    _give_numbers(conn, year, list(rows.values()))
    _flag_same_identifiers(conn, records, rows, registered_at)
    if rows:
        conn.execute(insert(documents), list(rows.values()))
    return _results(records, rows, known)


def _give_numbers(conn: Connection, year: int, rows: list[Row]) -> None:
    """The next numbers of each row's series, in the order of ``rows``."""
    counts = Counter((row["direction"], row["book"]) for row in rows)
    next_number = {(direction, book): take_numbers(conn, year, direction, book, n) - n + 1
                   for (direction, book), n in counts.items()}
    for row in rows:
        series = (row["direction"], row["book"])
        row["reg_number"] = next_number[series]
        next_number[series] += 1


def _flag_same_identifiers(
    conn: Connection, records: Sequence[DocumentRecord], rows: dict[int, Row],
    registered_at: datetime,
) -> None:
    """Flag each new row against the documents registered with its identifier before it."""
    same = same_identifiers(conn, {(row["identifier_key"], row["identifier_year"])
                                   for row in rows.values() if row["identifier_key"] is not None})
    for i, row in rows.items():
        record = records[i]
        flagged = list(record.possible_duplicate_of)
        if row["identifier_key"] is not None:
            earlier = same.setdefault((row["identifier_key"], row["identifier_year"]), [])
            for _at, doc_id in sorted(earlier):
                if doc_id != record.doc_id and doc_id not in flagged:
                    flagged.append(doc_id)
            earlier.append((registered_at, record.doc_id))
        row["possible_duplicate_of"] = flagged


def _results(
    records: Sequence[DocumentRecord], rows: dict[int, Row], known: dict[str, RegisteredDocument]
) -> list[RegistrationResult]:
    """One result per record: its new number, or the number its bytes had."""
    created: dict[str, RegistrationResult] = {}
    results = []
    for i, record in enumerate(records):
        if i in rows:
            row = rows[i]
            result = created[record.sha256] = RegistrationResult(
                year=row["reg_year"], number=row["reg_number"],
                registered_at=row["registered_at"], book=row["book"], doc_id=record.doc_id,
                possible_duplicate_of=row["possible_duplicate_of"], created=True)
        elif record.sha256 in known:
            result = _result_of(known[record.sha256], created=False)
        else:  # the same bytes twice in the group: the second gets the first's number
            result = created[record.sha256].model_copy(update={"created": False})
        results.append(result)
    return results


def _result_of(doc: RegisteredDocument, *, created: bool) -> RegistrationResult:
    """``doc``'s registration as a ``RegistrationResult``."""
    return RegistrationResult(
        year=doc.year, number=doc.number, registered_at=doc.registered_at, book=doc.book,
        doc_id=doc.doc_id, possible_duplicate_of=doc.possible_duplicate_of, created=created,
    )
