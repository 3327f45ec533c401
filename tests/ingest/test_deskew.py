"""Skew estimation and deskew of scanned pages (no Tesseract involved)."""

from __future__ import annotations

import pytest
from PIL import Image

from ingest.deskew import MIN_SKEW_DEGREES, deskew, estimate_skew
from tests.ingest.extract.documents import VIETNAMESE_LINES, page_image


def _tilted(degrees: float, size: tuple[int, int] = (1240, 820)) -> Image.Image:
    page = page_image(VIETNAMESE_LINES, width=size[0], height=size[1])
    return page.rotate(degrees, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)


@pytest.mark.parametrize("degrees", [-4.5, -3.0, -1.2, 0.0, 1.5, 2.7, 5.0])
def test_skew_is_estimated(degrees: float) -> None:
    assert estimate_skew(_tilted(degrees)) == pytest.approx(-degrees, abs=0.2)


def test_skew_on_a_full_size_page() -> None:
    # An A4 page at 300 dpi goes through the reduced copy (4x smaller).
    page = Image.new("L", (2480, 3508), 255)
    page.paste(page_image(VIETNAMESE_LINES, width=2200, height=900, font_size=60), (140, 300))
    tilted = page.rotate(-2.0, expand=True, fillcolor=255, resample=Image.Resampling.BILINEAR)
    assert estimate_skew(tilted) == pytest.approx(2.0, abs=0.2)


def test_level_page_with_odd_size_reads_zero() -> None:
    # An odd height once put the centre on a half pixel and pulled every page to 0.
    assert estimate_skew(_tilted(0.0, size=(1241, 821))) == pytest.approx(0.0, abs=0.2)
    assert estimate_skew(_tilted(2.0, size=(1241, 821))) == pytest.approx(-2.0, abs=0.2)


def test_blank_and_colour_pages() -> None:
    assert estimate_skew(Image.new("L", (1000, 1400), 255)) == 0.0
    assert estimate_skew(_tilted(2.0).convert("RGB")) == pytest.approx(-2.0, abs=0.2)


def test_deskew_levels_a_tilted_page() -> None:
    rotated, skew = deskew(_tilted(3.0))
    assert skew == pytest.approx(-3.0, abs=0.2)
    assert rotated.mode == "L"
    assert estimate_skew(rotated) == pytest.approx(0.0, abs=0.2)


def test_small_skew_is_left_to_tesseract() -> None:
    page = _tilted(MIN_SKEW_DEGREES / 2)
    same, skew = deskew(page)
    assert same is page
    assert skew == 0.0
