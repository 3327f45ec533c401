"""describe() on headers as OCR read real documents: marks, titles and places in the way.

The fixtures (``resources/ocr_headers.json``) are the first pages Tesseract
returned for four documents of the real set rendered as scans (bench
``--real``), with their zones: the describer's input, byte for byte.
"""

from __future__ import annotations

import pytest

from ingest.describe import describe

from .conftest import ocr_content, ocr_pages

CASES = ocr_pages("ocr_headers")


def described(case: str) -> dict[str, object]:
    page = CASES[case]
    content = ocr_content(page)
    return {name: field.value for name, field in describe(content).items()}


@pytest.mark.parametrize(
    ("case", "body"),
    [
        # "TÔI MẠT]" (TỐI MẬT) under the number, then the title: neither is the issuer's.
        ("secrecy_mark_under_issuer", "HỘI ĐỒNG BỘ TRƯỞNG"),
        # "THƯỢNG KHẨN]" under a công văn's subject.
        ("urgency_mark_under_issuer", "BAN TUYÊN GIÁO"),
        # "HẬU GANG": the one province a letter away.
        ("province_one_letter_off", "ỦY BAN NHÂN DÂN TỈNH HẬU GIANG"),
    ],
)
def test_the_issuer_ends_above_a_mark_or_the_title(case: str, body: str) -> None:
    assert described(case)["issuing_body"] == body


def test_marks_under_the_issuer_are_still_read() -> None:
    assert described("secrecy_mark_under_issuer")["secrecy"] == "TỐI MẬT"
    assert described("urgency_mark_under_issuer")["urgency"] == "THƯỢNG KHẨN"


def test_specks_before_a_title_do_not_hide_it() -> None:
    got = described("specks_before_title")  # ')". : NGHỊ QUYẾT'
    assert (got["title"], got["doc_type"]) == ("NGHỊ QUYẾT", "Nghị quyết")
    assert str(got["subject"]).startswith("HỘI NGHỊ LẦN THỨ 11 BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG")


def test_a_citation_under_the_title_is_no_issue_date() -> None:
    # The date zone ran on into the body, cut from its left: "Chính phủ ngày 19 tháng 6
    # năm 2015" lost its "Căn cứ"; the issue date ("Hà Nội, 29 tháng 11 năm 2022",
    # its "ngày" pushed a line down in the zone) is read from the header instead.
    assert described("citation_in_the_date_zone")["issue_date"] == "2022-11-29"


def test_ngay_read_without_its_n() -> None:
    assert described("ngay_read_gay")["issue_date"] == "2025-06-16"  # '"gây 16 thông 6 năm 2025'


@pytest.mark.parametrize(
    ("case", "name"),
    [
        # The zone read "Hữu Tráng" / "Nguyễn )" on two lines; the page's line, whole.
        ("family_name_cut_off_in_the_zone", "Nguyễn Hữu Tráng"),
        # The zone read "Đức Ð" / "Nguyễn Thanh"; the page's line "Nguyễn Ð Đức Thanh".
        ("consonant_speck_in_a_name", "Nguyễn Đức Thanh"),
    ],
)
def test_the_page_s_line_completes_a_name_the_zone_cut(case: str, name: str) -> None:
    assert described(case)["signer_name"] == name


def test_a_name_split_off_a_recipient_s_line_is_the_signer_s() -> None:
    # "thuộc CP; _ Trần Thanh Mẫn", then the recipients' wrapped lines ("Nẵng;").
    assert described("name_on_a_recipient_s_line")["signer_name"] == "Trần Thanh Mẫn"
