"""The ingest of files from the watched folders, top down.

``claim_ready_files`` takes complete files out of the watched trees into
batches; ``process_batch`` runs each claimed file through the stages::

    fingerprint -> find_duplicate -> analyse (sandboxed) -> archive_original
    -> archive_text -> register -> write_record -> release

and then indexes what it registered.  A permanent error quarantines the file
with a reason; a transient one (a store or register outage) gives every file
not yet released back to the inbox and is raised, so the run is retried.

Archived files are registered in groups (group commit): the originals and
texts of up to ``GROUP_SIZE`` files are written without a flush each, then one
``store.sync()`` makes them durable; one register transaction numbers the
group, writes its records (flushed by a second ``sync`` before the commit) and
logs its ledger events; only then do the sources leave the inbox.  A crash
anywhere before that commit leaves every source in the batch folder and no
number taken, and the re-run stores the same bytes under the same keys again;
a crash after it finds the files registered and settles them as duplicates.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TypeVar

from ingest.analyse import WORKER_PRELOAD, AnalysisTask, analyse_file, limits_from_settings
from ingest.backends import Backends
from ingest.inbox import (
    SCRATCH_DIR,
    Batch,
    BatchLock,
    ClaimedFile,
    Inbox,
    hand_off,
    not_a_regular_file,
)
from ingest.indexing import (
    IndexReport,
    index_document_for,
    index_documents,
    index_pending,
    load_record,
)
from ingest.register import LedgerEntry, LedgerEvent, RegistrationResult
from ingest.sandbox import Failure, Sandbox, SandboxLimits
from ingest.store import sha256_file
from kernel.errors import (
    ConfigError,
    NotFound,
    PermanentError,
    QuarantineReason,
    TransientError,
)
from kernel.i18n import reason_text, translate
from kernel.model import (
    DocumentRecord,
    DuplicateEvent,
    Extraction,
    doc_id_for,
    original_key,
    record_key,
    text_key,
)
from kernel.settings import Settings

log = logging.getLogger(__name__)

# How long a batch handed to another process (an Airflow task) is kept from
# other runs while nobody holds its lock (the task not started, or retried).
HAND_OFF_LEASE_SECONDS = 3600.0
# A group is committed when it has this many files or its first file has
# waited this long (OCR is slow: its files should not wait for 63 others).
GROUP_SIZE = 64
GROUP_SECONDS = 2.0

T = TypeVar("T")


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
    reason: str | None = None  # the quarantine reason code
    message: str | None = None  # for the clerk, in the interface language
    possible_duplicate_of: list[str] = field(default_factory=list)
    detail: str | None = None  # technical: what refused the file, in its own words


@dataclass
class RunReport:
    files: list[FileReport] = field(default_factory=list)
    index: IndexReport = field(default_factory=IndexReport)
    settling: int = 0  # files left in the inbox because they were still changing
    recovered: int = 0  # files taken back from the batches of a run that died
    held: int = 0  # files in batches a live run is working on, left to it

    def count(self, outcome: Outcome) -> int:
        return sum(1 for f in self.files if f.outcome is outcome)

    def merge(self, other: RunReport) -> None:
        self.files.extend(other.files)
        self.recovered += other.recovered
        self.held += other.held
        self.index.indexed += other.index.indexed
        self.index.failed.update(other.index.failed)
        self.index.unavailable = other.index.unavailable or self.index.unavailable

    def summary(self) -> dict[str, int]:
        summary = {outcome.value: self.count(outcome) for outcome in Outcome}
        summary["indexed"] = self.index.indexed
        summary["waiting_for_index"] = len(self.index.failed)
        summary["settling"] = self.settling
        summary["recovered"] = self.recovered
        summary["held"] = self.held
        return summary


Progress = Callable[[FileReport], None]


# -- claiming -----------------------------------------------------------------------


@dataclass
class Claim:
    """The batches a run is to process, locked by it until ``release`` or ``hand_off``."""

    batches: list[Batch] = field(default_factory=list)
    settling: int = 0  # files left in the inbox because they were still changing
    recovered: int = 0  # of the files in ``batches``, those taken back from a dead run
    held: int = 0  # files in batches a live run holds, left to it

    @property
    def paths(self) -> list[Path]:
        return [batch.path for batch in self.batches]

    def release(self) -> None:
        for batch in self.batches:
            if batch.lock is not None:
                batch.lock.release()
                batch.lock = None

    def hand_off(self, lease_seconds: float = HAND_OFF_LEASE_SECONDS) -> None:
        """Lease every batch to the processes that will run it, then unlock it."""
        for batch in self.batches:
            hand_off(batch, lease_seconds)

    def __enter__(self) -> Claim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def claim_ready_files(settings: Settings, *, wait: bool = True) -> Claim:
    """Take back the batches of dead runs, then claim every complete file into
    batches of ``settings.batch_size``.

    The batches come locked by this process: process them in it (``with`` the
    claim) or ``hand_off`` them to the processes that will.
    """
    inbox = Inbox(settings.inbox_dir)
    recovery = inbox.recover_batches()
    claim = Claim(batches=recovery.batches, recovered=recovery.recovered, held=recovery.held)
    try:
        ready, claim.settling = inbox.wait_for_quiet(
            settings.quiet_seconds, max_wait=settings.quiet_seconds if wait else 0.0
        )
        for start in range(0, len(ready), settings.batch_size):
            batch = inbox.new_batch()
            claim.batches.append(batch)
            for candidate in ready[start:start + settings.batch_size]:
                inbox.claim(candidate, batch)
            if not batch.files:
                claim.batches.pop()
                inbox.remove_batch_if_empty(batch)
                assert batch.lock is not None
                batch.lock.release()
    except BaseException:
        claim.release()
        raise
    return claim


# -- processing ---------------------------------------------------------------------


def process_batch(
    settings: Settings,
    backends: Backends,
    batch_path: Path,
    progress: Progress | None = None,
    *,
    sandbox: Sandbox[AnalysisTask, Extraction] | None = None,
) -> RunReport:
    """Run every file of one batch through the pipeline; index what was registered.

    ``sandbox``: workers to reuse (their start-up costs about a second of CPU
    each); by default the batch starts its own.
    """
    inbox = Inbox(settings.inbox_dir)
    report = RunReport()
    if not batch_path.is_dir():
        # Already done, or its files were given back after a transient failure
        # (an Airflow retry of the same batch): nothing left to process.
        report.index = index_pending(backends)
        return report
    with BatchLock(batch_path):
        batch = inbox.load_batch(batch_path)
        run = _BatchRun(settings, backends, inbox, report, progress, sandbox)
        try:
            run.process(batch)
        finally:
            inbox.remove_batch_if_empty(batch)
    # The groups were indexed as they were registered; this picks up what failed,
    # unless the index already failed in this batch: then it is not waited for again.
    late = index_pending(backends) if run.index_unavailable is None else IndexReport(
        failed=dict.fromkeys(backends.register.pending_index(), run.index_unavailable),
        unavailable=run.index_unavailable)
    report.index = IndexReport(indexed=run.indexed + late.indexed, failed=late.failed,
                               unavailable=late.unavailable)
    return report


def ingest_once(
    settings: Settings, backends: Backends, progress: Progress | None = None, *, wait: bool = True
) -> RunReport:
    """One pass over the watched folders: claim, process every batch, index."""
    with claim_ready_files(settings, wait=wait) as claim:
        report = process_batches(settings, backends, claim.paths, progress)
    report.settling, report.recovered, report.held = claim.settling, claim.recovered, claim.held
    return report


def process_batches(
    settings: Settings, backends: Backends, batches: list[Path], progress: Progress | None = None
) -> RunReport:
    """Process claimed batches with one pool of workers; index leftovers when there were none."""
    report = RunReport()
    # One pool for every batch: a worker's start-up costs about a second of CPU.
    limits = sandbox_limits(settings, settings.workers)
    with Sandbox(analyse_file, limits, WORKER_PRELOAD) as sandbox:
        for batch_path in batches:
            report.merge(process_batch(settings, backends, batch_path, progress,
                                       sandbox=sandbox))
    if not batches:
        report.index = index_pending(backends)
    return report


@dataclass
class _Archived:
    """A file whose original and text are stored (not yet flushed) and await a number."""

    claimed: ClaimedFile
    record: DocumentRecord
    text: str


class _BatchRun:
    """The stages applied to the files of one batch."""

    def __init__(
        self,
        settings: Settings,
        backends: Backends,
        inbox: Inbox,
        report: RunReport,
        progress: Progress | None,
        sandbox: Sandbox[AnalysisTask, Extraction] | None = None,
    ) -> None:
        self.settings = settings
        self.sandbox = sandbox
        self.backends = backends
        self.inbox = inbox
        self.report = report
        self.progress = progress
        self.group: list[_Archived] = []
        self.group_started = 0.0
        self.batch_id = ""
        self.committer: ThreadPoolExecutor | None = None
        self.in_flight: Future[list[FileReport]] | None = None
        self.indexed = 0  # documents the committer indexed, group by group
        self.index_unavailable: str | None = None  # once set, the batch stops trying

    def process(self, batch: Batch) -> None:
        try:
            self.analyse_and_archive(batch)
        except (TransientError, ConfigError):
            # Nothing that was not registered may leave the inbox: give it back.
            for claimed in batch.files:
                if claimed.path.exists():
                    self.give_back(claimed)
            raise

    def analyse_and_archive(self, batch: Batch) -> None:
        self.batch_id = batch.batch_id
        fingerprinted = self.fingerprint_all(batch.files)
        while fingerprinted:
            # Copies of the same bytes wait for the first to be registered, then
            # settle as its duplicates (or are analysed if it was quarantined).
            to_analyse, fingerprinted = self.settle_registered(fingerprinted)
            self.analyse_all(to_analyse)

    def analyse_all(self, to_analyse: list[tuple[ClaimedFile, str]]) -> None:
        if not to_analyse:
            return
        own = Sandbox(analyse_file, sandbox_limits(self.settings, len(to_analyse)), WORKER_PRELOAD)
        extract_limits = limits_from_settings(self.settings)
        tasks = [((c, sha), AnalysisTask(c.path, extract_limits)) for c, sha in to_analyse]
        # Groups are committed in a thread of their own, so the parent goes on
        # feeding the workers while a group is flushed and numbered.
        with ThreadPoolExecutor(1, thread_name_prefix="docket-commit") as self.committer:
            try:
                with nullcontext(self.sandbox) if self.sandbox else own as sandbox:
                    for (claimed, sha256), analysis in sandbox.run(tasks):
                        archived = self.guarded(claimed, sha256, "analyse",
                                                partial(self.archive, claimed, sha256, analysis))
                        if archived is not None:
                            self.add_to_group(archived)
                self.submit_group()
                self.collect_group()
            except BaseException:
                self.settle_in_flight()
                raise

    def guarded(self, claimed: ClaimedFile, sha256: str | None, step: str,
                stage: Callable[[], T | None]) -> T | None:
        """Run a stage; a permanent error quarantines the file, a transient one propagates."""
        try:
            return stage()
        except PermanentError as exc:
            self.quarantine(claimed, exc.reason, exc.message, step, sha256)
            return None

    # -- stages, in order -------------------------------------------------------------

    def fingerprint_all(self, files: list[ClaimedFile]) -> list[tuple[ClaimedFile, str]]:
        """Fingerprint every file and log its claim; the files with their SHA-256."""
        fingerprinted = []
        for claimed in files:
            sha256 = self.guarded(claimed, None, "fingerprint", partial(self.fingerprint, claimed))
            if sha256 is not None:
                fingerprinted.append((claimed, sha256))
        self.backends.register.log_events(  # one commit for the whole batch
            self.ledger_entry(c, sha, LedgerEvent.CLAIMED) for c, sha in fingerprinted)
        return fingerprinted

    def settle_registered(
        self, fingerprinted: list[tuple[ClaimedFile, str]]
    ) -> tuple[list[tuple[ClaimedFile, str]], list[tuple[ClaimedFile, str]]]:
        """Settle the files whose bytes are registered; the files to analyse (one per
        content) and the later copies of those, for the next round."""
        registered = self.backends.register.registered_among(sha for _c, sha in fingerprinted)
        to_analyse: dict[str, ClaimedFile] = {}
        later = []
        for claimed, sha256 in fingerprinted:
            existing = self.find_duplicate(sha256) if sha256 in registered else None
            if existing is None:
                if sha256 in to_analyse:
                    later.append((claimed, sha256))
                else:
                    to_analyse[sha256] = claimed
            elif self.registered_by_this_batch(claimed, existing):
                self.finish_release(claimed, existing)
            else:
                self.record_duplicate(claimed, sha256, existing)
        return [(claimed, sha256) for sha256, claimed in to_analyse.items()], later

    def fingerprint(self, claimed: ClaimedFile) -> str:
        """The SHA-256 of a regular file small enough to take."""
        what = not_a_regular_file(claimed.path)  # before opening: a pipe would block
        if what is not None:
            raise PermanentError(QuarantineReason.NOT_A_REGULAR_FILE, what)
        size = claimed.path.lstat().st_size
        if size == 0:
            raise PermanentError(QuarantineReason.EMPTY, "the file is empty (0 bytes)")
        if size > self.settings.max_file_mb * 1024 * 1024:
            raise PermanentError(
                QuarantineReason.TOO_LARGE,
                f"{size / 1048576:.0f} MiB is over the {self.settings.max_file_mb} MiB limit",
            )
        return sha256_file(claimed.path)

    def find_duplicate(self, sha256: str) -> DocumentRecord | None:
        """The registered document with these exact bytes, with its record.

        The register decides: a record is flushed before its number is
        committed, so a registered document always has one.  Bytes stored but
        never registered (a crash before the commit) are archived again.
        """
        if self.backends.register.find_by_sha256(sha256) is None:
            return None
        try:
            return load_record(self.backends, doc_id_for(sha256))
        except NotFound:
            return None  # registered but its record is gone: archiving again rewrites it

    def registered_by_this_batch(self, claimed: ClaimedFile, record: DocumentRecord) -> bool:
        """True for a file of this batch registered before a crash kept it from leaving.

        Its ``archived`` event names this batch and the file's place: it is the
        same arrival, not a second one, and must not be counted as a duplicate.
        """
        return any(
            entry.event is LedgerEvent.ARCHIVED
            and (entry.detail or {}).get("batch") == self.batch_id
            and (entry.original_name, entry.direction, entry.folder)
            == (claimed.original_name, claimed.direction, claimed.folder)
            for entry in self.backends.register.events_for(record.sha256)
        )

    def finish_release(self, claimed: ClaimedFile, record: DocumentRecord) -> None:
        self.release(claimed)
        label = record.registration.label if record.registration else None
        self.emit(_archived_report(claimed, record, label))

    def record_duplicate(self, claimed: ClaimedFile, sha256: str, record: DocumentRecord) -> None:
        event = DuplicateEvent(original_name=claimed.original_name, folder=claimed.folder,
                               direction=claimed.direction, received_at=claimed.received_at)
        record.duplicates_received.append(event)
        self.write_record(record)
        self.backends.register.add_duplicate_event(record.doc_id, event)  # logs the event too
        self.release(claimed)
        # Its number is in the book of the document's direction, not of this copy's.
        registration = record.registration.label if record.registration else None
        self.emit(FileReport(
            claimed.original_name, claimed.direction, claimed.folder, Outcome.DUPLICATE,
            sha256=sha256, doc_id=record.doc_id,
            registration=registration if claimed.direction == record.direction else None,
            number_symbol=record.meta("number_symbol"),
            message=translate("same_content", self.settings.ui_language, doc_id=record.doc_id,
                              direction=translate(record.direction, self.settings.ui_language),
                              registration=registration or ""),
        ))

    def archive(self, claimed: ClaimedFile, sha256: str,
                analysis: Extraction | Failure) -> _Archived:
        """Store the original and its text; they are flushed and numbered with the group."""
        if isinstance(analysis, Failure):
            if analysis.config:
                raise ConfigError(analysis.message)
            if analysis.transient:
                raise TransientError(analysis.message)
            raise PermanentError(analysis.reason, analysis.message)
        record = self.archive_original(claimed, sha256, analysis)
        self.archive_text(record, analysis.text)
        return _Archived(claimed, record, analysis.text)

    def archive_original(self, claimed: ClaimedFile, sha256: str,
                         analysis: Extraction) -> DocumentRecord:
        """Store the original under its content key, verified by reading it back."""
        key = original_key(sha256)
        stored = self.backends.store.put_file(key, claimed.path, sha256, analysis.mime,
                                              durable=False)
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
                                      "text/plain; charset=utf-8", durable=False)

    def add_to_group(self, archived: _Archived) -> None:
        if not self.group:
            self.group_started = time.monotonic()
        self.group.append(archived)
        if (len(self.group) >= GROUP_SIZE
                or time.monotonic() - self.group_started >= GROUP_SECONDS):
            self.submit_group()

    def submit_group(self) -> None:
        """Hand the group to the committer; at most one group is committed at a time."""
        group, self.group = self.group, []
        if not group:
            return
        self.collect_group()  # the one before: its errors surface here
        assert self.committer is not None
        self.in_flight = self.committer.submit(self.commit_group, group)

    def collect_group(self) -> None:
        future, self.in_flight = self.in_flight, None
        if future is not None:
            for file_report in future.result():
                self.emit(file_report)

    def settle_in_flight(self) -> None:
        """On the way out with an error: let the group being committed finish first,
        so no file is given back while the committer releases it."""
        future, self.in_flight = self.in_flight, None
        if future is None:
            return
        wait([future])
        if future.exception() is None:
            for file_report in future.result():
                self.emit(file_report)

    def commit_group(self, group: list[_Archived]) -> list[FileReport]:
        """Flush, number, record and release the group: one sync, one transaction, one sync."""
        self.backends.store.sync()  # every original and text is on disk before it is numbered
        results = self.register(group)
        again = [result.doc_id for result in results if not result.created]
        if again:  # already registered (a re-run after a crash): index it again
            self.backends.register.mark_index_pending(again)
        reports = []
        for archived, result in zip(group, results, strict=True):
            self.release(archived.claimed)
            reports.append(_archived_report(archived.claimed, archived.record,
                                            result.registration.label))
        # Indexed from what is in hand; what fails stays pending for index_pending.
        if self.index_unavailable is None:
            documents = {a.record.doc_id: index_document_for(a.record, a.text) for a in group}
            indexed = index_documents(self.backends, list(documents.values()))
            self.indexed += indexed.indexed
            self.index_unavailable = indexed.unavailable
        return reports

    def register(self, group: list[_Archived]) -> list[RegistrationResult]:
        """Number the group; its records are written and flushed before the numbers commit.

        The register hands the numbers over inside its open transaction; the
        records carrying them are written and synced there, and only then
        does the ``with`` block end and the transaction commit.  A registered
        document therefore always has its record on disk; if writing a record
        fails, the transaction rolls back and no number is used up.
        """
        ledger = [self.ledger_entry(a.claimed, a.record.sha256, LedgerEvent.ARCHIVED,
                                    doc_id=a.record.doc_id, detail={"batch": self.batch_id})
                  for a in group]
        with self.backends.register.registering([a.record for a in group],
                                                ledger=ledger) as results:
            for archived, result in zip(group, results, strict=True):
                archived.record.registration = result.registration
                archived.record.possible_duplicate_of = list(result.possible_duplicate_of)
                self.write_record(archived.record, durable=False)
            self.backends.store.sync()
        return results

    def write_record(self, record: DocumentRecord, *, durable: bool = True) -> None:
        self.backends.store.put_bytes(record.record_key, record.model_dump_json(indent=1).encode(),
                                      "application/json", durable=durable)

    def release(self, claimed: ClaimedFile) -> None:
        """The source leaves the inbox only now: its archived copy was verified."""
        self.inbox.release(claimed, delete=self.settings.delete_after_success)

    def quarantine(self, claimed: ClaimedFile, reason: QuarantineReason, message: str,
                   step: str, sha256: str | None) -> None:
        """``message`` is the technical detail; the clerk reads the reason's meaning."""
        self.inbox.quarantine(claimed, reason, message, step=step, sha256=sha256,
                              language=self.settings.ui_language,
                              timezone=self.settings.timezone)
        self.log(claimed, sha256 or "", "quarantined",
                 detail={"reason": reason.value, "message": message, "step": step})
        self.emit(FileReport(claimed.original_name, claimed.direction, claimed.folder,
                             Outcome.QUARANTINED, sha256=sha256, reason=reason.value,
                             message=reason_text(reason.value, self.settings.ui_language),
                             detail=message))

    def give_back(self, claimed: ClaimedFile) -> None:
        self.inbox.give_back(claimed)
        self.emit(FileReport(claimed.original_name, claimed.direction, claimed.folder,
                             Outcome.RETURNED,
                             message=translate("returned_for_next_run", self.settings.ui_language)))

    # -- bookkeeping ------------------------------------------------------------------

    def log(self, claimed: ClaimedFile, sha256: str, event: str, *, doc_id: str | None = None,
            detail: dict[str, str] | None = None) -> None:
        self.backends.register.log_event(
            sha256, event, original_name=claimed.original_name, direction=claimed.direction,
            folder=claimed.folder, detail=detail, doc_id=doc_id,
        )

    @staticmethod
    def ledger_entry(claimed: ClaimedFile, sha256: str, event: LedgerEvent, *,
                     doc_id: str | None = None,
                     detail: dict[str, str] | None = None) -> LedgerEntry:
        return LedgerEntry(sha256=sha256, event=event, original_name=claimed.original_name,
                           direction=claimed.direction, folder=claimed.folder,
                           at=datetime.now(UTC), doc_id=doc_id, detail=detail)

    def emit(self, file_report: FileReport) -> None:
        self.report.files.append(file_report)
        if self.progress is not None:
            self.progress(file_report)


def sandbox_limits(settings: Settings, files: int) -> SandboxLimits:
    """The worker limits from ``settings``, with no more workers than ``files``."""
    return SandboxLimits(
        timeout_seconds=settings.file_timeout_seconds,
        memory_mb=settings.file_memory_mb,
        workers=max(1, min(settings.workers, files)),
        scratch_dir=settings.inbox_dir / SCRATCH_DIR,
    )


def _archived_report(claimed: ClaimedFile, record: DocumentRecord,
                     registration: str | None) -> FileReport:
    return FileReport(
        claimed.original_name, claimed.direction, claimed.folder, Outcome.ARCHIVED,
        sha256=record.sha256, doc_id=record.doc_id, registration=registration,
        number_symbol=record.meta("number_symbol"),
        possible_duplicate_of=record.possible_duplicate_of,
    )


def index_new_documents(backends: Backends) -> IndexReport:
    """The reconciler's entry point (the ``docket_index`` DAG calls this)."""
    return index_pending(backends)


__all__ = [
    "Claim",
    "FileReport",
    "Outcome",
    "RunReport",
    "claim_ready_files",
    "index_document_for",
    "index_new_documents",
    "ingest_once",
    "process_batch",
    "process_batches",
]
