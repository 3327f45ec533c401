"""The SQLite index's facet samples: packed facet numbers, slices, estimated totals."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.model import FACET_FIELDS, SearchFilters, SearchQuery
from search.sqlite_facet_codes import CombinationNames, sampled_values
from search.sqlite_index import SqliteIndex
from search.sqlite_schema import SCHEMA_VERSION
from tests.search.contract import CORPUS, OPEN

SECRET_BODIES = {"CÔNG AN TỈNH LÂM ĐỒNG", "BỘ CHỈ HUY QUÂN SỰ TỈNH LÂM ĐỒNG"}


@pytest.fixture
def index(tmp_path: Path) -> Iterator[SqliteIndex]:
    opened = SqliteIndex(tmp_path / "index.sqlite")
    yield opened
    opened.close()


def _from_docs(db: sqlite3.Connection) -> tuple[list[int], dict[str, Counter[str]]]:
    columns = ", ".join(FACET_FIELDS)
    rows = db.execute(f"SELECT rowid, {columns} FROM docs").fetchall()
    counts = {f: Counter(row[n + 1] or "" for row in rows) for n, f in enumerate(FACET_FIELDS)}
    return [row[0] for row in rows], counts


def _sampled(db: sqlite3.Connection, rowids: list[int]) -> dict[str, Counter[str]]:
    counted = sampled_values(db, CombinationNames(), [(rowids, 1.0)], list(FACET_FIELDS))
    return {field: Counter({v: round(c) for v, c in values.items()})
            for field, values in counted.items()}


def test_packed_numbers_follow_writes_replacements_and_deletes(index: SqliteIndex) -> None:
    index.index_documents(CORPUS)
    moved = [d.model_copy(update={"issuing_body": "SỞ MỚI", "folder": "inbox/moi"})
             for d in CORPUS[:3]]
    index.index_documents(moved)  # replaced: new row ids, new values
    index.delete_document(CORPUS[4].doc_id)
    rowids, expected = _from_docs(index._db)
    assert _sampled(index._db, rowids) == expected
    # Numbers lost (none should be) are read from docs instead.
    index._db.execute("DELETE FROM facet_blocks")
    assert _sampled(index._db, rowids) == expected


def test_an_index_of_version_5_numbers_its_facets_on_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import search.sqlite_facets

    monkeypatch.setattr(search.sqlite_facets, "FACET_SAMPLE", 2)  # facets from the sample
    path = tmp_path / "index.sqlite"
    index = SqliteIndex(path)
    index.index_documents(CORPUS)
    queries = [SearchQuery(text=t, filters=OPEN) for t in ("tỉnh", "phòng", "năm 2025")]
    before = [index.search(q) for q in queries]
    index.close()
    with sqlite3.connect(path) as old:  # as version 5 left it: no facet numbers
        old.executescript("DROP TABLE facet_sets; DROP TABLE facet_blocks;"
                          " PRAGMA user_version = 5;")
    upgraded = SqliteIndex(path)
    assert [upgraded.search(q) for q in queries] == before
    rowids, expected = _from_docs(upgraded._db)
    assert _sampled(upgraded._db, rowids) == expected
    upgraded.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_rebuild_renumbers_and_the_kept_names_follow(
    index: SqliteIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    import search.sqlite_facets

    monkeypatch.setattr(search.sqlite_facets, "FACET_SAMPLE", 2)
    index.index_documents(CORPUS)
    query = SearchQuery(text="tỉnh", filters=OPEN)
    index.search(query)  # the names of the numbers now kept
    renamed = [d.model_copy(update={"issuing_body": f"CƠ QUAN {n}"}) for n, d in
               enumerate(reversed(CORPUS))]
    index.rebuild(renamed)  # new tables: the same numbers may mean other values
    bodies = {v.value for v in index.search(query).facets["issuing_body"]}
    assert bodies and all(body.startswith("CƠ QUAN ") for body in bodies)


def test_very_large_match_sets_have_an_estimated_total_that_says_so(
    index: SqliteIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    import search.sqlite_facets as facets
    import search.sqlite_index

    index.index_documents(CORPUS)
    full = index.search(SearchQuery(text="tỉnh", filters=OPEN, page_size=100))
    for module in (facets, search.sqlite_index):
        monkeypatch.setattr(module, "TOTAL_CAP", 1)
    monkeypatch.setattr(facets, "FACET_SAMPLE", 2)
    monkeypatch.setattr(facets, "ESTIMATED_PAST", 1)
    index = SqliteIndex(index.path)  # no answer kept from before
    about = index.search(SearchQuery(text="tỉnh", filters=OPEN, page_size=100))
    assert about.total_estimated and not about.total_exact and not about.facets_exact
    assert about.total >= 2
    assert [h.doc_id for h in about.hits] == [h.doc_id for h in full.hits]
    values = {v.value for facet in about.facets.values() for v in facet}
    assert values and not values & SECRET_BODIES
    # Past the cap but not past ESTIMATED_PAST: counted, "more than".
    monkeypatch.setattr(facets, "ESTIMATED_PAST", 10**9)
    index = SqliteIndex(index.path)
    more = index.search(SearchQuery(text="tỉnh", filters=OPEN))
    assert (more.total, more.total_exact, more.total_estimated) == (1, False, False)


def test_matches_read_whole_are_counted_exactly(
    index: SqliteIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    import search.sqlite_facets as facets

    index.index_documents(CORPUS)
    full = index.search(SearchQuery(text="tỉnh", filters=SearchFilters()))
    assert full.total >= 3
    # One newest match fewer read than match; the one slice below reads the last one whole.
    monkeypatch.setattr(facets, "FACET_SAMPLE", 2 * (full.total - 1))
    monkeypatch.setattr(facets, "STRATA", 1)
    sampled = SqliteIndex(index.path).search(SearchQuery(text="tỉnh", filters=SearchFilters()))
    assert (sampled.total, sampled.total_exact, sampled.facets_exact) == (full.total, True, True)
    assert sampled.facets == full.facets
