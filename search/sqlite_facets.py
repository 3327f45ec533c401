"""Totals and facet counts of the SQLite index.

A text query's total, and a browse's when it asks for facets, is counted by
FTS5 alone (the MATCH expression holds the filters as tags).  Facets need the
facet columns of every match, one row of ``docs`` per match: past
``FACET_SAMPLE`` matches they are counted over the newest ``FACET_SAMPLE``
only and scaled to the total, and the result says ``facets_exact=False`` (the
UI shows "about").  The sample is drawn from the same expression as the hits,
so it holds nothing the user may not see.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Any

from search.model import FacetValue

FACET_LIMIT = 50
# A row of docs read per sampled match: two thousand keep a faceted search far
# under 100 ms on a busy machine; a value holding a tenth of the matches is
# then estimated typically within 7 per cent (one standard error).
FACET_SAMPLE = 2_000

Facets = dict[str, list[FacetValue]]


def fts_total(db: sqlite3.Connection, expression: str) -> int:
    """How many documents ``expression`` matches (FTS5 alone, no row of ``docs`` read)."""
    return int(db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", [expression]).fetchone()[0])


def fts_totals(
    db: sqlite3.Connection, expression: str, fields: list[str]
) -> tuple[int, Facets, bool]:
    """Total, facets and whether the facets are exact, for the matches of ``expression``."""
    if not fields:
        return fts_total(db, expression), {}, True
    columns = ", ".join(f"d.{f}" for f in fields)
    rows = db.execute(
        f"""SELECT {columns} FROM (SELECT rowid FROM fts WHERE fts MATCH ?
                ORDER BY rowid DESC LIMIT ?) m CROSS JOIN docs d ON d.rowid = m.rowid""",
        [expression, FACET_SAMPLE],
    ).fetchall()
    # Counted here rather than by GROUP BY: no sort of the sample, no loop over
    # every combination of values.
    values = list(zip(*rows, strict=True)) or [()] * len(fields)  # one tuple per field
    facets = {field: _top(Counter(values[i])) for i, field in enumerate(fields)}
    if len(rows) < FACET_SAMPLE:
        return len(rows), facets, True  # every match was read: exact, and no count needed
    total = fts_total(db, expression)
    if total <= len(rows):
        return total, facets, True
    scale = total / len(rows)
    scaled = {
        field: [FacetValue(value=v.value, count=max(1, round(v.count * scale))) for v in values]
        for field, values in facets.items()
    }
    return total, scaled, False


def _top(counts: Counter[Any]) -> list[FacetValue]:
    """The ``FACET_LIMIT`` most frequent non-empty values, most frequent first."""
    ranked = sorted(((v, c) for v, c in counts.items() if v), key=lambda item: (-item[1], item[0]))
    return [FacetValue(value=v, count=c) for v, c in ranked[:FACET_LIMIT]]
