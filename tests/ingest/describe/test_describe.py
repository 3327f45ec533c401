"""describe() on hand-written text: each field family and the tricky cases."""

from __future__ import annotations

import pytest

from ingest.describe import describe
from ingest.describe.fields.numbering import repair_ocr_symbol, split_number_symbol
from kernel.model import METADATA_FIELDS

from .conftest import content_of


def values(text: str, **kwargs) -> dict[str, object]:
    return {name: field.value for name, field in describe(content_of(text, **kwargs)).items()}


def test_state_decision_from_a_text_layer_without_zones(resource_text) -> None:
    got = values(resource_text("state_decision_text_layer.txt"))
    assert got["format"] == "state"
    assert got["number_symbol"] == "2284/QĐ-UBND"
    assert (got["number"], got["type_abbr"], got["issuer_abbr"]) == ("2284", "QĐ", "UBND")
    assert "number_year" not in got
    assert (got["issue_place"], got["issue_date"]) == ("Lâm Đồng", "2025-11-25")
    assert got["issuing_body"] == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert "parent_body" not in got
    assert (got["doc_type"], got["title"]) == ("Quyết định", "QUYẾT ĐỊNH")
    assert got["subject"] == "Về việc công nhận xã, phường miền núi trên địa bàn tỉnh Lâm Đồng"
    assert got["signer_authority"] == "KT."
    assert got["signer_title"] == "PHÓ CHỦ TỊCH"
    assert got["signer_name"] == "Nguyễn Văn Hùng"
    assert got["recipients"] == [
        "Như Điều 3;",
        "Bộ Nội vụ;",
        "Ủy ban nhân dân tỉnh Lâm Đồng;",
        "Lưu: VT, VX.",
    ]
    assert got["references"] == [
        "72/2025/QH15",
        "272/2025/NĐ-CP",
        "45/UBND-VX",
        "383-QĐ/TW",
        "12/TTr-SNV",
    ]
    assert not {"secrecy", "urgency", "circulation", "recipients_to"} & set(got)
    assert set(got) <= set(METADATA_FIELDS)


