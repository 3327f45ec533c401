"""Totals and facet counts of the SQLite index.

A text query's total, and a browse's when it asks for facets, is counted by
FTS5 alone (the MATCH expression holds the filters as tags), up to
``TOTAL_CAP`` matches: past it the total says "more than" (``total_exact``
False), as Elasticsearch does by default.  Counting every match of a common
word walks its whole doclist, tens of milliseconds at a million documents.

Facets need the facet columns of every match, one row of ``docs`` per match:
past ``FACET_SAMPLE`` matches they are counted over the newest
``FACET_SAMPLE`` only and scaled to the number of matches, and the result
says ``facets_exact=False`` (the UI shows "about").  Past the cap that number
is itself estimated, from how densely the sampled matches lie among the row
ids.  The sample is drawn from the same expression as the hits, so it holds
nothing the user may not see.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import Any

from search.model import TOTAL_CAP, FacetValue

FACET_LIMIT = 50
# A row of docs read per sampled match: two thousand keep a faceted search far
# under 100 ms on a busy machine; a value holding a tenth of the matches is
# then estimated typically within 7 per cent (one standard error).
FACET_SAMPLE = 2_000

Facets = dict[str, list[FacetValue]]


@dataclass(frozen=True)
class Totals:
    """How many documents matched, their facet counts, and which of them are exact."""

    total: int
    total_exact: bool = True
    facets: Facets | None = None
    facets_exact: bool = True


def fts_total(db: sqlite3.Connection, expression: str) -> int:
    """How many documents ``expression`` matches, exactly (FTS5 alone)."""
    return int(db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", [expression]).fetchone()[0])


def capped_total(db: sqlite3.Connection, expression: str) -> tuple[int, bool]:
    """How many documents ``expression`` matches, counted up to ``TOTAL_CAP``; exact or not.

    FTS5 alone, no row of ``docs`` read; FTS5 stops at the LIMIT.
    """
    (count,) = db.execute(
        "SELECT count(*) FROM (SELECT rowid FROM fts WHERE fts MATCH ? LIMIT ?)",
        [expression, TOTAL_CAP + 1],
    ).fetchone()
    return (int(count), True) if count <= TOTAL_CAP else (TOTAL_CAP, False)


def fts_totals(db: sqlite3.Connection, expression: str, fields: list[str]) -> Totals:
    """Total and facets of the matches of ``expression``, and whether they are exact."""
    if not fields:
        total, exact = capped_total(db, expression)
        return Totals(total=total, total_exact=exact, facets={})
    columns = ", ".join(f"d.{f}" for f in fields)
    rows = db.execute(
        f"""SELECT m.rowid, {columns} FROM (SELECT rowid FROM fts WHERE fts MATCH ?
                ORDER BY rowid DESC LIMIT ?) m CROSS JOIN docs d ON d.rowid = m.rowid""",
        [expression, FACET_SAMPLE],
    ).fetchall()
    # Counted here rather than by GROUP BY: no sort of the sample, no loop over
    # every combination of values.
    rowids, *values = list(zip(*rows, strict=True)) or [()] * (len(fields) + 1)
    facets = {field: _top(Counter(values[i])) for i, field in enumerate(fields)}
    if len(rows) < FACET_SAMPLE:
        return Totals(total=len(rows), facets=facets)  # every match was read: no count needed
    total, exact = capped_total(db, expression)
    if exact and total <= len(rows):
        return Totals(total=total, facets=facets)
    matches = total if exact else _estimated_matches(db, len(rows), min(rowids), max(rowids))
    scale = matches / len(rows)
    scaled = {
        field: [FacetValue(value=v.value, count=max(1, round(v.count * scale))) for v in values]
        for field, values in facets.items()
    }
    return Totals(total=total, total_exact=exact, facets=scaled, facets_exact=False)


def _estimated_matches(db: sqlite3.Connection, sampled: int, low: int, high: int) -> int:
    """About how many documents match, when more than ``TOTAL_CAP`` do, from the
    ``sampled`` newest matches, row ids ``low`` to ``high``.

    The sampled matches are assumed to lie as densely among the row ids (the
    order of indexing) as all the others: an estimate, for facet counts already
    marked "about", and read from the sample (a second walk of the newest
    ``TOTAL_CAP`` matches cost a text query at a million documents 2-6 ms more;
    ``FACET_SAMPLE`` matches put the density within a few per cent).
    """
    (first,) = db.execute("SELECT min(rowid) FROM docs").fetchone()
    if first is None:
        return TOTAL_CAP + 1
    return max(TOTAL_CAP + 1, round(sampled * (high - first + 1) / (high - low + 1)))


def _top(counts: Counter[Any]) -> list[FacetValue]:
    """The ``FACET_LIMIT`` most frequent non-empty values, most frequent first."""
    ranked = sorted(((v, c) for v, c in counts.items() if v), key=lambda item: (-item[1], item[0]))
    return [FacetValue(value=v, count=c) for v, c in ranked[:FACET_LIMIT]]
