"""The SQLite FTS5 index against the shared contract, plus what only it does."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.errors import IndexUnavailable
from search.index import SearchIndex, open_index
from search.model import SearchQuery
from search.sqlite_index import SqliteIndex
from tests.search.contract import CORPUS, SearchIndexContract


@pytest.fixture
def index(tmp_path: Path) -> Iterator[SqliteIndex]:
    opened = SqliteIndex(tmp_path / "index.sqlite")
    yield opened
    opened.close()


class TestSqliteIndex(SearchIndexContract):
    """Runs every contract test on a fresh SQLite file."""


def test_is_a_search_index(index: SqliteIndex) -> None:
    assert isinstance(index, SearchIndex)


def test_open_index_picks_sqlite(tmp_path: Path) -> None:
    from ingest.settings import Settings

    settings = Settings(root=tmp_path, index="sqlite")
    opened = open_index(settings)
    assert isinstance(opened, SqliteIndex)
    opened.close()


def test_another_process_reads_while_a_writer_writes(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    writer, reader = SqliteIndex(path), SqliteIndex(path)
    writer.index_documents(CORPUS)
    assert reader.count() == len(CORPUS)
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # A rebuild by the writer: the reader answers before, and sees the new data after.
    seen: list[int] = []

    def documents():
        for doc in CORPUS[:4]:
            seen.append(reader.search(SearchQuery(text="sốt xuất huyết")).total)
            yield doc

    writer.rebuild(documents())
    assert seen == [1, 1, 1, 1]
    assert reader.count() == 4
    writer.rebuild(CORPUS)  # a second rebuild must not trip over the first one's names
    assert reader.count() == len(CORPUS)
    writer.close()
    reader.close()


def test_unreachable_file_raises_index_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(IndexUnavailable):
        SqliteIndex(blocker / "index.sqlite")


def test_not_a_database_raises_index_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    path.write_bytes(b"garbage" * 1000)
    with pytest.raises(IndexUnavailable):
        SqliteIndex(path)


def test_iter_all_pages_through_everything(index: SqliteIndex) -> None:
    from tests.search.contract import OPEN, OPEN_IDS

    index.index_documents(CORPUS)
    assert {d.doc_id for d in index.iter_all(SearchQuery(filters=OPEN), batch=3)} == OPEN_IDS


def test_relevance_past_the_candidate_cap_pages_through_every_match(
    index: SqliteIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    import search.sqlite_index as module
    from tests.search.contract import OPEN

    index.index_documents(CORPUS)
    query = SearchQuery(text="tỉnh", filters=OPEN, page_size=100)
    uncapped = index.search(query)
    assert uncapped.total >= 5
    monkeypatch.setattr(module, "RANK_CANDIDATES", 3)
    seen: list[str] = []
    for page in range(1, 5):
        result = index.search(query.model_copy(update={"page": page, "page_size": 2}))
        assert result.total == uncapped.total
        seen.extend(hit.doc_id for hit in result.hits)
    assert len(seen) == len(set(seen)) == uncapped.total
    assert set(seen) == {hit.doc_id for hit in uncapped.hits}


def test_unfiltered_text_search_counts_and_ranks_like_a_filtered_one(index: SqliteIndex) -> None:
    from search.model import SearchFilters

    index.index_documents(CORPUS)
    for text in ("lụt", "phòng chống", '"phòng thủ"', "2284/QĐ-UBND", "lut"):
        alone = index.search(SearchQuery(text=text, facets=()))
        joined = index.search(SearchQuery(text=text, filters=SearchFilters(language="vi")))
        faceted = index.search(SearchQuery(text=text))
        assert alone.total == faceted.total
        vi = {d.doc_id for d in CORPUS if d.language == "vi"}
        assert [h.doc_id for h in alone.hits if h.doc_id in vi] == [h.doc_id for h in joined.hits]
