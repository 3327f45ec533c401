"""Bringing an SQLite index file's tables up to the current schema version.

Run inside the index's write transaction when a file of an older version is
opened (or a new one created): version 2 changed the FTS table, version 3 keeps
facet counts, version 4 keeps the words as written apart (``written``), version 5 keeps
monthly counts (``month_counts``), version 6 each document's facet values as
one number (``facet_sets``, ``facet_blocks``).
"""

from __future__ import annotations

import sqlite3
import zlib

from search.model import IndexDocument
from search.sqlite_counts import fill_counts
from search.sqlite_facet_codes import fill_codes
from search.sqlite_months import fill_months
from search.sqlite_schema import FTS_COLUMNS, SCHEMA_VERSION, schema
from search.sqlite_writing import fts_values

BATCH_SIZE = 1000  # records read back per step of a refill
# How long opening a file of an older version waits for another process that is
# upgrading it (at 1,000,000 documents an upgrade takes a minute or more): the
# second web worker of ``docket serve`` waits for the first rather than fail.
UPGRADE_WAIT_SECONDS = 1800.0


def _version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def upgrade(db: sqlite3.Connection) -> None:
    """Create the tables, or bring an older file's up to date (inside a transaction)."""
    if _version(db) >= SCHEMA_VERSION:
        return  # another process did it while this one waited for the lock
    exists = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'fts'").fetchone()
    version = _version(db)
    old_fts = exists is not None and version < 4
    if old_fts:
        # The FTS tables changed in versions 2 and 4: refill them from doc_data.
        db.execute("DROP TABLE fts")
        db.execute("DROP TABLE IF EXISTS written")
    for statement in schema("", "main"):
        db.execute(statement)
    if old_fts:
        _refill_fts(db)
        for table in ("fts", "written"):
            db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    if exists is not None and version < 3:
        fill_counts(db)  # version 3 keeps facet counts
    if exists is not None and version < 5:
        fill_months(db)  # version 5 keeps monthly counts
    if exists is not None and version < 6:
        fill_codes(db)  # version 6 numbers each document's facet values
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

def upgrade_waiting(db: sqlite3.Connection, *, restore_seconds: float) -> None:
    """``upgrade`` in a write transaction of its own, waiting up to
    ``UPGRADE_WAIT_SECONDS`` for another process upgrading the same file (then
    there is nothing left to do); the connection waits ``restore_seconds`` after."""
    db.execute(f"PRAGMA busy_timeout = {int(UPGRADE_WAIT_SECONDS * 1000)}")
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            upgrade(db)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(restore_seconds * 1000)}")


def _refill_fts(db: sqlite3.Connection) -> None:
    names, marks = ", ".join(FTS_COLUMNS), ",".join("?" * len(FTS_COLUMNS))
    last = 0
    while True:
        rows = db.execute(
            "SELECT rowid, data FROM doc_data WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (last, BATCH_SIZE),
        ).fetchall()
        if not rows:
            return
        values = [
            (rowid, *fts_values(IndexDocument.model_validate_json(zlib.decompress(data))))
            for rowid, data in rows
        ]
        db.executemany(f"INSERT INTO fts (rowid, {names}) VALUES (?,{marks})",
                       [row[:-1] for row in values])
        db.executemany("INSERT INTO written (rowid, words) VALUES (?,?)",
                       [(row[0], row[-1]) for row in values])
        last = rows[-1][0]
