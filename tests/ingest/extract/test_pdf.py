"""PDF extraction: text layer where it is good, OCR where it is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from ingest.extract import extract_content
from ingest.extract.base import ExtractLimits
from ingest.extract.textlayer import text_layer_fault
from kernel.errors import PermanentError, QuarantineReason
from tests.ingest.extract.documents import (
    FONT,
    VIETNAMESE_LINES,
    page_image,
    write_image_pdf,
    write_text_pdf,
)

LIMITS = ExtractLimits(ocr_dpi=150)  # the test scans are 150 dpi; keeps Tesseract quick

FIRST_PAGE = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH LÂM ĐỒNG",
    "Số: 2284/QĐ-UBND",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "QUYẾT ĐỊNH Về việc công nhận xã, phường miền núi trên địa bàn tỉnh",
]
LAST_PAGE = (
    ["Điều 3. Quyết định này có hiệu lực kể từ ngày ký."]
    + [""] * 22
    + [
        "Nơi nhận:",
        "- Như Điều 3;",
    ]
)


def _reason(path: Path, limits: ExtractLimits = LIMITS) -> QuarantineReason:
    with pytest.raises(PermanentError) as caught:
        extract_content(path, limits)
    return caught.value.reason


def test_text_pdf_is_not_ocred_and_fills_zones(tmp_path: Path) -> None:
    middle = ["Điều 1. Công nhận các xã, phường miền núi trên địa bàn tỉnh Lâm Đồng."]
    path = write_text_pdf(tmp_path / "qd.pdf", [FIRST_PAGE, middle, LAST_PAGE])
    content = extract_content(path, LIMITS)
    assert content.detected_type == "pdf"
    assert [p.info.ocr for p in content.pages] == [False, False, False]
    assert {p.source for p in content.pages} == {"text"}
    assert "Số: 2284/QĐ-UBND" in content.pages[0].text
    assert content.pages[0].info.language == "vi"
    header_left = content.pages[0].zones["header_left"]
    assert "ỦY BAN NHÂN DÂN" in header_left and "2284/QĐ-UBND" in header_left
    assert "QUYẾT ĐỊNH" not in header_left  # the title sits below the header zone
    assert content.pages[1].zones == {}
    assert "Nơi nhận" in content.pages[2].zones["lower_left"]


def test_text_layer_faults() -> None:
    good = "Ủy ban nhân dân tỉnh Lâm Đồng quyết định công nhận các xã miền núi."
    assert text_layer_fault(good, 20) is None
    assert text_layer_fault("", 20) == "no text layer"
    assert text_layer_fault("Số 12", 20) == "text layer too short"
    tcvn3 = "Uû ban nh©n d©n tØnh L©m §ång quyÕt ®Þnh c«ng nhËn c¸c x· miÒn nói"
    assert text_layer_fault(tcvn3, 20) == "mojibake (legacy font encoding)"
    assert text_layer_fault("\ue000\ue001\ue002 " * 10, 20) == "private-use characters"
    assert text_layer_fault("Ủy ban \ufffd\ufffd nhân dân \ufffd tỉnh Lâm Đồng", 20) == (
        "replacement characters"
    )
    assert text_layer_fault("Ủybannhândântỉnh" * 8, 20) == "no spaces between words"


@pytest.mark.slow
def test_scanned_and_garbage_pages_are_ocred(tmp_path: Path) -> None:
    scan = page_image(VIETNAMESE_LINES)
    mojibake = "Uû ban nh©n d©n tØnh L©m §ång quyÕt ®Þnh c«ng nhËn c¸c x·"
    path = write_text_pdf(tmp_path / "text.pdf", [FIRST_PAGE])
    mixed = write_image_pdf(tmp_path / "scan.pdf", [scan, scan], hidden_text=[None, mojibake])
    content = extract_content(mixed, LIMITS)
    assert [p.info.ocr for p in content.pages] == [True, True]
    for page in content.pages:
        assert page.source == "ocr"
        assert "QUYẾT ĐỊNH" in page.text
        assert "công nhận xã, phường miền núi" in page.text
        assert page.info.ocr_languages == "vie"
        assert page.info.ocr_confidence and page.info.ocr_confidence > 80
        assert page.words and 0.0 <= page.words[0].x0 < page.words[0].x1 <= 1.0
    assert "ỦY BAN NHÂN DÂN" in content.pages[0].zones["header_left"]
    assert extract_content(path, LIMITS).pages[0].info.ocr is False


def test_encrypted_pdf(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    pdf.cell(text="Tài liệu mật")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    assert _reason(path) is QuarantineReason.ENCRYPTED


def test_truncated_pdf(tmp_path: Path) -> None:
    path = write_text_pdf(tmp_path / "cut.pdf", [FIRST_PAGE, LAST_PAGE])
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert _reason(path) is QuarantineReason.CORRUPT


def test_garbled_pdf_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "garbled.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF\n")
    assert _reason(path) is QuarantineReason.CORRUPT


def test_too_many_pages(tmp_path: Path) -> None:
    path = write_text_pdf(tmp_path / "long.pdf", [["Trang"]] * 4)
    assert _reason(path, ExtractLimits(max_pages=3)) is QuarantineReason.TOO_LARGE
