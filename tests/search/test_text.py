"""Folding, query parsing and snippets shared by the search backends."""

from __future__ import annotations

import unicodedata

from search.text import fold, fts5_expression, make_snippet, parse_query, reference_key


def test_fold_strips_diacritics_and_keeps_length() -> None:
    assert fold("Quyết Định ĐỒNG") == "quyet dinh dong"
    decomposed = unicodedata.normalize("NFD", "Quyết định")
    assert fold(decomposed) == "quyet dinh"
    text = "Ủy ban nhân dân tỉnh Lâm Đồng 😀"
    assert len(fold(text)) == len(unicodedata.normalize("NFC", text))


def test_parse_query_words_phrases_and_numbers() -> None:
    parsed = parse_query('phòng "chống lụt" 2284/QĐ-UBND "dangling')
    assert parsed.terms == (("phòng",), ("chống", "lụt"), ("2284", "QĐ", "UBND"), ("dangling",))
    assert parse_query('AND OR NOT NEAR(*) ^: -+').terms == (
        ("AND",), ("OR",), ("NOT",), ("NEAR",)
    )
    assert parse_query("").empty and parse_query("😀 ()").empty


def test_fts5_expression_quotes_every_term() -> None:
    expression = fts5_expression(parse_query("lụt NOT"), "s b", "sf bf")
    assert expression == '({sf bf} : ("lut" AND "not")) OR ({s b} : ("lụt" AND "NOT"))'
    assert fts5_expression(parse_query("lut"), "s", "sf") == '{sf} : ("lut")'


def test_snippet_marks_and_escapes() -> None:
    snippet = make_snippet("A <b> & Quyết định số 5", parse_query("quyet dinh"))
    assert snippet == "A &lt;b&gt; &amp; <mark>Quyết</mark> <mark>định</mark> số 5"
    long = "mở đầu " * 200 + "trọng tâm lụt bão " + "kết thúc " * 200
    snippet = make_snippet(long, parse_query('"lụt bão"'))
    assert "<mark>lụt bão</mark>" in snippet and snippet.startswith("…")
    assert make_snippet("x" * 1000, parse_query("")).endswith("…")


def test_reference_key_ignores_case_spaces_and_diacritics() -> None:
    assert reference_key(" 2284/qđ-UBND ") == reference_key("2284/QD-UBND") == "2284/QD-UBND"


def test_fts5_match_has_no_column_filters() -> None:
    from search.text import fts5_match

    assert fts5_match(parse_query("lụt NOT")) == '("lut" AND "not") OR ("lụt" AND "NOT")'
    assert fts5_match(parse_query("lụt NOT"), boost_exact=False) == '"lut" AND "not"'
    assert fts5_match(parse_query('"chuyen doi so"')) == '"chuyen doi so"'


def test_fts5_exact_only_when_diacritics_were_typed() -> None:
    from search.text import fts5_exact

    assert fts5_exact(parse_query("lụt NOT"), "s b") == '{s b} : ("lụt" AND "NOT")'
    assert fts5_exact(parse_query("lut bao"), "s b") is None


def test_exact_form_reads_tone_placement_and_ocr_eth_as_the_describer_does() -> None:
    from search.text import exact_form

    assert exact_form("Quyết định 68/QĐÐ-UBND") == "Quyết định 68/QĐ-UBND"
    assert exact_form("hoà giải, Uỷ ban") == "hòa giải, Ủy ban"
    assert fold("QĐÐ-UBND hoà") == fold("QĐ-UBND hòa")
