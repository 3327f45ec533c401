"""The register: Docket's ledger of files and its numbered book of documents.

One class for its callers, put together from the parts, each in its module:

- ``ledger``: every happening to every file (``log_event``, ``events_for``);
- ``registering`` (with ``counters``): numbers in the ordinary and the secret
  book, taken in the transaction that inserts the documents;
- ``lookups``: documents by bytes, id or identifier, and their duplicates;
- ``marking``: a secrecy mark set or lifted after registration (a move between books);
- ``review_queue``: corrections of a description, the review flags and queue;
- ``index_state``: which documents wait for the search index;
- ``reports``: the Decree 30 book, report rows, counts;
- ``rebuild``: the documents table restored from the records;
- ``tracking``: assignments of incoming documents to units, and their history.
"""

from __future__ import annotations

from sqlalchemy import text

from ingest.register.engine import open_engine, unavailable_on_db_errors
from ingest.register.index_state import IndexState
from ingest.register.ledger import Ledger
from ingest.register.lookups import DocumentLookups
from ingest.register.marking import SecrecyMarking
from ingest.register.rebuild import Rebuild
from ingest.register.registering import Registering
from ingest.register.reports import BookAndReports
from ingest.register.review_queue import ReviewQueue
from ingest.register.schema import metadata
from ingest.register.tracking import Tracking
from ingest.register.upgrade import upgrade_schema
from kernel.settings import Settings

# Arbitrary constant key: serialises concurrent create_schema() on PostgreSQL.
_SCHEMA_LOCK_KEY = 0x646F636B6574  # "docket"


class Register(
    Registering,
    SecrecyMarking,
    DocumentLookups,
    Ledger,
    IndexState,
    ReviewQueue,
    BookAndReports,
    Rebuild,
    Tracking,
):
    """The register database, on SQLite or PostgreSQL through SQLAlchemy Core."""

    @classmethod
    def from_settings(cls, settings: Settings) -> Register:
        """The register at ``settings.register_url``, with its schema created."""
        register = cls(open_engine(settings.register_location), settings.timezone,
                       review_confidence=settings.review_confidence)
        register.create_schema()
        return register

    def create_schema(self) -> None:
        """Create the tables that are missing and upgrade older ones, in one transaction.

        Safe to call from several workers at once; a database created by an
        older Docket keeps its numbers (``ingest.register.upgrade``).
        """
        with unavailable_on_db_errors("creating the schema"), self._write() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SCHEMA_LOCK_KEY})
            upgrade_schema(conn)
            metadata.create_all(conn, checkfirst=True)
