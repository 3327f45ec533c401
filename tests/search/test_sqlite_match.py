"""The parsed query as FTS5 MATCH expressions."""

from __future__ import annotations

import sqlite3

import pytest

from search.query_syntax import parse_query
from search.sqlite_match import (
    as_written_expression,
    matching_expression,
    required_expression,
    side_by_side_expression,
)
from search.sqlite_schema import FTS_COLUMNS, TOKENIZER
from search.sqlite_tags import EVERY_DOCUMENT
from tests.search.contract import HOSTILE_QUERIES


def test_terms_are_quoted_folded_and_joined() -> None:
    parsed = parse_query('Lụt OR "sốt xuất" quyết* -NEAR')
    assert required_expression(parsed) == '("lut" OR "sot xuat") AND "quyet" *'
    assert matching_expression(parsed) == '(("lut" OR "sot xuat") AND "quyet" *) NOT "near"'
    assert matching_expression(parse_query("-a -b")) == f'({EVERY_DOCUMENT}) NOT ("a" OR "b")'


def test_as_written_only_for_terms_typed_with_diacritics() -> None:
    assert as_written_expression(parse_query("lut bao")) is None
    assert as_written_expression(parse_query("lụt bao")) == (
        '({subject body meta} : ("lụt")) AND ({subject_f body_f meta_f} : ("bao"))'
    )
    assert as_written_expression(parse_query("lụt* OR x")) == (
        '({subject body meta} : ("lụt" *) OR {subject_f body_f meta_f} : ("x"))'
    )


def test_side_by_side_only_for_plain_words() -> None:
    assert side_by_side_expression(parse_query("Phòng chống lụt")) == '"phong chong lut"'
    for text in ("lụt", "a OR b c", "ab cd*", "-a -b"):
        assert side_by_side_expression(parse_query(text)) is None


@pytest.mark.parametrize("text", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_no_user_text_is_an_fts5_syntax_error(text: str) -> None:
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE fts USING fts5({', '.join(FTS_COLUMNS)}, "
               f"tokenize=\"{TOKENIZER}\")")  # fmt: skip
    parsed = parse_query(text)
    for expression in (matching_expression(parsed), as_written_expression(parsed),
                       side_by_side_expression(parsed)):  # fmt: skip
        if expression is not None:
            db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", [expression]).fetchall()
