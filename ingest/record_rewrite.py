"""Rewriting a document's JSON record inside a register transaction, undone if it fails.

A correction and a secrecy change both write the record in the store inside the
register's ``with`` block (``correcting``, ``changing_secrecy``), before it
commits: the record and the register then never disagree for long.  If the
register does not commit (an error, a refused form, the database gone),
``rewriting_records`` puts back every record as it was before the first rewrite.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ingest.store.base import ObjectStore
from kernel.model import DocumentRecord

JSON = "application/json"


def record_bytes(record: DocumentRecord) -> bytes:
    """A record as the store keeps it."""
    return record.model_dump_json(indent=1).encode()


class RecordRewrites:
    """The records rewritten so far, each with its bytes from before the first rewrite."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store
        self._before: dict[str, bytes] = {}

    def write(self, before: DocumentRecord, updated: DocumentRecord) -> None:
        """Store ``updated`` in place of ``before`` (durably: the register commits next)."""
        self._before.setdefault(before.record_key, record_bytes(before))
        self.store.put_bytes(updated.record_key, record_bytes(updated), JSON, durable=True)

    def undo(self) -> None:
        for key, data in self._before.items():
            self.store.put_bytes(key, data, JSON, durable=True)


@contextmanager
def rewriting_records(store: ObjectStore) -> Iterator[RecordRewrites]:
    """Records written through the ``RecordRewrites`` are put back if the block raises."""
    rewrites = RecordRewrites(store)
    try:
        yield rewrites
    except BaseException:
        rewrites.undo()
        raise
