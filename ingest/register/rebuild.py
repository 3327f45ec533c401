"""Disaster recovery: the documents table restored from the JSON records in the store."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from ingest.register.columns import document_values
from ingest.register.counters import raise_counter
from ingest.register.database import CHUNK, RegisterDatabase
from ingest.register.engine import unavailable_on_db_errors
from ingest.register.models import RegisterConflict
from ingest.register.schema import INDEX_PENDING, documents
from kernel.model import DocumentRecord, Registration


def _registered_batches(records: Iterable[DocumentRecord]) -> Iterator[list[DocumentRecord]]:
    """The records that carry a registration, in lists of at most ``CHUNK``."""
    batch: list[DocumentRecord] = []
    for record in records:
        if record.registration is None:
            continue
        batch.append(record)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _numbers_held(record: DocumentRecord, registration: Registration) -> list[Registration]:
    """Every number ``record`` ever held: a move between books never frees the old one."""
    held = [registration]
    for change in record.secrecy_changes:
        held += [change.old_registration, change.new_registration]
    return held


class Rebuild(RegisterDatabase):
    """Restoring document rows, with their numbers, from the records."""

    def rebuild_from_records(self, records: Iterable[DocumentRecord]) -> int:
        """Restore document rows, with their existing numbers, from the JSON records.

        Rows are inserted or overwritten by doc_id, in the book each record's
        registration names, and marked pending for the index; the counters of
        both books are raised so new numbers continue after the restored ones,
        and after every number a record ever held (a document moved between
        books keeps its old number in ``secrecy_changes``: it is never reused).
        Records without a registration are skipped.  Raises ``RegisterConflict``
        if a record's number belongs to another document of the same book.
        Returns how many documents were restored.
        """
        return sum(self._restore(batch) for batch in _registered_batches(records))

    def _restore(self, batch: list[DocumentRecord]) -> int:
        try:
            with unavailable_on_db_errors("restoring documents"), self._write() as conn:
                for record in batch:
                    registration = record.registration
                    assert registration is not None
                    values = document_values(record, registration, record.possible_duplicate_of,
                                             INDEX_PENDING, self.review_confidence)
                    conn.execute(documents.delete().where(documents.c.doc_id == record.doc_id))
                    conn.execute(insert(documents), values)
                    for held in _numbers_held(record, registration):
                        raise_counter(conn, held, record.direction)
        except IntegrityError as exc:
            raise RegisterConflict(f"records disagree on numbers or bytes: {exc.orig}") from exc
        return len(batch)
