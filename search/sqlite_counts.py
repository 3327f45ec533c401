"""Facet counts kept up to date on write: a browse's filter panel without a scan.

The archivist's first page (no text, perhaps one value chosen) needs the
count of every facet value over up to a million documents; counting them
from ``docs`` or sampling FTS5 at each request took a quarter of a second.
The table ``facet_counts`` holds, per secrecy rank, how many documents have
each facet value, alone (``field_a`` empty) and together with each value of
another facet field (``field_a``/``value_a`` a filter, ``field_b``/``value_b``
a facet): the counts of a browse filtered by at most one value are a sum over
a few hundred rows, exact, and follow the user's clearance (ranks up to
theirs only).  Writes update the table in the same transaction as ``docs``.

A missing value (NULL) is counted as ``""``: every document then counts once
in each field, so a total is the sum over any one field.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from search.model import FACET_FIELDS, FacetValue, SearchFilters

# The table's name without a generation prefix (``search.sqlite_schema``).
TABLE = "facet_counts"
NO_FILTER = ""
# The value of a counted field as it stands in ``docs``, in the order of FACET_FIELDS.
FacetRow = tuple[Any, ...]
Key = tuple[str, str, str, str, int]


def table_sql(prefix: str) -> str:
    return f"""CREATE TABLE IF NOT EXISTS {prefix}{TABLE} (
        field_a TEXT NOT NULL, value_a TEXT NOT NULL,
        field_b TEXT NOT NULL, value_b TEXT NOT NULL,
        secrecy INTEGER NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (field_a, value_a, field_b, value_b, secrecy)) WITHOUT ROWID"""


def _keys(values: FacetRow, secrecy: int) -> Iterable[Key]:
    named = [(field, value or "") for field, value in zip(FACET_FIELDS, values, strict=True)]
    for field_b, value_b in named:
        yield NO_FILTER, "", field_b, value_b, secrecy
        for field_a, value_a in named:
            if field_a != field_b:
                yield field_a, value_a, field_b, value_b, secrecy


def change_counts(
    db: sqlite3.Connection, prefix: str, rows: Sequence[tuple[FacetRow, int]], sign: int
) -> None:
    """Add (``sign`` 1) or take away (-1) documents' facet values, given with their secrecy."""
    if not rows:
        return
    delta: Counter[Key] = Counter()
    for values, secrecy in rows:
        delta.update(_keys(values, secrecy))
    add_counts(db, f"{prefix}{TABLE}", ("field_a", "value_a", "field_b", "value_b", "secrecy"),
               delta, sign)


def add_counts(db: sqlite3.Connection, table: str, key_columns: Sequence[str],
               delta: Counter[Any], sign: int) -> None:
    """Add ``sign`` times each count of ``delta`` (keyed by ``key_columns``) to the
    column ``n`` of ``table``; a row whose count falls to zero goes."""
    columns = ", ".join(key_columns)
    marks = ",".join("?" * (len(key_columns) + 1))
    db.executemany(
        f"""INSERT INTO {table} ({columns}, n) VALUES ({marks})
            ON CONFLICT DO UPDATE SET n = n + excluded.n""",
        [(*key, sign * n) for key, n in delta.items()],
    )
    if sign < 0:
        match = " AND ".join(f"{column} = ?" for column in key_columns)
        db.executemany(f"DELETE FROM {table} WHERE {match} AND n <= 0", list(delta))


def fill_counts(db: sqlite3.Connection) -> None:
    """Count every document of ``docs`` afresh (an index of an older version)."""
    db.execute(f"DELETE FROM {TABLE}")
    columns = ", ".join(FACET_FIELDS)
    last = 0
    while True:
        rows = db.execute(
            f"SELECT rowid, {columns}, secrecy FROM docs WHERE rowid > ? ORDER BY rowid LIMIT 5000",
            (last,),
        ).fetchall()
        if not rows:
            return
        change_counts(db, "", [(tuple(row[1:-1]), row[-1]) for row in rows], 1)
        last = rows[-1][0]


def kept_filter(filters: SearchFilters) -> tuple[str, str] | None:
    """The one value filter the kept counts answer for (``NO_FILTER`` for none).

    None when they cannot answer: a date range, a cited reference, ids, or two values.
    """
    if any(
        value is not None
        for value in (
            filters.reference,
            filters.doc_ids,
            filters.issued_from,
            filters.issued_to,
            filters.received_from,
            filters.received_to,
        )
    ):
        return None
    chosen = [(f, getattr(filters, f)) for f in FACET_FIELDS if getattr(filters, f) is not None]
    if len(chosen) > 1 or any(value == "" for _, value in chosen):
        return None  # "" is no NULL to SQL's "=", but the counts hold both as ""
    return chosen[0] if chosen else (NO_FILTER, "")


def kept_counts(
    db: sqlite3.Connection, chosen: tuple[str, str], max_secrecy: int, fields: Sequence[str]
) -> tuple[int, dict[str, Counter[str]]]:
    """Exact total and facet counts of what ``chosen`` lets through, up to ``max_secrecy``."""
    field_a, value_a = chosen
    # Every document counts once in each field: the total is the sum over one of them.
    counted = next(f for f in FACET_FIELDS if f != field_a)
    wanted = [f for f in dict.fromkeys([*fields, counted]) if f != field_a]
    marks = ",".join("?" * len(wanted))
    rows = db.execute(
        f"""SELECT field_b, value_b, sum(n) FROM {TABLE}
            WHERE field_a = ? AND value_a = ? AND field_b IN ({marks}) AND secrecy <= ?
            GROUP BY field_b, value_b""",
        [field_a, value_a, *wanted, max_secrecy],
    ).fetchall()
    counts: dict[str, Counter[str]] = {field: Counter() for field in wanted}
    for field_b, value_b, n in rows:
        if n:
            counts[field_b][value_b] += int(n)
    total = sum(counts[counted].values())
    if field_a:
        # Rows pair two different fields: the chosen field's own facet is the chosen value.
        counts[field_a] = Counter({value_a: total} if total else {})
    return total, {field: counts[field] for field in fields}


def facet_values(counts: Counter[str], limit: int) -> list[FacetValue]:
    """The ``limit`` most frequent non-empty values, most frequent first."""
    ranked = sorted(((v, c) for v, c in counts.items() if v), key=lambda item: (-item[1], item[0]))
    return [FacetValue(value=v, count=c) for v, c in ranked[:limit]]
