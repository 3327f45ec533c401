"""Totals and facet counts of the SQLite index.

A text query's total, and a browse's when it asks for facets, is counted by
FTS5 alone (the MATCH expression holds the filters as tags), up to
``TOTAL_CAP`` matches: past it the total says "more than" (``total_exact``
False), as Elasticsearch does by default.  Counting every match of a common
word walks its whole doclist, tens of milliseconds at a million documents.

Facets need the facet values of the matches.  They are read for a sample: the
newest ``FACET_SAMPLE // 2`` matches (the ones relevance ranks, read once for
both), and below them ``STRATA`` equal slices of the older row ids with as many matches again
read at the start of the slices, an equal share each.  A slice
that holds no more matches than that is read whole and counts exactly; each
other one stands for as many matches as its sample's density says (the
matches it holds per row id, times its row ids).  When every slice was read
whole, total and facets are exact.  Otherwise the facets are those densities
scaled (``facets_exact=False``: the UI shows "about"), and the total is
counted up to ``TOTAL_CAP`` as above unless the sample puts it past
``ESTIMATED_PAST``: then the estimate is the total, rounded to two
significant digits, and says so (``total_estimated``, "about").  Slices all
over the index keep the estimate close where matches cluster in time (a
typhoon's month): the newest matches alone said nothing of the older ones.
The sample is drawn from the same expression as the hits, so it holds
nothing the user may not see.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from search.model import TOTAL_CAP, FacetValue
from search.sqlite_facet_codes import CombinationNames, sampled_values

FACET_LIMIT = 50
# Matches whose facet values are read per faceted search: half the newest, half
# in slices over the older ones.  At a million documents reading them is most
# of a faceted search's time; a value holding a tenth of the matches is then
# estimated typically within 7 per cent (one standard error).
FACET_SAMPLE = 2_000
STRATA = 16
# A total the sample puts past this (and past TOTAL_CAP) is estimated, not counted
# (counting walks TOTAL_CAP matches: 4 ms of CPU at a million documents).  Three
# times the cap: only where even an estimate three times too high leaves the true
# total past the cap does an estimate stand in for the count.
ESTIMATED_PAST = 30_000

Facets = dict[str, list[FacetValue]]


@dataclass(frozen=True)
class Totals:
    """How many documents matched, their facet counts, and which of them are exact."""

    total: int
    total_exact: bool = True
    facets: Facets | None = None
    facets_exact: bool = True
    total_estimated: bool = False  # ``total`` is an estimate ("about"), not a lower bound


class NewestMatches:
    """The newest matches of one expression, walked once for ranking and facets."""

    def __init__(self, db: sqlite3.Connection, expression: str, most: int) -> None:
        self._db, self._expression, self._most = db, expression, most
        self._ids: list[int] | None = None
        self._limit = 0

    def ids(self, count: int) -> list[int]:
        """Row ids of the ``count`` newest matches (fewer: that is all of them)."""
        if self._ids is None or count > self._limit:
            self._limit = max(count, self._most)
            self._ids = [rowid for (rowid,) in self._db.execute(
                "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid DESC LIMIT ?",
                [self._expression, self._limit])]
        return self._ids[:count]


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


# Sampled row ids, each with how many matches it stands for.
Sample = list[tuple[list[int], float]]


def fts_totals(db: sqlite3.Connection, expression: str, fields: list[str],
               newest: NewestMatches | None = None,
               names: CombinationNames | None = None) -> Totals:
    """Total and facets of the matches of ``expression``, and whether they are exact."""
    if not fields:
        total, exact = capped_total(db, expression)
        return Totals(total=total, total_exact=exact, facets={})
    half = max(1, FACET_SAMPLE // 2)
    recent = (newest or NewestMatches(db, expression, half)).ids(half)
    sample: Sample = [(recent, 1.0)]
    if len(recent) == half:
        sample.extend(_older_sample(db, expression, recent[-1], half))
    counts = sampled_values(db, names or CombinationNames(), sample, fields)
    estimate = sum(len(ids) * weight for ids, weight in sample)
    if all(weight == 1.0 for _, weight in sample):  # every match was read
        facets = {field: _top(counts[field], 1.0) for field in fields}
        return Totals(total=round(estimate), facets=facets)
    if estimate > max(ESTIMATED_PAST, TOTAL_CAP):
        facets = {field: _top(counts[field], 1.0) for field in fields}
        return Totals(total=_rounded(estimate), total_exact=False, facets=facets,
                      facets_exact=False, total_estimated=True)
    total, exact = capped_total(db, expression)
    scale = (total if exact else max(TOTAL_CAP + 1, estimate)) / estimate
    facets = {field: _top(counts[field], scale) for field in fields}
    return Totals(total=total, total_exact=exact, facets=facets, facets_exact=False)


def _older_sample(db: sqlite3.Connection, expression: str, below: int, most: int) -> Sample:
    """Up to ``most`` matches under row id ``below``: the first of each of ``STRATA``
    equal slices of those row ids, each slice's with the matches one of them stands for.

    A slice read whole stands for itself (weight 1); one with more matches than
    are read, for more (its matches are denser than one a row id only if read whole).
    """
    (first,) = db.execute("SELECT min(rowid) FROM docs").fetchone()
    if first is None or first >= below:
        return []
    slices = min(STRATA, most, below - first)
    each = most // slices
    bounds = [first + (below - first) * n // slices for n in range(slices + 1)]
    # One statement: FTS5 seeks to each slice's start and stops after each + 1 matches.
    walk = "SELECT * FROM (SELECT {n}, rowid FROM fts WHERE fts MATCH ? AND rowid >= ? AND rowid < ? ORDER BY rowid LIMIT ?)"  # noqa: E501
    found: dict[int, list[int]] = defaultdict(list)
    for slice_number, rowid in db.execute(
        " UNION ALL ".join(walk.format(n=n) for n in range(slices)),
        [v for n in range(slices) for v in (expression, bounds[n], bounds[n + 1], each + 1)],
    ):
        found[slice_number].append(rowid)
    sample: Sample = []
    for n, ids in found.items():
        if len(ids) <= each:
            sample.append((ids, 1.0))  # the whole slice
        else:
            # ``each`` matches over this many row ids: the slice's density.
            spanned = ids[each - 1] - bounds[n] + 1
            sample.append((ids[:each], (bounds[n + 1] - bounds[n]) / spanned))
    return sample


def _rounded(estimate: float) -> int:
    """``estimate`` to two significant digits: 681,140 -> 680,000."""
    digits = max(0, len(str(round(estimate))) - 2)
    return int(round(estimate, -digits))


def _top(counts: dict[Any, float], scale: float) -> list[FacetValue]:
    """The ``FACET_LIMIT`` most frequent non-empty values, most frequent first, their
    counts times ``scale``, rounded (at least 1)."""
    ranked = sorted(((v, c) for v, c in counts.items() if v), key=lambda item: (-item[1], item[0]))
    return [FacetValue(value=v, count=max(1, round(c * scale))) for v, c in ranked[:FACET_LIMIT]]
