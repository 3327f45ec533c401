"""The contract of the id filter (``SearchFilters.doc_ids``), shared by every backend.

A search restricted to given documents is how the web app filters by what the
index does not hold (a document's tracking unit, status, deadline): the
register names the documents, the index searches among them.  Mixed into each
backend's contract class beside ``SearchIndexContract`` (whose ``loaded``
fixture it uses).
"""

from __future__ import annotations

from datetime import date

import pytest

from search.index import SearchIndex
from search.model import SearchFilters, SearchQuery
from tests.search.contract import CORPUS, HOSTILE_QUERIES, _many

SECRET_IDS = {"s01", "s02"}
SOME = ("d01", "d02", "d04", "d06", "d08", "s01", "s02", "not-indexed")


def _ids(result_hits: list) -> list[str]:
    return [hit.doc_id for hit in result_hits]


def _facets(result) -> dict[str, dict[str, int]]:
    return {field: {v.value: v.count for v in values} for field, values in result.facets.items()}


class DocIdFilterContract:
    """Searching, counting and faceting among given documents only."""

    @pytest.mark.parametrize(
        ("filters", "expected"),
        [
            (SearchFilters(doc_ids=SOME), {"d01", "d02", "d04", "d06", "d08", "s01", "s02"}),
            (SearchFilters(doc_ids=SOME, max_secrecy=0), {"d01", "d02", "d04", "d06", "d08"}),
            (SearchFilters(doc_ids=SOME, max_secrecy=1), {"d01", "d02", "d04", "d06", "d08",
                                                          "s01"}),
            (SearchFilters(doc_ids=SOME, doc_type="Công văn", max_secrecy=0),
             {"d02", "d06", "d08"}),
            (SearchFilters(doc_ids=SOME, direction="outgoing"), {"d02", "s02"}),
            (SearchFilters(doc_ids=SOME, reference="2284/QĐ-UBND"), {"d02"}),
            (SearchFilters(doc_ids=SOME, received_from=date(2025, 3, 1), max_secrecy=0),
             {"d01", "d02", "d04", "d08"}),
            (SearchFilters(doc_ids=("d03",)), {"d03"}),
            (SearchFilters(doc_ids=("s02",), max_secrecy=0), set()),
            (SearchFilters(doc_ids=()), set()),  # none given: nothing, never everything
            (SearchFilters(doc_ids=("not-indexed",)), set()),
        ],
    )
    def test_ids_restrict_browsing_and_counting(
        self, loaded: SearchIndex, filters: SearchFilters, expected: set[str]
    ) -> None:
        result = loaded.search(SearchQuery(filters=filters, page_size=100))
        assert set(_ids(result.hits)) == expected
        assert (result.total, result.total_exact, result.facets_exact) == (len(expected), True,
                                                                           True)
        assert sum(v.count for v in result.facets.get("direction", [])) == len(expected)
        assert loaded.count(filters) == len(expected)
        assert sum(row.count for row in loaded.monthly_counts(filters)) == len(expected)

    def test_ids_restrict_a_text_search_ranked_as_usual(self, loaded: SearchIndex) -> None:
        among = SearchFilters(doc_ids=("d03", "d04", "d06"), max_secrecy=0)
        # "lụt" (flood, d03) before "lút" (submerged, d04), as without the filter.
        assert _ids(loaded.search(SearchQuery(text="lụt", filters=among)).hits) == ["d03", "d04"]
        assert _ids(loaded.search(SearchQuery(text="lút", filters=among)).hits) == ["d04", "d03"]
        only = among.model_copy(update={"doc_ids": ("d04", "d06")})
        assert _ids(loaded.search(SearchQuery(text="lụt", filters=only)).hits) == ["d04"]
        assert loaded.search(SearchQuery(text="sốt xuất huyết", filters=among)).total == 0
        excluded = loaded.search(SearchQuery(text="-lụt", filters=among))
        assert _ids(excluded.hits) == ["d06"]
        by_date = loaded.search(SearchQuery(text="lut", filters=among, sort="date_asc"))
        assert _ids(by_date.hits) == ["d03", "d04"]
        hit = loaded.search(SearchQuery(text="alert", filters=among)).hits[0]
        assert hit.doc_id == "d06" and "<mark>alert</mark>" in hit.snippet

    def test_facets_and_totals_are_exact_among_the_ids(self, loaded: SearchIndex) -> None:
        result = loaded.search(SearchQuery(filters=SearchFilters(doc_ids=SOME, max_secrecy=0)))
        facets = _facets(result)
        assert facets["direction"] == {"incoming": 4, "outgoing": 1}
        assert facets["doc_type"] == {"Công văn": 3, "Quyết định": 1, "Báo cáo": 1}
        assert facets["language"] == {"vi": 4, "en": 1}
        text = loaded.search(SearchQuery(text="phòng", filters=SearchFilters(
            doc_ids=("d02", "d03", "d07", "s01", "s02"), max_secrecy=3), facets=("doc_type",)))
        assert set(_ids(text.hits)) == {"d02", "d03", "d07", "s01", "s02"}
        assert _facets(text) == {"doc_type": {"Công văn": 1, "Kế hoạch": 2, "Thông báo": 1,
                                              "Báo cáo": 1}}
        assert (text.total, text.total_exact, text.facets_exact) == (5, True, True)

    def test_ids_never_reveal_a_document_above_the_clearance(self, loaded: SearchIndex) -> None:
        every_id = tuple(d.doc_id for d in CORPUS)
        for text in ("phòng thủ", "tuyệt mật", "", "-lụt", "lụt bão", "2284/QĐ-UBND",
                     *HOSTILE_QUERIES[:20]):
            for sort in ("relevance", "date_desc"):
                query = SearchQuery(text=text, sort=sort, page_size=100,
                                    filters=SearchFilters(doc_ids=every_id, max_secrecy=0))
                result = loaded.search(query)
                assert not SECRET_IDS & set(_ids(result.hits)), text
                values = {v.value for facet in result.facets.values() for v in facet}
                assert not {"CÔNG AN TỈNH LÂM ĐỒNG", "BỘ CHỈ HUY QUÂN SỰ TỈNH LÂM ĐỒNG",
                            "inbox/mat"} & values, text
                assert sum(v.count for v in result.facets.get("direction", [])) == result.total
        secret_only = SearchFilters(doc_ids=tuple(SECRET_IDS), max_secrecy=0)
        assert loaded.count(secret_only) == 0
        assert loaded.monthly_counts(secret_only) == []
        assert loaded.search(SearchQuery(text="phòng thủ", filters=secret_only)).total == 0

    def test_ids_page_and_export_in_order(self, loaded: SearchIndex) -> None:
        among = SearchFilters(doc_ids=SOME, max_secrecy=0)
        seen: list[str] = []
        for page in (1, 2, 3):
            result = loaded.search(SearchQuery(filters=among, sort="number_asc", page=page,
                                               page_size=2))
            assert result.total == 5
            seen.extend(_ids(result.hits))
        wanted = sorted((d for d in CORPUS if d.doc_id in SOME and d.secrecy == 0),
                        key=lambda d: (d.registration_year, d.registration_number))
        assert seen == [d.doc_id for d in wanted]
        exported = loaded.iter_all(SearchQuery(filters=among, sort="number_asc"), batch=2)
        assert [d.doc_id for d in exported] == seen

    def test_many_ids_among_many_documents(self, index: SearchIndex) -> None:
        many = _many(3000)
        assert not index.index_documents(many).failed
        chosen = tuple(d.doc_id for d in many[::4]) + tuple(f"gone-{n}" for n in range(2000))
        wanted = [d for d in many[::4] if d.secrecy == 0]
        result = index.search(SearchQuery(filters=SearchFilters(doc_ids=chosen, max_secrecy=0)))
        assert (result.total, result.total_exact, result.facets_exact) == (len(wanted), True,
                                                                           True)
        types = {v.value: v.count for v in result.facets["doc_type"]}
        assert types == {t: sum(d.doc_type == t for d in wanted) for t in types}
        assert sum(types.values()) == len(wanted)
        text = index.search(SearchQuery(text="văn bản", filters=SearchFilters(
            doc_ids=chosen, max_secrecy=0, doc_type="Công văn")))
        assert text.total == sum(d.doc_type == "Công văn" for d in wanted)
        assert index.count(SearchFilters(doc_ids=chosen, max_secrecy=0)) == len(wanted)
