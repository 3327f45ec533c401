"""The ledger: an append-only row for every happening to every file Docket has seen."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from ingest.register.database import RegisterDatabase, aware, check_direction
from ingest.register.engine import unavailable_on_db_errors
from ingest.register.models import LedgerEntry, LedgerEvent
from ingest.register.schema import events


def event_row(entry: LedgerEntry) -> dict[str, Any]:
    """The events-table row of ``entry`` (its direction and time checked)."""
    check_direction(entry.direction)
    return {**entry.model_dump(), "event": entry.event.value, "at": aware(entry.at, "event time")}


class Ledger(RegisterDatabase):
    """Appending to the ledger and reading a file's history."""

    def log_event(
        self,
        sha256: str,
        event: str,
        *,
        original_name: str,
        direction: str,
        folder: str = "",
        detail: dict[str, Any] | None = None,
        doc_id: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """Append one event about a file to the ledger (``event``: a ``LedgerEvent``)."""
        check_direction(direction)
        row = {
            "sha256": sha256,
            "event": LedgerEvent(event).value,
            "original_name": original_name,
            "direction": direction,
            "folder": folder,
            "at": self._now(at, "event time"),
            "detail": detail,
            "doc_id": doc_id,
        }
        with unavailable_on_db_errors("logging an event"), self._write() as conn:
            conn.execute(insert(events), row)

    def log_events(self, entries: Iterable[LedgerEntry]) -> None:
        """Append several ledger events in one transaction (one commit for a whole batch)."""
        rows = [event_row(entry) for entry in entries]
        if not rows:
            return
        with unavailable_on_db_errors("logging events"), self._write() as conn:
            conn.execute(insert(events), rows)

    def events_for(self, sha256: str) -> list[LedgerEntry]:
        """Every ledger event about the file with ``sha256``, oldest first."""
        query = select(events).where(events.c.sha256 == sha256).order_by(events.c.id)
        with unavailable_on_db_errors("reading events"), self._read() as conn:
            rows = conn.execute(query).all()
        return [
            LedgerEntry.model_validate({k: v for k, v in r._mapping.items() if k != "id"})
            for r in rows
        ]
