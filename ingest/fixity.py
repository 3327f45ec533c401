"""Fixity: re-read archived originals and compare each SHA-256 with its record.

The register says which documents exist; each document's JSON record says
which SHA-256 its original must have; the store must give back exactly those
bytes.  Problems are reported, never repaired: a mismatch is evidence that a
person has to look at (bit rot, tampering, a bad restore), and overwriting it
would destroy that evidence.

A large archive is checked in rotating slices: documents are dealt into
``slice_count`` slices by their id (a SHA-256 prefix, so the slices are even),
and each run checks one, so every original is re-read once per ``slice_count``
runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from pydantic import ValidationError

from ingest.backends import Backends
from kernel.errors import NotFound
from kernel.model import DocumentRecord, original_key

# Monday 2024-01-01: week numbers for slice rotation count from here.
_EPOCH = date(2024, 1, 1)


class FixityProblemKind(StrEnum):
    MISSING_RECORD = "missing_record"  # the register knows the document, the store has no record
    RECORD_MISMATCH = "record_mismatch"  # the record names another SHA-256 than the register
    MISSING_ORIGINAL = "missing_original"  # the original object is gone
    CHECKSUM_MISMATCH = "checksum_mismatch"  # the original reads back with another SHA-256


@dataclass(frozen=True)
class FixityProblem:
    doc_id: str
    key: str
    kind: FixityProblemKind
    detail: str = ""

    def line(self) -> str:
        """One human-readable line for logs and task failures."""
        suffix = f": {self.detail}" if self.detail else ""
        return f"{self.kind.value} {self.doc_id} ({self.key}){suffix}"


@dataclass
class FixityReport:
    slice_index: int
    slice_count: int
    checked: int = 0
    problems: list[FixityProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def missing(self) -> list[FixityProblem]:
        gone = (FixityProblemKind.MISSING_ORIGINAL, FixityProblemKind.MISSING_RECORD)
        return [p for p in self.problems if p.kind in gone]

    @property
    def mismatched(self) -> list[FixityProblem]:
        bad = (FixityProblemKind.CHECKSUM_MISMATCH, FixityProblemKind.RECORD_MISMATCH)
        return [p for p in self.problems if p.kind in bad]

    def summary(self) -> dict[str, int]:
        return {
            "checked": self.checked,
            "ok": self.checked - len({p.doc_id for p in self.problems}),
            "missing": len(self.missing),
            "mismatched": len(self.mismatched),
        }


def in_slice(doc_id: str, slice_index: int, slice_count: int) -> bool:
    """True when ``doc_id`` belongs to slice ``slice_index`` of ``slice_count``."""
    if slice_count <= 1:
        return True
    try:
        bucket = int(doc_id[:8], 16)
    except ValueError:  # not a hex id: still deal it somewhere stable
        bucket = sum(doc_id.encode())
    return bucket % slice_count == slice_index


def slice_for(moment: date | datetime, slice_count: int) -> int:
    """The slice a weekly run at ``moment`` checks: consecutive weeks take turns."""
    day = moment.date() if isinstance(moment, datetime) else moment
    return ((day - _EPOCH).days // 7) % max(1, slice_count)


def check_fixity(backends: Backends, *, slice_index: int = 0, slice_count: int = 1) -> FixityReport:
    """Re-read the originals of one slice of the archive and report every problem.

    Raises ``StoreUnavailable`` / ``RegisterUnavailable`` (transient) when a
    backend cannot be reached: an unreachable store is not a fixity failure.
    """
    if not 0 <= slice_index < max(1, slice_count):
        raise ValueError(f"slice {slice_index} is not one of 0..{slice_count - 1}")
    report = FixityReport(slice_index=slice_index, slice_count=slice_count)
    for ref in backends.register.iter_documents():
        if not in_slice(ref.doc_id, slice_index, slice_count):
            continue
        report.checked += 1
        problem = _check_document(backends, ref.doc_id, ref.record_key, ref.sha256)
        if problem is not None:
            report.problems.append(problem)
    return report


def _check_document(
    backends: Backends, doc_id: str, record_key: str, sha256: str
) -> FixityProblem | None:
    try:
        record = DocumentRecord.model_validate_json(backends.store.get_bytes(record_key))
    except NotFound:
        return FixityProblem(doc_id, record_key, FixityProblemKind.MISSING_RECORD)
    except ValidationError as exc:
        return FixityProblem(doc_id, record_key, FixityProblemKind.RECORD_MISMATCH,
                             f"unreadable record: {exc.error_count()} errors")
    if record.sha256 != sha256:
        return FixityProblem(
            doc_id, record_key, FixityProblemKind.RECORD_MISMATCH,
            f"record says {record.sha256[:12]}…, register says {sha256[:12]}…",
        )
    key = record.original_key or original_key(sha256)
    if backends.store.stat(key) is None:
        return FixityProblem(doc_id, key, FixityProblemKind.MISSING_ORIGINAL)
    if not backends.store.verify(key, sha256):
        return FixityProblem(
            doc_id, key, FixityProblemKind.CHECKSUM_MISMATCH,
            f"expected {sha256[:12]}…",
        )
    return None
