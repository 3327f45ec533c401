"""Registered documents found by their bytes, their id or their identifier; duplicates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from ingest.register.columns import document_from_row, identifier_key
from ingest.register.database import RegisterDatabase, chunks
from ingest.register.engine import unavailable_on_db_errors
from ingest.register.models import LedgerEvent, RegisteredDocument
from ingest.register.schema import documents, events
from kernel.errors import NotFound
from kernel.model import DuplicateEvent

# (registered_at, doc_id) of the documents registered with one identifier.
Holders = list[tuple[datetime, str]]


def by_sha256(conn: Connection, sha256: str) -> RegisteredDocument | None:
    row = conn.execute(select(documents).where(documents.c.sha256 == sha256)).first()
    return document_from_row(row) if row is not None else None


def by_sha256s(conn: Connection, sha256s: list[str]) -> dict[str, RegisteredDocument]:
    """The registered documents among these SHA-256, by SHA-256."""
    found = {}
    for chunk in chunks(list(dict.fromkeys(sha256s))):
        for row in conn.execute(select(documents).where(documents.c.sha256.in_(chunk))):
            document = document_from_row(row)
            found[document.sha256] = document
    return found


def same_identifiers(
    conn: Connection, keys: set[tuple[str, int]]
) -> dict[tuple[str, int], Holders]:
    """(registered_at, doc_id) of the documents already registered with each identifier."""
    found: dict[tuple[str, int], Holders] = {}
    for names in chunks(sorted({key for key, _year in keys})):
        query = select(
            documents.c.identifier_key, documents.c.identifier_year,
            documents.c.registered_at, documents.c.doc_id,
        ).where(documents.c.identifier_key.in_(names))
        for key, year, at, doc_id in conn.execute(query):
            if (key, year) in keys:
                found.setdefault((key, year), []).append((at, doc_id))
    return found


class DocumentLookups(RegisterDatabase):
    """Finding registered documents, and counting their bytes arriving again."""

    def find_by_sha256(self, sha256: str) -> RegisteredDocument | None:
        """The registered document with these exact bytes, or None."""
        with unavailable_on_db_errors("looking up a document"), self._read() as conn:
            return by_sha256(conn, sha256)

    def registered_among(self, sha256s: Iterable[str]) -> set[str]:
        """Which of these SHA-256 belong to registered documents (one query per 500)."""
        found: set[str] = set()
        with unavailable_on_db_errors("looking up documents"), self._read() as conn:
            for chunk in chunks(list(dict.fromkeys(sha256s))):
                query = select(documents.c.sha256).where(documents.c.sha256.in_(chunk))
                found.update(conn.execute(query).scalars())
        return found

    def get_document(self, doc_id: str) -> RegisteredDocument | None:
        """The registered document ``doc_id``, or None."""
        query = select(documents).where(documents.c.doc_id == doc_id)
        with unavailable_on_db_errors("looking up a document"), self._read() as conn:
            row = conn.execute(query).first()
        return document_from_row(row) if row is not None else None

    def find_same_identifier(
        self,
        number_symbol: str | None,
        issuing_body: str | None,
        year: int,
        exclude_doc_id: str | None = None,
    ) -> list[str]:
        """Doc ids already registered with this number+symbol+issuer in ``year``.

        ``year`` is the document's issue year (its registration year when the
        issue date is unknown).  Empty when either part is unknown.
        """
        key = identifier_key(number_symbol, issuing_body)
        if key is None:
            return []
        query = (
            select(documents.c.doc_id)
            .where(documents.c.identifier_key == key, documents.c.identifier_year == year)
            .order_by(documents.c.registered_at, documents.c.doc_id)
        )
        if exclude_doc_id is not None:
            query = query.where(documents.c.doc_id != exclude_doc_id)
        with unavailable_on_db_errors("looking up an identifier"), self._read() as conn:
            return list(conn.execute(query).scalars())

    def add_duplicate_event(self, doc_id: str, event: DuplicateEvent) -> None:
        """The bytes of ``doc_id`` arrived again: count it and log a ``duplicate`` event."""
        with unavailable_on_db_errors("recording a duplicate"), self._write() as conn:
            sha256 = conn.execute(
                select(documents.c.sha256).where(documents.c.doc_id == doc_id)
            ).scalar_one_or_none()
            if sha256 is None:
                raise NotFound(f"document {doc_id} is not registered")
            conn.execute(
                update(documents)
                .where(documents.c.doc_id == doc_id)
                .values(duplicates_received=documents.c.duplicates_received + 1)
            )
            conn.execute(insert(events), {
                "sha256": sha256,
                "event": LedgerEvent.DUPLICATE.value,
                "original_name": event.original_name,
                "direction": event.direction,
                "folder": event.folder,
                "at": event.received_at,
                "detail": None,
                "doc_id": doc_id,
            })
