"""Between a ``DocumentRecord`` and a documents-table row.

Only what the register book, the duplicate warning and the reports need goes
into the row; the record JSON in the object store keeps everything else.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import Row

from ingest.register.models import RegisteredDocument
from ingest.review import REVIEW_CONFIDENCE, review_fields
from kernel.model import Book, DocumentRecord, Registration, book_for_secrecy, secrecy_rank


def secrecy_of(record: DocumentRecord) -> int:
    """The secrecy rank of ``record``'s mark: 0 open, 1..3 MẬT, TỐI MẬT, TUYỆT MẬT."""
    return secrecy_rank(record.meta("secrecy"))


def book_of(record: DocumentRecord) -> Book:
    """The book ``record`` is numbered in, from its secrecy mark."""
    return book_for_secrecy(secrecy_of(record))


def identifier_key(number_symbol: str | None, issuing_body: str | None) -> str | None:
    """Number+symbol+issuer normalised for comparison, or None if either is unknown.

    OCR and typing vary in case, spacing and Unicode composition ("2284 / QĐ-UBND",
    decomposed "Đ"); none of that makes a different identifier.
    """
    if not number_symbol or not issuing_body:
        return None
    symbol = "".join(unicodedata.normalize("NFC", number_symbol).split()).casefold()
    body = " ".join(unicodedata.normalize("NFC", issuing_body).split()).casefold()
    if not symbol or not body:
        return None
    return f"{symbol}|{body}"


def identifier_year(record: DocumentRecord, registration_year: int) -> int:
    """The year a number+symbol is unique within: the document's own year if known."""
    issued = record.issue_date
    return issued.year if issued is not None else registration_year


def _signer(record: DocumentRecord) -> str | None:
    return record.meta("signer_name") or record.meta("signer_title")


def _recipients(record: DocumentRecord) -> str | None:
    names = record.meta_list("recipients") or record.meta_list("recipients_to")
    return "; ".join(names) if names else None


def document_values(
    record: DocumentRecord,
    registration: Registration,
    possible_duplicate_of: list[str],
    index_state: str,
    review_confidence: float = REVIEW_CONFIDENCE,
) -> dict[str, Any]:
    """The documents-table row for ``record`` with ``registration``."""
    return {
        "doc_id": record.doc_id,
        "sha256": record.sha256,
        "direction": record.direction,
        "book": registration.book,
        "secrecy": secrecy_of(record),
        "reg_year": registration.year,
        "reg_number": registration.number,
        "received_at": record.received_at,
        "registered_at": registration.registered_at,
        "original_name": record.original_name,
        **description_values(record, registration.year, review_confidence),
        "folder": record.folder,
        "record_key": record.record_key,
        "index_state": index_state,
        "possible_duplicate_of": list(possible_duplicate_of),
        "duplicates_received": len(record.duplicates_received),
    }


def review_values(record: DocumentRecord, review_confidence: float) -> dict[str, Any]:
    """The review flag columns of ``record`` (see ``ingest.review``)."""
    doubtful = review_fields(record, review_confidence)
    return {"needs_review": 1 if doubtful else 0, "review_fields": doubtful or None}


def description_values(
    record: DocumentRecord, registration_year: int, review_confidence: float
) -> dict[str, Any]:
    """The columns a correction of ``record``'s metadata changes, review flag included."""
    number_symbol = record.meta("number_symbol")
    issuing_body = record.meta("issuing_body")
    key = identifier_key(number_symbol, issuing_body)
    return {
        "number_symbol": number_symbol,
        "issuing_body": issuing_body,
        "issue_date": record.issue_date,
        "doc_type": record.meta("doc_type"),
        "subject": record.meta("subject") or record.meta("title"),
        "signer": _signer(record),
        "recipients": _recipients(record),
        "identifier_key": key,
        "identifier_year": identifier_year(record, registration_year) if key else None,
        **review_values(record, review_confidence),
    }


def document_from_row(row: Row[Any]) -> RegisteredDocument:
    """A documents-table row as a ``RegisteredDocument``."""
    m = row._mapping
    return RegisteredDocument(
        doc_id=m["doc_id"],
        sha256=m["sha256"],
        direction=m["direction"],
        book=m["book"],
        secrecy=m["secrecy"],
        year=m["reg_year"],
        number=m["reg_number"],
        received_at=m["received_at"],
        registered_at=m["registered_at"],
        original_name=m["original_name"],
        number_symbol=m["number_symbol"],
        issuing_body=m["issuing_body"],
        issue_date=m["issue_date"],
        doc_type=m["doc_type"],
        subject=m["subject"],
        signer=m["signer"],
        recipients=m["recipients"],
        folder=m["folder"],
        record_key=m["record_key"],
        index_state=m["index_state"],
        possible_duplicate_of=list(m["possible_duplicate_of"] or []),
        duplicates_received=m["duplicates_received"],
        review_fields=dict(m["review_fields"] or {}),
    )