def test_party_qd_symbol_with_a_quy_dinh_title_is_a_quy_dinh(resource_text) -> None:
    got = values(resource_text("party_quy_dinh.txt"))
    assert got["format"] == "party"
    assert got["number_symbol"] == "383-QĐ/TU"
    assert (got["number"], got["type_abbr"], got["issuer_abbr"]) == ("383", "QĐ", "TU")
    assert got["doc_type"] == "Quy định"
    assert got["subject"] == "về việc thực hiện dân chủ ở cơ sở trong các cơ quan đảng"
    assert (got["parent_body"], got["issuing_body"]) == ("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "TỈNH ỦY")
    assert got["issue_date"] == "2025-03-09"
    assert (got["signer_authority"], got["signer_title"]) == ("T/M", "BÍ THƯ")
    assert got["signer_name"] == "Trần Minh Hải"
    assert got["references"] == ["24-QĐ/TW", "09-NQ/TU"]


def test_cong_van_from_ocr_with_confused_keywords(resource_text) -> None:
    described = describe(content_of(resource_text("cong_van_ocr.txt"), source="ocr"))
    got = {name: field.value for name, field in described.items()}
    assert got["number_symbol"] == "0204/QĐ-UBND"  # OCR read QD: the Đ is put back
    assert (got["number"], got["type_abbr"], got["issuer_abbr"]) == ("0204", "QĐ", "UBND")
    assert (got["issue_place"], got["issue_date"]) == ("Khánh Hòa", "2025-01-05")
    assert got["issuing_body"] == "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"
    assert got["doc_type"] == "Công văn"  # V/v and no title, whatever the symbol says
    assert "title" not in got
    assert got["subject"] == (
        "V/v khẩn trương triển khai thực hiện công tác phòng, chống thiên tai và tìm kiếm cứu nạn"
    )
    assert (got["urgency"], got["secrecy"]) == ("KHẨN", "MẬT")
    assert got["recipients_to"] == ["Các sở, ban, ngành tỉnh;", "Ủy ban nhân dân các xã, phường."]
    assert got["signer_name"] == "Lê Thị Thủy"
    assert got["recipients"] == ["Như trên;", "Lưu: VT, VX."]
    assert got["references"] == ["11299/VPCP-KGVX", "272/2025/NĐ-CP"]
    assert all(field.source == "ocr" for field in described.values())


def test_ocr_is_less_sure_than_a_text_layer(resource_text) -> None:
    text = resource_text("state_decision_text_layer.txt")
    from_text = describe(content_of(text))["number_symbol"].confidence
    from_ocr = describe(content_of(text, source="ocr"))["number_symbol"].confidence
    assert from_ocr < from_text


ZONED_HEADER = {
    "header_left": "UBND TỈNH LÂM ĐỒNG\nSỞ NÔNG NGHIỆP\nVÀ MÔI TRƯỜNG\nSố:10988/SNNMT-QLĐĐ\n"
    "V/v tăng cường công tác quản lý,\nsử dụng đất đai",
    "header_right": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Lâm Đồng, ngày 01 tháng 12\nnăm 2023",
}
ZONED_TEXT = (
    "UBND TỈNH LÂM ĐỒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "SỞ NÔNG NGHIỆP Độc lập - Tự do - Hạnh phúc\nVÀ MÔI TRƯỜNG\n"
    "Số:10988/SNNMT-QLĐĐ Lâm Đồng, ngày 01 tháng 12\nV/v tăng cường công tác quản lý, năm 2023\n"
    "sử dụng đất đai\nKính gửi: Ủy ban nhân dân các xã, phường.\n"
    "Thực hiện Kế hoạch số 78/KH-UBND, Sở đề nghị các địa phương rà soát.\n"
    "Nơi nhận: GIÁM ĐỐC\n- Như trên;\n- Lưu: VT, QLĐĐ.\nPhạm Quốc Khoa"
)
ZONED_LOWER = {
    "lower_left": "Nơi nhận:\n- Như trên;\n- Lưu: VT, QLĐĐ.",
    "lower_right": "GIÁM ĐỐC\n\nPhạm Quốc Khoa",
}


def test_cong_van_with_zones_parent_body_and_wrapped_date() -> None:
    got = values(ZONED_TEXT, first_zones=ZONED_HEADER, last_zones=ZONED_LOWER)
    assert got["parent_body"] == "UBND TỈNH LÂM ĐỒNG"
    assert got["issuing_body"] == "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"
    assert got["number_symbol"] == "10988/SNNMT-QLĐĐ"
    assert (got["issue_place"], got["issue_date"]) == ("Lâm Đồng", "2023-12-01")
    assert got["subject"] == "V/v tăng cường công tác quản lý, sử dụng đất đai"
    assert got["doc_type"] == "Công văn"
    assert got["recipients_to"] == ["Ủy ban nhân dân các xã, phường."]
    assert got["recipients"] == ["Như trên;", "Lưu: VT, QLĐĐ."]
    assert (got["signer_title"], got["signer_name"]) == ("GIÁM ĐỐC", "Phạm Quốc Khoa")
    assert "signer_authority" not in got
    assert got["references"] == ["78/KH-UBND"]


def test_khan_inside_a_title_is_not_an_urgency_mark() -> None:
    text = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH GIA LAI Độc lập - Tự do - Hạnh "
        "phúc\nSố 2744/CĐ-UBND Gia Lai ngày 12 tháng 9 năm 2025\nCÔNG ĐIỆN\n"
        "VỀ VIỆC KHẨN TRƯƠNG ĐẨY MẠNH PHÒNG, CHỐNG THIÊN TAI\nVÀ TÌM KIẾM CỨU NẠN\n"
        "Kính gửi: Các sở, ban, ngành.\n"
    )
    got = values(text)
    assert "urgency" not in got
    assert got["number_symbol"] == "2744/CĐ-UBND"
    assert (got["issue_place"], got["issue_date"]) == ("Gia Lai", "2025-09-12")
    assert got["doc_type"] == "Công điện"
    assert got["subject"] == (
        "VỀ VIỆC KHẨN TRƯƠNG ĐẨY MẠNH PHÒNG, CHỐNG THIÊN TAI VÀ TÌM KIẾM CỨU NẠN"
    )


