"""Which language data Tesseract reads with: the configured folder, or the system's as fallback.

A folder whose ``vie.traineddata`` is in fact the English model shows which
data a reading used: English has no Vietnamese marks to give.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PIL import Image

from ingest.analyse import limits_from_settings
from ingest.extract.base import SCAN_DPI, ExtractLimits
from ingest.extract.ocr import TesseractOcr, despeckled, smoothed, tesseract_for, upscaled
from ingest.extract.pdf import _render, open_pdf
from ingest.extract.tesseract import Tesseract, model_digest, usable_tessdata
from ingest.samples.real import load_real_documents, render_real
from kernel.settings import load_settings
from tests.ingest.extract.documents import VIETNAMESE_LINES, page_image

ROOT = Path(__file__).resolve().parents[3]
REAL = ROOT / "tests" / "resources" / "real" / "documents"
LANGUAGES = ("vie", "eng")


def _system_folder() -> Path:
    folder = Tesseract().data_folder()
    assert folder is not None
    return folder


def _folder_with_english_as_vie(tmp_path: Path) -> Path:
    system = _system_folder()
    folder = tmp_path / "tessdata"
    folder.mkdir()
    for name in ("eng", "osd"):
        (folder / f"{name}.traineddata").symlink_to(system / f"{name}.traineddata")
    (folder / "vie.traineddata").symlink_to(system / "eng.traineddata")
    return folder


def _read(limits: ExtractLimits) -> str:
    page = page_image(VIETNAMESE_LINES[:2])
    return TesseractOcr(limits).read_page(page, 150, languages="vie").text


@pytest.mark.slow
def test_the_configured_folder_is_the_data_tesseract_reads_with(tmp_path: Path) -> None:
    folder = _folder_with_english_as_vie(tmp_path)
    limits = ExtractLimits(ocr_languages=LANGUAGES, ocr_tessdata=folder)
    tesseract = tesseract_for(limits)
    assert tesseract.tessdata == folder and tesseract.data_folder() == folder
    assert tesseract.model("vie") == f"vie@{model_digest(_system_folder() / 'eng.traineddata')}"
    assert tesseract.model("vie") != Tesseract().model("vie")
    assert "QUYẾT" in _read(ExtractLimits(ocr_languages=LANGUAGES))
    assert "Ế" not in _read(limits)  # the English model, under the name vie, read it


@pytest.mark.slow
def test_a_folder_lacking_a_language_falls_back_to_the_system_data(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "incomplete"
    folder.mkdir()
    (folder / "eng.traineddata").symlink_to(_system_folder() / "eng.traineddata")
    limits = ExtractLimits(ocr_languages=LANGUAGES, ocr_tessdata=folder)
    with caplog.at_level(logging.WARNING):
        tesseract = tesseract_for(limits)
    assert tesseract.tessdata is None and tesseract.data_folder() == _system_folder()
    assert f"{folder} lacks vie" in caplog.text and "system" in caplog.text
    assert "QUYẾT" in _read(limits)
    assert usable_tessdata(None, LANGUAGES) is None  # unset: Tesseract's own data


def test_the_setting_reaches_the_adapter_and_defaults_to_the_system_data(tmp_path: Path) -> None:
    assert load_settings(ROOT / "config" / "docket.toml").ocr_tessdata is None
    folder = _folder_with_english_as_vie(tmp_path)
    settings = load_settings(ROOT / "config" / "docket.toml", ocr_tessdata=folder,
                             ocr_languages=list(LANGUAGES))  # fmt: skip
    assert tesseract_for(limits_from_settings(settings)).tessdata == folder


def test_a_page_scanned_below_the_ocr_resolution_is_enlarged_to_it() -> None:
    page = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    bigger, dpi = upscaled(page, 200, 300)
    assert bigger.size == (2481, 3508) and dpi == 300
    for scanned in (300, 280, None):  # at (or within 10% of) the target, or unknown
        same, kept = upscaled(page, scanned, 300)
        assert same is page and kept == scanned
    assert upscaled(page, 200, 0) == (page, 200)  # 0: never
    assert upscaled(page, 200, 300, max_pixels=5_000_000) == (page, 200)  # a bomb stays as it is


def _dithered(page: Image.Image, seed: int = 7) -> Image.Image:
    """``page`` as a fax sends it: black and white, the paper speckled with single dots."""
    import random

    rng = random.Random(seed)
    fax = page.point(lambda v: 0 if v < 128 else 255).convert("1").convert("L")
    for _ in range(fax.width * fax.height // 60):
        fax.putpixel((rng.randrange(fax.width), rng.randrange(fax.height)), 0)
    return fax


def test_a_black_and_white_page_loses_its_specks_and_a_grey_page_is_left_alone() -> None:
    page = page_image(VIETNAMESE_LINES[:2])
    fax = _dithered(page)
    cleaned = despeckled(fax)
    specks = sum(1 for v in fax.getdata() if v == 0) - sum(1 for v in page.getdata() if v < 128)
    left = sum(1 for v in cleaned.getdata() if v == 0) - sum(1 for v in page.getdata() if v < 128)
    assert specks > 10_000 and abs(left) < specks / 5
    assert despeckled(page) is page  # grey (anti-aliased) pixels: not a fax
    assert despeckled(Image.new("L", (8, 8), 255)).getextrema() == (255, 255)


@pytest.mark.slow
def test_a_speckled_fax_page_reads_without_the_stray_marks() -> None:
    fax = _dithered(page_image(VIETNAMESE_LINES[:2]))
    read = {despeckle: TesseractOcr(ExtractLimits(ocr_languages=LANGUAGES, ocr_despeckle=despeckle))
            .read_page(fax, 150, languages="vie").text for despeckle in (True, False)}  # fmt: skip
    assert "QUYẾT ĐỊNH" in read[True] and "TỈNH LÂM ĐỒNG" in read[True]
    assert len(read[False]) > len(read[True])  # the specks read as marks and punctuation


@pytest.mark.parametrize(("variant", "scanned"), [("scan_200", 200), ("scan_300", 300)])
def test_a_scanned_pdf_page_says_the_resolution_it_was_scanned_at(
    tmp_path: Path, variant: str, scanned: int
) -> None:
    document = load_real_documents(REAL)[0]
    pdf = open_pdf(render_real(document, variant, tmp_path), ExtractLimits())
    try:
        ((image, dpi),) = list(_render(pdf, [0], ExtractLimits()))[:1]
    finally:
        pdf.close()
    assert dpi == 300 and image.info[SCAN_DPI] == scanned
    enlarged = scanned < dpi
    assert (smoothed(image, image.info[SCAN_DPI], dpi) is image) is not enlarged


def test_only_a_grey_scan_rendered_above_its_resolution_is_smoothed() -> None:
    page = page_image(VIETNAMESE_LINES[:2])
    assert smoothed(page, 200, 300) is not page
    for scanned, dpi in ((300, 300), (None, 300), (200, None), (280, 300)):
        assert smoothed(page, scanned, dpi) is page
    fax = _dithered(page)
    assert smoothed(fax, 200, 300) is fax  # black and white: despeckled instead
