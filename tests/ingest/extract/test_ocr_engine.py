"""Extractors with an OCR engine that fails on purpose, passed in as production passes Tesseract.

The engines here are real ``OcrEngine`` objects: they time out, crash or read
garbage the way an engine can, and the extractors must turn each into the
right outcome (a failed page, a quarantined file, a stopped run).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from ingest.describe import describe
from ingest.extract import extract_content
from ingest.extract.base import ExtractLimits, OcrResult, PageImages, TextLine, Word
from ingest.extract.tesseract import TesseractFailed
from kernel.errors import ConfigError, PermanentError, QuarantineReason
from tests.ingest.extract.documents import VIETNAMESE_LINES, page_image, write_image_pdf

TIMEOUT = "timeout after 180s per Tesseract run"


class TimingOutEngine:
    """Runs out of time on the pages numbered in ``slow`` (all when None); reads the others."""

    def __init__(self, slow: set[int] | None = None) -> None:
        self.slow = slow
        self.seen = 0

    def read_pages(self, pages: PageImages) -> Iterator[OcrResult]:
        for number, (image, _dpi) in enumerate(pages, start=1):
            self.seen += 1
            if self.slow is None or number in self.slow:
                yield OcrResult(text="", error=TIMEOUT)
            else:
                text = f"Trang {number} {image.width}x{image.height}"
                yield OcrResult(text=text, lines=[TextLine(text, 91.0)], languages="vie",
                                confidence=91.0, passes=1)


class CrashingEngine:
    """Dies on the second page with ``error``, as an engine whose program crashed does."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def read_pages(self, pages: PageImages) -> Iterator[OcrResult]:
        for number, _page in enumerate(pages, start=1):
            if number == 2:
                raise self.error
            yield OcrResult(text="Trang một", languages="vie", confidence=90.0, passes=1)


class GarbageEngine:
    """Reads noise: symbols, control characters, boxes off the page, confidences out of range."""

    def read_pages(self, pages: PageImages) -> Iterator[OcrResult]:
        for _page in pages:
            words = [Word("~~|;", -0.5, 1.2, 3.0, 4.0, -1.0),
                     Word("\x00\x07", 0.1, 0.1, 0.05, 0.05, 250.0)]
            text = "~~|; \x00\x07 ░░ ¶¶¶ ///"
            yield OcrResult(text=text, words=words, lines=[TextLine(text, 3.0)],
                            languages="vie", confidence=3.0, passes=1)


def _tiff(path: Path, pages: int) -> Path:
    images = [page_image([f"Trang {n}"], height=300) for n in range(1, pages + 1)]
    images[0].save(path, save_all=True, append_images=images[1:], dpi=(150, 150))
    return path


def test_every_page_timing_out_quarantines_as_ocr_failed(tmp_path: Path) -> None:
    engine = TimingOutEngine()
    with pytest.raises(PermanentError) as caught:
        extract_content(_tiff(tmp_path / "scan.tif", 2), ExtractLimits(), engine)
    assert caught.value.reason is QuarantineReason.OCR_FAILED
    assert "OCR failed on all 2 page(s)" in caught.value.message
    assert TIMEOUT in caught.value.message
    assert engine.seen == 2


def test_one_page_timing_out_keeps_the_others(tmp_path: Path) -> None:
    content = extract_content(_tiff(tmp_path / "scan.tif", 3), ExtractLimits(),
                              TimingOutEngine(slow={2}))
    assert [page.text for page in content.pages] == ["Trang 1 1240x300", "", "Trang 3 1240x300"]
    assert [page.info.ocr_confidence for page in content.pages] == [91.0, 0.0, 91.0]
    assert content.pages[0].lines == [TextLine("Trang 1 1240x300", 91.0)]


def test_text_layer_survives_when_ocr_of_other_pages_fails(tmp_path: Path) -> None:
    scan = page_image(VIETNAMESE_LINES)
    hidden = "Ủy ban nhân dân tỉnh Lâm Đồng, công văn số 12/UBND-VP về kiểm kê kho lưu trữ"
    path = write_image_pdf(tmp_path / "mixed.pdf", [scan, scan], hidden_text=[hidden, None])
    content = extract_content(path, ExtractLimits(ocr_dpi=150), TimingOutEngine())
    assert [page.info.ocr for page in content.pages] == [False, True]
    assert "công văn số 12/UBND-VP" in content.pages[0].text
    assert content.pages[1].text == ""


def test_engine_crash_quarantines_the_file_naming_the_crash(tmp_path: Path) -> None:
    engine = CrashingEngine(RuntimeError("OCR engine died: signal SIGSEGV"))
    with pytest.raises(PermanentError) as caught:
        extract_content(_tiff(tmp_path / "scan.tif", 3), ExtractLimits(), engine)
    assert caught.value.reason is QuarantineReason.CORRUPT
    assert "tiff: RuntimeError: OCR engine died: signal SIGSEGV" in caught.value.message


def test_engine_failure_with_a_docket_reason_keeps_it(tmp_path: Path) -> None:
    engine = CrashingEngine(TesseractFailed("tesseract crashed (signal SIGSEGV)"))
    with pytest.raises(PermanentError) as caught:
        extract_content(_tiff(tmp_path / "scan.tif", 2), ExtractLimits(), engine)
    assert caught.value.reason is QuarantineReason.OCR_FAILED
    assert caught.value.message == "tesseract crashed (signal SIGSEGV)"


def test_engine_that_cannot_run_stops_the_run_instead_of_quarantining(tmp_path: Path) -> None:
    engine = CrashingEngine(ConfigError("Tesseract language data not installed: vie"))
    with pytest.raises(ConfigError):
        extract_content(_tiff(tmp_path / "scan.tif", 2), ExtractLimits(), engine)


def test_garbage_reading_is_kept_and_describes_to_nothing(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    Image.new("L", (800, 600), 255).save(path)
    content = extract_content(path, ExtractLimits(), GarbageEngine())
    (page,) = content.pages
    assert page.info.ocr and page.info.ocr_confidence == 3.0
    assert page.source == "ocr" and "░░" in page.text
    metadata = describe(content)
    assert metadata.get("number_symbol") is None and metadata.get("issue_date") is None


def test_text_files_never_reach_the_engine(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Kính gửi: Sở Nội vụ tỉnh Lâm Đồng", encoding="utf-8")
    engine = TimingOutEngine()
    assert extract_content(path, ExtractLimits(), engine).pages[0].text.startswith("Kính gửi")
    assert engine.seen == 0
