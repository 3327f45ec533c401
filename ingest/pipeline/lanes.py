"""Lanes: each takes chunks from the claimed pool until it is empty or the lane's
time is spent; what is left waits for the next run.

A lane is a thread of ``docket ingest`` on the embedded default, or a mapped
``process`` task of ``docket_ingest`` on the stack (``lease_seconds`` given:
its folder is leased, and a heartbeat renews the lease while it works, so a
lane whose machine died is taken back a lease later).  Scans and born-digital
files mix without planning: a lane that drew slow files simply takes fewer
chunks.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

from ingest.analyse import WORKER_PRELOAD, analyse_and_archive
from ingest.backends import Backends
from ingest.inbox import WORK_DIR
from ingest.indexing import IndexReport
from ingest.lanes import LaneFolder, count_files_below, pooled_files
from ingest.pipeline.archive import AnalysisPool, sandbox_limits
from ingest.pipeline.batch import process_batch
from ingest.pipeline.claiming import claim_ready_files
from ingest.pipeline.index import BatchIndexing
from ingest.pipeline.reports import Progress, RunReport
from ingest.sandbox import Sandbox
from kernel.settings import Settings

log = logging.getLogger(__name__)


def run_lane(
    settings: Settings,
    backends: Backends,
    progress: Progress | None = None,
    *,
    lease_seconds: float | None = None,
    budget_seconds: float | None = None,
    finish_index: bool = True,
) -> RunReport:
    """Take chunks from the pool into a lane folder of this lane's own and process
    them, one at a time, until the pool is empty or ``budget_seconds`` (default
    ``settings.lane_seconds``) are spent.  A lane always takes at least one chunk
    (a lane slow to start on a loaded machine still moves the pool on).

    The report's ``left`` counts the files still in the pool at the end.
    ``finish_index``: then look once for what else waits for the index (lanes
    side by side in one process leave it to ``run_lanes``, once for all).
    """
    budget = settings.lane_seconds if budget_seconds is None else budget_seconds
    work_root = settings.inbox_location / WORK_DIR
    report = RunReport()
    started = time.monotonic()
    with ExitStack() as stack:
        lane = stack.enter_context(LaneFolder(work_root, lease_seconds))
        pool: AnalysisPool | None = None
        taken = 0
        while not taken or time.monotonic() - started < budget:
            chunk = lane.take_chunk()
            if chunk is None:
                break
            taken += 1
            if pool is None:  # started for the first chunk: a worker costs ~1 s of CPU
                limits = sandbox_limits(settings, settings.workers)
                pool = stack.enter_context(Sandbox(analyse_and_archive, limits, WORKER_PRELOAD))
            began = time.monotonic()
            files = count_files_below(chunk)
            report.merge(process_batch(settings, backends, chunk, progress, sandbox=pool,
                                       leftovers=False))
            log.info("lane %s: chunk %s, %d files in %.1f s (%.1f s into the lane)",
                     lane.path.name, chunk.name, files, time.monotonic() - began,
                     time.monotonic() - started)
    if finish_index:
        report.index = finish_indexing(backends, report.index)
    report.left = pooled_files(work_root)
    return report


def finish_indexing(backends: Backends, so_far: IndexReport) -> IndexReport:
    """``index_pending`` once, after the lanes' groups: tried even when the index failed
    in them (one more wait, once a run); if it fails again, what waits is reported."""
    return BatchIndexing(backends, indexed=so_far.indexed).index_leftovers(retry=True)


def run_lanes(settings: Settings, backends: Backends, lanes: int,
              progress: Progress | None = None) -> RunReport:
    """``lanes`` lanes side by side (threads of this process) over the pool; with
    none (an empty pool), the documents an earlier run left unindexed are indexed."""
    if lanes <= 0:
        report = RunReport(index=finish_indexing(backends, IndexReport()))
        report.left = pooled_files(settings.inbox_location / WORK_DIR)
        return report
    if lanes == 1:
        return run_lane(settings, backends, progress)
    with ThreadPoolExecutor(lanes, thread_name_prefix="docket-lane") as executor:
        futures = [executor.submit(run_lane, settings, backends, progress, finish_index=False)
                   for _ in range(lanes)]
    report = RunReport()
    errors: list[BaseException] = []
    for future in futures:
        error = future.exception()
        if error is None:
            report.merge(future.result())
        else:
            errors.append(error)
    if errors:
        raise errors[0]  # the other lanes finished their work; their files are settled
    report.index = finish_indexing(backends, report.index)
    report.left = pooled_files(settings.inbox_location / WORK_DIR)
    return report


def ingest_once(
    settings: Settings, backends: Backends, progress: Progress | None = None, *, wait: bool = True
) -> RunReport:
    """One run over the watched folders: claim into the pool, then work it in lanes."""
    claim = claim_ready_files(settings, wait=wait)
    report = run_lanes(settings, backends, claim.lanes, progress)
    report.settling, report.recovered, report.held = claim.settling, claim.recovered, claim.held
    return report
