"""The Tesseract adapter: orientation, script and language choice, failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from ingest.extract import extract_content
from ingest.extract.base import ExtractLimits
from ingest.extract.ocr import ocr_image, ocr_images
from ingest.samples import load_truth
from ingest.samples.real import load_real_documents, render_real
from kernel.errors import ConfigError
from tests.ingest.extract.documents import RUSSIAN_LINES, VIETNAMESE_LINES, page_image

REAL = Path(__file__).resolve().parents[2] / "resources" / "real" / "documents"

pytestmark = pytest.mark.slow


def test_upside_down_scan_is_read_upright() -> None:
    result = ocr_image(page_image(VIETNAMESE_LINES).rotate(180), dpi=150)
    assert result.rotation == 180
    assert "QUYẾT ĐỊNH" in result.text
    assert "Chủ tịch Ủy ban nhân dân tỉnh quyết định" in result.text


def test_real_scan_fed_upside_down_is_turned_on_every_page(tmp_path: Path) -> None:
    # r315 as a 300 dpi scan is fed upside down; on its first page Tesseract's
    # OSD says "Rotate: 180" with a confidence under MIN_OSD_CONFIDENCE.
    (document,) = [d for d in load_real_documents(REAL) if d["id"] == "r315"]
    path = render_real(document, "scan_300", tmp_path)
    truth = load_truth(path)
    assert truth["scan"]["rotation"] == 180
    content = extract_content(path, ExtractLimits(ocr_parallel=1))
    assert len(content.pages) == len(truth["page_texts"]) == 2
    for page, printed in zip(content.pages, truth["page_texts"], strict=True):
        printed_words = printed.split()
        read = set(page.text.split())
        share = sum(word in read for word in printed_words) / len(printed_words)
        assert share > 0.8, page.text[:300]


def test_russian_page_gets_rus() -> None:
    result = ocr_image(page_image(RUSSIAN_LINES), dpi=150)
    assert result.script == "Cyrillic"
    assert result.languages == "rus"
    assert "Министерство иностранных дел" in result.text


def test_pages_in_order_through_lock_slots(tmp_path: Path) -> None:
    limits = ExtractLimits(ocr_parallel=2, ocr_slots_dir=tmp_path / "slots", ocr_slots=1)
    pages = [page_image([line], height=200) for line in ("Trang một", "Trang hai", "Trang ba")]
    results = list(ocr_images(((page, 150) for page in pages), limits))
    assert [r.text.strip() for r in results] == ["Trang một", "Trang hai", "Trang ba"]
    assert list((tmp_path / "slots").iterdir()) == [tmp_path / "slots" / "tesseract-0.lock"]


def test_blank_page_is_not_a_failure() -> None:
    result = ocr_image(Image.new("L", (600, 400), 255), dpi=150)
    assert result.error is None and result.text == "" and result.rotation == 0


def test_timeout_marks_page_failed() -> None:
    limits = ExtractLimits(ocr_page_timeout_seconds=0.01)
    result = ocr_image(page_image(VIETNAMESE_LINES), limits, languages="vie", dpi=150)
    assert result.failed and "timeout" in (result.error or "")


def test_missing_language_data_is_config_error() -> None:
    with pytest.raises(ConfigError):
        ocr_image(page_image(["x"]), ExtractLimits(ocr_languages=("vie", "klingon")))
