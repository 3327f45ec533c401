"""OCR repairs of the header by rule: symbols, body lines, place names."""

from __future__ import annotations

from ingest.describe.fields.bodies import _national, is_vouched_body, without_specks
from ingest.describe.fields.numbering import repair_ocr_symbol
from ingest.describe.places import respell_place
from ingest.describe.syllables import split_glued_line


def test_a_dot_between_two_abbreviations_of_a_hyphenless_symbol_is_its_hyphen() -> None:
    assert repair_ocr_symbol("12/UBND.VX") == "12/UBND-VX"
    assert repair_ocr_symbol("12/TB-VP.UBND") == "12/TB-VP.UBND"  # it has its hyphen


def test_a_unit_number_ends_a_body_line_and_va_is_split_from_the_next_word() -> None:
    assert without_specks("ỦY BAN NHÂN DÂN QUẬN 3") == "ỦY BAN NHÂN DÂN QUẬN 3"
    assert without_specks("SỞ LAO ĐỘNG VÀXÃ HỘI .") == "SỞ LAO ĐỘNG VÀ XÃ HỘI"
    assert without_specks("BỘ TÀI CHÍNH ; ") == "BỘ TÀI CHÍNH"


def test_a_hyphenated_place_is_respelt_in_ocr_s_layout() -> None:
    assert respell_place("BÀ RỊA-VỦNG TÀU") == "BÀ RỊA-VŨNG TÀU"
    assert respell_place("BÀ RỊA - VŨNG TÀU") == "BÀ RỊA - VŨNG TÀU"
    assert respell_place("HÀ TĨNH") == "HÀ TĨNH"


def test_words_run_together_in_a_header_line_are_split_by_known_syllables() -> None:
    assert split_glued_line("ỦYBANNHÂNDÂN TỈNHLÂMĐỒNG") == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert split_glued_line("QUẬN3") == "QUẬN 3"
    assert split_glued_line("UBND HĐND PHỐỐ") == "UBND HĐND PHỐỐ"  # abbreviations, a doubled letter


def test_a_national_body_misread_is_spelt_as_the_closed_list_spells_it() -> None:
    assert _national("'BỘ TÀI CHINH Y", 0.9, alone=True) == ("BỘ TÀI CHÍNH", 0.9)
    assert _national("BỘ KẾ HOẠCH VÀ ĐẦU", 0.9, alone=True) == ("BỘ KẾ HOẠCH VÀ ĐẦU TƯ", 0.75)
    assert _national("BỘ KẾ HOẠCH VÀ ĐẦU", 0.9, alone=False)[0] == "BỘ KẾ HOẠCH VÀ ĐẦU"
    assert _national("SỞ TÀI CHÍNH", 0.9, alone=True) == ("SỞ TÀI CHÍNH", 0.9)


def test_a_date_read_with_split_digits_specks_and_misread_keywords() -> None:
    from ingest.describe.context import Lines
    from ingest.describe.fields.dating import _vietnamese_date

    for line in ("Hà Nội, ngày 1 7 tháng 07 năm 2012", "Hà Nội, tiqày '21 tán 02 năm2012 —"):
        found = _vietnamese_date(Lines.of(line), 5)
        assert found is not None and found[0].isoformat().startswith("2012-0")
    wrapped = Lines.of("Hà Nội, ngày 30 tháng 06__\ncủa năm 2009 -")
    found = _vietnamese_date(wrapped, 5)
    assert found is not None and found[0].isoformat() == "2009-06-30"
    # A digit alone between month and year, a line of specks under a wrapped date,
    # a modifier letter read after it; a cited date below the wrapped one.
    for text in ("Hà Nội, ngày 20 tháng 05 0 năm 2013_", "Hà Nội, ngày 20 tháng 05\n|\nnăm 2013",
                 "Hà Nội, ngày 20 tháng 05 ˆ\nnăm 2013\nsố 12/BXD ngày 30 tháng 4 năm 2013"):
        found = _vietnamese_date(Lines.of(text), 5)
        assert found is not None and found[0].isoformat() == "2013-05-20", text


def test_a_v_v_opener_misread_on_a_coarse_scan_opens_the_subject() -> None:
    from ingest.describe.fields.ocr_subjects import _VV_MISREAD
    from ingest.describe.fields.titles import _VV

    for line in (
        "-.VW xin ý kiến",
        "Vw tổ chức",
        "V⁄: Giám sát",
        ".V/v thông tin",
        "V/ triển khai",
    ):
        assert _VV.match(line), line
        assert _VV_MISREAD.sub("V/v", line, count=1).startswith("V/v")
    assert not _VV.match("Vụ trưởng") and not _VV.match("Việt Nam")


