"""The register's tables, in SQLAlchemy Core, for SQLite and PostgreSQL alike.

The numbered book in three tables, and document tracking in two more:

- ``events``: the append-only ledger of every file Docket has seen;
- ``documents``: one row per registered document, with the columns the
  register book and the reports need (the JSON record in the object store
  stays the source of truth for everything else);
- ``counters``: the last number given per (year, direction, book); taking a
  number is an ``UPDATE ... RETURNING`` on this row in the same transaction as
  the document insert, so a rolled-back registration never consumes a number;
- ``assignments`` and ``assignment_history``: which unit handles an incoming
  document by when, and every change of its status (``ingest.register.tracking``).

Two books share the tables: ``book`` is "ordinary" or "secret" (documents
marked MẬT, TỐI MẬT or TUYỆT MẬT are numbered apart), and each book has its
own counters, so neither sequence has gaps where the other's documents are.
Constraints are named, so a database upgraded from an older schema
(``ingest.register.upgrade``) ends up identical to a new one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as naive UTC, read back aware in UTC.

    SQLite keeps no offset, so storing UTC everywhere is the only way both
    backends order and compare times the same way.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected datetime, got {type(value).__name__}")
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the register; pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


metadata = MetaData()

INDEX_PENDING = "pending"
INDEX_DONE = "indexed"
BOOK_ORDINARY = "ordinary"
BOOK_SECRET = "secret"

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False),
    Column("event", String(20), nullable=False),
    Column("original_name", Text, nullable=False),
    Column("direction", String(10), nullable=False),
    Column("folder", Text, nullable=False, default=""),
    Column("at", UTCDateTime, nullable=False),
    Column("detail", JSON, nullable=True),
    Column("doc_id", String(64), nullable=True),
    Index("ix_events_sha256", "sha256"),
    Index("ix_events_event_at", "event", "at"),
)

documents = Table(
    "documents",
    metadata,
    Column("doc_id", String(64), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("direction", String(10), nullable=False),
    # Which book the number belongs to, and the secrecy rank (0 open, 1..3)
    # the document had when it was numbered or last marked.
    Column("book", String(10), nullable=False, default=BOOK_ORDINARY,
           server_default=BOOK_ORDINARY),
    Column("secrecy", Integer, nullable=False, default=0, server_default="0"),
    Column("reg_year", Integer, nullable=False),
    Column("reg_number", Integer, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Column("registered_at", UTCDateTime, nullable=False),
    Column("original_name", Text, nullable=False),
    Column("number_symbol", Text, nullable=True),
    Column("issuing_body", Text, nullable=True),
    Column("issue_date", Date, nullable=True),
    Column("doc_type", Text, nullable=True),
    Column("subject", Text, nullable=True),
    Column("signer", Text, nullable=True),
    Column("recipients", Text, nullable=True),  # "; "-joined, as the book prints it
    Column("folder", Text, nullable=False, default=""),
    Column("record_key", Text, nullable=False),
    # Normalised number+symbol+issuer and the year it is unique within, for
    # the Decree 30 repeated-identifier warning; NULL when either is unknown.
    Column("identifier_key", Text, nullable=True),
    Column("identifier_year", Integer, nullable=True),
    Column("index_state", String(10), nullable=False, default=INDEX_PENDING),
    Column("possible_duplicate_of", JSON, nullable=False, default=list),
    Column("duplicates_received", Integer, nullable=False, default=0),
    # The review rule's answer (ingest/review.py): 1 when a key field is missing
    # or doubtful and nobody has checked it; which ones, name -> confidence.
    Column("needs_review", Integer, nullable=False, default=0, server_default="0"),
    Column("review_fields", JSON, nullable=True),
    PrimaryKeyConstraint("doc_id", name="pk_documents"),
    UniqueConstraint("sha256", name="uq_documents_sha256"),
    UniqueConstraint("reg_year", "direction", "book", "reg_number",
                     name="uq_documents_book_number"),
    Index("ix_documents_identifier", "identifier_key", "identifier_year"),
    Index("ix_documents_index_state", "index_state"),
    Index("ix_documents_received_at", "received_at"),
    Index("ix_documents_review", "needs_review", "received_at"),
)

counters = Table(
    "counters",
    metadata,
    Column("year", Integer, nullable=False, autoincrement=False),
    Column("direction", String(10), nullable=False),
    Column("book", String(10), nullable=False, default=BOOK_ORDINARY,
           server_default=BOOK_ORDINARY),
    Column("last", Integer, nullable=False, default=0),
    PrimaryKeyConstraint("year", "direction", "book", name="pk_counters"),
)

# Document tracking (ingest/tracking, docs/tracking.md): one row per unit a
# registered incoming document is assigned to, the lead (chủ trì) or a
# cooperating one (phối hợp); a unit may be assigned again once its earlier
# assignment is closed, so the key is a plain id.
assignments = Table(
    "assignments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(64), nullable=False),
    Column("unit", String(64), nullable=False),
    Column("role", String(12), nullable=False),
    Column("deadline", Date, nullable=False),
    Column("instruction", Text, nullable=False, default=""),
    Column("status", String(12), nullable=False),
    Column("result_note", Text, nullable=False, default=""),
    Column("answered_by", String(64), nullable=True),  # the answering outgoing document
    Column("returned_reason", Text, nullable=False, default=""),
    Column("closed_on", Date, nullable=True),
    Column("assigned_by", String(64), nullable=False),
    Column("assigned_at", UTCDateTime, nullable=False),
    Index("ix_assignments_doc", "doc_id"),
    Index("ix_assignments_open", "status", "unit", "deadline"),
)

# Every change of an assignment, append-only: who, when, from which status to which.
assignment_history = Table(
    "assignment_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assignment_id", Integer, nullable=False),
    Column("doc_id", String(64), nullable=False),
    Column("unit", String(64), nullable=False),
    Column("who", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("old_status", String(12), nullable=True),  # NULL: the assignment was made
    Column("new_status", String(12), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("answered_by", String(64), nullable=True),
    Index("ix_assignment_history_assignment", "assignment_id", "id"),
    Index("ix_assignment_history_doc", "doc_id"),
)
