"""The register: the ledger of every file Docket has seen and the numbered book
of every registered document (Decree 30 arrival and outgoing numbers).

``Register.from_settings(settings)`` opens it on SQLite (the default) or
PostgreSQL, whichever ``settings.register_url`` names.
"""

from __future__ import annotations

from ingest.register.book import (
    BOOK_COLUMNS,
    BookRow,
    book_table,
    book_title,
    format_register_book,
    write_register_book_csv,
)
from ingest.register.models import (
    DocumentRef,
    LedgerEntry,
    LedgerEvent,
    RegisterConflict,
    RegisteredDocument,
    RegistrationResult,
    ReviewPage,
    SecrecyMove,
)
from ingest.register.register import Register
from ingest.register.review_queue import Correction

__all__ = [
    "BOOK_COLUMNS",
    "BookRow",
    "Correction",
    "DocumentRef",
    "LedgerEntry",
    "LedgerEvent",
    "Register",
    "RegisterConflict",
    "RegisteredDocument",
    "RegistrationResult",
    "ReviewPage",
    "SecrecyMove",
    "book_table",
    "book_title",
    "format_register_book",
    "write_register_book_csv",
]
