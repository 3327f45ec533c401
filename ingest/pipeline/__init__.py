"""The ingest of files from the watched folders.

``claim_ready_files`` (``claiming``) takes complete files out of the watched
trees into locked batches; ``process_batch`` (``batch``) runs each file of a
batch through the stages, one module each::

    fingerprint -> duplicates -> archive (analyse in the sandbox, store original
    and text) -> commit (register, write record, release) -> index

``ingest_once`` does both for one pass over the inbox.  What a run did comes
back as a ``RunReport`` of ``FileReport`` lines (``reports``).
"""

from __future__ import annotations

from ingest.pipeline.batch import ingest_once, process_batch, process_batches
from ingest.pipeline.claiming import HAND_OFF_LEASE_SECONDS, Claim, claim_ready_files
from ingest.pipeline.reports import FileReport, Outcome, Progress, RunReport

__all__ = [
    "HAND_OFF_LEASE_SECONDS",
    "Claim",
    "FileReport",
    "Outcome",
    "Progress",
    "RunReport",
    "claim_ready_files",
    "ingest_once",
    "process_batch",
    "process_batches",
]
