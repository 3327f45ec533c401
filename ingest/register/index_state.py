"""Which registered documents the search index holds, and which wait for it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import func, select, update

from ingest.register.database import CHUNK, RegisterDatabase, chunks
from ingest.register.engine import unavailable_on_db_errors
from ingest.register.models import DocumentRef
from ingest.register.schema import INDEX_DONE, INDEX_PENDING, documents


class IndexState(RegisterDatabase):
    """The ``index_state`` column: "pending" until the index confirms a document."""

    def _set_index_state(self, doc_ids: Iterable[str], state: str) -> int:
        changed = 0
        with unavailable_on_db_errors("updating index state"), self._write() as conn:
            for chunk in chunks(list(dict.fromkeys(doc_ids))):
                result = conn.execute(
                    update(documents).where(documents.c.doc_id.in_(chunk)).values(index_state=state)
                )
                changed += result.rowcount
        return changed

    def mark_indexed(self, doc_ids: Iterable[str]) -> int:
        """Mark documents as present in the search index; returns how many rows matched."""
        return self._set_index_state(doc_ids, INDEX_DONE)

    def mark_index_pending(self, doc_ids: Iterable[str]) -> int:
        """Mark documents as waiting for the search index; returns how many rows matched."""
        return self._set_index_state(doc_ids, INDEX_PENDING)

    def count_indexed(self) -> int:
        """How many documents the register holds as present in the search index."""
        query = select(func.count()).where(documents.c.index_state == INDEX_DONE)
        with unavailable_on_db_errors("counting indexed documents"), self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def pending_index(self, limit: int | None = None) -> list[str]:
        """Doc ids waiting for the index, oldest registration first."""
        query = (
            select(documents.c.doc_id)
            .where(documents.c.index_state == INDEX_PENDING)
            .order_by(documents.c.registered_at, documents.c.doc_id)
        )
        if limit is not None:
            query = query.limit(limit)
        with unavailable_on_db_errors("listing pending documents"), self._read() as conn:
            return list(conn.execute(query).scalars())

    def iter_documents(self) -> Iterator[DocumentRef]:
        """Every registered document (doc_id, record_key, sha256), in doc_id order.

        Read in pages so no transaction stays open while the caller works.
        """
        after = ""
        while True:
            query = (
                select(documents.c.doc_id, documents.c.record_key, documents.c.sha256)
                .where(documents.c.doc_id > after)
                .order_by(documents.c.doc_id)
                .limit(CHUNK)
            )
            with unavailable_on_db_errors("listing documents"), self._read() as conn:
                page = [DocumentRef(*row) for row in conn.execute(query)]
            yield from page
            if len(page) < CHUNK:
                return
            after = page[-1].doc_id