def test_a_v_v_opener_read_with_a_marked_y_or_an_inverted_question_mark() -> None:
    from ingest.describe.fields.ocr_subjects import clean_ocr_subject
    from ingest.describe.fields.titles import _VV
    from kernel.text import strip_marks

    for line in ("V/ỷ lập đề án", "Vỷv: trả lời công văn", "V¿v cấp phép"):
        assert _VV.match(strip_marks(line)), line  # the title reader matches folded lines
        assert clean_ocr_subject(line, line).startswith("V/v"), line
    assert not _VV.match(strip_marks("Vỹ tuyến 17"))  # a word, no V/v


def test_more_v_v_misreadings_and_a_word_run_into_it() -> None:
    from ingest.describe.fields.ocr_subjects import clean_ocr_subject

    for line in ("V/@w đính chính", "Vjv đính chính", "V/vđính chính"):
        assert clean_ocr_subject(line, line) == "V/v đính chính"


def test_a_number_with_its_slash_lost_or_under_a_speck_line_is_found() -> None:
    from ingest.describe.context import Lines
    from ingest.describe.fields.numbering import find_number_line

    hit = find_number_line(Lines.of("` Số: Hà Nội, ngày 2 tháng 3 năm 2020\n`\n125/UBND-VP _"))
    assert hit is not None and hit[1]["ns"] == "125/UBND-VP"
    hit = find_number_line(Lines.of("Số:4025ABCDXY Hà Nội, ngày 2 tháng 3 năm 2020"))
    assert hit is not None and hit[1]["ns"] == "4025ABCDXY"


def test_a_number_run_onto_a_body_line_and_colons_in_it_are_left_out() -> None:
    assert (
        without_specks("ỦY BAN NHÂN DÂN TỈNH CAO SƠN Số:45/UBNDVX")
        == "ỦY BAN NHÂN DÂN TỈNH CAO SƠN"
    )
    assert without_specks("BỘ NÔNG: NGHIỆP 14U/HDUBND") == "BỘ NÔNG NGHIỆP"
    assert without_specks("Số:4ö8/UBNDVX") == ""


def test_a_foreign_letter_s_signer_is_a_name_never_a_fragment() -> None:
    from ingest.describe.fields.foreign import _is_name

    assert _is_name("Jean-Paul Martin") and _is_name("J. R. Smith") and _is_name("Иван Петров")
    assert not _is_name(": K") and not _is_name("ĐNÓ2 Fà2:/0131")


def test_a_long_national_name_with_a_letter_misread_is_spelt_right_never_a_province_s() -> None:
    assert _national("BỘ KHOA HỌC VÀ CÔNG NGHỆW", 0.9, alone=True)[0] == "BỘ KHOA HỌC VÀ CÔNG NGHỆ"
    assert _national("SỞ KHOA HỌC VÀ CÔNG NGHỆ", 0.9, alone=True)[0] == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"


def test_a_glued_year_is_split_and_a_hyphen_moves_to_the_end_of_the_body_s_initials() -> None:
    from ingest.describe.fields.numbering import rejoin_with_body

    assert repair_ocr_symbol("77/2006QĐUBND") == "77/2006/QĐ-UBND"
    assert rejoin_with_body("31/TC-HQKT", "TỔNG CỤC HẢI QUAN") == "31/TCHQ-KT"
    assert rejoin_with_body("31/BC-BTC", "BỘ TÀI CHÍNH") is None  # a report's type stays
    assert rejoin_with_body("31/QĐ-UBND", "ỦY BAN NHÂN DÂN") is None
    # A hyphen after no type abbreviation was read so, not put back: the unit
    # (Tổ chức cán bộ) may open with a letter the body's initials hold.
    assert rejoin_with_body("217/BNN-TCCB", "BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN") is None


def test_the_issuer_abbreviates_the_body_less_its_place() -> None:
    from ingest.describe.fields.numbering import rejoin_with_body

    # "UBNDVX": every letter is an initial of "ỦY BAN NHÂN DÂN TỈNH VĨNH XUÂN" (made up);
    # the issuer signs "UBND", the body less its place.
    assert rejoin_with_body("12/UBNDVX", "ỦY BAN NHÂN DÂN TỈNH VĨNH XUÂN") == "12/UBND-VX"
    assert rejoin_with_body("12/UBNDVX", "ỦY BAN NHÂN DÂN THÀNH PHỐ AN HÀ") == "12/UBND-VX"
    assert rejoin_with_body("12/QĐ-UBND", "ỦY BAN NHÂN DÂN TỈNH VĨNH XUÂN") is None


