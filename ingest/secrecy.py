"""Marking a registered document secret, or lifting the mark: register, record and index together.

``change_secrecy`` is the one way to do it, for the ``docket secrecy`` command
and the web review form alike.  A move between the ordinary and the secret
book gives the document a new number in the other book (the old one is kept in
the record's ``secrecy_changes`` and never given again), the record JSON in
the store is rewritten inside the register's transaction, and the document is
sent back to the search index so the new clearance applies at once.

``separate_existing`` does the same for every document whose record is marked
secret but which sits in the ordinary book: documents registered before the
secret book existed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from ingest.backends import Backends
from ingest.indexing import (
    IndexReport,
    index_document_for,
    index_documents,
    iter_records,
    load_record,
    load_text,
)
from ingest.record_rewrite import rewriting_records
from ingest.register import SecrecyMove
from kernel.errors import NotFound, UsageError
from kernel.model import (
    SECRECY_LEVELS,
    DocumentRecord,
    ExtractedField,
    SecrecyChange,
    book_for_secrecy,
    secrecy_rank,
)

_DOC_ID = re.compile(r"[0-9a-f]{16}")
# What a person may type for "no mark" (the CLI, a form field left empty).
_OPEN_WORDS = {"", "-", "0", "none", "open", "không", "thường"}


def parse_secrecy_mark(text: str) -> str:
    """``"MẬT"``, ``"TỐI MẬT"``, ``"TUYỆT MẬT"``, or ``""`` for none; ``UsageError`` otherwise.

    Case, spacing and Unicode composition do not matter; "không", "none" or
    "-" mean no mark.
    """
    folded = " ".join(unicodedata.normalize("NFC", text).split()).upper()
    if folded.lower() in _OPEN_WORDS:
        return ""
    if folded in SECRECY_LEVELS:
        return folded
    marks = ", ".join(m for m in SECRECY_LEVELS if m)
    raise UsageError(f"unknown secrecy mark {text[:40]!r}: use {marks}, or 'không' for none")


@dataclass(frozen=True)
class SecrecyOutcome:
    """What ``change_secrecy`` did: the register's move and the record as now stored."""

    move: SecrecyMove
    record: DocumentRecord
    index: IndexReport

    @property
    def moved(self) -> bool:
        return self.move.moved


def change_secrecy(
    backends: Backends,
    doc_id: str,
    mark: str,
    *,
    by: str,
    reason: str,
    at: datetime | None = None,
) -> SecrecyOutcome:
    """Set the secrecy mark of registered document ``doc_id`` (``""`` lifts it).

    ``by`` names who decided and ``reason`` why (a decision's number, say);
    both go into the ledger and the record.  Raises ``NotFound`` for an
    unknown or unregistered document, ``UsageError`` for an unknown mark or a
    missing name or reason, ``RegisterUnavailable`` (retry) if the register is
    down.  An index outage does not fail the change: the document stays
    pending for ``docket index`` and ``outcome.index`` says so.
    """
    if not _DOC_ID.fullmatch(doc_id):
        raise NotFound(f"no document {doc_id[:40]!r}")
    mark = parse_secrecy_mark(mark)
    if not by.strip() or not reason.strip():
        raise UsageError("a secrecy change needs who made it (--by) and why (--reason)")
    record = load_record(backends, doc_id)
    if record.registration is None:
        raise NotFound(f"document {doc_id} is not registered")
    # The record carrying the new mark and number is written inside the
    # register's transaction, which commits when the block ends; outermost the
    # rewrite with undo puts it back if the register does not commit.
    with rewriting_records(backends.store) as records, backends.register.changing_secrecy(
            doc_id, secrecy_rank(mark), by=by.strip(), reason=reason.strip(), at=at) as move:
        updated = _with_change(record, move, mark)
        records.write(record, updated)
    document = index_document_for(updated, load_text(backends, updated))
    return SecrecyOutcome(move, updated, index_documents(backends, [document]))


def _with_change(record: DocumentRecord, move: SecrecyMove, mark: str) -> DocumentRecord:
    metadata = dict(record.metadata)
    if mark:
        metadata["secrecy"] = ExtractedField(value=mark, source="manual", confidence=1.0)
    else:
        metadata.pop("secrecy", None)
    change = SecrecyChange(
        at=move.at, by=move.by, reason=move.reason,
        old_secrecy=record.meta("secrecy") or "", new_secrecy=mark,
        old_registration=move.old, new_registration=move.new,
    )
    return record.model_copy(update={
        "metadata": metadata,
        "registration": move.new,
        "secrecy_changes": [*record.secrecy_changes, change],
    })


def misplaced_records(backends: Backends) -> Iterator[DocumentRecord]:
    """Registered records whose mark and book disagree (registered before the secret book)."""
    for record in iter_records(backends):
        registration = record.registration
        if registration is None:
            continue
        mark = record.meta("secrecy")
        if book_for_secrecy(secrecy_rank(mark)) != registration.book:
            yield record


def separate_existing(
    backends: Backends, *, by: str, reason: str, at: datetime | None = None
) -> list[SecrecyOutcome]:
    """Move every misplaced document to the book its mark calls for; returns what moved."""
    return [
        change_secrecy(backends, record.doc_id, record.meta("secrecy") or "", by=by,
                       reason=reason, at=at)
        for record in list(misplaced_records(backends))
    ]
