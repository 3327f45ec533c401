"""The number line in the forms real headers print it, and where the issuer's name ends.

Headers are written in the shapes the real set shows (a text layer's left
zone, OCR's lines with the right column beside them); the offices, numbers
and places are made up.
"""

from __future__ import annotations

import pytest

from ingest.describe import describe
from ingest.extract.base import ExtractedContent, PageContent, TextLine, Word
from ingest.extract.kinds import FileKind
from kernel.model import REVIEW_CONFIDENCE, PageInfo

from .conftest import content_of

RIGHT = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def old_form_letter(number_line: str) -> tuple[str, dict[str, str]]:
    """A công văn of a ministry with ``number_line`` under its name, as a text layer reads it."""
    left = f"BỘ CÔNG NGHIỆP\n{number_line}\nV/v cấp giấy phép nhập khẩu thiết bị"
    right = f"{RIGHT[0]}\n{RIGHT[1]}\nHà Nội, ngày 14 tháng 3 năm 2001"
    text = (
        f"BỘ CÔNG NGHIỆP {RIGHT[0]}\n{RIGHT[1]}\n{number_line}\n"
        "V/v cấp giấy phép nhập khẩu thiết bị\nHà Nội, ngày 14 tháng 3 năm 2001\n"
        "Kính gửi: Công ty Cơ khí Đông Anh\n"
        "Trả lời công văn số 215 CT/KH ngày 02/3/2001 của Công ty, Bộ có ý kiến như sau.\n"
        "Nơi nhận: KT. BỘ TRƯỞNG\n- Như trên;\n- Lưu: VP. THỨ TRƯỞNG\nTrần Văn Lâm"
    )
    return text, {"header_left": left, "header_right": right}


def values(text: str, zones: dict[str, str] | None = None, source: str = "text") -> dict:
    found = describe(content_of(text, source=source, first_zones=zones))  # type: ignore[arg-type]
    return {name: field.value for name, field in found.items()}


def test_the_old_form_without_a_slash_before_the_symbol_is_read_as_printed() -> None:
    got = values(*old_form_letter("Số: 1207 CN/VP"))
    assert got["number_symbol"] == "1207 CN/VP"
    assert (got["number"], got["issuer_abbr"]) == ("1207", "CN")
    assert got["issuing_body"] == "BỘ CÔNG NGHIỆP"
    assert got["issue_date"] == "2001-03-14"


def test_the_old_form_is_read_from_ocr_lines_with_the_date_beside_it() -> None:
    text = (
        f"BỘ CÔNG NGHIỆP {RIGHT[0]}\n{RIGHT[1]}\n"
        "Số: 1207 CN/VP Hà Nội, ngày 14 tháng 3 năm 2001\n"
        "V/v cấp giấy phép nhập khẩu thiết bị\nKính gửi: Công ty Cơ khí Đông Anh"
    )
    got = values(text, source="ocr")
    assert (got["number_symbol"], got["issuing_body"]) == ("1207 CN/VP", "BỘ CÔNG NGHIỆP")


def test_the_old_form_is_never_taken_from_running_text_or_an_address() -> None:
    text = (
        f"BỘ CÔNG NGHIỆP {RIGHT[0]}\n{RIGHT[1]}\n"
        "V/v cấp giấy phép nhập khẩu thiết bị\nHà Nội, ngày 14 tháng 3 năm 2001\n"
        "Kính gửi: Công ty Cơ khí Đông Anh, Số 5 Đường 3/2\n"
        "Quyết định số 1207 CN/VP ngày 02/3/2001 của Bộ đã giao cho Công ty.\n"
        "Công văn số 215 CT/KH ngày 02/3/2001 của Công ty đề nghị cấp phép."
    )
    assert "number_symbol" not in values(text)


def test_the_issuer_ends_at_the_number_s_label_whatever_follows_it() -> None:
    # A number in no form the describer reads still ends the issuer's lines.
    got = values(*old_form_letter("Số: 1207 CN.VP"))
    assert got["issuing_body"] == "BỘ CÔNG NGHIỆP"
    assert "number_symbol" not in got


def test_so_in_an_organ_s_name_is_no_label() -> None:
    left = "BỘ KHOA HỌC VÀ CÔNG NGHỆ\nCỤC CHUYỂN ĐỔI SỐ QUỐC GIA\nSố: 12/CĐS-VP"
    text = f"{left}\nV/v triển khai nền tảng\nHà Nội, ngày 14 tháng 3 năm 2024"
    got = values(text, {"header_left": left})
    assert got["issuing_body"] == "CỤC CHUYỂN ĐỔI SỐ QUỐC GIA"
    assert got["number_symbol"] == "12/CĐS-VP"


def test_a_label_read_a_letter_off_with_its_colon_opens_the_number() -> None:
    # A fax: "Số:" read "Sẽ:", the number pushed to the next line, or on its line.
    below = (
        f"VĂN PHÒNG CHÍNH PHỦ {RIGHT[0]}\n{RIGHT[1]}\n"
        "Sẽ: Hà Nội, ngày 03 tháng 5 năm 2007\n4410/VPCP-NC\n"
        "V/v tổ chức hội nghị tổng kết"
    )
    got = values(below, source="ocr")
    assert (got["number_symbol"], got["issuing_body"]) == ("4410/VPCP-NC", "VĂN PHÒNG CHÍNH PHỦ")
    beside = below.replace("Sẽ: Hà Nội", "Sẽ: 4410/VPCP-NC Hà Nội").replace("\n4410/VPCP-NC", "")
    assert values(beside, source="ocr")["number_symbol"] == "4410/VPCP-NC"