def test_circulation_and_highest_marks_stand_alone() -> None:
    text = (
        "BỘ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/TB-BNV Hà Nội, ngày 03 tháng 02 "
        "năm 2025\nTHƯỢNG KHẨN\nTUYỆT MẬT\nLƯU HÀNH NỘI BỘ\nTHÔNG BÁO\nKết luận của Bộ trưởng\n"
    )
    got = values(text)
    assert (got["urgency"], got["secrecy"]) == ("THƯỢNG KHẨN", "TUYỆT MẬT")
    assert got["circulation"] == "LƯU HÀNH NỘI BỘ"
    assert got["doc_type"] == "Thông báo"


def test_legal_document_with_a_year_in_the_symbol() -> None:
    text = (
        "CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 308/2025/NĐ-CP Hà Nội, ngày 28 tháng 11 năm 2025\nNGHỊ ĐỊNH\n"
        "Quy định chi tiết một số điều của Luật Lưu trữ\n"
        "Căn cứ Luật Lưu trữ số 33/2024/QH15;\n"
    )
    got = values(text)
    assert (got["number"], got["number_year"], got["type_abbr"]) == ("308", "2025", "NĐ")
    assert got["issuer_abbr"] == "CP"
    assert got["doc_type"] == "Nghị định"
    assert got["issuing_body"] == "CHÍNH PHỦ"
    assert got["subject"] == "Quy định chi tiết một số điều của Luật Lưu trữ"
    assert got["references"] == ["33/2024/QH15"]


def test_type_falls_back_to_the_symbol_with_lower_confidence() -> None:
    text = "SỞ Y TẾ\nSố: 15/KH-SYT Lâm Đồng, ngày 10 tháng 4 năm 2024\nNội dung không có tiêu đề."
    described = describe(content_of(text))
    assert described["doc_type"].value == "Kế hoạch"
    assert described["doc_type"].confidence < 0.9
    assert described["format"].value == "other"


def test_invalid_date_is_not_reported() -> None:
    got = values("SỞ Y TẾ\nSố: 15/KH-SYT Lâm Đồng, ngày 31 tháng 02 năm 2024\nKẾ HOẠCH\n")
    assert "issue_date" not in got


def test_a_date_cited_in_the_body_is_not_the_issue_date() -> None:
    got = values("SỞ Y TẾ\nSố: 15/KH-SYT\nKẾ HOẠCH\nCăn cứ Nghị định số 30/2020/NĐ-CP "
                 "ngày 05 tháng 3 năm 2020 của Chính phủ;")  # fmt: skip
    assert "issue_date" not in got


@pytest.mark.parametrize(
    ("raw", "parts"),
    [
        ("2284/QĐ-UBND", ("2284", None, "QĐ", "UBND")),
        ("78/2025/NQ-HĐND", ("78", "2025", "NQ", "HĐND")),
        ("45/UBND-VX", ("45", None, None, "UBND")),
        ("11299/VPCP-KGVX", ("11299", None, None, "VPCP")),
        ("383-QĐ/TW", ("383", None, "QĐ", "TW")),
        ("137-CV/ĐU", ("137", None, "CV", "ĐU")),
        ("0204/QyĐ-UBND", ("0204", None, "QyĐ", "UBND")),
    ],
)
def test_number_symbol_is_split_into_its_parts(raw: str, parts: tuple) -> None:
    split = split_number_symbol(raw)
    assert split is not None
    assert (split.number, split.year, split.type_abbr, split.issuer_abbr) == parts


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Số: 2284/QĐ-UBND", "2284/QĐ-UBND"),
        ("Số 2744/QĐ-UBND", "2744/QĐ-UBND"),
        ("Số:10988/BNV-CQĐP", "10988/BNV-CQĐP"),
        ("S6: 09/KH-UBND", "09/KH-UBND"),
        ("Sổ: 09/KH-UBND", "09/KH-UBND"),
        ("So: 09/KH-UBND", "09/KH-UBND"),
        ("Số 09-NQ/TU", "09-NQ/TU"),
    ],
)
def test_number_line_variants(line: str, expected: str) -> None:
    assert values(f"SỞ Y TẾ\n{line}\n")["number_symbol"] == expected