def test_a_name_beside_a_recipient_s_wrapped_line_is_the_signature_column_s() -> None:
    from ingest.describe.fields.closing import _right_part

    assert _right_part("thuộc CP; _ Trần Văn Ba") == "Trần Văn Ba"
    assert _right_part("thuộc Chính phủ;") is None


def test_an_ocr_d_caps_subject_stops_at_the_authority_unless_a_line_wants_its_complement() -> None:
    from ingest.describe.context import Lines
    from ingest.describe.fields.titles import _is_authority, _subject_after

    lines = Lines.of("VỀ VIỆC CẤP ĐIỆN CHO\nTỈNH CAO SƠN\nHỘI ĐỒNG NHÂN DÂN TỈNH CAO SƠN\nKHÓA X")
    assert _subject_after(lines, 0, ocr=True) == ["VỀ VIỆC CẤP ĐIỆN CHO", "TỈNH CAO SƠN"]
    lines = Lines.of("QUY CHẾ LÀM VIỆC CỦA.\nỦY BAN NHÂN DÂN TỈNH CAO SƠN")
    assert len(_subject_after(lines, 0, ocr=True)) == 2
    assert not _is_authority("CHINH PHUC VU") and _is_authority('"HOI DONG NHAN DAN')


def test_symbol_letters_no_symbol_holds_are_put_right() -> None:
    from ingest.describe.fields.symbols import repair_issuer, repair_symbol_letters

    assert repair_symbol_letters("12/UBND-KHIL") == "12/UBND-KHL"  # L's upright read as I
    assert repair_symbol_letters("12/2020/QĐ-UBX.Ế") == "12/2020/QĐ-UBX"  # a speck's mark
    assert repair_symbol_letters("12/VPCP-V.I") == "12/VPCP-V.I"
    assert repair_ocr_symbol("12/QĐ.UB") == "12/QĐ-UB"  # one hyphen
    assert repair_issuer("12/SKD-KHTC", "SỞ XÂY DỰNG") == "12/SXD-KHTC"
    assert repair_issuer("12/SXD-KHTC", "SỞ XÂY DỰNG") is None  # read right
    assert repair_issuer("12/QĐ-UBND", "SỞ XÂY DỰNG") is None  # a type, not an issuer
    assert repair_issuer("12/SKDT-KH", "SỞ XÂY DỰNG") is None  # not the initials' length


def test_a_symbol_s_type_part_one_letter_off_the_title_s_type_is_that_type() -> None:
    from ingest.describe.fields.symbols import symbol_by_type

    assert symbol_by_type("5/2024/TEBXD", "TT", party=False) == "5/2024/TT-BXD"
    assert symbol_by_type("5/CIUBND", "CT", party=False) == "5/CT-UBND"
    assert symbol_by_type("5/2024/TT-BXD", "TT", party=False) is None  # read right
    assert symbol_by_type("5/UBND-KH", "QĐ", party=False) is None  # a công văn's issuer
    assert symbol_by_type("7-KU/TU", "KL", party=True) == "7-KL/TU"
    assert symbol_by_type("7-KH/TU", "KL", party=True) is None  # a type of its own


def test_a_unit_one_letter_off_the_filed_one_is_near_it() -> None:
    from ingest.describe.fields.symbols import _one_edit

    assert _one_edit("KHT", "KHTC") and _one_edit("KHNC", "KHTC") and _one_edit("EKHTC", "KHTC")
    assert not _one_edit("KHTC", "KHTC") and not _one_edit("KH", "KHTC")


def test_a_vowel_read_twice_with_a_mark_is_read_once() -> None:
    from ingest.describe.fields.ocr_subjects import clean_ocr_subject

    assert clean_ocr_subject("về việc phê duyệt trụực thuộc", "") == "về việc phê duyệt trực thuộc"
    assert clean_ocr_subject("thành phổố", "") == "thành phố"
    # "ưu", a roman numeral and a loan word's "oo" are no vowel read twice.
    kept = "ưu đãi khóa XIII cứu trợ xoong"
    assert clean_ocr_subject(kept, "") == kept


def test_a_symbol_cited_in_an_ocr_subject_holds_no_space_and_its_lost_hyphen() -> None:
    from ingest.describe.fields.ocr_subjects import clean_ocr_subject

    assert clean_ocr_subject("Thông tư số 5/2019/TT- BXD", "") == "Thông tư số 5/2019/TT-BXD"
    assert clean_ocr_subject("phòng COVID- 19", "") == "phòng COVID-19"
    assert clean_ocr_subject("Thông tư số 5/2019/TTBXD", "") == "Thông tư số 5/2019/TT-BXD"
    assert clean_ocr_subject("số 5/2005/QĐ. UB", "") == "số 5/2005/QĐ.UB"  # printed with a stop
    assert clean_ocr_subject("kinh tế - xã hội 2016 - 2025", "") == "kinh tế - xã hội 2016 - 2025"