def test_a_word_like_the_label_in_running_text_opens_no_number() -> None:
    text = (
        f"VĂN PHÒNG CHÍNH PHỦ {RIGHT[0]}\n{RIGHT[1]}\nHà Nội, ngày 03 tháng 5 năm 2007\n"
        "V/v tổ chức hội nghị tổng kết\nKính gửi: Bộ Tư pháp\n"
        "Sẽ có văn bản 12/BTP-VP gửi các cơ quan.\nSa 4410/VPCP-NC ngày 02/5/2007"
    )
    assert "number_symbol" not in values(text, source="ocr")


# A D or a Đ in a symbol OCR read (ingest/describe/fields/strokes.py).


def ocr_page(lines: list[str], sure: float = 95.0) -> ExtractedContent:
    """One OCR page of ``lines``, every word read at ``sure`` (as ingest.extract builds it)."""
    words = [
        Word(word, 0.1, at / 40, 0.2, (at + 1) / 40, sure)
        for at, line in enumerate(lines)
        for word in line.split()
    ]
    page = PageContent(PageInfo(number=1, ocr=True), "\n".join(lines), "ocr", words=words,
                       lines=[TextLine(line, sure) for line in lines])  # fmt: skip
    return ExtractedContent(FileKind.PDF, "application/pdf", [page])


def letter(symbol: str, filed: str, body: str = "VĂN PHÒNG CHÍNH PHỦ") -> list[str]:
    return [
        f"{body} {RIGHT[0]}",
        RIGHT[1],
        f"Số: {symbol} Hà Nội, ngày 21 tháng 11 năm 2008",
        "V/v lập đề án phát triển kinh tế vùng ven biển",
        "Kính gửi: Ủy ban nhân dân tỉnh Quảng Trị",
        "Xét đề nghị của Ủy ban nhân dân tỉnh, Thủ tướng Chính phủ có ý kiến như sau.",
        "Nơi nhận: KT. BỘ TRƯỞNG, CHỦ NHIỆM",
        "- Như trên; PHÓ CHỦ NHIỆM",
        f"- Lưu: VT, {filed}.",
        "Trần Văn Bình",
    ]


@pytest.mark.parametrize(
    ("symbol", "filed", "sure"),
    [
        ("4410/VPCP-DP", "ĐP", False),  # the filing line reads the other letter
        ("4410/VPCP-ĐP", "ĐP", True),  # read alike twice
        ("4410/VPCP-DP", "DP", True),
        ("4410/VPCP-KHĐT", "TH", False),  # printed once: nothing vouches for the letter
        ("4410/VPCP-KTXD", "KIXD", True),  # a long unit, another of its letters misread
        ("4410/VPCP-QHQT", "TH", True),  # no D, no Đ: nothing to vouch for
    ],
)
def test_a_d_or_a_stroked_d_in_an_ocr_symbol_needs_the_document_to_vouch_for_it(
    symbol: str, filed: str, sure: bool
) -> None:
    found = describe(ocr_page(letter(symbol, filed)))["number_symbol"]
    assert found.value == symbol  # checked, never changed
    assert (found.confidence >= REVIEW_CONFIDENCE) is sure


def test_the_title_s_type_and_the_body_s_initials_vouch_for_their_letters() -> None:
    lines = letter("12/HD-BXD", "KTQH", "BỘ XÂY DỰNG")
    lines[3:4] = ["HƯỚNG DẪN", "Thực hiện quy chuẩn xây dựng"]
    found = describe(ocr_page(lines))
    assert (found["doc_type"].value, found["number_symbol"].value) == ("Hướng dẫn", "12/HD-BXD")
    assert found["number_symbol"].confidence >= REVIEW_CONFIDENCE
    lines[3] = "HỢP ĐỒNG"  # under a Hợp đồng "HD" is no type of its
    assert describe(ocr_page(lines))["number_symbol"].confidence < REVIEW_CONFIDENCE


def test_a_text_layer_s_symbol_is_read_as_printed() -> None:
    text = "\n".join(letter("4410/VPCP-DP", "ĐP"))
    assert describe(content_of(text))["number_symbol"].confidence >= REVIEW_CONFIDENCE


def test_an_old_letter_of_a_ministry_merged_since_is_read_surely_from_a_scan() -> None:
    # A ministry of the 1992-2007 Governments is on the closed list of national
    # bodies: OCR's reading of it is checked as the current ministries' are.
    lines = letter("1207 TS/VP", "VP", "BỘ THỦY SẢN")
    found = describe(ocr_page(lines))
    assert (found["issuing_body"].value, found["number_symbol"].value) == (
        "BỘ THỦY SẢN", "1207 TS/VP")  # fmt: skip
    assert found["issuing_body"].confidence >= REVIEW_CONFIDENCE
    assert found["number_symbol"].confidence >= REVIEW_CONFIDENCE


def test_the_body_s_words_vouch_for_its_initials_whatever_its_place() -> None:
    # A commune the gazetteer does not spell so ("XÃ VĨNH XUÂN ĐÔNG", made up):
    # the body goes to review, the "D" of UBND is ỦY BAN NHÂN DÂN's.
    lines = letter("12/UBND-VP", "VP", "ỦY BAN NHÂN DÂN XÃ VĨNH XUÂN ĐÔNG")
    found = describe(ocr_page(lines))
    assert found["issuing_body"].confidence < REVIEW_CONFIDENCE
    assert found["number_symbol"].value == "12/UBND-VP"
    assert found["number_symbol"].confidence >= REVIEW_CONFIDENCE