@pytest.mark.parametrize(
    ("text", "iso", "title"),
    [
        ("Embassy of the United Kingdom\nHanoi, 12 March 2025\nLetter of Invitation\n"
         "We are pleased to inform you.", "2025-03-12", "Letter of Invitation"),
        ("Ambassade de France au Vietnam\nParis, le 1er mars 2025\nRapport d'activité\n"
         "Nous avons l'honneur.", "2025-03-01", "Rapport d'activité"),
        ("Посольство Российской Федерации\nМосква, 12 марта 2025 г.\nОтчёт о сотрудничестве\n"
         "Просим подтвердить.", "2025-03-12", "Отчёт о сотрудничестве"),
        ("Národní archiv\nPraha, 12. března 2025\nZpráva o spolupráci\nProsíme o potvrzení.",
         "2025-03-12", "Zpráva o spolupráci"),
        ("Arkivverket\nOslo, 12. mars 2025\nRapport om samarbeid\nVi ber om bekreftelse.",
         "2025-03-12", "Rapport om samarbeid"),
        ("Archive report\nDate: 2025-03-12\nTitle: Annual archive review\nText.",
         "2025-03-12", "Annual archive review"),
    ],
)  # fmt: skip
def test_other_languages_get_date_and_title(text: str, iso: str, title: str) -> None:
    got = values(text)
    assert got["format"] == "other"
    assert got["issue_date"] == iso
    assert got["title"] == title
    assert "number_symbol" not in got


def test_empty_content_gives_no_fields() -> None:
    assert describe(content_of("")) == {}


def test_ocr_that_lost_the_marks_of_date_keywords_and_title() -> None:
    text = (
        "DANG BỘ TỈNH SƠN LA DANG CONG SAN VIET NAM\nTỈNH ỦY\n*\n"
        "Số 12-KH/TU Son La, ngay 23 thang 01 ndm 2024\nKE HOACH\n"
        "đẩy mạnh phát triển du lịch cộng đồng năm 2024\nCăn cứ Điều lệ Đảng;"
    )
    got = values(text, source="ocr")
    assert got["issue_date"] == "2024-01-23"
    assert (got["title"], got["doc_type"]) == ("KẾ HOẠCH", "Kế hoạch")
    assert got["format"] == "party"


@pytest.mark.parametrize(
    ("ocr", "repaired"),
    [
        ("68/BTTUBND", "68/BTT-UBND"),  # hyphen lost after a type abbreviation
        ("5/CTrUBND", "5/CTr-UBND"),  # the longest abbreviation wins (CTr, not CT)
        ("12/QDUBND", "12/QĐ-UBND"),
        ("76/QyD-UBND", "76/QyĐ-UBND"),  # stroke lost
        ("84/2024/NQ-HĐNĐ", "84/2024/NQ-HĐND"),  # stroke added
        ("45/UBND-VX", "45/UBND-VX"),  # a công văn: nothing to repair
        ("45/UBNDVX", "45/UBNDVX"),  # no type to split off: left as read
        ("9/DA-UBND", "9/DA-UBND"),  # Dự án or Đề án: OCR's reading stands
        ("383-QĐ/TW", "383-QĐ/TW"),
    ],
)
def test_ocr_symbol_repairs_use_known_abbreviations_only(ocr: str, repaired: str) -> None:
    assert repair_ocr_symbol(ocr) == repaired


