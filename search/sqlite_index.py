"""The embedded search index: SQLite FTS5 in one file, no server.

Layout (all in one database file, WAL mode so a reader process keeps reading
while a writer writes):

- ``docs``: one narrow row per document with the filter and sort columns,
  indexed, so filters and facet counts never touch the text.
- ``doc_data``: the whole ``IndexDocument`` as zlib-compressed JSON, read only
  for the page of hits being shown.
- ``refs``: the numbers/symbols each document cites (the ``reference`` filter).
- ``fts``: a contentless FTS5 table (the text is in ``doc_data``, not stored
  twice) with each text column twice: as written and folded (no diacritics).
  Queries match folded and score exact matches higher (see ``search.text``).

Speed at archive scale: a text query without filters is found, ranked and
counted by FTS5 alone; relevance scores only the newest ``RANK_CANDIDATES``
matches (see ``_ranked_page``) and snippets are made for the page shown only.
Filters and facets join the matches to ``docs``, which costs in proportion to
the number of matches.

Row ids are AUTOINCREMENT: never reused, so a stale FTS entry can never point
at another document, and every FTS hit is joined to ``docs`` anyway.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import uuid
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ingest.errors import IndexUnavailable
from search.model import (
    FACET_FIELDS,
    SECRECY_LEVELS,
    BulkResult,
    FacetValue,
    IndexDocument,
    MonthlyCount,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SearchResult,
)
from search.text import (
    ParsedQuery,
    exact_form,
    fold,
    fts5_exact,
    fts5_match,
    make_snippet,
    parse_query,
    reference_key,
)

SECRECY_RANK_MAX = len(SECRECY_LEVELS) - 1
# bm25 weights, in the column order of the fts table: the subject counts more
# than the body, and a match as written four times more than a folded one.
BM25_WEIGHTS = "20.0, 4.0, 12.0, 5.0, 1.0, 3.0"
FACET_LIMIT = 50
BATCH_SIZE = 1000
# Relevance is computed over the newest RANK_CANDIDATES matches only: scoring
# costs a walk of each match's position lists, so scoring every match of a
# common word at archive scale is what made searches slow.  Smaller match sets
# are ranked exactly; past the cap, the remaining matches follow newest first.
RANK_CANDIDATES = 1000
# bm25's own set-up reads every match of every phrase (for its IDF), so the
# exact forms are not OR-ed into the ranked query: the candidates that match
# as written get their folded score multiplied instead (exact columns weigh
# four times the folded ones, so five times the score).
EXACT_COLUMNS = "subject body meta"
EXACT_BOOST = 5.0

_ORDER_BY = {
    "relevance": "score ASC, d.rowid DESC",
    "date_desc": "d.issue_date DESC, d.received_at DESC, d.rowid DESC",
    "date_asc": "d.issue_date IS NULL, d.issue_date ASC, d.received_at ASC, d.rowid ASC",
    "received_desc": "d.received_at DESC, d.rowid DESC",
    "number_asc": "d.reg_year ASC NULLS LAST, d.reg_number ASC NULLS LAST, d.rowid ASC",
}


def _schema(prefix: str, token: str) -> list[str]:
    """DDL for one generation of the tables; ``token`` keeps index names unique."""
    p = prefix
    return [
        f"""CREATE TABLE IF NOT EXISTS {p}docs (
            rowid INTEGER PRIMARY KEY AUTOINCREMENT,
            doc_id TEXT NOT NULL UNIQUE,
            direction TEXT, doc_type TEXT, issuing_body TEXT, language TEXT, folder TEXT,
            issue_date TEXT, received_at TEXT NOT NULL, secrecy INTEGER NOT NULL,
            reg_year INTEGER, reg_number INTEGER)""",
        f"CREATE TABLE IF NOT EXISTS {p}doc_data (rowid INTEGER PRIMARY KEY, data BLOB NOT NULL)",
        f"""CREATE TABLE IF NOT EXISTS {p}refs (ref TEXT NOT NULL, rowid INTEGER NOT NULL,
            PRIMARY KEY (ref, rowid)) WITHOUT ROWID""",
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {p}fts USING fts5(
            subject, body, meta, subject_f, body_f, meta_f,
            content='', tokenize='unicode61 remove_diacritics 0')""",
        # Covering indexes: counts, facets and monthly figures are read from an
        # index alone, whichever of the common filters (type, dates) leads.
        f"""CREATE INDEX IF NOT EXISTS ix_{token}_facets ON {p}docs
            (direction, doc_type, issuing_body, language, folder, secrecy)""",
        f"""CREATE INDEX IF NOT EXISTS ix_{token}_type ON {p}docs
            (doc_type, secrecy, direction, issuing_body, language, folder, issue_date)""",
        f"""CREATE INDEX IF NOT EXISTS ix_{token}_issue_cover ON {p}docs
            (issue_date, received_at, secrecy, direction, doc_type, language, folder,
             issuing_body)""",
        f"""CREATE INDEX IF NOT EXISTS ix_{token}_received_cover ON {p}docs
            (received_at, direction, secrecy, doc_type, language, folder, issuing_body)""",
        # Browsing by type, newest first: rows come out of the index already in
        # order, so the first page is read without sorting every match.
        f"""CREATE INDEX IF NOT EXISTS ix_{token}_type_date ON {p}docs
            (doc_type, issue_date, received_at, secrecy)""",
        f"CREATE INDEX IF NOT EXISTS ix_{token}_number ON {p}docs (reg_year, reg_number)",
        f"CREATE INDEX IF NOT EXISTS ix_{token}_refs_row ON {p}refs (rowid)",
    ]


