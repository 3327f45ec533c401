"""The parsed query as FTS5 MATCH expressions."""

from __future__ import annotations

import sqlite3

import pytest

from search.query_syntax import parse_query
from search.sqlite_match import (
    as_written_lookups,
    matching_expression,
    required_expression,
    side_by_side_expression,
)
from search.sqlite_schema import schema
from search.sqlite_tags import EVERY_DOCUMENT
from tests.search.contract import HOSTILE_QUERIES


def test_terms_are_quoted_folded_and_joined() -> None:
    parsed = parse_query('Lụt OR "sốt xuất" quyết* -NEAR')
    assert required_expression(parsed) == '("lut" OR "sot xuat") AND "quyet" *'
    assert matching_expression(parsed) == '(("lut" OR "sot xuat") AND "quyet" *) NOT "near"'
    assert matching_expression(parse_query("-a -b")) == f'({EVERY_DOCUMENT}) NOT ("a" OR "b")'


def test_as_written_only_for_terms_typed_with_diacritics() -> None:
    assert as_written_lookups(parse_query("lut bao")) is None
    # A group without diacritics is matched by every candidate: no lookup.
    assert as_written_lookups(parse_query("lụt bao")) == ((("written", '"lụt"'),),)
    assert as_written_lookups(parse_query("lụt* OR x")) == (
        (("written", '"lụt" *'), ("fts", '{subject_f body_f meta_f} : ("x")')),
    )
    # Only the words that are not plain ASCII are kept as written: "ban" is folded.
    assert as_written_lookups(parse_query('"Ủy ban" ba*')) == ((("written", '"Ủy"'),),)
    assert as_written_lookups(parse_query("lụt_bão")) == (
        (("written", '"lụt" AND "bão"'),),
    )


def test_side_by_side_only_for_plain_words() -> None:
    assert side_by_side_expression(parse_query("Phòng chống lụt")) == '"phong chong lut"'
    for text in ("lụt", "a OR b c", "ab cd*", "-a -b"):
        assert side_by_side_expression(parse_query(text)) is None


@pytest.mark.parametrize("text", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_no_user_text_is_an_fts5_syntax_error(text: str) -> None:
    db = sqlite3.connect(":memory:")
    for statement in schema("", "test"):
        db.execute(statement)
    parsed = parse_query(text)
    lookups = [("fts", e) for e in (matching_expression(parsed), side_by_side_expression(parsed))
               if e is not None]
    lookups += [lookup for group in as_written_lookups(parsed) or () for lookup in group]
    for table, expression in lookups:
        db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", [expression]).fetchall()
