"""What an ingest run reports: one line per file, and the counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from ingest.inbox import ClaimedFile
from ingest.indexing import IndexReport
from kernel.model import DocumentRecord


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
    left: int = 0  # files still in the claimed pool at the end, for the next run

    def count(self, outcome: Outcome) -> int:
        return sum(1 for f in self.files if f.outcome is outcome)

    def merge(self, other: RunReport) -> None:
        self.files.extend(other.files)
        self.recovered += other.recovered
        self.held += other.held
        self.left = other.left  # what the pool held when the later run ended
        self.index.merge(other.index)

    def summary(self) -> dict[str, int]:
        summary = {outcome.value: self.count(outcome) for outcome in Outcome}
        summary["indexed"] = self.index.indexed
        summary["waiting_for_index"] = len(self.index.failed)
        summary["settling"] = self.settling
        summary["recovered"] = self.recovered
        summary["held"] = self.held
        summary["left_for_next_run"] = self.left
        return summary


Progress = Callable[[FileReport], None]


def archived_report(claimed: ClaimedFile, record: DocumentRecord) -> FileReport:
    """The line of a file whose document is registered (now, or before a crash)."""
    return FileReport(
        claimed.original_name, claimed.direction, claimed.folder, Outcome.ARCHIVED,
        sha256=record.sha256, doc_id=record.doc_id,
        registration=record.registration.label if record.registration else None,
        number_symbol=record.meta("number_symbol"),
        possible_duplicate_of=record.possible_duplicate_of,
    )