_TABLES = ("docs", "doc_data", "refs", "fts")


def _wall_clock(moment: datetime) -> str:
    # The office's own clock: months and date filters follow the time written
    # on the document, not UTC.
    return moment.replace(tzinfo=None).isoformat(sep="T", timespec="seconds")


def _text_columns(doc: IndexDocument) -> tuple[str, ...]:
    meta = " ".join(
        part
        for part in (
            doc.number_symbol,
            doc.issuing_body,
            doc.original_name,
            doc.signer_name,
            " ".join(doc.references),
        )
        if part
    )
    exact = tuple(exact_form(t) for t in (doc.subject, doc.body, meta))
    return exact + tuple(fold(t) for t in exact)


class SqliteIndex:
    """``SearchIndex`` on SQLite FTS5; one file at ``path``, created on first use."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA cache_size=-65536")
            self._db.execute("PRAGMA temp_store=MEMORY")
            # Reads come straight from the OS page cache instead of being copied.
            self._db.execute("PRAGMA mmap_size=1073741824")
            with self._transaction():
                for statement in _schema("", "main"):
                    self._db.execute(statement)
        except (OSError, sqlite3.Error) as error:
            raise IndexUnavailable(f"cannot open search index {self.path}: {error}") from error

    # ---- plumbing -----------------------------------------------------------------

    @contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._db
            except sqlite3.Error as error:
                raise IndexUnavailable(f"search index {self.path}: {error}") from error

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            # Keeps the planner's statistics fresh, cheaply (SQLite's advice).
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("PRAGMA optimize")
            self._db.close()

    # ---- writing ------------------------------------------------------------------

    def index_documents(self, documents: Sequence[IndexDocument]) -> BulkResult:
        """Add or replace documents; committed (visible) on return."""
        result = BulkResult()
        latest = {doc.doc_id: doc for doc in documents}  # the last copy of an id wins
        batch = list(latest.values())
        with self._guard(), self._transaction():
            for start in range(0, len(batch), BATCH_SIZE):
                self._write_batch("", batch[start : start + BATCH_SIZE], result)
        return result

    def _write_batch(self, prefix: str, batch: list[IndexDocument], result: BulkResult) -> None:
        db = self._db
        self._remove(prefix, [doc.doc_id for doc in batch])
        fts_rows: list[tuple[Any, ...]] = []
        data_rows: list[tuple[Any, ...]] = []
        ref_rows: list[tuple[str, Any]] = []
        for doc in batch:
            try:
                data = zlib.compress(doc.model_dump_json().encode(), 6)
                columns = _text_columns(doc)
            except (ValueError, TypeError) as error:
                result.failed[doc.doc_id] = f"cannot serialise: {error}"
                continue
            cursor = db.execute(
                f"""INSERT INTO {prefix}docs (doc_id, direction, doc_type, issuing_body,
                    language, folder, issue_date, received_at, secrecy, reg_year, reg_number)
                    VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
                (
                    doc.doc_id,
                    doc.direction,
                    doc.doc_type,
                    doc.issuing_body,
                    doc.language,
                    doc.folder,
                    doc.issue_date.isoformat() if doc.issue_date else None,
                    _wall_clock(doc.received_at),
                    doc.secrecy,
                    doc.registration_year,
                    doc.registration_number,
                ),
            )
            rowid = cursor.lastrowid
            fts_rows.append((rowid, *columns))
            data_rows.append((rowid, data))
            ref_rows.extend({(reference_key(r), rowid) for r in doc.references if r.strip()})
            result.indexed.append(doc.doc_id)
        db.executemany(
            f"""INSERT INTO {prefix}fts (rowid, subject, body, meta, subject_f, body_f, meta_f)
                VALUES (?,?,?,?,?,?,?)""",
            fts_rows,
        )
        db.executemany(f"INSERT INTO {prefix}doc_data (rowid, data) VALUES (?,?)", data_rows)
        db.executemany(f"INSERT OR IGNORE INTO {prefix}refs (ref, rowid) VALUES (?,?)", ref_rows)

    def _remove(self, prefix: str, doc_ids: list[str]) -> None:
        """Delete documents by id, FTS entries included (inside the caller's transaction)."""
        db = self._db
        for start in range(0, len(doc_ids), 500):
            chunk = doc_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = db.execute(
                f"""SELECT d.rowid, x.data FROM {prefix}docs d
                    LEFT JOIN {prefix}doc_data x ON x.rowid = d.rowid
                    WHERE d.doc_id IN ({marks})""",
                chunk,
            ).fetchall()
            for rowid, data in rows:
                if data is not None:
                    # A contentless FTS table forgets a row only when given the
                    # values it indexed; they are rebuilt from the stored document.
                    old = IndexDocument.model_validate_json(zlib.decompress(data))
                    db.execute(
                        f"""INSERT INTO {prefix}fts ({prefix}fts, rowid, subject, body, meta,
                            subject_f, body_f, meta_f) VALUES ('delete',?,?,?,?,?,?,?)""",
                        (rowid, *_text_columns(old)),
                    )
                for table in ("docs", "doc_data"):
                    db.execute(f"DELETE FROM {prefix}{table} WHERE rowid = ?", (rowid,))
                db.execute(f"DELETE FROM {prefix}refs WHERE rowid = ?", (rowid,))

    def delete_document(self, doc_id: str) -> None:
        with self._guard(), self._transaction():
            self._remove("", [doc_id])

    def rebuild(self, documents: Iterable[IndexDocument]) -> int:
        """Build fresh tables beside the live ones, then swap them in one transaction.

        Searches keep answering from the old tables until the swap commits.
        """
        prefix, token = "rebuild_", uuid.uuid4().hex[:12]
        result = BulkResult()
        with self._guard():
            with self._transaction():
                self._drop(prefix)  # leftovers of an interrupted rebuild
                for statement in _schema(prefix, token):
                    self._db.execute(statement)
            batch: dict[str, IndexDocument] = {}
            for doc in documents:
                batch.pop(doc.doc_id, None)
                batch[doc.doc_id] = doc
                if len(batch) >= BATCH_SIZE:
                    with self._transaction():
                        self._write_batch(prefix, list(batch.values()), result)
                    batch = {}
            with self._transaction():
                self._write_batch(prefix, list(batch.values()), result)
                self._drop("")
                for table in _TABLES:
                    self._db.execute(f"ALTER TABLE {prefix}{table} RENAME TO {table}")
            self._db.execute("ANALYZE docs")
            (count,) = self._db.execute("SELECT count(*) FROM docs").fetchone()
        return int(count)

    def _drop(self, prefix: str) -> None:
        for table in _TABLES:
            self._db.execute(f"DROP TABLE IF EXISTS {prefix}{table}")

    # ---- reading ------------------------------------------------------------------

    def get_document(self, doc_id: str) -> IndexDocument | None:
        with self._guard() as db:
            row = db.execute(
                "SELECT x.data FROM docs d JOIN doc_data x ON x.rowid = d.rowid WHERE d.doc_id = ?",
                (doc_id,),
            ).fetchone()
        return IndexDocument.model_validate_json(zlib.decompress(row[0])) if row else None

    def count(self, filters: SearchFilters | None = None) -> int:
        where, params = _filter_sql(filters or SearchFilters())
        with self._guard() as db:
            (total,) = db.execute(f"SELECT count(*) FROM docs d WHERE {where}", params).fetchone()
        return int(total)

    def monthly_counts(self, filters: SearchFilters | None = None) -> list[MonthlyCount]:
        where, params = _filter_sql(filters or SearchFilters())
        with self._guard() as db:
            rows = db.execute(
                f"""SELECT substr(d.received_at, 1, 7) AS month, d.direction, count(*)
                    FROM docs d WHERE {where} GROUP BY month, d.direction
                    ORDER BY month, d.direction""",
                params,
            ).fetchall()
        return [MonthlyCount(month=m, direction=dr or "", count=c) for m, dr, c in rows]

    def search(self, query: SearchQuery) -> SearchResult:
        """Hits, total and facets for ``query``; never raises for what a user typed."""
        parsed = parse_query(query.text)
        where, params = _filter_sql(query.filters)
        facet_fields = [f for f in dict.fromkeys(query.facets) if f in FACET_FIELDS]
        offset = (query.page - 1) * query.page_size
        with self._guard() as db:
            db.execute("BEGIN")  # one snapshot for hits, total and facets
            try:
                if parsed.empty:
                    sort = "date_desc" if query.sort == "relevance" else query.sort
                    rows = db.execute(
                        f"""SELECT d.rowid, 0.0 FROM docs d WHERE {where}
                            ORDER BY {_ORDER_BY[sort]} LIMIT ? OFFSET ?""",
                        [*params, query.page_size, offset],
                    ).fetchall()
                    total, facets = self._totals("docs d", where, params, facet_fields)
                else:
                    rows, total, facets = self._text_search(
                        parsed, query, where, params, facet_fields, offset
                    )
                documents = self._load(row[0] for row in rows)
            finally:
                db.execute("COMMIT")
        hits = [
            SearchHit(
                doc_id=documents[rowid].doc_id,
                score=-float(raw) or 0.0,
                document=documents[rowid],
                snippet=_snippet(documents[rowid], parsed) if query.highlight else "",
            )
            for rowid, raw in rows
            if rowid in documents
        ]
        return SearchResult(
            total=total, hits=hits, facets=facets, page=query.page, page_size=query.page_size
        )

    def _text_search(
        self,
        parsed: ParsedQuery,
        query: SearchQuery,
        where: str,
        params: list[Any],
        facet_fields: list[str],
        offset: int,
    ) -> tuple[list[tuple[int, float]], int, dict[str, list[FacetValue]]]:
        """The page of (rowid, raw bm25), the total and the facets of a text query."""
        db = self._db
        counted = fts5_match(parsed, boost_exact=False)
        exact = fts5_exact(parsed, EXACT_COLUMNS)
        score = f"bm25(fts, {BM25_WEIGHTS})"
        joined = "fts CROSS JOIN docs d ON d.rowid = fts.rowid"
        where = f"fts MATCH ? AND {where}"
        # Nothing to filter on: FTS5 alone finds and counts, no row of docs is read.
        alone = _only_fts(query.filters)
        if query.sort != "relevance":
            rows = db.execute(
                f"""SELECT d.rowid, {score} AS score FROM {joined} WHERE {where}
                    ORDER BY {_ORDER_BY[query.sort]} LIMIT ? OFFSET ?""",
                [fts5_match(parsed), *params, query.page_size, offset],
            ).fetchall()
        elif alone:
            rows = self._ranked_page(
                f"SELECT rowid, {score} FROM fts WHERE fts MATCH ? ORDER BY rowid DESC",
                [counted],
                offset,
                query.page_size,
                exact,
            )
        else:
            rows = self._ranked_page(
                f"SELECT fts.rowid, {score} FROM {joined} WHERE {where} ORDER BY fts.rowid DESC",
                [counted, *params],
                offset,
                query.page_size,
                exact,
            )
        if alone and not facet_fields:
            return rows, self._totals("fts", "fts MATCH ?", [counted], [])[0], {}
        total, facets = self._totals(joined, where, [counted, *params], facet_fields)
        return rows, total, facets

    def _ranked_page(
        self, newest_first: str, params: list[Any], offset: int, size: int, exact: str | None
    ) -> list[tuple[int, float]]:
        """One page in relevance order: the newest candidates by score, then the rest.

        ``newest_first`` selects (rowid, raw bm25) of every match, newest first;
        FTS5 walks it in rowid order and stops at the LIMIT, so only the rows
        fetched are ever scored.  The order is the same for every page.
        Candidates matching ``exact`` (the terms as written) score higher.
        """
        candidates = self._db.execute(
            f"{newest_first} LIMIT ?", [*params, RANK_CANDIDATES]
        ).fetchall()
        if exact is not None and candidates:
            # Only the candidates' rowid range is walked, without scoring.
            as_written = {
                row[0]
                for row in self._db.execute(
                    "SELECT rowid FROM fts WHERE fts MATCH ? AND rowid BETWEEN ? AND ?",
                    [exact, candidates[-1][0], candidates[0][0]],
                )
            }
            candidates = [(r, s * EXACT_BOOST if r in as_written else s) for r, s in candidates]
        candidates.sort(key=lambda row: (row[1], -row[0]))  # best (lowest) bm25, then newest
        page = [(int(r), float(s)) for r, s in candidates[offset : offset + size]]
        end = offset + size
        if end > RANK_CANDIDATES and len(candidates) == RANK_CANDIDATES:
            skip = max(offset, RANK_CANDIDATES)
            page.extend(
                self._db.execute(
                    f"{newest_first} LIMIT ? OFFSET ?", [*params, end - skip, skip]
                ).fetchall()
            )
        return page

    def iter_all(self, query: SearchQuery, batch: int = 1000) -> Iterator[IndexDocument]:
        """Every matching document in the query's order (for exports), page by page."""
        page = 1
        while True:
            step = query.model_copy(
                update={"page": page, "page_size": batch, "facets": (), "highlight": False}
            )
            hits = self.search(step).hits
            yield from (hit.document for hit in hits)
            if len(hits) < batch:
                return
            page += 1

    def _totals(
        self, source: str, where: str, params: list[Any], fields: list[str]
    ) -> tuple[int, dict[str, list[FacetValue]]]:
        if not fields:
            sql = f"SELECT count(*) FROM {source} WHERE {where}"
            return int(self._db.execute(sql, params).fetchone()[0]), {}
        # One pass: counts per combination of the facet columns, summed per field.
        columns = ", ".join(f"d.{f}" for f in fields)
        combos = self._db.execute(
            f"SELECT {columns}, count(*) FROM {source} WHERE {where} GROUP BY {columns}", params
        ).fetchall()
        total = 0
        counts: dict[str, dict[str, int]] = {f: {} for f in fields}
        for combo in combos:
            n = combo[-1]
            total += n
            for field, value in zip(fields, combo, strict=False):
                if value:
                    counts[field][value] = counts[field].get(value, 0) + n
        facets = {
            field: [
                FacetValue(value=v, count=c)
                for v, c in sorted(values.items(), key=lambda item: (-item[1], item[0]))[
                    :FACET_LIMIT
                ]
            ]
            for field, values in counts.items()
        }
        return total, facets

    def _load(self, rowids: Iterable[int]) -> dict[int, IndexDocument]:
        wanted = list(rowids)
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self._db.execute(
            f"SELECT rowid, data FROM doc_data WHERE rowid IN ({marks})", wanted
        ).fetchall()
        return {r: IndexDocument.model_validate_json(zlib.decompress(d)) for r, d in rows}


