"""The number line in the forms real headers print it, and where the issuer's name ends.

Headers are written in the shapes the real set shows (a text layer's left
zone, OCR's lines with the right column beside them); the offices, numbers
and places are made up.
"""

from __future__ import annotations

from ingest.describe import describe

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
