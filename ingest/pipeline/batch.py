"""The ingest of one batch (a chunk a lane took from the pool), top down.

Each file of a batch goes through the stages in this order; a permanent
error quarantines it at whichever stage it happens::

    fingerprint -> find duplicate -> analyse (sandboxed) -> archive original and text
    -> register -> write record -> release -> index

The first two run over the whole batch, the next two file by file as the
sandbox's workers finish, the last four once per group of archived files
(group commit, ``ingest.pipeline.commit``), in a thread of their own.
A transient error (a store or register outage) gives every file not yet
released back to the inbox and is raised, so the run is retried.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from ingest.backends import Backends
from ingest.inbox import BatchLock, ClaimedFile, Inbox
from ingest.indexing import index_pending
from ingest.pipeline.archive import (
    AnalysisPool,
    Archived,
    analyse_files,
    analysis_pool,
    archive_file,
)
from ingest.pipeline.commit import register_group, release_registered
from ingest.pipeline.context import BatchContext, Fingerprinted, quarantine_on_error
from ingest.pipeline.duplicates import settle_known_bytes
from ingest.pipeline.fingerprint import fingerprint_files
from ingest.pipeline.groups import GroupCommit
from ingest.pipeline.index import BatchIndexing
from ingest.pipeline.reports import FileReport, Progress, RunReport
from kernel.errors import ConfigError, TransientError
from kernel.settings import Settings


def process_batch(
    settings: Settings,
    backends: Backends,
    batch_path: Path,
    progress: Progress | None = None,
    *,
    sandbox: AnalysisPool | None = None,
    leftovers: bool = True,
) -> RunReport:
    """Run every file of one batch through the stages; index what was registered.

    ``sandbox``: workers to reuse (their start-up costs about a second of CPU
    each); by default the batch starts its own.  ``leftovers``: look for what
    else waits for the index at the end (a lane does it once, after its last
    chunk).
    """
    report = RunReport()
    if not batch_path.is_dir():
        # Already done, or its files were given back after a transient failure
        # (an Airflow retry of the same batch): nothing left to process.
        report.index = index_pending(backends)
        return report
    inbox = Inbox(settings.inbox_location)
    indexing = BatchIndexing(backends)
    with BatchLock(batch_path):
        batch = inbox.load_batch(batch_path)
        ctx = BatchContext(settings, backends, inbox, batch.batch_id, report, progress)
        try:
            ingest_batch(ctx, batch.files, indexing, sandbox)
        finally:
            inbox.remove_batch_if_empty(batch)
    report.index = indexing.index_leftovers() if leftovers else indexing.so_far()
    return report


def ingest_batch(ctx: BatchContext, files: list[ClaimedFile], indexing: BatchIndexing,
                 sandbox: AnalysisPool | None = None) -> None:
    """The stages for the files of one batch, in order."""
    try:
        waiting = fingerprint_files(ctx, files)
        while waiting:
            # Copies of the same bytes wait for the first to be registered, then
            # settle as its duplicates (or are analysed if it was quarantined).
            new = settle_known_bytes(ctx, waiting)
            archive_and_commit(ctx, new.to_analyse, indexing, sandbox)
            waiting = new.later
    except (TransientError, ConfigError):
        # Nothing that was not registered may leave the inbox: give it back.
        for claimed in files:
            if claimed.path.exists():
                ctx.give_back(claimed)
        raise


def archive_and_commit(ctx: BatchContext, files: list[Fingerprinted], indexing: BatchIndexing,
                       sandbox: AnalysisPool | None) -> None:
    """Analyse and archive file by file; register, write, release and index group by group."""
    if not files:
        return
    with GroupCommit(partial(commit_group, ctx, indexing), ctx.emit) as groups, \
            analysis_pool(ctx.settings, len(files), sandbox) as pool:
        for file, analysis in analyse_files(ctx.settings, ctx.backends.store, pool, files):
            archived = quarantine_on_error(ctx, file.claimed, file.sha256, "analyse",
                                           partial(archive_file, ctx.backends.store, file,
                                                   analysis))
            if archived is not None:
                groups.add(archived)


def commit_group(ctx: BatchContext, indexing: BatchIndexing,
                 group: list[Archived]) -> list[FileReport]:
    """Flush, number, record, release, index: one sync, one transaction, one sync."""
    ctx.backends.store.sync()  # every original and text is on disk before it is numbered
    registered = register_group(ctx, group)  # the records are written before the commit
    reports = release_registered(ctx, registered)
    indexing.index_group(registered)
    return reports
