"""Pages split into ink and paper before Tesseract; read by the real Tesseract."""

from __future__ import annotations

import pytest
from PIL import ImageFilter

from ingest.binarize import binarize, otsu_threshold
from ingest.extract.base import ExtractLimits
from ingest.extract.ocr import ocr_image
from tests.ingest.extract.documents import VIETNAMESE_LINES, page_image


def test_threshold_falls_between_ink_and_paper() -> None:
    histogram = [0] * 256
    histogram[40] = 1_000  # ink
    histogram[215] = 20_000  # paper
    assert 40 <= otsu_threshold(histogram) < 215
    assert otsu_threshold([0] * 255 + [500]) == 127  # a blank page: no split to find


def test_grey_noisy_page_becomes_black_text_on_white() -> None:
    page = page_image(VIETNAMESE_LINES, width=1240, height=820)
    grey = page.point(lambda v: 60 + v * 150 // 255).filter(ImageFilter.GaussianBlur(1))
    binary = binarize(grey)
    assert binary.mode == "1" and binary.size == grey.size
    colours = dict((colour, count) for count, colour in binary.convert("L").getcolors())
    assert set(colours) == {0, 255}
    assert colours[255] > 5 * colours[0]  # mostly paper
    assert binarize(binary) is binary
    assert binarize(grey.convert("RGB")).mode == "1"


@pytest.mark.slow
@pytest.mark.parametrize("binarized", [True, False], ids=["black-and-white", "grey"])
def test_a_grey_page_reads_with_or_without_the_binarizer(binarized: bool) -> None:
    page = page_image(VIETNAMESE_LINES, width=1654, height=1000, font_size=36)
    grey = page.point(lambda v: 50 + v * 170 // 255).filter(ImageFilter.GaussianBlur(0.8))
    result = ocr_image(grey, ExtractLimits(ocr_binarize=binarized), languages="vie", dpi=300)
    assert result.error is None
    assert "ỦY BAN NHÂN DÂN" in result.text
    assert "Chủ tịch Ủy ban nhân dân tỉnh quyết định" in result.text
    assert result.confidence > 80
