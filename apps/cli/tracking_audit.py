"""The audit chain for commands that change documents, opened as the web service opens it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ingest.audit import AuditLog
from kernel.settings import Settings


@contextmanager
def audit_chain(settings: Settings) -> Iterator[AuditLog]:
    """The chain on the register's database (created, or upgraded from the old table)."""
    # The web service's accounts own the chain (and its upgrade from the old audit table).
    from apps.web.accounts import Accounts

    accounts = Accounts.open(settings.register_location)
    try:
        yield accounts.audit_log
    finally:
        accounts.close()
