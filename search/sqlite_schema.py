"""The tables of the SQLite index, one generation at a time.

All in one database file (WAL mode, so a reader process keeps reading while a
writer writes):

- ``docs``: one narrow row per document with the filter and sort columns,
  indexed, for browsing without text (sorted pages, counts, monthly figures).
- ``doc_data``: the whole ``IndexDocument`` as zlib-compressed JSON, read only
  for the page of hits being shown (and to delete a document's FTS entry).
- ``facet_counts``: facet counts per secrecy rank, kept on write
  (``search.sqlite_counts``), for a browse's filter panel.
- ``month_counts``: documents per month received, direction, type and secrecy
  rank, kept on write (``search.sqlite_months``), for monthly figures.
- ``refs``: the numbers/symbols each document cites (the ``reference`` filter).
- ``facet_sets`` and ``facet_blocks``: each document's facet values as one
  number, packed by row id (``search.sqlite_facet_codes``), for facet samples.
- ``fts``: a contentless FTS5 table (the text is in ``doc_data``, not stored
  twice) with the text columns folded (no diacritics, what every query
  matches), and a ``tags`` column holding every filterable value as one token
  (``search.sqlite_tags``), so text queries with filters need FTS5 alone.
- ``written``: the words of subject, body and metadata that are not plain
  ASCII, as written (with their diacritics), in one contentless column with
  neither positions nor columns (``detail=none``).  Only relevance reads it:
  a word typed with its marks ("lụt", flood) ranks the documents holding it
  so above those holding a word folding the same ("lút", submerged).  Version
  3 kept each text column as written with positions: 43% of the index.

Row ids are AUTOINCREMENT: never reused, so a stale FTS entry can never point
at another document, and the newest document has the highest row id.
"""

from __future__ import annotations

import re

from search.sqlite_counts import table_sql
from search.sqlite_facet_codes import tables_sql as codes_tables_sql
from search.sqlite_months import table_sql as months_table_sql

# Bumped whenever the tables or what is written into them change; an index
# file of an older version is rebuilt from its own stored documents on open.
SCHEMA_VERSION = 6
TABLES = ("docs", "doc_data", "refs", "fts", "written", "facet_counts", "month_counts",
          "facet_sets", "facet_blocks")
FTS_COLUMNS = ("subject_f", "body_f", "meta_f", "tags")
# "#" is a token character, so a tag ("#s0") is one token; text has none.
TOKENIZER = "unicode61 remove_diacritics 0 tokenchars '#'"
# A word as that tokenizer cuts text: letters and digits ("_" separates).
WORD = re.compile(r"[^\W_]+")


def schema(prefix: str, token: str) -> list[str]:
    """DDL for one generation of the tables; ``token`` keeps index names unique."""
    p = prefix
    columns = ", ".join(FTS_COLUMNS)
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
        table_sql(p),
        months_table_sql(p),
        *codes_tables_sql(p),
        # columnsize=0: no table of column sizes (only bm25 would read it).
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {p}fts USING fts5(
            {columns}, content='', columnsize=0, tokenize="{TOKENIZER}")""",
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {p}written USING fts5(
            words, content='', columnsize=0, detail=none, tokenize="{TOKENIZER}")""",
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