def test_ocr_marks_on_body_words_with_one_spelling_are_put_right() -> None:
    text = (
        "ĐÁNG BỘ TÍNH SƠN LA ĐẢNG CỘNG SẢN VIỆT NAM\nĐÁẢNG ỦY XÃ ĐINH VĂN\n*\n"
        "Số 12-KH/ĐU Đinh Văn, ngày 23 tháng 01 năm 2024\nKẾ HOẠCH\n"
        "đẩy mạnh phát triển du lịch cộng đồng năm 2024\nCăn cứ Điều lệ Đảng;"
    )
    got = values(text, source="ocr")
    assert (got["parent_body"], got["issuing_body"]) == (
        "ĐẢNG BỘ TỈNH SƠN LA",
        "ĐẢNG ỦY XÃ ĐINH VĂN",
    )
    # One glyph read as two letters (ĐÁẢNG) still opens the issuer; a text layer is as printed.
    assert values(text)["issuing_body"] == "ĐÁNG BỘ TÍNH SƠN LA ĐÁẢNG ỦY XÃ ĐINH VĂN"


def test_a_consolidated_text_is_a_van_ban_hop_nhat_whatever_its_title() -> None:
    # A consolidated text (Văn bản hợp nhất) prints the consolidated document's
    # type as its title; its symbol says what it is.
    text = (
        "BỘ XÂY DỰNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 07/VBHN-BXD Hà Nội, ngày 20 tháng 5 năm 2024\nTHÔNG TƯ\n"
        "Quy định về quản lý an toàn lao động trong thi công xây dựng công trình\n"
        "Thông tư số 04/2017/TT-BXD ngày 30 tháng 3 năm 2017 của Bộ trưởng Bộ Xây dựng, "
        "có hiệu lực kể từ ngày 15 tháng 5 năm 2017, được sửa đổi, bổ sung bởi:\n"
        "Căn cứ Luật Xây dựng;"
    )
    got = values(text)
    assert (got["number_symbol"], got["type_abbr"]) == ("07/VBHN-BXD", "VBHN")
    assert (got["doc_type"], got["title"]) == ("Văn bản hợp nhất", "THÔNG TƯ")
    assert got["subject"] == (
        "Quy định về quản lý an toàn lao động trong thi công xây dựng công trình"
    )


def test_a_subject_in_capitals_stops_at_a_paragraph_in_sentence_case() -> None:
    # A Party resolution's designation in capitals, then its opening paragraph
    # with no "Căn cứ": the paragraph is not the subject.
    text = (
        "TỈNH ỦY SƠN LA ĐẢNG CỘNG SẢN VIỆT NAM\n*\n"
        "Số 15-NQ/TU Sơn La, ngày 10 tháng 4 năm 2024\nNGHỊ QUYẾT\n"
        "HỘI NGHỊ LẦN THỨ MƯỜI BAN CHẤP HÀNH ĐẢNG BỘ TỈNH KHÓA XV\n"
        "Hội nghị lần thứ mười Ban Chấp hành Đảng bộ tỉnh họp ngày 09 và 10/4/2024,\n"
        "sau khi thảo luận các tờ trình của Ban Thường vụ Tỉnh ủy,\nQUYẾT NGHỊ\n"
        "1. Thông qua báo cáo tình hình kinh tế - xã hội quý I."
    )
    got = values(text)
    assert got["number_symbol"] == "15-NQ/TU"
    assert got["subject"] == "HỘI NGHỊ LẦN THỨ MƯỜI BAN CHẤP HÀNH ĐẢNG BỘ TỈNH KHÓA XV"
    # In capitals, then in lower case after the issuer's name: one subject.
    text = text.replace(
        "HỘI NGHỊ LẦN THỨ MƯỜI BAN CHẤP HÀNH ĐẢNG BỘ TỈNH KHÓA XV\n",
        "CỦA BAN THƯỜNG VỤ TỈNH ỦY\nvề phát triển du lịch\ncộng đồng đến năm 2030\n",
    )
    assert values(text)["subject"] == (
        "CỦA BAN THƯỜNG VỤ TỈNH ỦY về phát triển du lịch cộng đồng đến năm 2030"
    )


