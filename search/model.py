"""What goes into the search index and what comes out of it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

# The secrecy scale belongs to the record (the kernel); the index ranks by it.
from kernel.model import METADATA_FIELDS, DocumentRecord
from kernel.model import SECRECY_LEVELS as SECRECY_LEVELS
from kernel.model import secrecy_rank as secrecy_rank
from kernel.text import normalize_text

FACET_FIELDS: tuple[str, ...] = ("direction", "doc_type", "issuing_body", "language", "folder")
# Totals are counted exactly up to here (Elasticsearch's default
# ``track_total_hits``); past it a search says "more than TOTAL_CAP"
# (``SearchResult.total_exact`` False): counting every match of a common word
# costs more than finding the page shown, and nobody reads that far.
TOTAL_CAP = 10_000
# The body of one document is cut here (a few MB of text): enough to find it by any word.
MAX_BODY_CHARS = 2_000_000


class IndexDocument(BaseModel):
    """One document as the index sees it (built from a ``DocumentRecord``).

    ``subject`` and ``body`` are in normal form (``kernel.text.normalize_text``:
    NFC, one tone placement, OCR's Ð read as Đ): whoever builds the document
    normalises them, once (the ingest: ``ingest.indexing.index_document_for``),
    and every backend indexes them as they are.
    """

    doc_id: str
    direction: str
    folder: str = ""
    original_name: str = ""
    detected_type: str = ""
    doc_type: str | None = None
    issuing_body: str | None = None
    number_symbol: str | None = None
    issue_date: date | None = None
    received_at: datetime
    registration_year: int | None = None
    registration_number: int | None = None
    # "ordinary" or "secret": secret documents are numbered in their own book.
    registration_book: str = "ordinary"
    language: str | None = None
    # secrecy_rank of the document's mark; out-of-range ranks are refused, so
    # every document falls in exactly one of the levels a clearance is checked against.
    secrecy: int = Field(default=0, ge=0, le=len(SECRECY_LEVELS) - 1)
    urgency: str | None = None
    signer_name: str | None = None
    references: list[str] = Field(default_factory=list)
    subject: str = ""
    body: str = ""
    page_count: int = 0

    @classmethod
    def from_record(cls, record: DocumentRecord, text: str) -> IndexDocument:
        """The search view of ``record`` with its extracted ``text``.

        A field named as one of the record's is taken from it as it is, one
        named as a metadata field from the metadata as read (``_FROM_RECORD``,
        ``_FROM_METADATA``: the two models are the one list of fields); the
        rest are worked out here.
        """
        registration = record.registration
        values: dict[str, object] = {name: getattr(record, name) for name in _FROM_RECORD}
        values.update({name: record.meta(name) for name in _FROM_METADATA})
        values.update(
            issue_date=record.issue_date,
            registration_year=registration.year if registration else None,
            registration_number=registration.number if registration else None,
            registration_book=registration.book if registration else "ordinary",
            secrecy=secrecy_rank(record.meta("secrecy")),
            references=record.meta_list("references"),
            # The one normalisation of the text on its way to the index: one tone
            # placement, OCR's Ð look-alike as Đ, as the describer reads them (a
            # scan's "QĐÐ-UBND" is found by "QĐ-UBND"), on every backend.
            subject=normalize_text(record.meta("subject") or record.meta("title") or ""),
            body=normalize_text(text[:MAX_BODY_CHARS]),
        )
        return cls.model_validate(values)


# Worked out in ``from_record`` rather than copied: a date, a rank, a list, the text.
_DERIVED = frozenset({"issue_date", "secrecy", "references", "subject", "body"})
_FROM_RECORD = tuple(name for name in IndexDocument.model_fields
                     if name in DocumentRecord.model_fields and name not in _DERIVED)
_FROM_METADATA = tuple(name for name in IndexDocument.model_fields
                       if name in METADATA_FIELDS and name not in _DERIVED)


class SearchFilters(BaseModel):
    """Filters are exact matches (facets) and inclusive date ranges."""

    direction: str | None = None
    doc_type: str | None = None
    issuing_body: str | None = None
    language: str | None = None
    folder: str | None = None
    reference: str | None = None  # documents citing this number/symbol
    issued_from: date | None = None
    issued_to: date | None = None
    received_from: date | None = None
    received_to: date | None = None
    max_secrecy: int = 3  # documents above this secrecy rank never match
    # Only these documents (None: no such restriction; empty: none at all).  For
    # what the index does not hold, such as a document's tracking status: the
    # caller asks the register which documents qualify and passes their ids.
    doc_ids: tuple[str, ...] | None = None


SortOrder = Literal["relevance", "date_desc", "date_asc", "received_desc", "number_asc"]


class SearchQuery(BaseModel):
    text: str = ""  # anything a user typed; never raises
    filters: SearchFilters = Field(default_factory=SearchFilters)
    sort: SortOrder = "relevance"
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=20, ge=1, le=1000)
    facets: tuple[str, ...] = FACET_FIELDS
    highlight: bool = True


class SearchHit(BaseModel):
    doc_id: str
    score: float
    document: IndexDocument
    snippet: str = ""  # with <mark>…</mark> around matches, HTML-escaped otherwise


class FacetValue(BaseModel):
    value: str
    count: int


class SearchResult(BaseModel):
    # With ``total_exact`` False, ``total`` is a lower bound (``TOTAL_CAP``):
    # show "more than"; page on until a page comes back short, not to ``total``.
    total: int
    total_exact: bool = True
    # True when ``total`` (then not exact either) is an estimate, neither exact nor a
    # lower bound: the embedded index estimates a very large match set's size from a
    # sample rather than count it.  Show "about".
    total_estimated: bool = False
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]] = Field(default_factory=dict)
    # False when the facet counts are estimates (the embedded index counts a
    # large match set's facets over a sample and scales them): show "about".
    facets_exact: bool = True
    page: int = 1
    page_size: int = 20


class MonthlyCount(BaseModel):
    """Documents per month and direction (from ``received_at``)."""

    month: str  # "2025-03"
    direction: str
    count: int


class BulkResult(BaseModel):
    indexed: list[str] = Field(default_factory=list)
    failed: dict[str, str] = Field(default_factory=dict)  # doc_id -> reason
