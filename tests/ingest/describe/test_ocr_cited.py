"""ingest/describe/fields/ocr_cited: symbols a subject cites, put right by what it says of them.

Page fixtures: ``resources/ocr_subject_pages.json`` (Tesseract pages of real
documents rendered by ``bench/extraction.py --real``, see the README there).
"""

from __future__ import annotations

import json

import pytest

from ingest.describe import describe
from ingest.describe.fields.ocr_cited import (
    mend_cited_by_own,
    mend_cited_by_readings,
    mend_cited_types,
)
from ingest.extract.base import ExtractedContent, PageContent, Word
from kernel.model import PageInfo

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


def _page(*words: tuple[str, float]) -> PageContent:
    return PageContent(
        PageInfo(number=1, ocr=True), " ".join(text for text, _ in words), "ocr",
        words=[Word(text, 0.0, 0.0, 0.0, 0.0, read) for text, read in words],
    )  # fmt: skip


SUBJECT = "V/v: điều chỉnh công văn 3994/BHXH-NVGDĐI và công văn 3995/BHXH-NVGĐI"
MEANT = "V/v: điều chỉnh công văn 3994/BHXH-NVGĐ1 và công văn 3995/BHXH-NVGĐ1"


def test_a_cited_symbol_of_the_documents_own_unit_is_spelt_as_its_number_line() -> None:
    # The number line read surer (60.8) than the subject's symbols (49.9, 53.7).
    page = _page(("4124/BHXH-NVGĐ1", 60.8), ("3994/BHXH-NVGDĐI", 49.9), ("3995/BHXH-NVGĐI", 53.7))
    assert mend_cited_by_own(SUBJECT, "4124/BHXH-NVGĐ1", page) == MEANT


def test_a_cited_symbol_read_as_surely_or_of_another_unit_stays() -> None:
    page = _page(("4124/BHXH-NVGĐ1", 54.0), ("3994/BHXH-NVGDĐI", 49.9), ("3995/BHXH-NVGĐI", 53.7))
    # "3994/" read more than a point less surely: put right; "3995/" not.
    assert mend_cited_by_own(SUBJECT, "4124/BHXH-NVGĐ1", page) == (
        "V/v: điều chỉnh công văn 3994/BHXH-NVGĐ1 và công văn 3995/BHXH-NVGĐI"
    )
    # Letters other than look-alikes differ: another unit's symbol.
    page = _page(("4124/BHXH-NVGĐ2", 90.0), ("3994/BHXH-NVGĐI", 50.0))
    subject = "điều chỉnh công văn 3994/BHXH-NVGĐI"
    assert mend_cited_by_own(subject, "4124/BHXH-NVGĐ2", page) == subject
    assert mend_cited_by_own(subject, "4124/BHXH-NVGPĐ1", page) == subject


def test_a_fax_subject_citing_its_own_units_letters() -> None:
    # The number line read NVGĐ1 at 60.8, surer than the subject's NVGDĐI and NVGĐI.
    found = describe(ocr_content_of(PAGES["r015-fax"]["pages"]))
    assert found["subject"].value.lower() == PAGES["r015-fax"]["subject"].lower()


def _content(*words: tuple[str, float]) -> ExtractedContent:
    return ExtractedContent("pdf", "application/pdf", [_page(*words)])


def test_a_cited_symbol_read_surer_elsewhere_and_with_its_digit() -> None:
    # A 300 dpi scan: the subject read "3994/BHXH-NVGPĐI" at 9 and "3995/BHXH-NVGĐI" at
    # 91; its body "3994/BHXH-NVGĐI" at 83 and "3995/BHXH-NVGĐ1" at 76.
    content = _content(
        ("4124/BHXH-NVGĐI", 88.0), ("3994/BHXH-NVGPĐI", 9.0), ("3995/BHXH-NVGĐI", 91.0),
        ("3994/BHXH-NVGĐI", 83.0), ("3995/BHXH-NVGĐ1", 76.0),
    )  # fmt: skip
    subject = "điều chỉnh công văn 3994/BHXH-NVGPĐI và công văn 3995/BHXH-NVGĐI"
    assert mend_cited_by_readings(subject, content) == (
        "điều chỉnh công văn 3994/BHXH-NVGĐ1 và công văn 3995/BHXH-NVGĐ1"
    )


def test_a_surer_reading_that_lost_a_hyphen_or_a_roman_numeral_does_not_count() -> None:
    # The body read the cited circular surer, its hyphen lost: the subject's stands.
    content = _content(("43/2011/TT-BYT", 85.2), ("43/2011/TTBYT", 86.7))
    subject = "đính chính Thông tư số 43/2011/TT-BYT ngày 05/12/2011"
    assert mend_cited_by_readings(subject, content) == subject
    # A unit's roman numeral after a stop, read as a digit somewhere: no digit put in.
    content = _content(("5424/VPCP-V.I", 80.0), ("5424/VPCP-V.1", 60.0))
    assert mend_cited_by_readings("theo công văn 5424/VPCP-V.I", content) == (
        "theo công văn 5424/VPCP-V.I"
    )
    # Read as surely elsewhere: as read.
    content = _content(("26/TB-VPEUBND", 74.5), ("26/TB-VPUBND", 75.0))
    assert mend_cited_by_readings("Thông báo số 26/TB-VPEUBND", content) == (
        "Thông báo số 26/TB-VPEUBND"
    )
