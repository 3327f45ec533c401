"""Stage 2, find duplicate: bytes already registered settle without being analysed again.

A file whose bytes are registered is either the same arrival, registered
before a crash kept it from leaving the inbox (it is released now), or a
second arrival of a registered document (counted on the document as a
duplicate, never numbered again).  Copies of the same bytes within the batch
wait for the first to be registered, then settle the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.backends import Backends
from ingest.indexing import load_record
from ingest.pipeline.archive import write_record
from ingest.pipeline.context import BatchContext, Fingerprinted
from ingest.pipeline.reports import FileReport, Outcome, archived_report
from ingest.register import LedgerEvent
from kernel.errors import NotFound
from kernel.i18n import translate
from kernel.model import DocumentRecord, DuplicateEvent, doc_id_for


@dataclass
class NewBytes:
    """What ``settle_known_bytes`` leaves: one file per content to analyse now, and the
    later copies of those contents, for the next round."""

    to_analyse: list[Fingerprinted] = field(default_factory=list)
    later: list[Fingerprinted] = field(default_factory=list)


def settle_known_bytes(ctx: BatchContext, files: list[Fingerprinted]) -> NewBytes:
    """Settle the files whose bytes are registered; the rest, split by first copy and later."""
    registered = ctx.backends.register.registered_among(f.sha256 for f in files)
    new = NewBytes()
    first: set[str] = set()
    for file in files:
        existing = find_duplicate(ctx.backends, file.sha256) if file.sha256 in registered else None
        if existing is None:
            (new.later if file.sha256 in first else new.to_analyse).append(file)
            first.add(file.sha256)
        elif registered_by_this_batch(ctx, file, existing):
            ctx.release(file.claimed)
            ctx.emit(archived_report(file.claimed, existing))
        else:
            record_duplicate(ctx, file, existing)
    return new


def find_duplicate(backends: Backends, sha256: str) -> DocumentRecord | None:
    """The registered document with these exact bytes, with its record.

    The register decides: a record is flushed before its number is
    committed, so a registered document always has one.  Bytes stored but
    never registered (a crash before the commit) are archived again.
    """
    if backends.register.find_by_sha256(sha256) is None:
        return None
    try:
        return load_record(backends, doc_id_for(sha256))
    except NotFound:
        return None  # registered but its record is gone: archiving again rewrites it


def registered_by_this_batch(ctx: BatchContext, file: Fingerprinted,
                             record: DocumentRecord) -> bool:
    """True for a file of this batch registered before a crash kept it from leaving.

    Its ``archived`` event names this batch and the file's place: it is the
    same arrival, not a second one, and must not be counted as a duplicate.
    """
    claimed = file.claimed
    return any(
        entry.event is LedgerEvent.ARCHIVED
        and (entry.detail or {}).get("batch") == ctx.batch_id
        and (entry.original_name, entry.direction, entry.folder)
        == (claimed.original_name, claimed.direction, claimed.folder)
        for entry in ctx.backends.register.events_for(record.sha256)
    )


def record_duplicate(ctx: BatchContext, file: Fingerprinted, record: DocumentRecord) -> None:
    """Count a second arrival on the registered document, in its record and in the register."""
    claimed = file.claimed
    event = DuplicateEvent(original_name=claimed.original_name, folder=claimed.folder,
                           direction=claimed.direction, received_at=claimed.received_at)
    record.duplicates_received.append(event)
    write_record(ctx.backends.store, record)
    ctx.backends.register.add_duplicate_event(record.doc_id, event)  # logs the event too
    ctx.release(claimed)
    ctx.emit(_duplicate_report(ctx, file, record))


def _duplicate_report(ctx: BatchContext, file: Fingerprinted,
                      record: DocumentRecord) -> FileReport:
    claimed, language = file.claimed, ctx.settings.ui_language
    # Its number is in the book of the document's direction, not of this copy's.
    registration = record.registration.label if record.registration else None
    return FileReport(
        claimed.original_name, claimed.direction, claimed.folder, Outcome.DUPLICATE,
        sha256=file.sha256, doc_id=record.doc_id,
        registration=registration if claimed.direction == record.direction else None,
        number_symbol=record.meta("number_symbol"),
        message=translate("same_content", language, doc_id=record.doc_id,
                          direction=translate(record.direction, language),
                          registration=registration or ""),
    )
