"""A search of the SQLite index restricted to given documents (``SearchFilters.doc_ids``).

The ids come from outside the index (the register's tracking state: "what my
unit holds", "what is overdue"), so they cannot be FTS5 tags.  The rows they
name are looked up first, with every other filter and the secrecy ceiling
(``filter_sql``); a text query is then matched by FTS5 over those rows' row id
range only and kept to those rows.  The set is as large as the ids given, never
the archive, so the total and the facets are counted over every match: exact,
and from the same rows as the hits, so nothing above the user's clearance is
counted.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Mapping
from typing import Any

from search.model import SearchQuery
from search.query_syntax import ParsedQuery
from search.sqlite_counts import facet_values
from search.sqlite_facets import FACET_LIMIT, Facets, Totals
from search.sqlite_filters import filter_sql
from search.sqlite_query import ORDER_BY, Rows, TextExpressions, date_bounds, score_rows

_AMONG = "d.rowid IN (SELECT value FROM json_each(?))"


def restricted_search(
    db: sqlite3.Connection, query: SearchQuery, parsed: ParsedQuery, fields: list[str],
    offset: int,
) -> tuple[Rows, Totals]:
    """The page, exact total and exact facets of ``query`` among its ``doc_ids``.

    Raises ``sqlite_tags.MatchesNothing`` when the filters exclude everything.
    """
    where, params = filter_sql(query.filters)
    columns = "".join(f", d.{field}" for field in fields)
    # The facet values come with the rows: one read of docs, counted below.
    found = {row[0]: row[1:] for row in db.execute(
        f"SELECT d.rowid{columns} FROM docs d WHERE {where}", params)}
    matches, sort = list(found), query.sort
    if not parsed.empty:
        expressions = TextExpressions.build(parsed, query.filters,
                                            date_bounds(db, query.filters))
        matches = _matching(db, expressions.matching, found)
    totals = Totals(total=len(matches), facets=_facets([found[m] for m in matches], fields))
    if not parsed.empty and sort == "relevance" and parsed.ranked:
        scores = score_rows(db, expressions, matches)  # every match is a candidate here
        ranked = sorted(scores.items(), key=lambda row: (-row[1], -row[0]))
        return ranked[offset : offset + query.page_size], totals
    order = ORDER_BY["date_desc" if sort == "relevance" else sort]  # no score to rank by
    rows = db.execute(
        f"SELECT d.rowid, 0.0 FROM docs d WHERE {_AMONG} ORDER BY {order} LIMIT ? OFFSET ?",
        [json.dumps(matches), query.page_size, offset],
    ).fetchall()
    return rows, totals


def _matching(db: sqlite3.Connection, expression: str, allowed: Mapping[int, object]) -> list[int]:
    """The rows of ``allowed`` that ``expression`` matches (FTS5 seeks to their range)."""
    if not allowed:
        return []
    found = db.execute(
        "SELECT rowid FROM fts WHERE fts MATCH ? AND rowid BETWEEN ? AND ?",
        [expression, min(allowed), max(allowed)],
    )
    return [rowid for (rowid,) in found if rowid in allowed]


def _facets(rows: list[tuple[Any, ...]], fields: list[str]) -> Facets:
    """Exact facet counts over ``rows``, the values of ``fields`` of every match."""
    values = list(zip(*rows, strict=True)) or [()] * len(fields)  # one tuple per field
    return {field: facet_values(Counter(values[i]), FACET_LIMIT)
            for i, field in enumerate(fields)}
