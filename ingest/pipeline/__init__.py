"""The ingest of files from the watched folders.

``claim_ready_files`` (``claiming``) takes complete files out of the watched
trees into the claimed pool, in chunks; lanes (``lanes``) take the chunks one
at a time and ``process_batch`` (``batch``) runs each file of a chunk through
the stages, one module each::

    fingerprint -> duplicates -> archive (analyse in the sandbox, store original
    and text) -> commit (register, write record, release) -> index

``ingest_once`` does both for one run over the inbox.  What a run did comes
back as a ``RunReport`` of ``FileReport`` lines (``reports``).
"""

from __future__ import annotations

from ingest.pipeline.batch import process_batch
from ingest.pipeline.claiming import Claim, claim_ready_files
from ingest.pipeline.lanes import ingest_once, run_lane, run_lanes
from ingest.pipeline.reports import FileReport, Outcome, Progress, RunReport

__all__ = [
    "Claim",
    "FileReport",
    "Outcome",
    "Progress",
    "RunReport",
    "claim_ready_files",
    "ingest_once",
    "process_batch",
    "run_lane",
    "run_lanes",
]
