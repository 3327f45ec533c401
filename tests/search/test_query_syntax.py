"""The search box's syntax, parsed once for both backends."""

from __future__ import annotations

import re

import pytest

from search.query_syntax import MAX_TERMS, AnyOf, ParsedQuery, Term, parse_query
from tests.search.contract import HOSTILE_QUERIES


def _required(parsed: ParsedQuery) -> list[list[tuple[str, ...]]]:
    return [[term.words for term in group.terms] for group in parsed.required]


def test_words_phrases_and_numbers_are_all_required() -> None:
    parsed = parse_query('phòng "chống lụt" 2284/QĐ-UBND "dangling')
    assert _required(parsed) == [[("phòng",)], [("chống", "lụt")], [("2284", "QĐ", "UBND")],
                                 [("dangling",)]]  # fmt: skip
    assert parsed.excluded == ()
    assert parse_query("").empty and parse_query("😀 ()").empty


def test_or_joins_the_terms_either_side() -> None:
    assert _required(parse_query("quyet OR dinh")) == [[("quyet",), ("dinh",)]]
    assert _required(parse_query('a b OR "c d" OR e f')) == [
        [("a",)], [("b",), ("c", "d"), ("e",)], [("f",)]
    ]
    # Only in capitals and only between two terms; otherwise it is a word.
    assert _required(parse_query("a or b")) == [[("a",)], [("or",)], [("b",)]]
    assert _required(parse_query("OR a")) == [[("OR",)], [("a",)]]
    assert _required(parse_query("a OR")) == [[("a",)], [("OR",)]]
    assert _required(parse_query("a OR -b")) == [[("a",)], [("OR",)]]


def test_prefix_marks_the_last_word() -> None:
    assert parse_query("quyết*").required == (AnyOf((Term(("quyết",), prefix=True),)),)
    assert parse_query("2284/QĐ*").required[0].terms == (Term(("2284", "QĐ"), prefix=True),)
    assert parse_query('"sốt xuất hu"*').required[0].terms[0].prefix
    assert not parse_query("q*").required[0].terms[0].prefix  # too short: the word itself
    assert not parse_query("quyet*dinh").required[0].terms[0].prefix
    assert parse_query("*").empty and parse_query("-*").empty


def test_minus_excludes_words_and_phrases() -> None:
    parsed = parse_query('phòng -lụt -"sốt xuất" -huy* a-b')
    assert _required(parsed) == [[("phòng",)], [("a", "b")]]
    assert parsed.excluded == (Term(("lụt",)), Term(("sốt", "xuất")), Term(("huy",), prefix=True))
    alone = parse_query("-lụt")
    assert not alone.empty and not alone.ranked
    assert parse_query("- lụt").excluded == ()  # a lone "-" is nothing


def test_terms_fold_and_know_their_diacritics() -> None:
    term = Term(("Quyết", "ĐỊNH"))
    assert term.folded == ("quyet", "dinh")
    assert term.has_diacritics and not Term(("QUYET",)).has_diacritics


def test_repeats_are_dropped_and_the_number_of_terms_is_bounded() -> None:
    assert _required(parse_query("lụt lụt LỤT")) == [[("lụt",)], [("LỤT",)]]
    parsed = parse_query(" ".join(f"w{n}" for n in range(100)) + " -x")
    assert len(parsed.required) == MAX_TERMS and parsed.excluded == ()


@pytest.mark.parametrize("text", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_every_word_is_letters_and_digits_only(text: str) -> None:
    parsed = parse_query(text)
    terms = [*parsed.positive_terms(), *parsed.excluded]
    assert len(terms) <= MAX_TERMS
    for term in terms:
        assert term.words
        assert all(re.fullmatch(r"[^\W_]+", word) for word in term.words), term
