"""ingest/describe/fields/ocr_countries: a country a subject names, its marks put right."""

from __future__ import annotations

import json

import pytest

from ingest.describe import describe
from ingest.describe.fields.ocr_countries import countries, respell_countries

from .conftest import RESOURCES, ocr_content_of

PAGES = json.loads((RESOURCES / "ocr_subject_pages.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("V/v cấp thị thực Thuy Sĩ", "V/v cấp thị thực Thụy Sĩ"),
        ("hợp tác với Hàn Quôc và Nhat Ban", "hợp tác với Hàn Quốc và Nhật Bản"),
        ("đoàn công tác tại Tây Ban Nhà", "đoàn công tác tại Tây Ban Nha"),
        # Spelt so already, or not each word with a capital: as read.
        ("Bảo tàng Báo chí Việt Nam", "Bảo tàng Báo chí Việt Nam"),
        ("thu năm phí tham gia", "thu năm phí tham gia"),
        ("thu Năm phí tham gia", "thu Năm phí tham gia"),
        # In capitals a name shows no case: "NĂM PHÍ" is words, not "NAM PHI".
        ("QUY ĐỊNH MỨC THU NĂM PHÍ", "QUY ĐỊNH MỨC THU NĂM PHÍ"),
        # Other letters than the name's: another name.
        ("Trường Thái Lâm", "Trường Thái Lâm"),
    ],
)
def test_a_country_takes_the_marks_of_its_name(read: str, meant: str) -> None:
    assert respell_countries(read) == meant


def test_the_names_come_from_the_list() -> None:
    assert ("thuy", "si") in countries() and ("trung", "quoc") in countries()
    assert all(2 <= len(name) <= 3 for name in countries())


def test_a_scanned_subject_naming_a_country() -> None:
    found = describe(ocr_content_of(PAGES["r051-scan_300"]["pages"]))
    assert found["subject"].value == PAGES["r051-scan_300"]["subject"].replace("Thuỵ", "Thụy")
