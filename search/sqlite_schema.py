"""The tables of the SQLite index, one generation at a time.

All in one database file (WAL mode, so a reader process keeps reading while a
writer writes):

- ``docs``: one narrow row per document with the filter and sort columns,
  indexed, for browsing without text (sorted pages, counts, monthly figures).
- ``doc_data``: the whole ``IndexDocument`` as zlib-compressed JSON, read only
  for the page of hits being shown (and to delete a document's FTS entry).
- ``facet_counts``: facet counts per secrecy rank, kept on write
  (``search.sqlite_counts``), for a browse's filter panel.
- ``refs``: the numbers/symbols each document cites (the ``reference`` filter).
- ``fts``: a contentless FTS5 table (the text is in ``doc_data``, not stored
  twice) with each text column twice, as written and folded (no diacritics),
  and a ``tags`` column holding every filterable value as one token
  (``search.sqlite_tags``), so text queries with filters need FTS5 alone.

Row ids are AUTOINCREMENT: never reused, so a stale FTS entry can never point
at another document, and the newest document has the highest row id.
"""

from __future__ import annotations

from search.sqlite_counts import table_sql

# Bumped whenever the tables or what is written into them change; an index
# file of an older version is rebuilt from its own stored documents on open.
SCHEMA_VERSION = 3
TABLES = ("docs", "doc_data", "refs", "fts", "facet_counts")
FTS_COLUMNS = ("subject", "body", "meta", "subject_f", "body_f", "meta_f", "tags")
# "#" is a token character, so a tag ("#s0") is one token; text has none.
TOKENIZER = "unicode61 remove_diacritics 0 tokenchars '#'"


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
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {p}fts USING fts5(
            {columns}, content='', tokenize="{TOKENIZER}")""",
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
