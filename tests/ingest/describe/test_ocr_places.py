"""ingest/describe/fields/ocr_places: a province in a subject, its marks put right."""

from __future__ import annotations

import pytest

from ingest.describe.fields.ocr_places import respell_provinces
from ingest.describe.fields.ocr_subjects import clean_ocr_subject


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("TRÊN ĐỊA BÀN TỈNH THÙA THIÊN HUẾ (NAY LÀ", "TRÊN ĐỊA BÀN TỈNH THỪA THIÊN HUẾ (NAY LÀ"),
        ("HỘI ĐỒNG NHÂN DÂN TÍNH THỪA THIÊN HUẾ QUY", "HỘI ĐỒNG NHÂN DÂN TỈNH THỪA THIÊN HUẾ QUY"),
        ("thuộc tính Quảng Nam - Đà Nẵng", "thuộc tỉnh Quảng Nam - Đà Nẵng"),
        ("trên địa bàn tĩnh Lâm Đồng", "trên địa bàn tỉnh Lâm Đồng"),
        ("ĐỊA BÀN TÍNH KON TÚM", "ĐỊA BÀN TỈNH KON TUM"),
    ],
)
def test_a_province_after_its_unit_word_is_spelt_as_the_gazetteer_does(
    read: str, meant: str
) -> None:
    assert respell_provinces(read) == meant


@pytest.mark.parametrize(
    "right",
    [
        "tính thuế thu nhập cá nhân",  # no province after it
        "tỉnh Hà Tĩnh",  # read as the gazetteer spells it
        "quy chế tính điểm thi",
    ],
)
def test_words_that_name_no_province_stay(right: str) -> None:
    assert respell_provinces(right) == right


def test_the_subject_cleaner_respells_the_province_after_the_lexicon() -> None:
    # "thuộc tính" is a word of the lexicon: the province after it decides.
    subject = "VỀ VIỆC THÀNH LẬP THÀNH PHỐ THUỘC TÍNH QUẢNG NAM"
    assert clean_ocr_subject(subject, subject).endswith("THUỘC TỈNH QUẢNG NAM")
