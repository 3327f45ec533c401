"""What the register hands back: registrations, document rows, ledger events."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple

from pydantic import BaseModel, Field

from kernel.errors import DocketError
from kernel.model import Book, Direction, Registration


class LedgerEvent(StrEnum):
    """What happened to a file; one ledger row per happening."""

    CLAIMED = "claimed"
    ARCHIVED = "archived"
    DUPLICATE = "duplicate"
    QUARANTINED = "quarantined"
    RELEASED = "released"
    INDEX_PENDING = "index_pending"
    INDEXED = "indexed"
    # Marked or unmarked after registration (detail: by, reason, old and new
    # secrecy and number); a move between books gives a new number.
    SECRECY_CHANGED = "secrecy_changed"


class RegistrationResult(Registration):
    """The number a document got, and what registering it found out.

    ``created`` is False when the same bytes were registered before: the
    existing number is returned and nothing was written.
    """

    doc_id: str
    possible_duplicate_of: list[str] = Field(default_factory=list)
    created: bool = True

    @property
    def registration(self) -> Registration:
        """The plain ``Registration`` to put into the ``DocumentRecord``."""
        return Registration(year=self.year, number=self.number, registered_at=self.registered_at,
                            book=self.book)


class RegisteredDocument(BaseModel):
    """One row of the documents table."""

    doc_id: str
    sha256: str
    direction: Direction
    book: Book = "ordinary"
    secrecy: int = 0
    year: int
    number: int
    received_at: datetime
    registered_at: datetime
    original_name: str
    number_symbol: str | None = None
    issuing_body: str | None = None
    issue_date: date | None = None
    doc_type: str | None = None
    subject: str | None = None
    signer: str | None = None
    recipients: str | None = None
    folder: str = ""
    record_key: str
    index_state: str
    possible_duplicate_of: list[str] = Field(default_factory=list)
    duplicates_received: int = 0
    # Key fields to check (ingest.review): name -> confidence, None when missing.
    review_fields: dict[str, float | None] = Field(default_factory=dict)

    @property
    def needs_review(self) -> bool:
        return bool(self.review_fields)

    @property
    def registration(self) -> Registration:
        return Registration(year=self.year, number=self.number, registered_at=self.registered_at,
                            book=self.book)


class LedgerEntry(BaseModel):
    """One ledger row, as ``Register.events_for`` returns it."""

    sha256: str
    event: LedgerEvent
    original_name: str
    direction: Direction
    folder: str = ""
    at: datetime
    detail: dict[str, Any] | None = None
    doc_id: str | None = None


class SecrecyMove(BaseModel):
    """What ``Register.change_secrecy`` did to one document.

    ``old`` and ``new`` are equal when the document stayed in its book (say
    MẬT to TỐI MẬT); otherwise ``new`` is a fresh number in the other book.
    """

    doc_id: str
    at: datetime
    by: str
    reason: str
    old_secrecy: int
    new_secrecy: int
    old: Registration
    new: Registration

    @property
    def moved(self) -> bool:
        return self.old.book != self.new.book


class ReviewPage(NamedTuple):
    """One page of the review queue and how many documents are in it in all."""

    total: int
    documents: list[RegisteredDocument]


class DocumentRef(NamedTuple):
    """Enough to find a document's record: for reindex and fixity sweeps."""

    doc_id: str
    record_key: str
    sha256: str


class RegisterConflict(DocketError):
    """The register refuses a write that would break its numbering.

    For example a record to restore that carries a number another document
    already holds.  A person has to look: the records disagree with each other.
    """
