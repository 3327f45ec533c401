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


def _text_search(index: SqliteIndex, max_secrecy: int) -> tuple[int, dict[str, int], list[str]]:
    query = SearchQuery(text="tỉnh", filters=SearchFilters(max_secrecy=max_secrecy))
    result = index.search(query)
    facets = {f.value: f.count for f in result.facets["direction"]}
    return result.total, facets, [f"{h.doc_id} {h.snippet}" for h in result.hits]


def _fresh(path: Path, max_secrecy: int) -> tuple[int, dict[str, int], list[str]]:
    """The answer of a new connection, which has nothing kept."""
    index = SqliteIndex(path)
    try:
        return _text_search(index, max_secrecy)
    finally:
        index.close()


def test_a_text_query_kept_answer_follows_changes_and_clearance(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    writer, reader = SqliteIndex(path), SqliteIndex(path)
    writer.index_documents(CORPUS)
    open_answer = _text_search(reader, 0)
    assert _text_search(reader, 0) == open_answer == _fresh(path, 0)  # kept: the same
    # Another clearance is another question: the secret matches count for the officer only.
    assert _text_search(reader, 3) == _fresh(path, 3)
    assert _text_search(reader, 3)[0] > open_answer[0]
    assert _text_search(reader, 0) == open_answer
    # A new matching document, written by another connection: total, facets, page, snippet.
    new = CORPUS[0].model_copy(update={"doc_id": "f" * 16, "secrecy": 0,
                                       "subject": "Mới", "body": "Văn bản mới của tỉnh nhà"})
    writer.index_documents([new])
    total, facets, hits = _text_search(reader, 0)
    assert (total, facets, hits) == _fresh(path, 0)
    assert total == open_answer[0] + 1 and sum(facets.values()) == sum(open_answer[1].values()) + 1
    assert any(hit.startswith("f" * 16) and "<mark>" in hit for hit in hits)
    # It goes secret: gone from the open answer again.
    writer.index_documents([new.model_copy(update={"secrecy": 2})])
    assert _text_search(reader, 0) == open_answer
    writer.close()
    reader.close()