def test_a_subject_in_sentence_case_does_not_run_into_an_unmarked_paragraph() -> None:
    text = (
        "TỈNH ỦY SƠN LA ĐẢNG CỘNG SẢN VIỆT NAM\n*\n"
        "Số 31-KL/TU Sơn La, ngày 10 tháng 4 năm 2024\nKẾT LUẬN\n"
        "về phát triển du lịch cộng đồng\n"
        "Tại phiên họp ngày 08/4/2024, sau khi nghe Ban Tuyên giáo Tỉnh ủy báo cáo\n"
        "kết quả thực hiện nhiệm vụ du lịch cộng đồng năm 2023 và đề xuất\n"
        "nhiệm vụ năm 2024, trên cơ sở ý kiến của các đồng chí dự họp,\n"
        "Ban Thường vụ Tỉnh ủy thống nhất với báo cáo và đề xuất nêu trên,\n"
        "đồng thời yêu cầu các cấp ủy, chính quyền quan tâm chỉ đạo,\n"
        "Ban Thường vụ Tỉnh ủy kết luận như sau:\n"
        "1. Thống nhất với báo cáo."
    )
    assert values(text)["subject"] == "về phát triển du lịch cộng đồng"


def test_ocr_specks_inside_a_title_do_not_hide_it() -> None:
    for title in ("QUYẾT. ĐỊNH", "QUYẾT [ ĐỊNH"):
        text = (
            "BỘ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            f"Số: 641/QĐ-BNV Hà Nội, ngày 11 tháng 9 năm 2023\n{title}\n"
            "BAN HÀNH DANH MỤC CƠ SỞ DỮ LIỆU\nBỘ TRƯỞNG BỘ NỘI VỤ\n"
            "Căn cứ Nghị định số 63/2022/NĐ-CP;"
        )
        got = values(text, source="ocr")
        assert got["doc_type"] == "Quyết định", title
        assert got["subject"] == "BAN HÀNH DANH MỤC CƠ SỞ DỮ LIỆU", title


def test_a_party_symbol_ocr_glued_is_split_the_party_way() -> None:
    text = (
        "TỈNH ỦY SƠN LA ĐẢNG CỘNG SẢN VIỆT NAM\n*\n"
        "Số12NQTU Sơn La, ngày 10 tháng 4 năm 2024\nNGHỊ QUYẾT\n"
        "về phát triển du lịch cộng đồng\nCăn cứ Điều lệ Đảng;"
    )
    got = values(text, source="ocr")
    assert (got["number_symbol"], got["type_abbr"], got["issuer_abbr"]) == ("12-NQ/TU", "NQ", "TU")
    # A state document's glued symbol opens with its number and a slash.
    state = text.replace("ĐẢNG CỘNG SẢN VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert values(state, source="ocr")["number_symbol"] == "12/NQ-TU"


def test_ocr_specks_in_a_subject_are_dropped() -> None:
    text = (
        "ỦY BAN MTTQ VIỆT NAM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nXÃ ĐINH VĂN\n"
        "Số: 16/KH-MTTQ Đinh Văn, ngày 18 tháng 11 năm 2025\nKẾ HOẠCH\n"
        "Thực hiện công tác bầu cử khóa XVI_“\nvà bầu cử các cấp nhiệm kỳ.\n"
        '"¬ 2026-2031 -\nCăn cứ Luật Bầu cử;'
    )
    # A stop before a line going on with a number is a speck, as are a stroke and
    # an opening quote glued to a word's end, quotes alone and a dash at the end.
    assert values(text, source="ocr")["subject"] == (
        "Thực hiện công tác bầu cử khóa XVI và bầu cử các cấp nhiệm kỳ 2026-2031"
    )


def test_ocr_stops_inside_a_subject_in_capitals_are_specks_unless_an_abbreviation() -> None:
    text = (
        "QUỐC HỘI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Luật số: 19/2012/QH13 Hà Nội, ngày 20 tháng 11 năm 2012\nLUẬT\n"
        "SỬA ĐỔI, BỔ. SUNG MỘT SỐ ĐIỀU CỦA LUẬT ĐIỆN LỰC TẠI TP. HỒ CHÍ MINH\n"
        "Căn cứ Hiến pháp;"
    )
    assert values(text, source="ocr")["subject"] == (
        "SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA LUẬT ĐIỆN LỰC TẠI TP. HỒ CHÍ MINH"
    )


def test_a_v_v_read_as_ww_opens_a_cong_van_subject() -> None:
    text = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TỈNH SƠN LA Độc lập - Tự do - Hạnh phúc\n"
        "Số: 912/UBND-KGVX Sơn La, ngày 16 tháng 6 năm 2017\n"
        "Ww đề nghị công nhận liệt sĩ đối với\n06 trường hợp người có công\n"
        "Kính gửi: Bộ Nội vụ"
    )
    got = values(text, source="ocr")
    assert got["doc_type"] == "Công văn"
    assert got["subject"] == "V/v đề nghị công nhận liệt sĩ đối với 06 trường hợp người có công"


