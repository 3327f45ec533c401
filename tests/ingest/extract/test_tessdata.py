"""Which language data Tesseract reads with: the configured folder, or the system's as fallback.

A folder whose ``vie.traineddata`` is in fact the English model shows which
data a reading used: English has no Vietnamese marks to give.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from PIL import Image

from ingest.analyse import limits_from_settings
from ingest.extract.base import ExtractLimits
from ingest.extract.ocr import TesseractOcr, tesseract_for, upscaled
from ingest.extract.tesseract import Tesseract, model_digest, usable_tessdata
from kernel.settings import load_settings
from tests.ingest.extract.documents import VIETNAMESE_LINES, page_image

ROOT = Path(__file__).resolve().parents[3]
INSTALLER = ROOT / "bin" / "docket-tessdata"
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


def test_the_settings_default_is_the_installed_folder() -> None:
    settings = load_settings(ROOT / "config" / "docket.toml")
    assert settings.ocr_tessdata == ROOT / ".venv" / "share" / "tessdata"
    assert limits_from_settings(settings).ocr_tessdata == settings.ocr_tessdata


@pytest.mark.slow
def test_the_installed_model_is_the_pinned_one_and_is_used() -> None:
    settings = load_settings(ROOT / "config" / "docket.toml")
    folder = settings.ocr_tessdata
    assert folder is not None
    if not (folder / "vie.traineddata").is_file():
        pytest.skip(f"{folder}: no model installed (./run install could not fetch it)")
    pinned = re.search(r"^MODEL_SHA256=([0-9a-f]{64})$", INSTALLER.read_text(), re.M)
    assert pinned is not None
    tesseract = tesseract_for(limits_from_settings(settings))
    assert tesseract.data_folder() == folder
    assert tesseract.model("vie") == f"vie@{pinned.group(1)[:16]}"
    assert "QUYẾT" in _read(limits_from_settings(settings))


def test_a_page_scanned_below_the_ocr_resolution_is_enlarged_to_it() -> None:
    page = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    bigger, dpi = upscaled(page, 200, 300)
    assert bigger.size == (2481, 3508) and dpi == 300
    for scanned in (300, 280, None):  # at (or within 10% of) the target, or unknown
        same, kept = upscaled(page, scanned, 300)
        assert same is page and kept == scanned
    assert upscaled(page, 200, 0) == (page, 200)  # 0: never
    assert upscaled(page, 200, 300, max_pixels=5_000_000) == (page, 200)  # a bomb stays as it is
