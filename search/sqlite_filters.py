"""Filters as SQL over the ``docs`` table: which rows a ``SearchFilters`` lets through.

Used where FTS5 is not the cheapest way (date ranges, browsing, monthly
counts); filters without dates are one FTS5 doclist walk (``search.sqlite_tags``).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from search.model import FACET_FIELDS, SearchFilters
from search.sqlite_tags import DateBounds, filter_expression
from search.text import reference_key

EVERY_ROW = "SELECT rowid FROM docs"  # nothing filtered: counted from the table's pages


def filtered_rows(filters: SearchFilters) -> tuple[str, list[Any]] | None:
    """A SELECT of the row ids ``filters`` let through, read the cheapest way (None: none)."""
    if filters.max_secrecy < 0:
        return None
    dated = any(
        day is not None
        for day in (
            filters.issued_from,
            filters.issued_to,
            filters.received_from,
            filters.received_to,
        )
    )
    if not dated and filters.doc_ids is None:
        # Values and secrecy: one FTS5 doclist walk, no row of docs read
        # (an index scan of docs costs three to four times as much).
        expression = filter_expression(filters, DateBounds(issued=None, received=None))
        if expression is None:
            return EVERY_ROW, []
        return "SELECT rowid FROM fts WHERE fts MATCH ?", [expression]
    # Date ranges: a covering index of docs is read in date order, cheaper
    # than OR-ing the range's year, month and day tags.  Ids: looked up by doc_id.
    where, params = filter_sql(filters)
    return f"SELECT d.rowid FROM docs d WHERE {where}", params


def filter_sql(filters: SearchFilters) -> tuple[str, list[Any]]:
    """A WHERE clause over ``docs d`` for ``filters``; secrecy is always applied."""
    clauses: list[str] = ["d.secrecy <= ?"]
    params: list[Any] = [filters.max_secrecy]
    for field in FACET_FIELDS:
        value = getattr(filters, field)
        if value is not None:
            clauses.append(f"d.{field} = ?")
            params.append(value)
    if filters.reference:
        clauses.append("d.rowid IN (SELECT rowid FROM refs WHERE ref = ?)")
        params.append(reference_key(filters.reference))
    if filters.doc_ids is not None:
        # One parameter however many ids (no limit on bound variables): a JSON array.
        clauses.append("d.doc_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(filters.doc_ids)))
    for column, low, high in (
        ("issue_date", filters.issued_from, filters.issued_to),
        ("received_at", filters.received_from, filters.received_to),
    ):
        if low is not None:
            clauses.append(f"d.{column} >= ?")
            params.append(low.isoformat())
        if high is not None:
            clauses.append(f"d.{column} < ?")  # inclusive: before the next day
            params.append(day_after(high).isoformat())
    return " AND ".join(clauses), params


def day_after(day: date) -> date:
    """The day after ``day`` (a date range's inclusive end, as an exclusive bound)."""
    if isinstance(day, datetime):
        day = day.date()
    return day + timedelta(days=1)
