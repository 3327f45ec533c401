"""What the pipeline hands to the search index."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ingest.indexing import index_document_for
from kernel.model import DocumentRecord, ExtractedField
from search.model import SearchQuery
from search.sqlite_index import SqliteIndex


def scanned_record() -> DocumentRecord:
    return DocumentRecord(
        doc_id="d1", sha256="0" * 64, size=1, original_name="scan.pdf", direction="incoming",
        detected_type="pdf", mime="application/pdf", page_count=1,
        received_at=datetime(2025, 3, 1, tzinfo=UTC), original_key="o", text_key="t",
        record_key="r",
        metadata={"subject": ExtractedField(value="V/v hoà giải", source="ocr", confidence=0.8)},
    )


def test_ocr_misreads_are_indexed_as_the_describer_reads_them() -> None:
    doc = index_document_for(scanned_record(), "Số: 68/QĐÐ-UBND\nỦy ban nhân dân, Uỷ ban")
    assert "68/QĐ-UBND" in doc.body
    assert "Uỷ" not in doc.body
    assert doc.subject == "V/v hòa giải"


def test_the_index_finds_the_text_normalised_once_on_the_way_in(tmp_path: Path) -> None:
    doc = index_document_for(scanned_record(), "Số: 68/QĐÐ-UBND\nUỷ ban nhân dân tỉnh")
    index = SqliteIndex(tmp_path / "index.sqlite")
    try:
        assert index.index_documents([doc]).indexed == ["d1"]
        for text in ("hòa giải", "hoà giải", "hoa giai", "68/QĐ-UBND", "Ủy ban", "uy ban"):
            assert index.search(SearchQuery(text=text)).total == 1, text
        index.delete_document("d1")  # the contentless FTS forgets exactly what it was given
        assert index.search(SearchQuery(text="Ủy ban")).total == 0
    finally:
        index.close()
