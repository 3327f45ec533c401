"""Monthly counts kept on write (``search.sqlite_months``) against a count of ``docs``."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from search.model import SearchFilters
from search.sqlite_index import SqliteIndex
from search.sqlite_months import kept_months
from search.sqlite_schema import SCHEMA_VERSION
from tests.search.contract import CORPUS

# Whole months, by direction and type, each clearance: what the kept table answers.
KEPT = [
    SearchFilters(max_secrecy=level, **extra)
    for level in range(4)
    for extra in ({}, {"direction": "incoming"}, {"doc_type": "Công văn"},
                  {"received_from": date(2025, 1, 1), "received_to": date(2025, 3, 31)},
                  {"received_from": date(2025, 4, 1)}, {"received_to": date(2024, 12, 31)},
                  {"direction": "outgoing", "doc_type": "Quyết định"})
]
# A filter it does not keep: counted from the documents.
SCANNED = [
    SearchFilters(issuing_body="SỞ Y TẾ"),
    SearchFilters(received_from=date(2025, 1, 15)),
    SearchFilters(received_to=date(2025, 3, 30)),
    SearchFilters(doc_type=""),
]


@pytest.fixture
def index(tmp_path: Path) -> Iterator[SqliteIndex]:
    opened = SqliteIndex(tmp_path / "index.sqlite")
    opened.index_documents(CORPUS)
    yield opened
    opened.close()


def scanned(path: Path, filters: SearchFilters) -> list[tuple[str, str, int]]:
    """The figures counted from ``docs`` alone, the way before the kept table."""
    from search.sqlite_filters import filter_sql

    where, params = filter_sql(filters)
    with sqlite3.connect(path) as db:
        rows = db.execute(f"""SELECT substr(d.received_at, 1, 7) AS month,
                                     coalesce(d.direction, ''), count(*)
                              FROM docs d WHERE {where} GROUP BY 1, 2 ORDER BY 1, 2""",
                          params).fetchall()
    return [(m, d, c) for m, d, c in rows]


def answered(index: SqliteIndex, filters: SearchFilters) -> list[tuple[str, str, int]]:
    return [(r.month, r.direction, r.count) for r in index.monthly_counts(filters)]


def test_kept_counts_are_the_documents_counts_after_writes_and_deletes(
        index: SqliteIndex) -> None:
    path = index.path
    with sqlite3.connect(path) as db:
        for filters in KEPT:
            assert kept_months(db, filters) is not None
        for filters in SCANNED:
            assert kept_months(db, filters) is None
    for step in ("loaded", "replaced", "deleted"):
        for filters in KEPT + SCANNED:
            assert answered(index, filters) == scanned(path, filters), (step, filters)
        if step == "loaded":  # the same documents again, one moved to another month
            moved = CORPUS[0].model_copy(update={"received_at": CORPUS[-1].received_at,
                                                 "secrecy": 2})
            index.index_documents([moved, *CORPUS[1:3]])
        else:
            for doc in CORPUS[::2]:
                index.delete_document(doc.doc_id)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM month_counts WHERE n <= 0").fetchone() == (0,)


def test_an_index_of_version_4_counts_its_months_on_open(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    index = SqliteIndex(path)
    index.index_documents(CORPUS)
    before = [answered(index, f) for f in KEPT]
    index.close()
    with sqlite3.connect(path) as old:  # as version 4 left it: no monthly counts
        old.executescript("DROP TABLE month_counts; PRAGMA user_version = 4;")
    upgraded = SqliteIndex(path)
    assert [answered(upgraded, f) for f in KEPT] == before
    upgraded.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("SELECT sum(n) FROM month_counts").fetchone() == (len(CORPUS),)
