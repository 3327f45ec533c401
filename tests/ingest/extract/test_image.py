"""Scanned images: every TIFF frame OCRed, bombs and truncated files refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from ingest.extract import extract_content
from ingest.extract.base import ExtractLimits
from kernel.errors import PermanentError, QuarantineReason
from tests.ingest.extract.documents import VIETNAMESE_LINES, page_image


def _reason(path: Path, limits: ExtractLimits) -> QuarantineReason:
    with pytest.raises(PermanentError) as caught:
        extract_content(path, limits)
    return caught.value.reason


@pytest.mark.slow
def test_multipage_tiff_every_frame(tmp_path: Path) -> None:
    first = page_image(VIETNAMESE_LINES[:3], height=420)
    second = page_image(["Điều 2. Giao Sở Nội vụ", "hướng dẫn thực hiện."], height=420)
    path = tmp_path / "scan.tif"
    first.save(path, save_all=True, append_images=[second], dpi=(150, 150), compression="tiff_lzw")
    content = extract_content(path, ExtractLimits())
    assert content.detected_type == "tiff"
    assert [p.info.number for p in content.pages] == [1, 2]
    assert all(p.info.ocr and p.source == "ocr" for p in content.pages)
    assert "QUYẾT ĐỊNH" in content.pages[0].text
    assert "Sở Nội vụ" in content.pages[1].text


def test_pixel_bomb_png(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    Image.new("1", (3000, 3000), 1).save(path)  # tiny file, 9 Mpx
    assert _reason(path, ExtractLimits(max_image_pixels=1_000_000)) is QuarantineReason.TOO_LARGE
    # Between one and two times the limit Pillow only warns: still refused.
    assert _reason(path, ExtractLimits(max_image_pixels=6_000_000)) is QuarantineReason.TOO_LARGE


def test_truncated_png(tmp_path: Path) -> None:
    path = tmp_path / "cut.png"
    page_image(VIETNAMESE_LINES).save(path)
    path.write_bytes(path.read_bytes()[:2000])
    assert _reason(path, ExtractLimits()) is QuarantineReason.CORRUPT


@pytest.mark.slow
def test_all_pages_failing_is_ocr_failed(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    page_image(VIETNAMESE_LINES).save(path)
    limits = ExtractLimits(ocr_page_timeout_seconds=0.01)
    assert _reason(path, limits) is QuarantineReason.OCR_FAILED
