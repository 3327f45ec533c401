"""Folding shared by the search backends."""

from __future__ import annotations

import unicodedata

from search.text import fold, reference_key


def test_fold_strips_diacritics_and_keeps_length() -> None:
    assert fold("Quyết Định ĐỒNG") == "quyet dinh dong"
    decomposed = unicodedata.normalize("NFD", "Quyết định")
    assert fold(decomposed) == "quyet dinh"
    text = "Ủy ban nhân dân tỉnh Lâm Đồng 😀"
    assert len(fold(text)) == len(unicodedata.normalize("NFC", text))


def test_reference_key_ignores_case_spaces_and_diacritics() -> None:
    assert reference_key(" 2284/qđ-UBND ") == reference_key("2284/QD-UBND") == "2284/QD-UBND"


def test_exact_form_reads_tone_placement_and_ocr_eth_as_the_describer_does() -> None:
    from search.text import exact_form

    assert exact_form("Quyết định 68/QĐÐ-UBND") == "Quyết định 68/QĐ-UBND"
    assert exact_form("hoà giải, Uỷ ban") == "hòa giải, Ủy ban"
    assert fold("QĐÐ-UBND hoà") == fold("QĐ-UBND hòa")
