"""The SQLite index's kept documents and counts never outlive a change of the file."""

from __future__ import annotations

from pathlib import Path

from search.model import SearchFilters, SearchQuery
from search.sqlite_index import SqliteIndex
from tests.search.contract import CORPUS

HOME = SearchQuery(facets=("doc_type", "direction"))


def _first_page(index: SqliteIndex, max_secrecy: int) -> tuple[int, dict[str, int], list[str]]:
    query = HOME.model_copy(update={"filters": SearchFilters(max_secrecy=max_secrecy)})
    result = index.search(query)
    facets = {f.value: f.count for f in result.facets["direction"]}
    return result.total, facets, [hit.document.subject for hit in result.hits]


def test_a_change_by_another_process_is_seen_by_the_next_read(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    writer, reader = SqliteIndex(path), SqliteIndex(path)
    writer.index_documents(CORPUS)
    total, facets, subjects = _first_page(reader, 0)
    assert _first_page(reader, 0) == (total, facets, subjects)  # read again: the same
    counted = reader.count(SearchFilters(max_secrecy=0))
    # The newest open document gets a new subject, then goes secret.
    newest = next(d for d in sorted(CORPUS, key=lambda d: d.received_at, reverse=True)
                  if d.secrecy == 0)
    renamed = newest.model_copy(update={"subject": "Tiêu đề mới của văn bản"})
    writer.index_documents([renamed])
    assert "Tiêu đề mới của văn bản" in _first_page(reader, 0)[2]
    writer.index_documents([renamed.model_copy(update={"secrecy": 2})])
    after_total, after_facets, after_subjects = _first_page(reader, 0)
    assert after_total == total - 1
    assert sum(after_facets.values()) == sum(facets.values()) - 1
    assert "Tiêu đề mới của văn bản" not in after_subjects
    assert reader.count(SearchFilters(max_secrecy=0)) == counted - 1
    # A cleared officer counts it; their counts were kept apart.
    assert _first_page(reader, 2)[0] == len([d for d in CORPUS if d.secrecy <= 2])
    writer.close()
    reader.close()


def test_a_change_through_the_same_connection_is_seen(tmp_path: Path) -> None:
    index = SqliteIndex(tmp_path / "index.sqlite")
    index.index_documents(CORPUS)
    total = index.search(HOME).total
    index.delete_document(index.search(HOME).hits[0].doc_id)
    assert index.search(HOME).total == total - 1
    assert index.count() == total - 1
    index.close()
