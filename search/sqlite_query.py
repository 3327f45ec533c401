"""Finding and ordering the page of hits in the SQLite index.

A text query is one FTS5 MATCH expression: the folded terms, AND-ed with the
filters as tags (``search.sqlite_tags``), so it is found, ordered by row id
and counted by FTS5 alone.  Relevance is computed over the newest
``RANK_CANDIDATES`` matches only: bm25 walks each scored match's position
lists, so scoring every match of a common word at archive scale is what made
searches slow.  Smaller match sets are ranked exactly; past the cap, the
remaining matches follow newest first.

Browsing without text reads ``docs`` through its indexes, already in order.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from search.model import SearchFilters
from search.sqlite_schema import BM25_WEIGHTS
from search.sqlite_tags import DateBounds, restrict
from search.text import ParsedQuery, fts5_exact, fts5_match

RANK_CANDIDATES = 1000
# bm25's own set-up reads every match of every phrase (for its IDF), so the
# exact forms are not OR-ed into the ranked query, nor are the filter tags:
# the candidates that match as written get their folded score multiplied
# instead (exact columns weigh four times the folded ones, so five times).
EXACT_COLUMNS = "subject body meta"
EXACT_BOOST = 5.0
SCORE = f"bm25(fts, {BM25_WEIGHTS})"

ORDER_BY = {
    "relevance": "score ASC, d.rowid DESC",
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
    scoring: str  # the terms folded alone: what bm25 scores
    exact: str | None  # the terms as written, and the filters (None: typed without marks)

    @classmethod
    def build(
        cls, parsed: ParsedQuery, filters: SearchFilters, bounds: DateBounds
    ) -> TextExpressions:
        """Raises ``sqlite_tags.MatchesNothing`` when the filters exclude everything."""
        scoring = fts5_match(parsed, boost_exact=False)
        exact = fts5_exact(parsed, EXACT_COLUMNS)
        return cls(
            matching=restrict(scoring, filters, bounds),
            scoring=scoring,
            exact=restrict(exact, filters, bounds) if exact is not None else None,
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
    order = ORDER_BY["date_desc" if sort == "relevance" else sort]
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
    db: sqlite3.Connection, expressions: TextExpressions, size: int, offset: int
) -> Rows:
    """One page in relevance order: the newest candidates by score, then the rest.

    FTS5 walks the matches newest first and stops at the LIMIT, so only the
    candidates are ever scored.  The order is the same for every page.
    Candidates matching as written score higher.
    """
    newest = "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid DESC LIMIT ? OFFSET ?"
    matching = expressions.matching
    if matching == expressions.scoring:
        candidates = db.execute(
            f"SELECT rowid, {SCORE} FROM fts WHERE fts MATCH ? ORDER BY rowid DESC LIMIT ?",
            [matching, RANK_CANDIDATES],
        ).fetchall()
    else:
        ids = [row[0] for row in db.execute(newest, [matching, RANK_CANDIDATES, 0])]
        scores = _scores(db, expressions.scoring, ids)
        candidates = [(rowid, scores.get(rowid, 0.0)) for rowid in ids]
    if expressions.exact is not None and candidates:
        # Only the candidates' row id range is walked, without scoring.
        as_written = {
            row[0]
            for row in db.execute(
                "SELECT rowid FROM fts WHERE fts MATCH ? AND rowid BETWEEN ? AND ?",
                [expressions.exact, candidates[-1][0], candidates[0][0]],
            )
        }
        candidates = [(r, s * EXACT_BOOST if r in as_written else s) for r, s in candidates]
    candidates.sort(key=lambda row: (row[1], -row[0]))  # best (lowest) bm25, then newest
    page = [(int(r), float(s)) for r, s in candidates[offset : offset + size]]
    end = offset + size
    if end > RANK_CANDIDATES and len(candidates) == RANK_CANDIDATES:
        skip = max(offset, RANK_CANDIDATES)
        ids = [row[0] for row in db.execute(newest, [matching, end - skip, skip])]
        scores = _scores(db, expressions.scoring, ids)
        page.extend((rowid, scores.get(rowid, 0.0)) for rowid in ids)
    return page


def _scores(db: sqlite3.Connection, scoring: str, ids: list[int]) -> dict[int, float]:
    """bm25 of the rows ``ids`` (newest first) for the text-only expression ``scoring``.

    The ``+`` keeps the id list away from FTS5 (one look-up per id would
    restart the query each time): the range is walked once and bm25 is
    computed for the listed rows only.
    """
    if not ids:
        return {}
    rows = db.execute(
        f"""SELECT rowid, {SCORE} FROM fts WHERE fts MATCH ? AND rowid BETWEEN ? AND ?
            AND +rowid IN (SELECT value FROM json_each(?))""",
        [scoring, ids[-1], ids[0], json.dumps(ids)],
    ).fetchall()
    return {int(r): float(s) for r, s in rows}
