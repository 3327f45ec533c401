"""Snippets: why a document matched, marked and escaped."""

from __future__ import annotations

from search.query_syntax import parse_query
from search.snippets import has_match, make_snippet


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
