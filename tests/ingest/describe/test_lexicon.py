"""ingest/describe/lexicon: marks OCR misread, put right by the language's two-syllable words."""

from __future__ import annotations

import pytest

from ingest.describe.lexicon import is_word, retone_by_lexicon


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("hướng dẫn định mức chỉ phí lập quy hoạch", "hướng dẫn định mức chi phí lập quy hoạch"),
        ("Quy định chỉ tiết một số điều", "Quy định chi tiết một số điều"),
        ("theo tỉnh thần công văn", "theo tinh thần công văn"),
        ("về lĩnh vục, thời gian", "về lĩnh vực, thời gian"),
        ("Bạn hành quy tắc", "Ban hành quy tắc"),  # the passage's first word too
        ("đơn vị trục thuộc sở", "đơn vị trực thuộc sở"),
        ("xin mở chỉ nhánh", "xin mở chi nhánh"),  # one syllable changes, never both
        ("QUY ĐỊNH CHẾ ĐỘ CHỈ PHÍ", "QUY ĐỊNH CHẾ ĐỘ CHI PHÍ"),  # in capitals, case kept
    ],
)
def test_a_pair_the_language_spells_otherwise_takes_that_spelling(read: str, meant: str) -> None:
    assert retone_by_lexicon(read) == meant


@pytest.mark.parametrize(
    "right",
    [
        "ủy ban nhân dân tỉnh Lai Châu",  # "dân tỉnh" straddles "nhân dân | tỉnh"
        "trên địa bàn tỉnh trong tháng 3",
        "quyền lợi cho người tham gia",  # a function word is read right
        "Phó Chủ tịch UBND tỉnh tại Thông báo",  # so is the word before one: not "tĩnh tại"
        "quy hoạch sử dụng đất đến năm 2020",
        "quy định mới của Thuy Sĩ",  # a name the lexicon has not: left alone
    ],
)
def test_words_read_right_stay(right: str) -> None:
    assert retone_by_lexicon(right) == right


def test_the_document_spelling_a_pair_as_read_more_often_as_a_name_keeps_it() -> None:
    passage = "ĐỊNH MỨC CHỈ PHÍ LẬP QUY HOẠCH"
    assert retone_by_lexicon(passage, f"{passage}\nChỉ Phí khác\nông Chỉ Phí") == passage
    # Printed as the lexicon spells it as often or more: the lexicon wins.
    document = f"{passage}\nChỉ Phí khác\nchi phí nữa"
    assert retone_by_lexicon(passage, document) == "ĐỊNH MỨC CHI PHÍ LẬP QUY HOẠCH"


def test_a_pair_the_body_prints_as_read_in_lower_case_is_no_name_and_is_respelt() -> None:
    # OCR misreads the same words alike all through a scan: lower-case repeats
    # in the body do not vouch for them.
    passage = "V/v: Hướng dẫn định mức chỉ phí lập quy hoạch"
    document = f"{passage}\nđịnh mức chỉ phí cho lập\nVì vậy chỉ phí quy hoạch\nmức chỉ phí"
    assert retone_by_lexicon(passage, document) == (
        "V/v: Hướng dẫn định mức chi phí lập quy hoạch"
    )


def test_the_lexicon_reads_old_style_tone_placement_as_the_describer_spells() -> None:
    assert is_word("ủy", "ban") and is_word("Hòa", "bình")


def test_a_word_ocr_was_unsure_of_is_respelt_though_the_document_prints_it_so() -> None:
    # On a scan the same misreading repeats in the body: its count vouches for
    # the error unless OCR said it was unsure of the subject's word.
    passage = "ĐỊNH MỨC CHỈ PHÍ LẬP QUY HOẠCH"
    document = f"{passage}\nChỉ Phí khác\nông Chỉ Phí"
    assert retone_by_lexicon(passage, document, frozenset({"chỉ"})) == (
        "ĐỊNH MỨC CHI PHÍ LẬP QUY HOẠCH"
    )
    # Unsure of another word: the document's spelling stands.
    assert retone_by_lexicon(passage, document, frozenset({"lập"})) == passage


def test_a_place_the_gazetteer_spells_as_read_is_never_respelt() -> None:
    passage = "TRỰC THUỘC SỞ Y TẾ LÂM ĐỒNG ĐẾN NĂM 2020"  # not "LÀM ĐỒNG"
    assert retone_by_lexicon(passage, "", frozenset({"lâm"})) == passage


def test_a_pair_misread_on_both_syllables_is_respelt_where_the_document_prints_it() -> None:
    # No spelling of the lexicon keeps either syllable: both change, only where
    # the document itself prints the lexicon's spelling.
    passage = "VIỆC NUÔI CON NUÔI CÓ YÊU TỔ NƯỚC NGOÀI"
    document = f"{passage}\nviệc nuôi con nuôi có yếu tố nước ngoài trên địa bàn"
    assert retone_by_lexicon(passage, document) == "VIỆC NUÔI CON NUÔI CÓ YẾU TỐ NƯỚC NGOÀI"
    assert retone_by_lexicon(passage, passage) == passage
    # OCR unsure of both is not enough: "tinh quặng" is a word, "tỉnh Quảng" a place.
    place = "THUỘC PHẠM VI QUẢN LÝ CỦA TỈNH QUẢNG NINH"
    assert retone_by_lexicon(place, place, frozenset({"tỉnh", "quảng"})) == place


def test_a_word_of_a_place_the_gazetteer_spells_with_its_other_neighbour_is_not_respelt() -> None:
    # "tỉnh thành" is a word, "TỈNH THANH" none; but "THANH HÓA" is a province.
    passage = "TRÊN ĐỊA BÀN TỈNH THANH HÓA"
    assert retone_by_lexicon(passage, passage, frozenset({"thanh"})) == passage


def test_a_function_word_ocr_doubted_may_be_a_misread_word() -> None:
    passage = "thuộc phạm vì chức năng quản lý"
    assert retone_by_lexicon(passage) == passage  # a function word: read right
    assert retone_by_lexicon(passage, passage, {"vì"}, {"vì"}) == (
        "thuộc phạm vi chức năng quản lý"
    )
    # Only unsure, not doubted: left as read.
    assert retone_by_lexicon(passage, passage, {"vì"}) == passage


def test_a_word_that_makes_a_pair_the_document_prints_between_other_words_stays() -> None:
    # "miễn thu" folds as the lexicon's "miễn thứ", but "thu phí" (no word of the
    # lexicon) stands in the body between other words: a phrase of the document.
    subject = "về việc miễn thu phí thẩm định hồ sơ"
    body = f"{subject}\nCác đơn vị không thu phí, lệ phí đối với hồ sơ này."
    assert retone_by_lexicon(subject, body, printed=body) == subject
    assert retone_by_lexicon(subject, body) == "về việc miễn thứ phí thẩm định hồ sơ"
    # Unless OCR read the word unsure in the passage.
    assert "thứ" in retone_by_lexicon(subject, body, unsure={"thu"}, printed=body)
    # The passage repeated, or the pair between the passage's own words, vouches for nothing.
    again = f"{subject}\nQUY CHẾ miễn thu phí thẩm định\nmức thu phí thẩm định cao"
    assert "thứ" in retone_by_lexicon(subject, again, printed=again)
    # Nor a pair with a function word ("của" pairs with any word).
    read = "thuộc phạm vỉ của bộ"
    printed = f"{read}\ntấm vỉ của máy in"
    assert retone_by_lexicon(read, printed=printed) == "thuộc phạm vi của bộ"
