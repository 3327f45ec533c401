"""What the stages of one batch share, and the three ways a file leaves the batch.

A file claimed into a batch ends in exactly one of three ways: released (its
document is registered: the source goes to ``processed/`` or is deleted),
quarantined (a permanent error: beside a reason file), or given back to the
inbox (a transient error: the next run takes it again).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from ingest.backends import Backends
from ingest.inbox import ClaimedFile, Inbox
from ingest.pipeline.reports import FileReport, Outcome, Progress, RunReport
from ingest.register import LedgerEntry, LedgerEvent
from kernel.errors import PermanentError, QuarantineReason
from kernel.i18n import reason_text, translate
from kernel.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True)
class Fingerprinted:
    """A claimed file and the SHA-256 of its bytes: the input of every later stage."""

    claimed: ClaimedFile
    sha256: str


@dataclass
class BatchContext:
    """The settings, backends and inbox of one batch, and where its file reports go."""

    settings: Settings
    backends: Backends
    inbox: Inbox
    batch_id: str
    report: RunReport
    progress: Progress | None = None

    def emit(self, file_report: FileReport) -> None:
        self.report.files.append(file_report)
        if self.progress is not None:
            self.progress(file_report)

    def ledger_entry(self, claimed: ClaimedFile, sha256: str, event: LedgerEvent, *,
                     doc_id: str | None = None,
                     detail: dict[str, str] | None = None) -> LedgerEntry:
        return LedgerEntry(sha256=sha256, event=event, original_name=claimed.original_name,
                           direction=claimed.direction, folder=claimed.folder,
                           at=datetime.now(UTC), doc_id=doc_id, detail=detail)

    def release(self, claimed: ClaimedFile) -> None:
        """The source leaves the inbox only now: its archived copy was verified and registered."""
        self.inbox.release(claimed, delete=self.settings.delete_after_success)

    def quarantine(self, claimed: ClaimedFile, error: PermanentError, step: str,
                   sha256: str | None) -> None:
        """Beside a reason file; the clerk reads the reason's meaning, the error is the detail."""
        reason: QuarantineReason = error.reason
        language = self.settings.ui_language
        self.inbox.quarantine(claimed, reason, error.message, step=step, sha256=sha256,
                              language=language, timezone=self.settings.timezone)
        self.backends.register.log_events([self.ledger_entry(
            claimed, sha256 or "", LedgerEvent.QUARANTINED,
            detail={"reason": reason.value, "message": error.message, "step": step})])
        self.emit(FileReport(claimed.original_name, claimed.direction, claimed.folder,
                             Outcome.QUARANTINED, sha256=sha256, reason=reason.value,
                             message=reason_text(reason.value, language),
                             detail=error.message))

    def give_back(self, claimed: ClaimedFile) -> None:
        self.inbox.give_back(claimed)
        self.emit(FileReport(claimed.original_name, claimed.direction, claimed.folder,
                             Outcome.RETURNED,
                             message=translate("returned_for_next_run", self.settings.ui_language)))


def quarantine_on_error(ctx: BatchContext, claimed: ClaimedFile, sha256: str | None, step: str,
                        stage: Callable[[], T]) -> T | None:
    """Run one file's ``stage``; a permanent error quarantines the file (None), a
    transient one propagates to the batch."""
    try:
        return stage()
    except PermanentError as exc:
        ctx.quarantine(claimed, exc, step, sha256)
        return None
