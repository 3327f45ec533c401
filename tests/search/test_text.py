"""Folding and snippets shared by the search backends."""

from __future__ import annotations

import unicodedata

from search.query_syntax import parse_query
from search.text import fold, has_match, make_snippet, reference_key


def test_fold_strips_diacritics_and_keeps_length() -> None:
    assert fold("Quyết Định ĐỒNG") == "quyet dinh dong"
    decomposed = unicodedata.normalize("NFD", "Quyết định")
    assert fold(decomposed) == "quyet dinh"
    text = "Ủy ban nhân dân tỉnh Lâm Đồng 😀"
    assert len(fold(text)) == len(unicodedata.normalize("NFC", text))


def test_snippet_marks_and_escapes() -> None:
    snippet = make_snippet("A <b> & Quyết định số 5", parse_query("quyet dinh"))
    assert snippet == "A &lt;b&gt; &amp; <mark>Quyết</mark> <mark>định</mark> số 5"
    long = "mở đầu " * 200 + "trọng tâm lụt bão " + "kết thúc " * 200
    snippet = make_snippet(long, parse_query('"lụt bão"'))
    assert "<mark>lụt bão</mark>" in snippet and snippet.startswith("…")
    assert make_snippet("x" * 1000, parse_query("")).endswith("…")


def test_snippet_marks_prefixes_and_either_side_of_or_but_never_exclusions() -> None:
    text = "Quyết định về phòng chống lụt bão, huyện Đức Trọng"
    snippet = make_snippet(text, parse_query("quy* OR trọng -lụt"))
    assert snippet == ("<mark>Quyết</mark> định về phòng chống lụt bão, huyện Đức "
                       "<mark>Trọng</mark>")
    assert "<mark>" not in make_snippet(text, parse_query("-lụt"))


def test_has_match_reads_the_query_as_the_index_does() -> None:
    text = "Quyết định về phòng chống lụt bão"
    assert has_match(text, parse_query("quyet OR xyz"))
    assert has_match(text, parse_query("phong* -huyen"))
    assert not has_match(text, parse_query("quyet xyz"))  # every word is required
    assert not has_match(text, parse_query("quyet -lut"))
    assert has_match(text, parse_query("-xyz"))


def test_reference_key_ignores_case_spaces_and_diacritics() -> None:
    assert reference_key(" 2284/qđ-UBND ") == reference_key("2284/QD-UBND") == "2284/QD-UBND"


def test_exact_form_reads_tone_placement_and_ocr_eth_as_the_describer_does() -> None:
    from search.text import exact_form

    assert exact_form("Quyết định 68/QĐÐ-UBND") == "Quyết định 68/QĐ-UBND"
    assert exact_form("hoà giải, Uỷ ban") == "hòa giải, Ủy ban"
    assert fold("QĐÐ-UBND hoà") == fold("QĐ-UBND hòa")
