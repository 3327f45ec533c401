"""Print Tesseract's layout left unread is found with the read words blanked out, and read.

With real Tesseract: a real 300 dpi scan whose signer's name (alone below the
signature space) the page layout drops, and drawn pages for what is and is
not a line of print left unread.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.binarize import binarize
from ingest.extract import extract_content
from ingest.extract.base import ExtractLimits
from ingest.extract.ocr import tesseract_for
from ingest.extract.tesseract import TsvWord
from ingest.extract.unread import read_unread, unread_lines
from ingest.samples.real import load_real_documents, render_real
from tests.ingest.extract.documents import SERIF, VIETNAMESE_LINES, page_image

REAL = Path(__file__).resolve().parents[2] / "resources" / "real" / "documents"

pytestmark = pytest.mark.slow


def _read(image: Image.Image) -> tuple[Image.Image, list[TsvWord]]:
    page = binarize(image)
    return page, tesseract_for(ExtractLimits()).words(page, "vie", 150)


def test_a_page_read_whole_leaves_nothing_unread() -> None:
    page, words = _read(page_image(VIETNAMESE_LINES))
    assert words and unread_lines(page, words) == []
    assert read_unread(tesseract_for(ExtractLimits()), page, words, "vie", 150) == []


def test_a_line_the_words_do_not_cover_is_found_and_read() -> None:
    page, words = _read(page_image(VIETNAMESE_LINES))
    first_line = min(word.top for word in words)
    kept = [word for word in words if word.top > first_line + 20]  # as if the first were lost
    bands = unread_lines(page, kept)
    assert len(bands) == 1 and bands[0][0] <= first_line + 10
    again = read_unread(tesseract_for(ExtractLimits()), page, kept, "vie", 150)
    assert again and {word.block for word in again} >= {min(word.block for word in again)}
    assert " ".join(word.text for word in again).split() == VIETNAMESE_LINES[0].split()


def test_a_rule_a_stroke_and_specks_are_no_print() -> None:
    image = page_image(VIETNAMESE_LINES)
    draw = ImageDraw.Draw(image)
    draw.line((300, 700, 900, 700), fill=0, width=3)  # a rule under the text
    draw.ellipse((950, 560, 1150, 760), outline=0, width=4)  # a seal's ring
    for x in range(40, 1200, 37):  # specks
        draw.point((x, 600 + x % 90), fill=0)
    page, words = _read(image)
    assert unread_lines(page, words) == []


def test_grey_ink_on_a_grey_page_is_no_print() -> None:
    # A seal's ink is grey on a grey scan; print is dark.  No Tesseract here:
    # one word given covers the first line, the other two are left.
    image = page_image(["Số: 45/UBND-VX", "Nguyễn Văn Bình"])
    ImageDraw.Draw(image).text((90, 300), "ỦY BAN NHÂN DÂN", fill=128,
                               font=ImageFont.truetype(str(SERIF), 34))  # fmt: skip
    page = image.point(lambda level: 0 if level < 160 else 255)
    first = TsvWord("Số: 45/UBND-VX", 80, 82, 330, 32, 96.0, 1, 1, 1)
    assert len(unread_lines(page, [first])) == 2  # the name and the grey line
    (band,) = unread_lines(page, [first], image)
    assert band[0] < 250  # the name, dark, is print


def test_a_real_scans_signer_the_layout_drops_is_read(tmp_path: Path) -> None:
    (document,) = [d for d in load_real_documents(REAL) if d["id"] == "r040"]
    path = render_real(document, "scan_300", tmp_path)
    name = document["truth"]["signer_name"]
    base = ExtractLimits(ocr_parallel=1, ocr_reread_unread=False)
    assert name not in extract_content(path, base).pages[-1].text
    reread = extract_content(path, ExtractLimits(ocr_parallel=1))
    assert name in reread.pages[-1].text
    assert name in reread.pages[-1].zones["lower_right"]
