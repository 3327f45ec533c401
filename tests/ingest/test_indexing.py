"""What the pipeline hands to the search index."""

from __future__ import annotations

from datetime import UTC, datetime

from ingest.indexing import index_document_for
from kernel.model import DocumentRecord, ExtractedField


def test_ocr_misreads_are_indexed_as_the_describer_reads_them() -> None:
    record = DocumentRecord(
        doc_id="d1", sha256="0" * 64, size=1, original_name="scan.pdf", direction="incoming",
        detected_type="pdf", mime="application/pdf", page_count=1,
        received_at=datetime(2025, 3, 1, tzinfo=UTC), original_key="o", text_key="t",
        record_key="r",
        metadata={"subject": ExtractedField(value="V/v hoà giải", source="ocr", confidence=0.8)},
    )
    doc = index_document_for(record, "Số: 68/QĐÐ-UBND\nỦy ban nhân dân, Uỷ ban")
    assert "68/QĐ-UBND" in doc.body
    assert "Uỷ" not in doc.body
    assert doc.subject == "V/v hòa giải"