def test_the_address_and_the_enacting_authority_end_an_ocr_subject() -> None:
    from ingest.describe.fields.titles import _TO_START, _is_authority

    assert _TO_START.match('"¬ Kinh gui: Bo Tai chinh') and _TO_START.match("Kinh dui:")
    assert _is_authority("BO O TRUONG BO XAY DUNG")


def test_a_number_after_a_speck_read_as_a_letter_or_two_stops_is_found() -> None:
    from ingest.describe.context import Lines
    from ingest.describe.fields.numbering import find_number_line

    for line in ("Sốẽ12/UBND-VX Hà Nội", "Số:.12/UBND-VX Hà Nội"):
        hit = find_number_line(Lines.of(line))
        assert hit is not None and hit[1]["ns"] == "12/UBND-VX", line


def test_the_legislature_s_term_is_read_by_the_issue_date() -> None:
    from ingest.describe.fields.symbols import repair_term

    # OCR read the term "15" as "IS", "S", "I15"; the Assembly sat in its 15th term.
    assert repair_term("12/NQ-UBTVQHIS", "2025-06-16") == "12/NQ-UBTVQH15"
    assert repair_term("12/NQ-UBTVQHS", "2025-06-16") == "12/NQ-UBTVQH15"
    assert repair_term("12/NQ-UBTVQHI15", "2025-06-16") == "12/NQ-UBTVQH15"
    assert repair_term("12/2020/QH14", "2020-06-17") is None  # read right
    assert repair_term("12/NQ-UBTVQH1S", "2027-01-01") is None  # a term the list does not know
    assert repair_term("24201/QH3", "2012-06-20") is None  # a law's year lost too


def test_a_party_committee_s_letters_are_read_by_the_issuing_body() -> None:
    from ingest.describe.fields.symbols import repair_party_issuer

    assert repair_party_issuer("60-NQ/IW", "BAN CHẤP HÀNH TRUNG ƯƠNG") == "60-NQ/TW"
    assert repair_party_issuer("12-NQ/TV", "TỈNH ỦY") == "12-NQ/TU"
    assert repair_party_issuer("12-NQ/ĐV", "ĐẢNG ỦY XÃ AN HÀ") == "12-NQ/ĐU"
    assert repair_party_issuer("12-NQ/TU", "TỈNH ỦY") is None  # read right
    assert repair_party_issuer("12-NQ/XY", "TỈNH ỦY") is None  # two letters off
    assert repair_party_issuer("12/QĐ-UBND", "TỈNH ỦY") is None  # no Party symbol


def test_a_body_is_vouched_by_the_text_only_as_spelt_with_its_marks() -> None:
    # The header's line is one of the two; a mark OCR misread there is no other.
    text = ("HỘI ĐÔNG KHOA HỌC\nSố: 7-QĐ/HĐKH\nQUYẾT ĐỊNH\n"
            "HỘI ĐỒNG KHOA HỌC quyết định ...")
    assert not is_vouched_body("HỘI ĐÔNG KHOA HỌC", text)
    assert is_vouched_body("HỘI ĐỒNG KHOA HỌC", text.replace("ĐÔNG", "ĐỒNG"))
    assert is_vouched_body("HỘI ĐỒNG KHOA HỌC", text.replace("ĐÔNG", "ĐỒNG")
                           .replace("HỘI ĐỒNG KHOA HỌC quyết", "Hội đồng khoa học quyết"))


def test_a_body_s_pair_of_words_the_language_spells_otherwise_takes_that_spelling() -> None:
    from ingest.describe import describe

    from .conftest import content_of

    header = "\n".join((
        "BỘ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "CỤC AN TOÀN THỤC PHẨM Độc lập - Tự do - Hạnh phúc",
        "Số: 45/ATTP-VP Hà Nội, ngày 12 tháng 3 năm 2024",
        "V/v kiểm tra cơ sở sản xuất",
        "Kính gửi: Các Sở Y tế",
    ))  # fmt: skip
    found = describe(content_of(header, source="ocr"))
    assert found["issuing_body"].value == "CỤC AN TOÀN THỰC PHẨM"
    # A place the gazetteer spells as read is never respelt ("HÀ TĨNH", not "hà tính").
    place = header.replace("CỤC AN TOÀN THỤC PHẨM", "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH")
    assert "HÀ TĨNH" in describe(content_of(place, source="ocr"))["issuing_body"].value
