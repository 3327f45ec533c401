"""The index's view of a record: every field of it comes from the record."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kernel.model import DocumentRecord, ExtractedField, Registration
from search.model import IndexDocument


def _field(value: str | list[str]) -> ExtractedField:
    return ExtractedField(value=value, source="text", confidence=0.9)


def test_every_index_field_is_filled_from_a_full_record() -> None:
    record = DocumentRecord(
        doc_id="d1", sha256="0" * 64, size=1, original_name="qd.pdf", direction="outgoing",
        folder="van-phong", detected_type="pdf", mime="application/pdf", page_count=3,
        language="vi", received_at=datetime(2025, 3, 1, tzinfo=UTC), original_key="o",
        text_key="t", record_key="r",
        registration=Registration(year=2025, number=12, registered_at=datetime.now(UTC),
                                  book="secret"),
        metadata={"doc_type": _field("Quyết định"), "issuing_body": _field("UBND TỈNH"),
                  "number_symbol": _field("68/QĐ-UBND"), "issue_date": _field("2025-02-28"),
                  "secrecy": _field("MẬT"), "urgency": _field("KHẨN"),
                  "signer_name": _field("Nguyễn Văn A"), "references": _field(["5/NQ-HĐND"]),
                  "subject": _field("V/v phòng chống lụt bão")},
    )
    doc = IndexDocument.from_record(record, "Nội dung")
    defaults = IndexDocument(doc_id="", direction="", received_at=datetime(2000, 1, 1, tzinfo=UTC))
    unfilled = [name for name in IndexDocument.model_fields
                if getattr(doc, name) == getattr(defaults, name)]
    assert unfilled == []
    assert doc.issue_date == date(2025, 2, 28) and doc.secrecy == 1
    assert (doc.registration_number, doc.registration_book) == (12, "secret")
