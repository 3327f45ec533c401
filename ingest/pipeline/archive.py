"""Stages 3 and 4, analyse and archive: each file read in the sandbox, then its
original and text stored under content keys (flushed later, with its group).

A store the workers can write to themselves (the local folder:
``SharedWithWorkers``) gets the original and text from the worker that read
the file, copied, read back and verified there; this process stores them
only for the other stores (S3) or when a worker could not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ingest.analyse import (
    WORKER_PRELOAD,
    Analysis,
    AnalysisTask,
    ArchiveTarget,
    analyse_and_archive,
    limits_from_settings,
)
from ingest.inbox import SCRATCH_DIR
from ingest.pipeline.context import Fingerprinted
from ingest.sandbox import Failure, Sandbox, SandboxLimits
from ingest.store import ObjectStore, SharedWithWorkers, StoredObject
from kernel.errors import ConfigError, PermanentError, TransientError
from kernel.model import DocumentRecord, Extraction, doc_id_for, original_key, record_key, text_key
from kernel.settings import Settings

AnalysisPool = Sandbox[AnalysisTask, Analysis]


@dataclass(frozen=True)
class Archived:
    """A file whose original and text are stored (not yet flushed) and await a number."""

    file: Fingerprinted
    record: DocumentRecord
    text: str


def sandbox_limits(settings: Settings, files: int) -> SandboxLimits:
    """The worker limits from ``settings``, with no more workers than ``files``."""
    return SandboxLimits(
        timeout_seconds=settings.file_timeout_seconds,
        memory_mb=settings.file_memory_mb,
        workers=max(1, min(settings.workers, files)),
        scratch_dir=settings.inbox_location / SCRATCH_DIR,
    )


@contextmanager
def analysis_pool(settings: Settings, files: int,
                  shared: AnalysisPool | None = None) -> Iterator[AnalysisPool]:
    """``shared`` if given (a worker's start-up costs about a second of CPU), else a pool
    of its own for ``files`` files, closed at the end."""
    if shared is not None:
        yield shared
        return
    with Sandbox(analyse_and_archive, sandbox_limits(settings, files), WORKER_PRELOAD) as own:
        yield own


def analyse_files(settings: Settings, store: ObjectStore, pool: AnalysisPool,
                  files: list[Fingerprinted]) -> Iterator[tuple[Fingerprinted, Analysis | Failure]]:
    """Each file with what the sandbox made of it (identify, extract, describe; stored, if
    the workers can write to ``store``), as they finish."""
    limits = limits_from_settings(settings)
    shared = store.for_workers() if isinstance(store, SharedWithWorkers) else None
    yield from pool.run(
        (file, AnalysisTask(file.claimed.path, limits,
                            ArchiveTarget(shared, file.sha256) if shared is not None else None))
        for file in files)


def archive_file(store: ObjectStore, file: Fingerprinted,
                 analysis: Analysis | Failure) -> Archived:
    """The file's record, its original and text stored (by the worker, else now); a failed
    analysis raises the error it stands for."""
    if isinstance(analysis, Failure):
        if analysis.config:
            raise ConfigError(analysis.message)
        if analysis.transient:
            raise TransientError(analysis.message)
        raise PermanentError(analysis.reason, analysis.message)
    extraction, stored = analysis.extraction, analysis.stored
    if stored is None:
        stored = store.put_file(original_key(file.sha256), file.claimed.path, file.sha256,
                                extraction.mime, durable=False)
        store.put_bytes(text_key(file.sha256), extraction.text.encode("utf-8"),
                        "text/plain; charset=utf-8", durable=False)
    return Archived(file, record_of(file, extraction, stored), extraction.text)


def record_of(file: Fingerprinted, analysis: Extraction, stored: StoredObject) -> DocumentRecord:
    """The record of a file whose original is stored (not numbered yet)."""
    claimed, sha256 = file.claimed, file.sha256
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
        original_key=stored.key,
        text_key=text_key(sha256),
        record_key=record_key(doc_id),
    )


def write_record(store: ObjectStore, record: DocumentRecord, *, durable: bool = True) -> None:
    """The record JSON, the source of truth for the register and the index."""
    store.put_bytes(record.record_key, record.model_dump_json(indent=1).encode(),
                    "application/json", durable=durable)
