"""The SQLite FTS5 index against the shared contract, plus what only it does."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from kernel.errors import IndexUnavailable
from search.index import SearchIndex, open_index
from search.model import IndexDocument, SearchFilters, SearchQuery
from search.sqlite_index import SqliteIndex
from search.sqlite_schema import SCHEMA_VERSION
from tests.search.contract import CORPUS, OPEN, SearchIndexContract
from tests.search.contract_ids import DocIdFilterContract


@pytest.fixture
def index(tmp_path: Path) -> Iterator[SqliteIndex]:
    opened = SqliteIndex(tmp_path / "index.sqlite")
    yield opened
    opened.close()


class TestSqliteIndex(SearchIndexContract, DocIdFilterContract):
    """Runs every contract test on a fresh SQLite file."""


def test_is_a_search_index(index: SqliteIndex) -> None:
    assert isinstance(index, SearchIndex)


def test_open_index_picks_sqlite(tmp_path: Path) -> None:
    from kernel.settings import Settings

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
    from tests.search.contract import OPEN_IDS

    index.index_documents(CORPUS)
    assert {d.doc_id for d in index.iter_all(SearchQuery(filters=OPEN), batch=3)} == OPEN_IDS


def test_relevance_past_the_candidate_cap_pages_through_every_match(
    index: SqliteIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    import search.sqlite_query as module

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
    index.index_documents(CORPUS)
    for text in ("lụt", "phòng chống", '"phòng thủ"', "2284/QĐ-UBND", "lut"):
        alone = index.search(SearchQuery(text=text, facets=()))
        joined = index.search(SearchQuery(text=text, filters=SearchFilters(language="vi")))
        faceted = index.search(SearchQuery(text=text))
        assert alone.total == faceted.total
        vi = {d.doc_id for d in CORPUS if d.language == "vi"}
        assert [h.doc_id for h in alone.hits if h.doc_id in vi] == [h.doc_id for h in joined.hits]


# ---- filters as FTS tags ----------------------------------------------------------

FILTER_CASES = [
    SearchFilters(direction="outgoing"),
    SearchFilters(doc_type="Công văn", max_secrecy=0),
    SearchFilters(issuing_body="ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"),
    SearchFilters(language="en"),
    SearchFilters(folder="inbox/so-noi-vu"),
    SearchFilters(reference="2284/qd-ubnd"),
    SearchFilters(issued_from=date(2025, 2, 25), issued_to=date(2025, 5, 6)),
    SearchFilters(issued_from=date(2024, 12, 31)),
    SearchFilters(issued_to=date(2025, 3, 5), max_secrecy=1),
    SearchFilters(received_from=date(2025, 3, 5), received_to=date(2025, 4, 21)),
    SearchFilters(received_from=date(2020, 1, 1), received_to=date(2030, 12, 31)),
    SearchFilters(received_from=date(2025, 4, 22), received_to=date(2025, 4, 1)),
    SearchFilters(max_secrecy=0),
    SearchFilters(max_secrecy=1),
    SearchFilters(max_secrecy=2),
    SearchFilters(max_secrecy=-1),
    SearchFilters(direction="incoming", doc_type="Kế hoạch", max_secrecy=0),
]


@pytest.mark.parametrize("filters", FILTER_CASES, ids=range(len(FILTER_CASES)))
def test_text_search_filters_like_browsing(index: SqliteIndex, filters: SearchFilters) -> None:
    # Browsing filters with SQL over docs, a text query with tags in FTS5: same documents.
    index.index_documents(CORPUS)
    browsed = {h.doc_id for h in index.search(SearchQuery(filters=filters, page_size=100)).hits}
    for text in ("phòng", "lâm đồng", "2284/QĐ-UBND", "tinh", '"phòng thủ"', "năm 2025"):
        everywhere = index.search(SearchQuery(text=text, page_size=100))
        expected = {h.doc_id for h in everywhere.hits} & browsed
        for sort in ("relevance", "date_desc"):
            found = index.search(SearchQuery(text=text, filters=filters, sort=sort, page_size=100))
            assert {h.doc_id for h in found.hits} == expected, (text, sort)
            assert found.total == len(expected)
            assert sum(v.count for v in found.facets.get("direction", [])) == len(expected)


def test_text_cannot_forge_tags(index: SqliteIndex) -> None:
    from search.sqlite_tags import secrecy_tag, value_tag

    forger = CORPUS[-1].model_copy(  # TUYỆT MẬT, with an open document's tags in its text
        update={
            "doc_id": "forger",
            "subject": f"{secrecy_tag(0)} {value_tag('d', 'incoming')} #s0",
            "body": "phòng thủ #s0 s0 #" + value_tag("t", "Kế hoạch"),
            "references": ["#s0"],
        }
    )
    index.index_documents([*CORPUS, forger])
    for filters in (OPEN, SearchFilters(max_secrecy=0, direction="incoming")):
        for text in ("", "phòng thủ", "s0", "#s0", secrecy_tag(0)):
            result = index.search(SearchQuery(text=text, filters=filters, page_size=100))
            assert "forger" not in {h.doc_id for h in result.hits}, text
            assert sum(v.count for v in result.facets["direction"]) == result.total
    assert "forger" in {h.doc_id for h in index.search(SearchQuery(text="phòng thủ")).hits}


def test_large_match_sets_have_sampled_facets(
    index: SqliteIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    import search.sqlite_facets as facets_module

    index.index_documents(CORPUS)
    exact = index.search(SearchQuery(filters=OPEN))
    assert exact.facets_exact
    monkeypatch.setattr(facets_module, "FACET_SAMPLE", 4)
    # A browse by a date range, or a text query: the kept counts cannot answer.
    dated = OPEN.model_copy(update={"received_from": date(2000, 1, 1)})
    for text, filters in (("", dated), ("tỉnh", OPEN)):
        full = index.search(SearchQuery(text=text, filters=filters, facets=()))
        sampled = index.search(SearchQuery(text=text, filters=filters))
        assert not sampled.facets_exact
        assert sampled.total == full.total > 4
        assert [h.doc_id for h in sampled.hits] == [h.doc_id for h in full.hits]
        # Scaled to the total, and never a value the user may not see.
        assert sum(v.count for v in sampled.facets["direction"]) == pytest.approx(full.total, abs=1)
        values = {v.value for facet in sampled.facets.values() for v in facet}
        assert not values & {"CÔNG AN TỈNH LÂM ĐỒNG", "BỘ CHỈ HUY QUÂN SỰ TỈNH LÂM ĐỒNG"}


def test_browse_facets_are_kept_exact_whatever_the_sample(
    index: SqliteIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    import search.sqlite_facets as facets_module

    index.index_documents(CORPUS)
    monkeypatch.setattr(facets_module, "FACET_SAMPLE", 4)
    for filters in (OPEN, SearchFilters(), OPEN.model_copy(update={"doc_type": "Công văn"})):
        kept = index.search(SearchQuery(filters=filters))
        assert kept.facets_exact and kept.total_exact
        assert kept.total == index.count(filters)
        for field, values in kept.facets.items():
            counted = {
                v.value: index.count(filters.model_copy(update={field: v.value})) for v in values
            }
            assert {v.value: v.count for v in values} == counted, field


def test_secrecy_outside_the_levels_is_refused() -> None:
    from pydantic import ValidationError

    for rank in (-1, 4):
        with pytest.raises(ValidationError):
            IndexDocument.model_validate({**CORPUS[0].model_dump(), "secrecy": rank})


def test_an_index_of_the_previous_version_is_upgraded_on_open(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    index = SqliteIndex(path)
    index.index_documents(CORPUS)
    index.close()
    old = sqlite3.connect(path)  # as version 1 left it: no tags column, no version
    old.executescript(
        """DROP TABLE fts;
        CREATE VIRTUAL TABLE fts USING fts5(subject, body, meta, subject_f, body_f, meta_f,
            content='', tokenize='unicode61 remove_diacritics 0');
        PRAGMA user_version = 0;"""
    )
    old.close()
    upgraded = SqliteIndex(path)
    assert [h.doc_id for h in upgraded.search(SearchQuery(text="lụt", filters=OPEN)).hits] == [
        "d03",
        "d04",
    ]
    assert upgraded.search(SearchQuery(text="phòng", filters=OPEN)).total == 3
    upgraded.delete_document("d03")
    assert upgraded.search(SearchQuery(text="lụt", filters=OPEN)).total == 1
    upgraded.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] >= 2


def test_an_index_of_version_3_gets_its_words_as_written_apart_on_open(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    index = SqliteIndex(path)
    index.index_documents(CORPUS)
    before = index.search(SearchQuery(text="lụt", filters=OPEN))
    index.close()
    old = sqlite3.connect(path)  # as version 3 left it: each text column as written too
    old.executescript(
        """DROP TABLE fts; DROP TABLE written;
        CREATE VIRTUAL TABLE fts USING fts5(subject, body, meta, subject_f, body_f, meta_f,
            tags, content='', tokenize="unicode61 remove_diacritics 0 tokenchars '#'");
        PRAGMA user_version = 3;"""
    )
    old.close()
    upgraded = SqliteIndex(path)
    assert upgraded.search(SearchQuery(text="lụt", filters=OPEN)) == before
    upgraded.delete_document(before.hits[0].doc_id)
    assert upgraded.search(SearchQuery(text="lụt", filters=OPEN)).total == before.total - 1
    upgraded.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_an_index_without_kept_counts_counts_its_documents_on_open(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    index = SqliteIndex(path)
    index.index_documents(CORPUS)
    before = index.search(SearchQuery(filters=OPEN))
    index.close()
    old = sqlite3.connect(path)  # as version 2 left it: no facet_counts
    old.executescript("DROP TABLE facet_counts; PRAGMA user_version = 2;")
    old.close()
    upgraded = SqliteIndex(path)
    assert upgraded.search(SearchQuery(filters=OPEN)) == before
    upgraded.close()


def test_optimize_keeps_every_answer(index: SqliteIndex) -> None:
    for doc in CORPUS:  # one write (one FTS segment) per document, as the ingest does
        index.index_documents([doc])
    queries = [SearchQuery(text=t, filters=OPEN) for t in ("lụt", "phòng chống", "2284/QĐ-UBND")]
    before = [index.search(q) for q in queries]
    index.optimize()
    assert [index.search(q) for q in queries] == before
    index.index_documents(CORPUS[:2])  # and it takes new writes afterwards
    assert index.count() == len(CORPUS)


def test_totals_are_exact_up_to_the_cap(
    index: SqliteIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    import search.sqlite_facets
    import search.sqlite_index

    index.index_documents(CORPUS)
    queries = [  # facets sample the matches: test_facets_past_the_cap_...
        SearchQuery(text="tỉnh", filters=OPEN, facets=()),
        SearchQuery(filters=OPEN, facets=()),
        SearchQuery(facets=()),
        SearchQuery(filters=SearchFilters(issued_from=date(2020, 1, 1)), facets=()),
        SearchQuery(filters=SearchFilters(direction="incoming"), facets=()),
    ]
    exact = [index.search(q) for q in queries]
    assert all(r.total_exact and r.total > 3 for r in exact)
    for module in (search.sqlite_facets, search.sqlite_index):
        monkeypatch.setattr(module, "TOTAL_CAP", 3)
    index = SqliteIndex(index.path)  # no answer kept under the former cap
    kept = {1, 2, 4}  # browses by at most one value: counts kept on write, exact at any size
    for n, (query, full) in enumerate(zip(queries, exact, strict=True)):
        capped = index.search(query)
        expected = (full.total, True) if n in kept else (3, False)
        assert (capped.total, capped.total_exact) == expected
        assert [h.doc_id for h in capped.hits] == [h.doc_id for h in full.hits]
        assert {d.doc_id for d in index.iter_all(query, batch=2)} == {h.doc_id for h in full.hits}
    assert index.count(OPEN) == exact[1].total  # count() stays exact
    assert index.search(queries[0].model_copy(update={"page": 3, "page_size": 2})).hits


def test_facets_past_the_cap_are_estimated_and_visible_only(
    index: SqliteIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    import search.sqlite_facets as facets
    import search.sqlite_index

    index.index_documents(CORPUS)
    full = index.search(SearchQuery(text="tỉnh", filters=OPEN))
    for module in (facets, search.sqlite_index):
        monkeypatch.setattr(module, "TOTAL_CAP", 3)
    monkeypatch.setattr(facets, "FACET_SAMPLE", 2)
    index = SqliteIndex(index.path)  # no answer kept under the former cap
    sampled = index.search(SearchQuery(text="tỉnh", filters=OPEN))
    assert not sampled.total_exact and not sampled.facets_exact
    assert sum(v.count for v in sampled.facets["direction"]) >= 4
    assert {v.value for v in sampled.facets["doc_type"]} <= {
        v.value for v in full.facets["doc_type"]
    }


def test_relevance_ranks_as_written_then_subject_then_newest(index: SqliteIndex) -> None:
    docs = [
        IndexDocument(doc_id=name, direction="incoming", received_at=datetime(2025, 1, day),
                      subject=subject, body=body)
        for name, day, subject, body in [
            ("body-old", 1, "Công văn", "nói về lut ở đây"),
            ("subject", 2, "Về lut miền núi", "không"),
            ("body-new", 3, "Công văn", "nói về lut ở kia"),
            ("written", 4, "Công văn", "nói về lụt"),
        ]
    ]  # fmt: skip
    index.index_documents(docs)
    ranked = [h.doc_id for h in index.search(SearchQuery(text="lụt")).hits]
    assert ranked == ["written", "subject", "body-new", "body-old"]
    ranked = [h.doc_id for h in index.search(SearchQuery(text="lut")).hits]
    assert ranked == ["subject", "written", "body-new", "body-old"]
    scores = [h.score for h in index.search(SearchQuery(text="lut")).hits]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0
