"""describe() on scans whose title OCR read a letter off ("QUYẾTĐNH .", "¬ PHUOƠNGÁN _").

The fixtures (``resources/ocr_titles_off.json``) are the first pages Tesseract
returned for two documents of the real set rendered fax-like (bench
``--real``), with their zones: the describer's input, byte for byte.
"""

from __future__ import annotations

import pytest

from ingest.describe import describe
from ingest.describe.fields.title_line import _title_of
from kernel.text import strip_marks

from .conftest import ocr_content, ocr_pages

CASES = ocr_pages("ocr_titles_off")


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_title_a_letter_off_still_heads_the_subject(case: str) -> None:
    page = CASES[case]
    found = describe(ocr_content(page))
    assert found["doc_type"].value == page["doc_type"]
    assert found["subject"].value.lower() == page["subject"].lower()


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("QUYẾTĐNH .", "Quyết định"),
        ("PHUOƠNGÁN _", "Phương án"),
        ("NGHỊ QUYỂT", "Nghị quyết"),
        ("KẾ HOẠCH", "Kế hoạch"),  # read right: as before
        ("QUY ĐỊNH", "Quy định"),  # a title two letters from another is itself
        ("THÔNG ĐÁO", None),  # a letter from two titles (THÔNG BÁO, THÔNG CÁO): neither
        ("HÀ TĨNH", None),
        ("Quyếtđnh", None),  # a title is in capitals
    ],
)
def test_a_line_in_capitals_one_letter_from_one_long_title_is_that_title(
    line: str, name: str | None
) -> None:
    assert _title_of(line, strip_marks(line)) == name