def _snippet(doc: IndexDocument, parsed: ParsedQuery) -> str:
    if parsed.empty or not doc.body:
        return make_snippet(doc.body or doc.subject, parsed)
    snippet = make_snippet(doc.body, parsed)
    # Matched only in the subject: show the subject highlighted instead.
    return snippet if "<mark>" in snippet else make_snippet(doc.subject, parsed) or snippet


def _only_fts(filters: SearchFilters) -> bool:
    """True when ``filters`` exclude nothing, so a text query needs no join to ``docs``."""
    unfiltered = SearchFilters(max_secrecy=filters.max_secrecy)
    return filters.max_secrecy >= SECRECY_RANK_MAX and filters == unfiltered


def _filter_sql(filters: SearchFilters) -> tuple[str, list[Any]]:
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
    for column, low, high in (
        ("issue_date", filters.issued_from, filters.issued_to),
        ("received_at", filters.received_from, filters.received_to),
    ):
        if low is not None:
            clauses.append(f"d.{column} >= ?")
            params.append(low.isoformat())
        if high is not None:
            clauses.append(f"d.{column} < ?")  # inclusive: before the next day
            params.append(_day_after(high).isoformat())
    return " AND ".join(clauses), params


def _day_after(day: date) -> date:
    if isinstance(day, datetime):
        day = day.date()
    return day + timedelta(days=1)
