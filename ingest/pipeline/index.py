"""Stage 8, index: each registered group from the documents in hand, then what is left.

The documents of a group are indexed from the records and texts the
pipeline holds, without reading them back; what fails stays "pending" in the
register.  At the end of a lane (of a run, for lanes side by side in one
process) ``index_pending`` runs once, for those and for whatever earlier runs
left.  Once the index has failed in a batch, the
batch stops trying: a locked or unreachable index would cost a wait per
group, and ``docket index`` (the ``docket_index`` DAG) catches up later.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.backends import Backends
from ingest.indexing import IndexReport, index_document_for, index_documents, index_pending
from ingest.pipeline.commit import Registered


@dataclass
class BatchIndexing:
    """What the batch indexed so far, and whether the index failed in it."""

    backends: Backends
    indexed: int = 0
    unavailable: str | None = None  # once set, the batch stops trying

    def index_group(self, registered: list[Registered]) -> None:
        """Index a registered group from the documents in hand."""
        if self.unavailable is not None:
            return
        documents = [index_document_for(d.record, d.text) for d in registered]
        report = index_documents(self.backends, documents)
        self.indexed += report.indexed
        self.unavailable = report.unavailable

    def so_far(self) -> IndexReport:
        """What the groups indexed, and whether the index failed."""
        return IndexReport(indexed=self.indexed, unavailable=self.unavailable)

    def index_leftovers(self, *, retry: bool = False) -> IndexReport:
        """``index_pending``, once per batch: not when the index failed in it, unless
        ``retry`` (a lock another process held a moment may be gone by now). When the
        index fails, everything the register holds as waiting for it is reported."""
        late = IndexReport(unavailable=self.unavailable)
        if self.unavailable is None or retry:
            late = index_pending(self.backends)
        if late.unavailable is not None:
            waiting = dict.fromkeys(self.backends.register.pending_index(), late.unavailable)
            late = IndexReport(indexed=late.indexed, failed={**waiting, **late.failed},
                               unavailable=late.unavailable)
        return IndexReport(indexed=self.indexed + late.indexed, failed=late.failed,
                           unavailable=late.unavailable)
