"""Finding and ordering the page of hits in the SQLite index.

A text query is one FTS5 MATCH expression: the parsed query folded
(``search.sqlite_match``), AND-ed with the filters as tags
(``search.sqlite_tags``), so it is found, ordered by row id and counted by
FTS5 alone.  Relevance is computed over the newest
``RANK_CANDIDATES`` matches only; past the cap, the remaining matches follow
newest first.

The score needs nothing from the rest of the index.  bm25 did: its IDF reads
every match of every term, which at a million documents cost as much as
counting them (10-60 ms per common word).  Instead a candidate scores by
where and how it matches (``SIGNALS``): as written, with the user's own
diacritics, above everything; then in the subject; then the words side by
side or in the metadata (number, issuing body, signer); newest first among
equals.  Each signal is one FTS5 query over the candidates' row id range,
which FTS5 seeks to directly (well under a millisecond).

Browsing without text reads ``docs`` through its indexes, already in order.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from search.model import SearchFilters
from search.query_syntax import ParsedQuery
from search.sqlite_facets import NewestMatches
from search.sqlite_match import (
    Lookup,
    as_written_lookups,
    in_columns,
    matching_expression,
    required_expression,
    side_by_side_expression,
)
from search.sqlite_tags import SECRECY_RANK_MAX, DateBounds, restrict

RANK_CANDIDATES = 1000
# Every candidate scores 1 for matching at all, plus the weight of each signal
# it matches.  As written outweighs every folded signal together: "lụt" typed
# with its marks means flood, and "lút" (submerged) folds the same.
ANYWHERE = 1.0
AS_WRITTEN = 10.0
IN_SUBJECT = 4.0
SIDE_BY_SIDE = 2.0
IN_META = 2.0

ORDER_BY = {
    "date_desc": "d.issue_date DESC, d.received_at DESC, d.rowid DESC",
    "date_asc": "d.issue_date IS NULL, d.issue_date ASC, d.received_at ASC, d.rowid ASC",
    "received_desc": "d.received_at DESC, d.rowid DESC",
    "number_asc": "d.reg_year ASC NULLS LAST, d.reg_number ASC NULLS LAST, d.rowid ASC",
}

Rows = list[tuple[int, float]]


@dataclass(frozen=True)
class TextExpressions:
    """The MATCH expressions of one text query."""

    matching: str  # the terms folded, and the filters: which documents match
    # What adds to a candidate's score, each with the filters: (expression, weight).
    signals: tuple[tuple[str, float], ...]
    # The terms as typed, diacritics and all (``as_written_lookups``): worth AS_WRITTEN.
    as_written: tuple[tuple[Lookup, ...], ...] = ()

    @classmethod
    def build(
        cls, parsed: ParsedQuery, filters: SearchFilters, bounds: DateBounds
    ) -> TextExpressions:
        """Raises ``sqlite_tags.MatchesNothing`` when the filters exclude everything."""
        signals: list[tuple[str, float]] = []
        required = required_expression(parsed)
        if required is not None:  # a query of exclusions only has nothing to score
            signals.append((in_columns("subject_f", required), IN_SUBJECT))
            signals.append((in_columns("meta_f", required), IN_META))
        side_by_side = side_by_side_expression(parsed)
        if side_by_side is not None:
            signals.append((side_by_side, SIDE_BY_SIDE))
        matching = restrict(matching_expression(parsed), filters, bounds)
        # Signals count only for candidates (``score_rows``), which match the secrecy
        # clause already: without it FTS5 walks a signal twice as fast.  The other
        # filters stay: where they leave few candidates, FTS5 skips to them.
        cleared = filters.model_copy(update={"max_secrecy": SECRECY_RANK_MAX})
        return cls(
            matching=matching,
            signals=tuple((restrict(e, cleared, bounds), w) for e, w in signals),
            as_written=as_written_lookups(parsed) or (),
        )


def date_bounds(db: sqlite3.Connection, filters: SearchFilters) -> DateBounds:
    """The dates the index holds, when ``filters`` have a date range (read from indexes)."""
    issued = received = None
    if filters.issued_from is not None or filters.issued_to is not None:
        issued = _held(db, "issue_date")
    if filters.received_from is not None or filters.received_to is not None:
        received = _held(db, "received_at")
    return DateBounds(issued=issued, received=received)


def _held(db: sqlite3.Connection, column: str) -> tuple[date, date] | None:
    # Two statements: SQLite reads a lone min() or max() from one end of an
    # index, but scans the whole index for both in one statement.
    (low,) = db.execute(f"SELECT min({column}) FROM docs").fetchone()
    (high,) = db.execute(f"SELECT max({column}) FROM docs").fetchone()
    if low is None or high is None:
        return None
    return date.fromisoformat(low[:10]), date.fromisoformat(high[:10])


def browse_page(
    db: sqlite3.Connection, where: str, params: list[Any], sort: str, size: int, offset: int
) -> Rows:
    """One page of documents matching ``where`` (over ``docs d``), in ``sort`` order."""
    order = ORDER_BY["date_desc" if sort == "relevance" else sort]  # no score to rank by
    return db.execute(
        f"SELECT d.rowid, 0.0 FROM docs d WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, size, offset],
    ).fetchall()


def sorted_text_page(
    db: sqlite3.Connection, expressions: TextExpressions, sort: str, size: int, offset: int
) -> Rows:
    """One page of the matches in a date or number order (no score computed)."""
    return db.execute(
        f"""SELECT d.rowid, 0.0 FROM fts CROSS JOIN docs d ON d.rowid = fts.rowid
            WHERE fts MATCH ? ORDER BY {ORDER_BY[sort]} LIMIT ? OFFSET ?""",
        [expressions.matching, size, offset],
    ).fetchall()


def ranked_page(
    db: sqlite3.Connection, expressions: TextExpressions, size: int, offset: int,
    candidates_from: NewestMatches | None = None,
) -> Rows:
    """One page in relevance order: the newest candidates by score, then the rest.

    FTS5 walks the matches newest first and stops at the LIMIT, so only the
    candidates are ever read (``candidates_from``: a walk the facets share).
    The order is the same for every page.
    """
    newest = "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid DESC LIMIT ? OFFSET ?"
    matching = expressions.matching
    walk = candidates_from or NewestMatches(db, matching, RANK_CANDIDATES)
    ids = walk.ids(RANK_CANDIDATES)
    scores = score_rows(db, expressions, ids)
    candidates = sorted(scores.items(), key=lambda row: (-row[1], -row[0]))  # best, then newest
    page = candidates[offset : offset + size]
    end = offset + size
    if end > RANK_CANDIDATES and len(candidates) == RANK_CANDIDATES:
        skip = max(offset, RANK_CANDIDATES)
        ids = [row[0] for row in db.execute(newest, [matching, end - skip, skip])]
        page.extend(score_rows(db, expressions, ids).items())
    return page


def score_rows(
    db: sqlite3.Connection, expressions: TextExpressions, ids: list[int]
) -> dict[int, float]:
    """The score of each row of ``ids`` (newest first), in the order of ``ids``.

    Each signal is walked over the ids' row id range only (ascending: FTS5
    seeks to the range's start and stops at its end).
    """
    scores = dict.fromkeys(ids, ANYWHERE)
    if not ids:
        return scores
    among = (min(ids), max(ids), json.dumps(ids))
    for expression, weight in expressions.signals:
        for rowid in _among(db, "fts", expression, among):
            scores[rowid] += weight
    if expressions.as_written:
        # Every candidate matches the filters already: the lookups need no tags.
        written = set(scores)
        for need in _written_needs(expressions.as_written):
            found: set[int] = set()
            for table, expression in need:
                found.update(_among(db, table, expression, among))
            written &= found
        for rowid in written:
            scores[rowid] += AS_WRITTEN
    return scores


def _written_needs(groups: tuple[tuple[Lookup, ...], ...]) -> list[tuple[Lookup, ...]]:
    """The as-written groups as few lookups as find the same documents: a candidate
    matches each need when it matches one of the need's lookups.

    The groups looked up in ``written`` alone are one AND query: FTS5 skips
    through the words' lists together and hands back only the rows holding
    all of them (a query per word handed back every row holding each, 2-3 ms
    at a million documents for a common word).  A group that also looks in
    ``fts`` (a term typed without diacritics) stays a need of its own.
    """
    alone = [group for group in groups if all(table == "written" for table, _ in group)]
    needs = [group for group in groups if group not in alone]
    if alone:
        needs.insert(0, (("written", " AND ".join(_either(group) for group in alone)),))
    return needs


def _either(group: tuple[Lookup, ...]) -> str:
    return "(" + " OR ".join(f"({expression})" for _, expression in group) + ")"


def _among(db: sqlite3.Connection, table: str, expression: str,
           among: tuple[int, int, str]) -> list[int]:
    """The candidates (``among``: lowest and highest row id, all as JSON) that match
    ``expression`` in ``table``.  FTS5 walks the row id range only; SQLite drops
    the rows of the range that are no candidates (where filters thin the matches
    out, most of them) without handing them to Python."""
    low, high, ids = among
    return [rowid for (rowid,) in db.execute(
        f"""SELECT rowid FROM {table} WHERE {table} MATCH ? AND rowid BETWEEN ? AND ?
            AND +rowid IN (SELECT value FROM json_each(?))""",
        [expression, low, high, ids])]
