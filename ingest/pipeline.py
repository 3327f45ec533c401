"""The ingest of files from the watched folders, top down.

``claim_ready_files`` takes complete files out of the watched trees into
batches; ``process_batch`` runs each claimed file through the stages::

    fingerprint -> find_duplicate -> analyse (sandboxed) -> archive_original
    -> archive_text -> register -> write_record -> release

and then indexes what it registered.  A permanent error quarantines the file
with a reason; a transient one (a store or register outage) gives every file
not yet archived back to the inbox and is raised, so the run is retried.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from ingest.analyse import AnalysisTask, analyse_file, limits_from_settings
from ingest.backends import Backends
from ingest.errors import ConfigError, PermanentError, QuarantineReason, TransientError
from ingest.inbox import Batch, BatchLock, ClaimedFile, Inbox
from ingest.indexing import IndexReport, index_document_for, index_pending
from ingest.model import (
    DocumentRecord,
    DuplicateEvent,
    Extraction,
    doc_id_for,
    original_key,
    record_key,
    text_key,
)
from ingest.register import RegistrationResult
from ingest.sandbox import Failure, Sandbox, SandboxLimits
from ingest.settings import Settings
from ingest.store import sha256_file

log = logging.getLogger(__name__)

STALE_BATCH_SECONDS = 3600.0


class Outcome(StrEnum):
    ARCHIVED = "archived"
    DUPLICATE = "duplicate"
    QUARANTINED = "quarantined"
    RETURNED = "returned"  # given back to the inbox after a transient failure


@dataclass
class FileReport:
    original_name: str
    direction: str
    folder: str
    outcome: Outcome
    sha256: str | None = None
    doc_id: str | None = None
    registration: str | None = None  # "12/2025"
    number_symbol: str | None = None
    reason: str | None = None
    message: str | None = None
    possible_duplicate_of: list[str] = field(default_factory=list)


@dataclass
class RunReport:
    files: list[FileReport] = field(default_factory=list)
    index: IndexReport = field(default_factory=IndexReport)
    settling: int = 0  # files left in the inbox because they were still changing

    def count(self, outcome: Outcome) -> int:
        return sum(1 for f in self.files if f.outcome is outcome)

    def merge(self, other: RunReport) -> None:
        self.files.extend(other.files)
        self.index.indexed += other.index.indexed
        self.index.failed.update(other.index.failed)
        self.index.unavailable = other.index.unavailable or self.index.unavailable

    def summary(self) -> dict[str, int]:
        summary = {outcome.value: self.count(outcome) for outcome in Outcome}
        summary["indexed"] = self.index.indexed
        summary["waiting_for_index"] = len(self.index.failed)
        summary["settling"] = self.settling
        return summary


Progress = Callable[[FileReport], None]


# -- claiming -----------------------------------------------------------------------


def claim_ready_files(settings: Settings, *, wait: bool = True) -> tuple[list[Path], int]:
    """Claim every complete file into batches of ``settings.batch_size``.

    Returns the batch folders (orphans of crashed runs first) and the number of
    files left because they were still being written.
    """
    inbox = Inbox(settings.inbox_dir)
    batches = inbox.orphaned_batches(STALE_BATCH_SECONDS)
    ready, settling = inbox.wait_for_quiet(
        settings.quiet_seconds, max_wait=settings.quiet_seconds if wait else 0.0
    )
    for start in range(0, len(ready), settings.batch_size):
        batch = inbox.new_batch()
        with BatchLock(batch.path):
            for candidate in ready[start:start + settings.batch_size]:
                inbox.claim(candidate, batch)
        if batch.files:
            batches.append(batch.path)
        else:
            inbox.remove_batch_if_empty(batch)
    return batches, settling


# -- processing ---------------------------------------------------------------------


def process_batch(
    settings: Settings, backends: Backends, batch_path: Path, progress: Progress | None = None
) -> RunReport:
    """Run every file of one batch through the pipeline; index what was registered."""
    inbox = Inbox(settings.inbox_dir)
    report = RunReport()
    if not batch_path.is_dir():
        # Already done, or its files were given back after a transient failure
        # (an Airflow retry of the same batch): nothing left to process.
        report.index = index_pending(backends)
        return report
    with BatchLock(batch_path):
        batch = inbox.load_batch(batch_path)
        run = _BatchRun(settings, backends, inbox, report, progress)
        try:
            run.process(batch)
        finally:
            inbox.remove_batch_if_empty(batch)
    report.index = index_pending(backends)
    return report


def ingest_once(
    settings: Settings, backends: Backends, progress: Progress | None = None, *, wait: bool = True
) -> RunReport:
    """One pass over the watched folders: claim, process every batch, index."""
    batches, settling = claim_ready_files(settings, wait=wait)
    report = RunReport(settling=settling)
    for batch_path in batches:
        report.merge(process_batch(settings, backends, batch_path, progress))
    if not batches:
        report.index = index_pending(backends)
    return report


class _BatchRun:
    """The stages applied to the files of one batch."""

    def __init__(
        self,
        settings: Settings,
        backends: Backends,
        inbox: Inbox,
        report: RunReport,
        progress: Progress | None,
    ) -> None:
        self.settings = settings
        self.backends = backends
        self.inbox = inbox
        self.report = report
        self.progress = progress

    def process(self, batch: Batch) -> None:
        try:
            self.analyse_and_archive(batch)
        except (TransientError, ConfigError):
            # Nothing that was not archived may leave the inbox: give it back.
            for claimed in batch.files:
                if claimed.path.exists():
                    self.give_back(claimed)
            raise

    def analyse_and_archive(self, batch: Batch) -> None:
        to_analyse: list[tuple[ClaimedFile, str]] = []
        for claimed in batch.files:
            sha256 = self.guarded(claimed, None, "fingerprint", lambda c=claimed: self.triage(c))
            if sha256 is not None:
                to_analyse.append((claimed, sha256))
        if not to_analyse:
            return
        limits = SandboxLimits(
            timeout_seconds=self.settings.file_timeout_seconds,
            memory_mb=self.settings.file_memory_mb,
            workers=min(self.settings.workers, len(to_analyse)),
        )
        extract_limits = limits_from_settings(self.settings)
        tasks = [((c, sha), AnalysisTask(c.path, extract_limits)) for c, sha in to_analyse]
        with Sandbox(analyse_file, limits) as sandbox:
            for (claimed, sha256), analysis in sandbox.run(tasks):
                self.guarded(claimed, sha256, "analyse",
                             lambda c=claimed, s=sha256, a=analysis: self.archive(c, s, a))

    def guarded(self, claimed: ClaimedFile, sha256: str | None, step: str,
                stage: Callable[[], str | None]) -> str | None:
        """Run a stage; a permanent error quarantines the file, a transient one propagates."""
        try:
            return stage()
        except PermanentError as exc:
            self.quarantine(claimed, exc.reason, exc.message, step, sha256)
            return None

    # -- stages, in order -------------------------------------------------------------

    def triage(self, claimed: ClaimedFile) -> str | None:
        """Fingerprint the file; settle duplicates here.  The SHA-256 if it goes on."""
        size = claimed.path.stat().st_size
        if size == 0:
            raise PermanentError(QuarantineReason.EMPTY, "the file is empty (0 bytes)")
        if size > self.settings.max_file_mb * 1024 * 1024:
            raise PermanentError(
                QuarantineReason.TOO_LARGE,
                f"{size / 1048576:.0f} MiB is over the {self.settings.max_file_mb} MiB limit",
            )
        sha256 = sha256_file(claimed.path)
        self.log(claimed, sha256, "claimed")
        existing = self.find_duplicate(sha256)
        if existing is None:
            return sha256
        self.record_duplicate(claimed, sha256, existing)
        return None

    def find_duplicate(self, sha256: str) -> DocumentRecord | None:
        """The archived record with these exact bytes, if its record is complete."""
        doc_id = doc_id_for(sha256)
        if self.backends.store.stat(record_key(doc_id)) is None:
            return None  # never archived, or a crash before the record was written
        from ingest.indexing import load_record

        return load_record(self.backends, doc_id)

    def record_duplicate(self, claimed: ClaimedFile, sha256: str, record: DocumentRecord) -> None:
        event = DuplicateEvent(original_name=claimed.original_name, folder=claimed.folder,
                               direction=claimed.direction, received_at=claimed.received_at)
        record.duplicates_received.append(event)
        self.write_record(record)
        self.backends.register.add_duplicate_event(record.doc_id, event)  # logs the event too
        self.release(claimed)
        self.emit(FileReport(
            claimed.original_name, claimed.direction, claimed.folder, Outcome.DUPLICATE,
            sha256=sha256, doc_id=record.doc_id,
            registration=record.registration.label if record.registration else None,
            number_symbol=record.meta("number_symbol"),
            message=f"same content as {record.doc_id}",
        ))

    def archive(self, claimed: ClaimedFile, sha256: str, analysis: Extraction | Failure) -> None:
        """Archive, register, record and release one analysed file."""
        if isinstance(analysis, Failure):
            if analysis.config:
                raise ConfigError(analysis.message)
            if analysis.transient:
                raise TransientError(analysis.message)
            raise PermanentError(analysis.reason, analysis.message)
        record = self.archive_original(claimed, sha256, analysis)
        self.archive_text(record, analysis.text)
        result = self.register(record)  # a new document starts as waiting for the index
        if not result.created:
            self.backends.register.mark_index_pending([record.doc_id])
        self.release(claimed)
        self.log(claimed, sha256, "archived", doc_id=record.doc_id)
        self.emit(FileReport(
            claimed.original_name, claimed.direction, claimed.folder, Outcome.ARCHIVED,
            sha256=sha256, doc_id=record.doc_id, registration=result.registration.label,
            number_symbol=record.meta("number_symbol"),
            possible_duplicate_of=record.possible_duplicate_of,
        ))

    def archive_original(self, claimed: ClaimedFile, sha256: str,
                         analysis: Extraction) -> DocumentRecord:
        """Store the original under its content key, verified by reading it back."""
        key = original_key(sha256)
        stored = self.backends.store.put_file(key, claimed.path, sha256, analysis.mime)
        doc_id = doc_id_for(sha256)
        return DocumentRecord(
            doc_id=doc_id,
            sha256=sha256,
            size=stored.size,
            original_name=claimed.original_name,
            direction=claimed.direction,
            folder=claimed.folder,
            detected_type=analysis.detected_type,
            mime=analysis.mime,
            page_count=analysis.page_count,
            pages=analysis.pages,
            ocr_used=bool(analysis.ocr_pages),
            ocr_pages=analysis.ocr_pages,
            language=analysis.language,
            received_at=claimed.received_at,
            metadata=analysis.metadata,
            original_key=key,
            text_key=text_key(sha256),
            record_key=record_key(doc_id),
        )

    def archive_text(self, record: DocumentRecord, text: str) -> None:
        self.backends.store.put_bytes(record.text_key, text.encode("utf-8"),
                                      "text/plain; charset=utf-8")

    def register(self, record: DocumentRecord) -> RegistrationResult:
        """Number the document and write its record in the same transaction.

        If writing the record fails the transaction rolls back and the number is
        not used up; re-registering the same bytes returns the number they have.
        """

        def write_numbered(result: RegistrationResult) -> None:
            record.registration = result.registration
            record.possible_duplicate_of = list(result.possible_duplicate_of)
            self.write_record(record)

        result = self.backends.register.register_document(record, before_commit=write_numbered)
        if not result.created:
            write_numbered(result)
        return result

    def write_record(self, record: DocumentRecord) -> None:
        self.backends.store.put_bytes(record.record_key, record.model_dump_json(indent=1).encode(),
                                      "application/json")

    def release(self, claimed: ClaimedFile) -> None:
        """The source leaves the inbox only now: its archived copy was verified."""
        self.inbox.release(claimed, delete=self.settings.delete_after_success)

    def quarantine(self, claimed: ClaimedFile, reason: QuarantineReason, message: str,
                   step: str, sha256: str | None) -> None:
        self.inbox.quarantine(claimed, reason, message, step=step, sha256=sha256)
        self.log(claimed, sha256 or "", "quarantined",
                 detail={"reason": reason.value, "message": message, "step": step})
        self.emit(FileReport(claimed.original_name, claimed.direction, claimed.folder,
                             Outcome.QUARANTINED, sha256=sha256, reason=reason.value,
                             message=message))

    def give_back(self, claimed: ClaimedFile) -> None:
        self.inbox.give_back(claimed)
        self.emit(FileReport(claimed.original_name, claimed.direction, claimed.folder,
                             Outcome.RETURNED, message="returned to the inbox for the next run"))

    # -- bookkeeping ------------------------------------------------------------------

    def log(self, claimed: ClaimedFile, sha256: str, event: str, *, doc_id: str | None = None,
            detail: dict[str, str] | None = None) -> None:
        self.backends.register.log_event(
            sha256, event, original_name=claimed.original_name, direction=claimed.direction,
            folder=claimed.folder, detail=detail, doc_id=doc_id,
        )

    def emit(self, file_report: FileReport) -> None:
        self.report.files.append(file_report)
        if self.progress is not None:
            self.progress(file_report)


def index_new_documents(backends: Backends) -> IndexReport:
    """The reconciler's entry point (the ``docket_index`` DAG calls this)."""
    return index_pending(backends)


__all__ = [
    "FileReport",
    "Outcome",
    "RunReport",
    "claim_ready_files",
    "index_document_for",
    "index_new_documents",
    "ingest_once",
    "process_batch",
]
