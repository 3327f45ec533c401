"""The register book: Decree 30 columns, text table and CSV, in Vietnamese and English."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.register import Register, format_register_book, write_register_book_csv
from tests.ingest.register.records import make_record

INCOMING_VI = [
    "Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày văn bản", "Tên loại và trích yếu",
    "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú",
]
OUTGOING_VI = [
    "Số TT", "Số, ký hiệu", "Ngày văn bản", "Tên loại và trích yếu", "Người ký", "Nơi nhận",
    "Đơn vị lưu bản", "Số lượng bản", "Ngày chuyển", "Ký nhận", "Ghi chú",
]
SUBJECT = "Về việc tăng cường công tác phòng, chống thiên tai trên địa bàn tỉnh năm 2026"


@pytest.fixture
def filled(register: Register) -> Register:
    """Two incoming documents (the second repeats the first's identifier) and one outgoing."""
    meta = {
        "number_symbol": "123/UBND-KT", "issuing_body": "UBND TỈNH LÂM ĐỒNG",
        "issue_date": "2026-01-05", "doc_type": "Công văn", "subject": SUBJECT,
    }
    # 2026-01-06T18:00Z is 7 January in Vietnam: the arrival date shows that.
    arrival = datetime(2026, 1, 6, 18, 0, tzinfo=UTC)
    register.register_document(
        make_record("in-1", folder="phong-kinh-te", received_at=arrival, **meta), at=arrival
    )
    register.register_document(
        make_record("in-2", folder="phong-kinh-te", received_at=arrival, **meta), at=arrival
    )
    register.register_document(
        make_record("out-1", "outgoing", folder="van-thu", received_at=arrival,
                    number_symbol="07/QĐ-UBND", issue_date="2026-01-07", doc_type="Quyết định",
                    subject="Về việc ban hành quy chế", signer_name="Trần Thị C",
                    recipients=["Sở Nội vụ", "Lưu: VT"]),
        at=arrival,
    )
    register.register_document(make_record("in-2025"), at=datetime(2025, 7, 1, tzinfo=UTC))
    return register


def test_incoming_book_rows(filled: Register) -> None:
    rows = filled.register_book(2026, "incoming")
    assert [(r.number, r.year, r.direction) for r in rows] == [
        (1, 2026, "incoming"), (2, 2026, "incoming"),
    ]
    first, second = rows
    assert first.arrival_date.isoformat() == "2026-01-07"
    assert first.issuing_body == "UBND TỈNH LÂM ĐỒNG" and first.folder == "phong-kinh-te"
    assert first.possible_duplicate_of == []
    assert second.possible_duplicate_of == ["1/2026"]
    assert [r.number for r in filled.register_book(2025, "incoming")] == [1]
    assert filled.register_book(2024, "incoming") == []


def test_incoming_book_as_text_in_vietnamese(filled: Register) -> None:
    text = format_register_book(filled.register_book(2026, "incoming"), "incoming", "vi")
    lines = text.splitlines()
    assert lines[0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN — Năm 2026"
    # Every line of the table has the same display width.
    assert len({len(line) for line in lines[1:]}) == 1
    flat = " ".join(" ".join(line.replace("|", " ").split()) for line in lines)
    for word in ("Ngày đến", "Số đến", "Tác giả", "Ghi chú", "Ký nhận"):
        assert word in flat
    assert "07/01/2026" in text and "05/01/2026" in text  # arrival, document date
    assert "123/UBND-KT" in text
    assert "Có thể trùng số ký hiệu" in text and "1/2026" in text
    # The long subject is wrapped, not cut.
    words = [w for line in lines for w in line.replace("|", " ").split()]
    assert all(word in words for word in SUBJECT.split())


def test_outgoing_book_as_text_in_english(filled: Register) -> None:
    rows = filled.register_book(2026, "outgoing")
    text = format_register_book(rows, "outgoing", "en")
    assert text.splitlines()[0] == "OUTGOING DOCUMENTS REGISTER — Year 2026"
    for word in ("Signer", "Recipients", "Copies", "07/QĐ-UBND", "Trần Thị C", "Sở Nội vụ"):
        assert word in text
    assert "07/01/2026" in text


def test_empty_book_still_has_headings() -> None:
    text = format_register_book([], "outgoing", "vi")
    assert text.startswith("SỔ ĐĂNG KÝ VĂN BẢN ĐI\n")
    assert "Người ký" in text
    with pytest.raises(ValueError):
        format_register_book([], "sideways")


def test_book_as_csv(filled: Register, tmp_path: Path) -> None:
    target = tmp_path / "reports" / "so-den-2026.csv"
    write_register_book_csv(filled.register_book(2026, "incoming"), "incoming", target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets then read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == INCOMING_VI
    assert rows[1][:5] == ["07/01/2026", "1", "UBND TỈNH LÂM ĐỒNG", "123/UBND-KT", "05/01/2026"]
    assert rows[1][5] == f"Công văn: {SUBJECT}"
    assert rows[1][6] == "phong-kinh-te"
    assert rows[1][9] == "" and "1/2026" in rows[2][9]

    stream = io.StringIO()
    write_register_book_csv(filled.register_book(2026, "outgoing"), "outgoing", stream)
    out = list(csv.reader(io.StringIO(stream.getvalue())))
    assert out[0] == OUTGOING_VI
    assert out[1][:7] == [
        "1", "07/QĐ-UBND", "07/01/2026", "Quyết định: Về việc ban hành quy chế", "Trần Thị C",
        "Sở Nội vụ; Lưu: VT", "van-thu",
    ]


def test_book_title_is_the_printed_books_first_line() -> None:
    from ingest.register import book_title

    for direction in ("incoming", "outgoing"):
        for book in ("ordinary", "secret"):
            for language in ("vi", "en"):
                printed = format_register_book([], direction, language, book)  # type: ignore[arg-type]
                assert printed.splitlines()[0] == book_title(direction, book, language)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        book_title("sideways")
