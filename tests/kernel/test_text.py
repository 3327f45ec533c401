from __future__ import annotations

import unicodedata

import pytest

from kernel.text import normalize_text, strip_marks


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà bình", "hòa bình"),
        ("Uỷ ban", "Ủy ban"),
        ("thuỷ lợi", "thủy lợi"),
        ("CỘNG HOÀ", "CỘNG HÒA"),
        ("khoẻ", "khỏe"),
        ("tuỳ", "tùy"),
    ],
)
def test_old_tone_placement_becomes_the_project_form(old: str, new: str) -> None:
    assert normalize_text(old) == new
    assert normalize_text(new) == new


@pytest.mark.parametrize("word", ["quý", "Quỳnh", "hoàng", "thuyền", "hoạch"])
def test_words_whose_mark_is_already_right_are_kept(word: str) -> None:
    assert normalize_text(word) == word


def test_decomposed_input_comes_out_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Lâm Đồng")
    assert normalize_text(decomposed) == "Ủy ban nhân dân tỉnh Lâm Đồng"


def test_fold_strips_marks_and_keeps_length_and_case() -> None:
    text = normalize_text("Số: 2284/QĐ-UBND – Sổ")
    assert strip_marks(text) == "So: 2284/QD-UBND - So"
    assert len(strip_marks(text)) == len(text)


def test_ocr_eth_look_alike_is_read_as_d_with_stroke() -> None:
    # Tesseract printed "Số: 76/QyÐ-UBND" with U+00D0 for a scanned QyĐ.
    assert normalize_text("76/Qy\u00d0-UBND") == "76/QyĐ-UBND"
    assert strip_marks(normalize_text("\u00d0ẢNG")) == "DANG"
    # One printed Đ returned as both letters.
    assert normalize_text("66/QĐ\u00d0-UBND 175-TTr/\u00d0ĐU") == "66/QĐ-UBND 175-TTr/ĐU"
    assert normalize_text("10988/SNNMT-QLĐĐ") == "10988/SNNMT-QLĐĐ"  # two real ones stay