def test_a_two_word_stamp_with_a_speck_ends_a_v_v_subject_in_the_column() -> None:
    text = (
        "BỘ NGOẠI GIAO CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 1432/BNG-LS Hà Nội, ngày 20 tháng 5 năm 2013\nKính gửi: Bộ Công an"
    )
    zone = "BỘ NGOẠI GIAO\nSố: 1432/BNG-LS\nV/v đối tượng cấp hộ chiếu\nHÓA TỐC|Ì\n"
    got = values(text, source="ocr", first_zones={"header_left": zone})
    assert got["subject"] == "V/v đối tượng cấp hộ chiếu"


def test_a_number_ocr_ran_into_its_year_is_split_by_the_issue_date() -> None:
    text = (
        "HỘI ĐỒNG NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH SƠN LA\n"
        "Số: 312017/NQ-HĐND Sơn La, ngày 08 tháng 12 năm 2017\nNGHỊ QUYẾT\n"
        "Quy định chế độ công tác phí\nCăn cứ Luật Tổ chức chính quyền địa phương;"
    )
    got = values(text, source="ocr")
    assert (got["number_symbol"], got["number"], got["number_year"]) == (
        "31/2017/NQ-HĐND",
        "31",
        "2017",
    )
    # Digits that do not end with the issue date's year stay as read.
    assert values(text.replace("năm 2017", "năm 2018"), source="ocr")["number_symbol"] == (
        "312017/NQ-HĐND"
    )


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("TUYẾỆT MẬT _ _", "secrecy", "TUYỆT MẬT"),  # a letter added, specks after
        ("TUYẾTMẢI", "secrecy", "TUYỆT MẬT"),  # words run together, a letter misread
        ("HÓA TÔC|Ì -", "urgency", "HỎA TỐC"),  # a speck read as a letter after it
    ],
)
def test_a_stamped_mark_misread_by_ocr_is_read(line: str, field: str, value: str) -> None:
    text = (
        "CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        f"Số: 217/2025/NĐ-CP Hà Nội, ngày 31 tháng 10 năm 2025\n{line}\nNGHỊ ĐỊNH\n"
        "Sửa đổi một số điều\nCăn cứ Luật Tổ chức Chính phủ;"
    )
    assert values(text, source="ocr")[field] == value
    # A text layer is as printed; one word alone must read whole.
    assert field not in values(text)
    assert "secrecy" not in values(text.replace(line, "MẬT KHẨU"), source="ocr")


@pytest.mark.parametrize("opener", ["W/v", "V%"])
def test_more_misreadings_of_v_v_open_a_cong_van_subject(opener: str) -> None:
    text = (
        "BỘ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        f"Số: 653/BYT-DP Hà Nội, ngày 21 tháng 02 năm 2012\n{opener} đính chính Thông tư\n"
        "Kính gửi: Văn phòng Chính phủ"
    )
    assert values(text, source="ocr")["subject"] == "V/v đính chính Thông tư"


def test_a_title_line_with_a_speck_read_as_a_word_after_it_is_a_title() -> None:
    text = (
        "BỘ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 641/QĐ-BNV Hà Nội, ngày 11 tháng 9 năm 2023\nQUYẾT ĐỊNH quy\n"
        "BAN HÀNH DANH MỤC CƠ SỞ DỮ LIỆU\nBỘ TRƯỞNG BỘ NỘI VỤ\nCăn cứ Nghị định;"
    )
    got = values(text, source="ocr")
    assert (got["doc_type"], got["subject"]) == ("Quyết định", "BAN HÀNH DANH MỤC CƠ SỞ DỮ LIỆU")
