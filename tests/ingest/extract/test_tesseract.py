"""The Tesseract adapter: the real program, an environment per call, failures as Docket's errors."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from ingest.binarize import binarize
from ingest.extract.base import ExtractLimits
from ingest.extract.ocr import ocr_image
from ingest.extract.tesseract import (
    Tesseract,
    TesseractFailed,
    child_environment,
    output_of,
    page_file,
    parse_osd,
    parse_tsv,
)
from ingest.samples.real import load_real_documents, render_real
from kernel.errors import ConfigError, QuarantineReason
from tests.ingest.extract.documents import VIETNAMESE_LINES, page_image

REAL = Path(__file__).resolve().parents[2] / "resources" / "real" / "documents"

WHITESPACE_BYTES = (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20)


def _page_starting_with(byte: int) -> Image.Image:
    """A black-and-white page whose first packed raster byte is ``byte`` (1 bits are ink)."""
    page = page_image(VIETNAMESE_LINES[:2], height=300)
    for bit in range(8):
        if byte >> (7 - bit) & 1:
            page.putpixel((bit, 0), 0)
    return binarize(page)


@pytest.mark.slow
@pytest.mark.parametrize("first", WHITESPACE_BYTES)
def test_page_whose_first_byte_looks_like_whitespace_is_read(first: int) -> None:
    # Leptonica 1.82 took such a first byte of a PBM for header white space
    # ("pixReadStreamPnm: read error in 4"): a real scan (r124) was lost so.
    words = Tesseract().words(_page_starting_with(first), "vie", 150)
    assert "QUYẾT" in " ".join(word.text for word in words)


@pytest.mark.slow
def test_binarized_scan_with_ink_in_its_first_pixels_is_read() -> None:
    page = page_image(VIETNAMESE_LINES[:2], height=300)
    page.putpixel((2, 0), 0)  # binarized, the first packed byte is 0x20, a space
    result = ocr_image(page, ExtractLimits(ocr_binarize=True), languages="vie", dpi=150)
    assert result.error is None and "QUYẾT" in result.text


def test_pages_go_to_tesseract_as_uncompressed_tiff() -> None:
    for mode in ("1", "L", "RGB", "RGBA"):
        with page_file(Image.new(mode, (16, 8))) as path, Image.open(path) as written:
            assert written.format == "TIFF" and written.info.get("compression") == "raw"


def test_a_fax_frame_made_grey_goes_over_uncompressed(tmp_path: Path) -> None:
    # A real document as a fax-like TIFF (group 4): its frame, made grey as the
    # image extractor makes it, keeps "group4" in its info; Pillow reused it and
    # failed ("encoder error -2"), and 19 of 130 real faxes were not read.
    (document,) = [d for d in load_real_documents(REAL) if d["id"] == "r016"]
    with Image.open(render_real(document, "fax", tmp_path)) as fax:
        assert fax.info.get("compression") == "group4"
        grey = fax.convert("L")
    with page_file(grey) as path, Image.open(path) as written:
        assert written.info.get("compression") == "raw" and written.size == grey.size


@pytest.mark.slow
def test_lines_carry_their_mean_word_confidence() -> None:
    result = ocr_image(page_image(VIETNAMESE_LINES), languages="vie", dpi=150)
    assert "\n".join(line.text for line in result.lines) == result.text
    read = [line for line in result.lines if line.text]
    assert len(read) >= len(VIETNAMESE_LINES) - 1
    assert all(line.confidence is not None and 50 < line.confidence <= 100 for line in read)
    assert all(line.confidence is None for line in result.lines if not line.text)


@pytest.mark.slow
def test_thread_limit_is_set_per_process_not_for_ours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    Tesseract().words(page_image(["Trang một"], height=200), "vie", 150)
    assert "OMP_THREAD_LIMIT" not in os.environ
    assert child_environment()["OMP_THREAD_LIMIT"] == "1"


@pytest.mark.slow
def test_timeout_is_a_page_failure_with_reason_timeout() -> None:
    with pytest.raises(TesseractFailed) as caught:
        Tesseract(timeout_seconds=0.01).words(page_image(VIETNAMESE_LINES), "vie", 150)
    assert caught.value.reason is QuarantineReason.TIMEOUT
    assert "timeout after 0.01s" in caught.value.message


def test_missing_program_is_config_error() -> None:
    missing = Tesseract(binary="/nonexistent/bin/tesseract")
    with pytest.raises(ConfigError, match="not installed"):
        missing.words(page_image(["x"], height=100), "vie", 150)
    with pytest.raises(ConfigError, match="not installed"):
        missing.languages()


@pytest.mark.slow
def test_missing_language_data_is_config_error() -> None:
    with pytest.raises(ConfigError, match="klingon"):
        Tesseract().words(page_image(["x"], height=100), "klingon", 150)
    with pytest.raises(ConfigError, match="not installed: klingon"):
        Tesseract().check_languages(["vie", "klingon"])


def test_a_crashed_process_is_a_page_failure() -> None:
    crashed = subprocess.run(["sh", "-c", "echo 'Segmentation fault' >&2; kill -SEGV $$"],
                             capture_output=True, check=False)
    with pytest.raises(TesseractFailed, match="crashed \\(signal SIGSEGV\\)") as caught:
        output_of(crashed)
    assert caught.value.reason is QuarantineReason.OCR_FAILED


def test_a_refused_image_is_a_page_failure() -> None:
    refused = subprocess.run(["sh", "-c", "echo 'Error in pixRead: pix not read' >&2; exit 1"],
                             capture_output=True, check=False)
    with pytest.raises(TesseractFailed, match="tesseract failed: Error in pixRead"):
        output_of(refused)


@pytest.mark.parametrize("output", ["Estimating resolution as 300\n", "level\tpage\n1\t2\n",
                                    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\t"
                                    "left\ttop\twidth\theight\tconf\ttext\n5\t1\tx\n"])
def test_garbage_tsv_is_a_page_failure(output: str) -> None:
    with pytest.raises(TesseractFailed, match="unreadable Tesseract"):
        parse_tsv(output)


def test_garbage_orientation_report_is_a_page_failure() -> None:
    with pytest.raises(TesseractFailed, match="orientation report"):
        parse_osd("Rotate: upside down\n")
    assert parse_osd("Rotate: 180\nOrientation confidence: 9.1\nScript: Cyrillic\n"
                     "Script confidence: 3.5\n").rotate == 180
