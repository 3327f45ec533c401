"""ingest/describe/fields/ocr_cited: symbols a subject cites, put right by what it says of them.

Page fixtures: ``resources/ocr_subject_pages.json`` (Tesseract pages of real
documents rendered by ``bench/extraction.py --real``, see the README there).
"""

from __future__ import annotations

import json

import pytest

from ingest.describe import describe
from ingest.describe.fields.ocr_cited import mend_cited_types

from .conftest import RESOURCES, ocr_content_of

PAGES = json.loads((RESOURCES / "ocr_subject_pages.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        # After its type's name a symbol opens with that type's abbreviation (fax-like scan).
        ("CỦA THÔNG TƯ SỐ 50/2013/TEBNNPTNT NGÀY 19", "CỦA THÔNG TƯ SỐ 50/2013/TT-BNNPTNT NGÀY 19"),
        ("kèm theo Nghị quyết số 09/2022/NOHĐND", "kèm theo Nghị quyết số 09/2022/NQ-HĐND"),
        # Another type's abbreviation is read as printed (a Thông tư liên tịch: TTLT).
        ("theo Thông tư số 05/2015/TTLT-BTC", "theo Thông tư số 05/2015/TTLT-BTC"),
        ("theo Thông báo số 26/TC-VPUBND", "theo Thông báo số 26/TC-VPUBND"),
        # No type named before the number: nothing says what the symbol opens with.
        ("công văn số 3994/TEBNN", "công văn số 3994/TEBNN"),
        # Two letters off: not a misreading of the type's.
        ("Thông tư số 50/2013/XEBNNPTNT", "Thông tư số 50/2013/XEBNNPTNT"),
    ],
)
def test_a_cited_symbol_opens_with_its_named_types_abbreviation(read: str, meant: str) -> None:
    assert mend_cited_types(read) == meant


def test_a_fax_subjects_cited_circular_is_put_right() -> None:
    found = describe(ocr_content_of(PAGES["r018-fax"]["pages"]))
    assert found["subject"].value.lower() == PAGES["r018-fax"]["subject"].lower()
