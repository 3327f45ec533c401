"""The embedded search index: SQLite FTS5 in one file, no server.

The tables are described in ``search.sqlite_schema``, how documents are
written in ``search.sqlite_writing``, the filters as FTS5 tags in
``search.sqlite_tags`` and as SQL over ``docs`` in ``search.sqlite_filters``,
finding and ordering hits in ``search.sqlite_query`` and totals and facets in
``search.sqlite_facets``.

Speed at archive scale: a text query, with or without filters, is found,
ranked and counted by FTS5 alone; relevance scores only the newest
``RANK_CANDIDATES`` matches, with no statistics of the whole index (no
bm25); totals are counted up to ``TOTAL_CAP`` (``total_exact=False``
past it) or, far past it, estimated (``total_estimated``); facets of a large
match set are counted over a sample of ``FACET_SAMPLE`` matches, from packed
per-document numbers (``facets_exact=False``), and snippets are made for
the page shown only.  Browsing without text uses the indexes of
``docs``; its total and facets, when it is filtered by at most one value,
come exact from counts kept on write (``search.sqlite_counts``).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import uuid
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from kernel.errors import IndexDamaged, IndexRefused, IndexUnavailable
from search import sqlite_facets, sqlite_query
from search.model import (
    FACET_FIELDS,
    TOTAL_CAP,
    BulkResult,
    IndexDocument,
    MonthlyCount,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SearchResult,
)
from search.query_syntax import ParsedQuery, parse_query
from search.snippets import hit_snippet
from search.sqlite_cache import ReadCache
from search.sqlite_counts import facet_values, kept_filter
from search.sqlite_facet_codes import CombinationNames
from search.sqlite_facets import FACET_LIMIT, NewestMatches, Totals, fts_totals
from search.sqlite_filters import EVERY_ROW, filter_sql, filtered_rows
from search.sqlite_ids import restricted_search
from search.sqlite_months import kept_months
from search.sqlite_query import (
    TextExpressions,
    browse_page,
    date_bounds,
    ranked_page,
    sorted_text_page,
)
from search.sqlite_schema import SCHEMA_VERSION, TABLES, schema
from search.sqlite_tags import EVERY_DOCUMENT, MatchesNothing, filter_expression
from search.sqlite_upgrade import upgrade_waiting
from search.sqlite_writing import remove, write_batch

BATCH_SIZE = 1000
# How long a write waits for another process's write lock (a rebuild, an
# optimize) before it gives up with IndexUnavailable.  Short: the ingest leaves
# its documents pending for docket_index rather than wait (30 s per call made
# a 40-file ingest take 124 s instead of 7).
LOCK_WAIT_SECONDS = 5.0
# SQLite's primary result codes for a file that is no (longer a sound) database.
SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26


def _damaged(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)


class SqliteIndex:
    """``SearchIndex`` on SQLite FTS5; one file at ``path``, created on first use.

    A file written by an older version of this class is brought up to date
    when opened (its FTS table is rebuilt from the stored documents, in one
    transaction: other processes keep reading the old state meanwhile).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._cache = ReadCache()  # documents and counts, while the file is unchanged
        self._names = CombinationNames()  # facet values by combination number
        self._writes = 0  # this connection's write transactions (ReadCache.refresh)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.path, timeout=LOCK_WAIT_SECONDS, isolation_level=None,
                check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA cache_size=-65536")
            self._db.execute("PRAGMA temp_store=MEMORY")
            # Reads come straight from the OS page cache instead of being copied.
            self._db.execute("PRAGMA mmap_size=1073741824")
            if self._version() < SCHEMA_VERSION:
                upgrade_waiting(self._db, restore_seconds=LOCK_WAIT_SECONDS)
        except sqlite3.Error as error:
            if _damaged(error):
                raise IndexDamaged(str(self.path), str(error)) from error
            raise IndexUnavailable(f"cannot open search index {self.path}: {error}") from error
        except OSError as error:
            raise IndexUnavailable(f"cannot open search index {self.path}: {error}") from error

    # ---- plumbing -----------------------------------------------------------------

    @contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._db
            except sqlite3.Error as error:
                if _damaged(error):
                    raise IndexDamaged(str(self.path), str(error)) from error
                raise IndexUnavailable(f"search index {self.path}: {error}") from error

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        finally:
            self._writes += 1
        self._db.execute("COMMIT")

    def _version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

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
                write_batch(self._db, "", batch[start : start + BATCH_SIZE], result)
        return result

    def delete_document(self, doc_id: str) -> None:
        with self._guard(), self._transaction():
            remove(self._db, "", [doc_id])

    def rebuild(self, documents: Iterable[IndexDocument]) -> int:
        """Build fresh tables beside the live ones, then swap them in one transaction.

        Searches keep answering from the old tables until the swap commits.
        A document that cannot be written leaves the old tables in place and
        raises ``IndexRefused`` naming it.
        """
        prefix, token = "rebuild_", uuid.uuid4().hex[:12]
        result = BulkResult()
        with self._guard():
            with self._transaction():
                self._drop(prefix)  # leftovers of an interrupted rebuild
                for statement in schema(prefix, token):
                    self._db.execute(statement)
            batch: dict[str, IndexDocument] = {}
            for doc in documents:
                batch.pop(doc.doc_id, None)
                batch[doc.doc_id] = doc
                if len(batch) >= BATCH_SIZE:
                    with self._transaction():
                        write_batch(self._db, prefix, list(batch.values()), result)
                    batch = {}
            with self._transaction():
                write_batch(self._db, prefix, list(batch.values()), result)
            if result.failed:  # the live tables stay as they were
                with self._transaction():
                    self._drop(prefix)
                raise IndexRefused(result.failed)
            with self._transaction():
                for table in (f"{prefix}fts", f"{prefix}written"):
                    self._db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
            with self._transaction():
                self._drop("")
                for table in TABLES:
                    self._db.execute(f"ALTER TABLE {prefix}{table} RENAME TO {table}")
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._db.execute("ANALYZE docs")
            (count,) = self._db.execute("SELECT count(*) FROM docs").fetchone()
        return int(count)

    def optimize(self) -> None:
        """Merge the full-text index into one segment (``SearchIndex.optimize``).

        Searches get several times faster.

        Every write adds a segment that each search must walk; SQLite merges
        them only partly as it goes.  ``rebuild`` ends with this; after bulk
        loads, and now and then (nightly) on an index fed document by
        document, call it.  It rewrites the FTS table (minutes at a million
        documents); other processes keep searching meanwhile, writers wait.
        """
        with self._guard():
            with self._transaction():
                for table in ("fts", "written"):
                    self._db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
            self._db.execute("PRAGMA optimize")

    def _drop(self, prefix: str) -> None:
        for table in TABLES:
            self._db.execute(f"DROP TABLE IF EXISTS {prefix}{table}")

    # ---- reading ------------------------------------------------------------------

    def get_document(self, doc_id: str) -> IndexDocument | None:
        with self._guard() as db:
            row = db.execute(
                "SELECT x.data FROM docs d JOIN doc_data x ON x.rowid = d.rowid WHERE d.doc_id = ?",
                (doc_id,),
            ).fetchone()
        return IndexDocument.model_validate_json(zlib.decompress(row[0])) if row else None

    def missing(self, doc_ids: Sequence[str]) -> list[str]:
        held: set[str] = set()
        with self._guard() as db:
            for start in range(0, len(doc_ids), 500):
                chunk = list(doc_ids[start : start + 500])
                marks = ",".join("?" * len(chunk))
                held.update(row[0] for row in db.execute(
                    f"SELECT doc_id FROM docs WHERE doc_id IN ({marks})", chunk))
        return [doc_id for doc_id in doc_ids if doc_id not in held]

    def count(self, filters: SearchFilters | None = None) -> int:
        with self._guard() as db:
            self._cache.refresh(db, self._writes)
            return self._count(filters or SearchFilters())

    def _count(self, filters: SearchFilters) -> int:
        """How many documents ``filters`` let through, by the cheapest of four ways."""
        chosen = kept_filter(filters)
        if chosen is not None and filters.max_secrecy >= 0:  # counts kept on write
            return self._cache.kept_counts(self._db, chosen, filters.max_secrecy, [])[0]
        rows = filtered_rows(filters)
        if rows is None:
            return 0
        sql, params = rows
        if sql == EVERY_ROW:  # nothing filtered: SQLite counts the table's pages
            return int(self._db.execute("SELECT count(*) FROM docs").fetchone()[0])
        return int(self._db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])

    def _capped_count(self, filters: SearchFilters) -> tuple[int, bool]:
        """``_count`` up to ``TOTAL_CAP``, and whether that is exact (a browse's total)."""
        rows = filtered_rows(filters)
        if rows is None:
            return 0, True
        sql, params = rows
        (count,) = self._db.execute(
            f"SELECT count(*) FROM ({sql} LIMIT ?)", [*params, TOTAL_CAP + 1]
        ).fetchone()
        return (int(count), True) if count <= TOTAL_CAP else (TOTAL_CAP, False)

    def monthly_counts(self, filters: SearchFilters | None = None) -> list[MonthlyCount]:
        filters = filters or SearchFilters()
        with self._guard() as db:
            kept = kept_months(db, filters)
            if kept is not None:
                return kept
            where, params = filter_sql(filters)
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
        fields = [f for f in dict.fromkeys(query.facets) if f in FACET_FIELDS]
        offset = (query.page - 1) * query.page_size
        with self._guard() as db:
            db.execute("BEGIN")  # one snapshot for hits, total and facets
            self._cache.refresh(db, self._writes)  # before the snapshot's first read
            try:
                try:
                    if query.filters.doc_ids is not None:  # a few given documents
                        rows, totals = restricted_search(db, query, parsed, fields, offset)
                    elif parsed.empty:
                        rows, totals = self._browse(query, fields, offset)
                    else:
                        bounds = date_bounds(db, query.filters)
                        expressions = TextExpressions.build(parsed, query.filters, bounds)
                        rows, totals = self._text_search(expressions, parsed, query, fields,
                                                         offset)
                except MatchesNothing:
                    rows, totals = [], Totals(total=0, facets={})
                documents = self._cache.documents(db, (row[0] for row in rows))
                snippets = self._cache.answer(
                    ("snippets", query.text, tuple(row[0] for row in rows)),
                    lambda: {rowid: hit_snippet(doc, parsed) for rowid, doc in documents.items()},
                ) if query.highlight else {}
            finally:
                db.execute("COMMIT")
        hits = [
            SearchHit(doc_id=documents[rowid].doc_id, score=float(score),
                      document=documents[rowid], snippet=snippets.get(rowid, ""))
            for rowid, score in rows
            if rowid in documents
        ]
        return SearchResult(
            total=totals.total,
            total_exact=totals.total_exact,
            total_estimated=totals.total_estimated,
            hits=hits,
            facets=totals.facets or {},
            facets_exact=totals.facets_exact,
            page=query.page,
            page_size=query.page_size,
        )

    def _browse(
        self, query: SearchQuery, fields: list[str], offset: int
    ) -> tuple[list[tuple[int, float]], Totals]:
        """Page, total and facets of a query without text."""
        where, params = filter_sql(query.filters)
        rows = browse_page(self._db, where, params, query.sort, query.page_size, offset)
        chosen = kept_filter(query.filters)
        if chosen is not None and query.filters.max_secrecy >= 0:
            # The first page and a one-value browse: exact counts kept on write.
            ceiling = query.filters.max_secrecy
            return rows, self._cache.answer(("kept", chosen, ceiling, tuple(fields)),
                                            lambda: self._kept_totals(chosen, ceiling, fields))
        if not fields:
            total, exact = self._capped_count(query.filters)
            return rows, Totals(total=total, total_exact=exact, facets={})
        # Facets over many documents: FTS5 counts and samples, as for a text query.
        bounds = date_bounds(self._db, query.filters)
        expression = filter_expression(query.filters, bounds) or EVERY_DOCUMENT
        return rows, self._cache.answer(("totals", expression, tuple(fields)),
                                        lambda: fts_totals(self._db, expression, fields,
                                                           names=self._names))

    def _kept_totals(self, chosen: tuple[str, str], ceiling: int, fields: list[str]) -> Totals:
        total, counts = self._cache.kept_counts(self._db, chosen, ceiling, fields)
        return Totals(total=total, facets={f: facet_values(counts[f], FACET_LIMIT) for f in fields})

    def _text_search(self, expressions: TextExpressions, parsed: ParsedQuery, query: SearchQuery,
                     fields: list[str], offset: int) -> tuple[list[tuple[int, float]], Totals]:
        """The page and totals of a text query, each kept (``ReadCache.answer``)."""
        matching = expressions.matching
        # The newest matches: relevance's candidates and the facets' sample, walked once.
        newest = NewestMatches(self._db, matching, max(
            sqlite_query.RANK_CANDIDATES, sqlite_facets.FACET_SAMPLE // 2 if fields else 0))
        page_key = ("page", expressions, query.sort, parsed.ranked, query.page_size, offset)
        rows = self._cache.answer(
            page_key, lambda: self._text_page(expressions, parsed, query, offset, newest))
        totals = self._cache.answer(("totals", matching, tuple(fields)),
                                    lambda: fts_totals(self._db, matching, fields, newest,
                                                       self._names))
        return rows, totals

    def _text_page(
        self, expressions: TextExpressions, parsed: ParsedQuery, query: SearchQuery, offset: int,
        newest: NewestMatches,
    ) -> list[tuple[int, float]]:
        if query.sort == "relevance" and parsed.ranked:
            return ranked_page(self._db, expressions, query.page_size, offset, newest)
        # Exclusions only: no word to rank by, so newest first, as a browse.
        sort = "date_desc" if query.sort == "relevance" else query.sort
        return sorted_text_page(self._db, expressions, sort, query.page_size, offset)

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

