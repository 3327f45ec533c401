"""From records to the search index, and the reconciler between the two."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ingest.backends import Backends
from kernel.errors import IndexRefused, IndexUnavailable, NotFound, UnreadableRecords
from kernel.model import DocumentRecord, record_key
from search.model import IndexDocument

log = logging.getLogger(__name__)


def index_document_for(record: DocumentRecord, text: str) -> IndexDocument:
    """The search view of ``record`` with its extracted ``text``."""
    return IndexDocument.from_record(record, text)


def load_record(backends: Backends, doc_id: str) -> DocumentRecord:
    """The JSON record of ``doc_id`` from the object store."""
    data = backends.store.get_bytes(record_key(doc_id))
    return DocumentRecord.model_validate_json(data)


def load_text(backends: Backends, record: DocumentRecord) -> str:
    try:
        return backends.store.get_bytes(record.text_key).decode("utf-8")
    except NotFound:
        return ""


def iter_records(
    backends: Backends, unreadable: dict[str, str] | None = None
) -> Iterator[DocumentRecord]:
    """Every record in the store: the source of truth for rebuilds.

    A record that cannot be read (cut short, not JSON, not a record) is
    skipped, not the end of the rebuild: its key and the error go into
    ``unreadable`` and the rest are read.
    """
    for key in backends.store.list_keys("records/"):
        if not key.endswith(".json"):
            continue
        try:
            record = DocumentRecord.model_validate(json.loads(backends.store.get_bytes(key)))
        except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError, ValidationError
            log.error("unreadable record %s skipped: %s", key, exc)
            if unreadable is not None:
                unreadable[key] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
            continue
        yield record


@dataclass
class IndexReport:
    indexed: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    unavailable: str | None = None  # set when the index could not be reached

    @property
    def still_pending(self) -> int:
        return len(self.failed)

    def merge(self, other: IndexReport) -> None:
        """Add the counts of ``other``, about other documents."""
        self.indexed += other.indexed
        self.failed.update(other.failed)
        self.unavailable = other.unavailable or self.unavailable


def index_pending(backends: Backends, *, chunk: int = 500) -> IndexReport:
    """Index every registered document the register marks as waiting for the index.

    Safe to run any time and any number of times: this is how an index outage
    heals.  Failed documents stay pending for the next run.
    """
    report = IndexReport()
    try:
        requeue_if_index_lost(backends)
    except IndexUnavailable as exc:
        report.unavailable = exc.message
        return report
    pending = backends.register.pending_index()
    for start in range(0, len(pending), chunk):
        documents = []
        for doc_id in pending[start:start + chunk]:
            record = load_record(backends, doc_id)
            documents.append(index_document_for(record, load_text(backends, record)))
        report.merge(index_documents(backends, documents))
        if report.unavailable:
            break
    return report


def requeue_if_index_lost(backends: Backends) -> int:
    """Mark documents as waiting again when the index lost them, all or some.

    An index holding fewer documents than the register counts as indexed has
    lost some: a new file in place of a damaged or deleted one, a new server,
    an older backup restored over it.  Its lost documents must not stay out of
    search until someone runs ``docket reindex``: the register's documents are
    checked against the index in pages and the missing ones queued again.
    Cheap when nothing was lost (two counts).  A loss hidden by as many
    documents the register no longer holds is not seen (``docket reindex``).
    """
    held = backends.index.count()
    indexed = backends.register.count_indexed()
    if held >= indexed:
        return 0
    if held == 0:
        lost = [ref.doc_id for ref in backends.register.iter_documents()]
    else:
        lost = list(_missing_from_index(backends))
    log.warning("the search index holds %d documents but %d were indexed: "
                "indexing %d again", held, indexed, len(lost))
    return backends.register.mark_index_pending(lost)


def _missing_from_index(backends: Backends, page: int = 500) -> Iterator[str]:
    doc_ids: list[str] = []
    for ref in backends.register.iter_documents():
        doc_ids.append(ref.doc_id)
        if len(doc_ids) == page:
            yield from backends.index.missing(doc_ids)
            doc_ids = []
    if doc_ids:
        yield from backends.index.missing(doc_ids)


def index_documents(backends: Backends, documents: list[IndexDocument]) -> IndexReport:
    """Index ``documents`` (built from records in hand) and mark them indexed.

    The ingest indexes each registered group this way, without reading its
    records back; what fails stays pending for ``index_pending``.
    """
    report = IndexReport()
    if not documents:
        return report
    try:
        result = backends.index.index_documents(documents)
    except IndexUnavailable as exc:
        report.unavailable = exc.message
        report.failed.update({d.doc_id: exc.message for d in documents})
        return report
    backends.register.mark_indexed(result.indexed)
    report.indexed += len(result.indexed)
    report.failed.update(result.failed)
    return report


def rebuild_index(backends: Backends) -> int:
    """Rebuild the whole search index from the stored records alone.

    Every document is marked indexed only once the rebuilt index holds them
    all.  When the index refuses some (``IndexRefused``, raised on), the old
    index stays in service and the refused documents are marked as waiting for
    the index, so ``docket index`` and the index DAG report them until fixed.
    The register's review flags are worked out again from the records on the way.
    Raises ``UnreadableRecords`` at the end, after the rest are indexed, when
    some records could not be read.
    """
    doc_ids: list[str] = []
    unreadable: dict[str, str] = {}
    reviews: list[tuple[str, dict[str, Any]]] = []

    def documents() -> Iterator[IndexDocument]:
        for record in iter_records(backends, unreadable):
            doc_ids.append(record.doc_id)
            reviews.append((record.doc_id, backends.register.review_of(record)))
            yield index_document_for(record, load_text(backends, record))

    try:
        count = backends.index.rebuild(documents())
    except IndexRefused as refused:
        backends.register.set_review_flags(reviews)
        backends.register.mark_index_pending(list(refused.failed))
        raise
    backends.register.set_review_flags(reviews)
    backends.register.mark_indexed(doc_ids)
    if unreadable:
        raise UnreadableRecords(count, unreadable)
    return count
