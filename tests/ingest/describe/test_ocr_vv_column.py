"""describe() on công văn whose V/v OCR read as a marked i or "VÀ" in the left column.

The fixtures (``resources/ocr_vv_column.json``) are the first pages Tesseract
returned for three documents of the real set rendered fax-like (bench
``--real``), with their zones: the describer's input, byte for byte.
"""

from __future__ import annotations

import pytest

from ingest.describe import describe
from ingest.describe.fields.ocr_subjects import clean_ocr_subject

from .conftest import ocr_content, ocr_pages

CASES = ocr_pages("ocr_vv_column")


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_subject_under_the_number_opens_with_v_v_misread(case: str) -> None:
    page = CASES[case]
    content = ocr_content(page)
    found = describe(content)
    assert found["subject"].value.lower() == page["subject"].lower()
    assert found["doc_type"].value == "Công văn"


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Ví/w giải quyết chế độ", "V/v giải quyết chế độ"),
        ("Ví kế hoạch thanh tra", "V/v kế hoạch thanh tra"),
        ("VÀ: cho ý kiến về Báo cáo", "V/v: cho ý kiến về Báo cáo"),
    ],
)
def test_the_cleaner_prints_the_misread_opener_as_v_v(read: str, meant: str) -> None:
    assert clean_ocr_subject(read, read) == meant

