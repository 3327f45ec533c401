"""The contract every ``SearchIndex`` backend passes.

A test module subclasses ``SearchIndexContract`` and provides an ``index``
fixture yielding a fresh, empty index of its backend.  The corpus is a dozen
realistic Vietnamese records, two of them classified.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from search.index import SearchIndex
from search.model import TOTAL_CAP, IndexDocument, MonthlyCount, SearchFilters, SearchQuery

OPEN = SearchFilters(max_secrecy=0)


def _doc(doc_id: str, **fields: object) -> IndexDocument:
    defaults: dict[str, object] = {
        "direction": "incoming",
        "folder": "inbox/van-thu",
        "language": "vi",
        "detected_type": "application/pdf",
    }
    return IndexDocument(doc_id=doc_id, **{**defaults, **fields})


CORPUS: list[IndexDocument] = [
    _doc(
        "d01",
        doc_type="Quyết định",
        issuing_body="ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
        number_symbol="2284/QĐ-UBND",
        issue_date=date(2025, 2, 25),
        received_at=datetime(2025, 3, 3, 8, 15),
        registration_year=2025,
        registration_number=12,
        signer_name="Trần Hồng Thái",
        original_name="2284-QD-UBND.pdf",
        subject="Về việc công nhận xã, phường miền núi trên địa bàn tỉnh Lâm Đồng",
        body="Căn cứ Luật Tổ chức chính quyền địa phương. Công nhận 45 xã, phường là xã miền "
        "núi. Quyết định này có hiệu lực kể từ ngày ký.",
    ),
    _doc(
        "d02",
        direction="outgoing",
        doc_type="Công văn",
        issuing_body="SỞ Y TẾ TỈNH LÂM ĐỒNG",
        number_symbol="45/SYT-NVY",
        issue_date=date(2025, 3, 5),
        received_at=datetime(2025, 3, 5, 14, 0),
        registration_year=2025,
        registration_number=3,
        references=["2284/QĐ-UBND"],
        subject="V/v tăng cường phòng chống dịch sốt xuất huyết",
        body="Thực hiện Quyết định số 2284/QĐ-UBND, Sở Y tế đề nghị các đơn vị tăng cường "
        "phòng chống dịch sốt xuất huyết, diệt lăng quăng, bọ gậy tại khu dân cư.",
    ),
    _doc(
        "d03",
        doc_type="Kế hoạch",
        issuing_body="ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
        number_symbol="112/KH-UBND",
        issue_date=date(2025, 4, 1),
        received_at=datetime(2025, 4, 2, 9, 30),
        registration_year=2025,
        registration_number=40,
        subject="Kế hoạch phòng chống thiên tai và tìm kiếm cứu nạn năm 2025",
        body="Chủ động phòng chống lụt bão, sạt lở đất; bố trí lực lượng ứng trực 24/24 giờ "
        "trong mùa mưa bão.",
    ),
    _doc(
        "d04",
        doc_type="Báo cáo",
        issuing_body="ỦY BAN NHÂN DÂN HUYỆN ĐỨC TRỌNG",
        number_symbol="301/BC-UBND",
        issue_date=date(2025, 4, 20),
        received_at=datetime(2025, 4, 21, 10, 0),
        registration_year=2025,
        registration_number=55,
        subject="Báo cáo thiệt hại do mưa lũ",
        body="Mưa lớn kéo dài, nhiều nhà dân ở thôn Phú Thạnh bị ngập lút mái, đường giao "
        "thông bị chia cắt.",
    ),
    _doc(
        "d05",
        direction="outgoing",
        doc_type="Tờ trình",
        issuing_body="SỞ NỘI VỤ TỈNH LÂM ĐỒNG",
        number_symbol="77/TTr-SNV",
        issue_date=date(2025, 1, 10),
        received_at=datetime(2025, 1, 10, 16, 45),
        registration_year=2025,
        registration_number=1,
        folder="inbox/so-noi-vu",
        subject="Tờ trình về việc tuyển dụng viên chức giáo dục năm 2025",
        body="Sở Nội vụ kính trình Ủy ban nhân dân tỉnh xem xét, phê duyệt chỉ tiêu tuyển "
        "dụng 320 viên chức ngành giáo dục.",
    ),
    _doc(
        "d06",
        doc_type="Công văn",
        issuing_body="BỘ NỘI VỤ",
        number_symbol="10988/BNV-CQĐP",
        issue_date=date(2024, 11, 28),
        received_at=datetime(2024, 12, 2, 8, 0),
        registration_year=2024,
        registration_number=980,
        subject="V/v sắp xếp đơn vị hành chính cấp xã",
        body="Bộ Nội vụ đề nghị Ủy ban nhân dân các tỉnh hoàn thiện hồ sơ đề án sắp xếp "
        "đơn vị hành chính cấp xã. Ghi chú: <script>alert('x')</script> & \"trích\".",
    ),
    _doc(
        "d07",
        doc_type="Thông báo",
        issuing_body="VĂN PHÒNG CHÍNH PHỦ",
        number_symbol="11299/TB-VPCP",
        issue_date=date(2025, 5, 6),
        received_at=datetime(2025, 5, 7, 7, 50),
        registration_year=2025,
        registration_number=71,
        references=["308/2025/NĐ-CP"],
        subject="Thông báo kết luận của Thủ tướng Chính phủ về chuyển đổi số",
        body="Thủ tướng Chính phủ yêu cầu đẩy mạnh chuyển đổi số, hoàn thành cơ sở dữ liệu "
        "quốc gia về dân cư theo Nghị định 308/2025/NĐ-CP.",
    ),
    _doc(
        "d08",
        doc_type="Công văn",
        issuing_body="EMBASSY OF NORWAY",
        number_symbol="2025/118",
        issue_date=date(2025, 5, 12),
        received_at=datetime(2025, 5, 13, 11, 0),
        registration_year=2025,
        registration_number=80,
        language="en",
        folder="inbox/doi-ngoai",
        subject="Invitation to the seminar on digital archives",
        body="The Embassy has the honour to invite the Provincial People's Committee to a "
        "seminar on digital archives and records management.",
    ),
    _doc(  # classified: every word and value of it must stay invisible to open searches
        "s01",
        doc_type="Kế hoạch",
        issuing_body="BỘ CHỈ HUY QUÂN SỰ TỈNH LÂM ĐỒNG",
        number_symbol="09/KH-BCH",
        issue_date=date(2024, 10, 1),
        received_at=datetime(2024, 10, 2, 8, 0),
        registration_year=2024,
        registration_number=700,
        secrecy=1,
        subject="Kế hoạch diễn tập khu vực phòng thủ năm 2025",
        body="Diễn tập khu vực phòng thủ, phòng chống lụt bão và cứu nạn.",
    ),
    _doc(
        "s02",
        direction="outgoing",
        doc_type="Báo cáo",
        issuing_body="CÔNG AN TỈNH LÂM ĐỒNG",
        number_symbol="15/BC-CAT",
        issue_date=date(2025, 3, 20),
        received_at=datetime(2025, 3, 20, 9, 0),
        registration_year=2025,
        registration_number=30,
        secrecy=3,
        folder="inbox/mat",
        subject="Báo cáo tình hình an ninh phòng thủ tuyệt mật",
        body="Nội dung tuyệt mật về phòng thủ và Quyết định 2284/QĐ-UBND.",
    ),
]
OPEN_IDS = {d.doc_id for d in CORPUS if d.secrecy == 0}

HOSTILE_QUERIES = [
    '"',
    '"""',
    '"phòng chống',
    'phòng chống"',
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(lụt bão, 2)",
    "lụt AND",
    "OR lụt",
    "NOT NOT",
    "lụt*",
    "*",
    "^lụt",
    "^",
    "subject:lụt",
    "body : lụt",
    "{subject body}: lụt",
    ":",
    "-lụt",
    "+lụt",
    "- + - +",
    "(",
    ")",
    "(lụt",
    "lụt)",
    "((()))",
    "[]{}<>",
    "\\",
    "\\\"",
    "'",
    "' OR 1=1 --",
    "'; DROP TABLE docs; --",
    "lụt | bão",
    "lụt~2",
    "~",
    "lụt^3",
    "/regex.*/",
    "?",
    "",
    "   ",
    "\t\n",
    "\x00",
    "😀",
    "🇻🇳 lụt 😀",
    "e\u0301",
    "\u0301\u0302",
    "ــــ",
    "lụt " * 3000,
    "x" * 10_000,
    "a" * 200,
    '"' * 999,
    "%",
    "_",
    "lụt_bão",
    "2284/QĐ-UBND",
    "<script>alert(1)</script>",
    "-",
    "-*",
    "*lụt",
    "lụt -",
    "-(lụt)",
    '-"',
    '"lụt"*',
    '"lụt" *',
    "a*",
    "lụt**",
    "OR OR",
    "lụt OR",
    "lụt OR -bão",
    "-lụt OR bão",
    "AND lụt",
    "lụt NOT bão",
    "NEAR/2",
    "title:",
    "title:lụt",
    "subject:(lụt OR bão)",
    "-lụt -bão -phòng -sốt",
    "-" + "x" * 200,
    " OR ".join(["lụt"] * 50),
    " ".join(f"-w{n}" for n in range(60)),
]


def _ids(result_hits: list) -> list[str]:
    return [hit.doc_id for hit in result_hits]


def _many(count: int) -> list[IndexDocument]:
    """``count`` short documents: a type in three, a direction in two, secret one in seven."""
    types = ("Công văn", "Quyết định", "Báo cáo")
    return [
        _doc(
            f"m{n:06d}",
            direction=("incoming", "outgoing")[n % 2],
            doc_type=types[n % 3],
            issue_date=date(2024, 1, 1 + n % 28),
            received_at=datetime(2024, 1 + n % 12, 1 + n % 28, 9, 0),
            secrecy=1 if n % 7 == 0 else 0,
            subject=f"Văn bản số {n}",
        )
        for n in range(count)
    ]


class SearchIndexContract:
    """Behaviour shared by every backend; subclasses supply the ``index`` fixture."""

    @pytest.fixture
    def loaded(self, index: SearchIndex) -> SearchIndex:
        result = index.index_documents(CORPUS)
        assert sorted(result.indexed) == sorted(d.doc_id for d in CORPUS)
        assert result.failed == {}
        return index

    # ---- documents ----------------------------------------------------------------

    def test_get_document_round_trips(self, loaded: SearchIndex) -> None:
        for doc in CORPUS:
            assert loaded.get_document(doc.doc_id) == doc
        assert loaded.get_document("no-such-id") is None

    def test_missing_names_what_the_index_does_not_hold(self, loaded: SearchIndex) -> None:
        loaded.delete_document("d03")
        asked = ["d04", "lost-1", "d03", "d01", "lost-2"]
        assert loaded.missing(asked) == ["lost-1", "d03", "lost-2"]
        assert loaded.missing([]) == []
        many = [f"x{n:04d}" for n in range(1200)]  # more than one request's worth
        assert loaded.missing([*many, "d02"]) == many

    def test_index_is_idempotent_and_replaces(self, loaded: SearchIndex) -> None:
        assert loaded.count() == len(CORPUS)
        loaded.index_documents(CORPUS[:3])
        assert loaded.count() == len(CORPUS)
        changed = CORPUS[0].model_copy(update={"subject": "V/v điều chỉnh quy hoạch nghĩa trang"})
        loaded.index_documents([changed])
        assert loaded.get_document("d01") == changed
        assert "d01" in _ids(loaded.search(SearchQuery(text="nghĩa trang")).hits)
        assert "d01" not in _ids(loaded.search(SearchQuery(text='"địa bàn"')).hits)

    def test_delete(self, loaded: SearchIndex) -> None:
        loaded.delete_document("d03")
        loaded.delete_document("d03")  # deleting twice, or a missing id, is fine
        loaded.delete_document("never-indexed")
        assert loaded.get_document("d03") is None
        assert loaded.count() == len(CORPUS) - 1
        assert "d03" not in _ids(loaded.search(SearchQuery(text="thiên tai")).hits)

    # ---- matching -----------------------------------------------------------------

    def test_search_with_and_without_diacritics(self, loaded: SearchIndex) -> None:
        for text in ("sốt xuất huyết", "sot xuat huyet", "SOT XUAT HUYET", "Sốt Xuất Huyết"):
            assert _ids(loaded.search(SearchQuery(text=text)).hits) == ["d02"], text
        assert "d06" in _ids(loaded.search(SearchQuery(text="don vi hanh chinh")).hits)

    def test_exact_diacritics_rank_first(self, loaded: SearchIndex) -> None:
        # "lụt" (flood) in d03, "lút" (submerged) in d04: both fold to "lut".
        filters = OPEN
        assert _ids(loaded.search(SearchQuery(text="lụt", filters=filters)).hits) == ["d03", "d04"]
        assert _ids(loaded.search(SearchQuery(text="lút", filters=filters)).hits) == ["d04", "d03"]
        assert set(_ids(loaded.search(SearchQuery(text="lut", filters=filters)).hits)) == {
            "d03",
            "d04",
        }

    def test_all_words_must_match(self, loaded: SearchIndex) -> None:
        assert _ids(loaded.search(SearchQuery(text="tuyển dụng giáo dục")).hits) == ["d05"]
        assert loaded.search(SearchQuery(text="tuyển dụng thiên tai")).total == 0

    def test_phrase(self, loaded: SearchIndex) -> None:
        assert _ids(loaded.search(SearchQuery(text='"chuyển đổi số"')).hits) == ["d07"]
        assert _ids(loaded.search(SearchQuery(text='"chuyen doi so"')).hits) == ["d07"]
        assert loaded.search(SearchQuery(text='"số đổi chuyển"')).total == 0

    def test_number_symbol_issuing_body_and_file_name_are_searchable(
        self, loaded: SearchIndex
    ) -> None:
        assert "d01" in _ids(loaded.search(SearchQuery(text="2284/QĐ-UBND")).hits)
        assert "d01" in _ids(loaded.search(SearchQuery(text="2284/QD-UBND")).hits)
        assert "d06" in _ids(loaded.search(SearchQuery(text="10988/BNV-CQĐP")).hits)
        assert "d07" in _ids(loaded.search(SearchQuery(text="van phong chinh phu")).hits)
        assert "d08" in _ids(loaded.search(SearchQuery(text="embassy norway")).hits)

    # ---- filters ------------------------------------------------------------------

    @pytest.mark.parametrize(
        ("filters", "expected"),
        [
            (SearchFilters(direction="outgoing"), {"d02", "d05", "s02"}),
            (SearchFilters(doc_type="Công văn"), {"d02", "d06", "d08"}),
            (SearchFilters(issuing_body="ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"), {"d01", "d03"}),
            (SearchFilters(language="en"), {"d08"}),
            (SearchFilters(folder="inbox/so-noi-vu"), {"d05"}),
            (SearchFilters(reference="2284/QĐ-UBND"), {"d02"}),
            (SearchFilters(reference="308/2025/ND-CP"), {"d07"}),
            (SearchFilters(issued_from=date(2025, 4, 1), issued_to=date(2025, 5, 6)),
             {"d03", "d04", "d07"}),  # fmt: skip
            (SearchFilters(received_from=date(2025, 3, 5), received_to=date(2025, 4, 21)),
             {"d02", "d03", "d04", "s02"}),  # fmt: skip
            (SearchFilters(received_to=date(2024, 12, 2)), {"d06", "s01"}),
            (SearchFilters(max_secrecy=0), OPEN_IDS),
            (SearchFilters(max_secrecy=1), OPEN_IDS | {"s01"}),
            (SearchFilters(direction="incoming", doc_type="Kế hoạch", max_secrecy=0), {"d03"}),
        ],
    )
    def test_filters(self, loaded: SearchIndex, filters: SearchFilters, expected: set[str]) -> None:
        result = loaded.search(SearchQuery(filters=filters, page_size=100))
        assert set(_ids(result.hits)) == expected
        assert result.total == len(expected)
        assert loaded.count(filters) == len(expected)

    def test_filters_combine_with_text(self, loaded: SearchIndex) -> None:
        query = SearchQuery(text="lut", filters=SearchFilters(doc_type="Báo cáo", max_secrecy=3))
        assert _ids(loaded.search(query).hits) == ["d04"]

    # ---- secrecy ------------------------------------------------------------------

    def test_classified_documents_never_leak(self, loaded: SearchIndex) -> None:
        for text in ("phòng thủ", "diễn tập", "tuyệt mật", "", "lụt bão", "2284/QĐ-UBND"):
            result = loaded.search(SearchQuery(text=text, filters=OPEN, page_size=100))
            assert not {"s01", "s02"} & set(_ids(result.hits)), text
            values = {v.value for facet in result.facets.values() for v in facet}
            assert "BỘ CHỈ HUY QUÂN SỰ TỈNH LÂM ĐỒNG" not in values
            assert "CÔNG AN TỈNH LÂM ĐỒNG" not in values
            assert "inbox/mat" not in values
            facet_total = sum(v.count for v in result.facets.get("direction", []))
            assert facet_total == result.total
        assert loaded.search(SearchQuery(text='"phòng thủ"', filters=OPEN)).total == 0
        assert loaded.count(OPEN) == len(OPEN_IDS)
        months = {row.month for row in loaded.monthly_counts(OPEN)}
        assert "2024-10" not in months
        assert loaded.search(SearchQuery(text='"phòng thủ"')).total == 2  # max_secrecy=3

    # ---- facets, snippets, sorting, paging ----------------------------------------

    def test_facets_count_the_filtered_result_set(self, loaded: SearchIndex) -> None:
        result = loaded.search(SearchQuery(filters=OPEN))
        directions = {v.value: v.count for v in result.facets["direction"]}
        assert directions == {"incoming": 6, "outgoing": 2}
        types = {v.value: v.count for v in result.facets["doc_type"]}
        assert types["Công văn"] == 3
        assert {v.value: v.count for v in result.facets["language"]} == {"vi": 7, "en": 1}
        narrowed = loaded.search(
            SearchQuery(text="phòng chống", filters=OPEN, facets=("doc_type",))
        )
        assert set(narrowed.facets) == {"doc_type"}
        assert {v.value: v.count for v in narrowed.facets["doc_type"]} == {
            "Công văn": 1,
            "Kế hoạch": 1,
        }
        assert loaded.search(SearchQuery(filters=OPEN, facets=())).facets == {}

    def test_browse_totals_and_facets_are_exact_past_the_cap(self, index: SearchIndex) -> None:
        many = _many(TOTAL_CAP + 150)
        for start in range(0, len(many), 2000):
            assert not index.index_documents(many[start : start + 2000]).failed
        for max_secrecy in (0, 3):
            seen = [d for d in many if d.secrecy <= max_secrecy]
            for doc_type in (None, "Quyết định"):
                filters = SearchFilters(max_secrecy=max_secrecy, doc_type=doc_type)
                result = index.search(SearchQuery(filters=filters))
                wanted = [d for d in seen if doc_type in (None, d.doc_type)]
                assert (result.total, result.total_exact, result.facets_exact) == (
                    len(wanted), True, True,
                ), (max_secrecy, doc_type)
                directions = {v.value: v.count for v in result.facets["direction"]}
                assert directions == {
                    way: sum(d.direction == way for d in wanted) for way in ("incoming", "outgoing")
                }
                types = {v.value: v.count for v in result.facets["doc_type"]}
                assert types == {t: sum(d.doc_type == t for d in wanted) for t in types}
                assert sum(types.values()) == len(wanted)
        # Counts follow deletions and replacements.
        index.delete_document("m000001")
        index.index_documents([many[2].model_copy(update={"doc_type": "Quyết định"})])
        after = index.search(SearchQuery(filters=SearchFilters(max_secrecy=0)))
        open_docs = [d for d in many if d.secrecy == 0 and d.doc_id != "m000001"]
        assert after.total == len(open_docs)
        types = {v.value: v.count for v in after.facets["doc_type"]}
        assert types["Quyết định"] == sum(d.doc_type == "Quyết định" for d in open_docs) + 1

    def test_snippets_highlight_and_escape(self, loaded: SearchIndex) -> None:
        hit = loaded.search(SearchQuery(text="alert", filters=OPEN)).hits[0]
        assert hit.doc_id == "d06"
        assert "<script>" not in hit.snippet
        assert "&lt;script&gt;" in hit.snippet
        assert "<mark>alert</mark>" in hit.snippet
        hit = loaded.search(SearchQuery(text="sot xuat", filters=OPEN)).hits[0]
        assert "<mark>sốt</mark>" in hit.snippet and "<mark>xuất</mark>" in hit.snippet
        plain = loaded.search(SearchQuery(text="sot", filters=OPEN, highlight=False)).hits[0]
        assert plain.snippet == ""

    def test_relevance_prefers_subject_matches(self, loaded: SearchIndex) -> None:
        result = loaded.search(SearchQuery(text="thiên tai", filters=OPEN))
        assert _ids(result.hits)[0] == "d03"
        assert result.hits[0].score > 0

    @pytest.mark.parametrize(
        ("sort", "key", "reverse"),
        [
            ("date_desc", lambda d: d.issue_date, True),
            ("date_asc", lambda d: d.issue_date, False),
            ("received_desc", lambda d: d.received_at, True),
            ("number_asc", lambda d: (d.registration_year, d.registration_number), False),
        ],
    )
    def test_sort(self, loaded: SearchIndex, sort: str, key, reverse: bool) -> None:
        expected = [d.doc_id for d in sorted(CORPUS, key=key, reverse=reverse) if d.secrecy == 0]
        result = loaded.search(SearchQuery(filters=OPEN, sort=sort, page_size=100))
        assert _ids(result.hits) == expected

    def test_empty_text_browses_newest_first(self, loaded: SearchIndex) -> None:
        result = loaded.search(SearchQuery(filters=OPEN, page_size=100))
        dates = [hit.document.issue_date for hit in result.hits]
        assert dates == sorted(dates, reverse=True)
        assert result.total == len(OPEN_IDS)

    def test_paging(self, loaded: SearchIndex) -> None:
        seen: list[str] = []
        for page in (1, 2, 3):
            result = loaded.search(SearchQuery(filters=OPEN, page=page, page_size=3))
            assert result.total == len(OPEN_IDS)
            assert result.page == page and result.page_size == 3
            seen.extend(_ids(result.hits))
        assert len(seen) == len(OPEN_IDS) == len(set(seen))
        assert loaded.search(SearchQuery(filters=OPEN, page=4, page_size=3)).hits == []

    # ---- hostile input ------------------------------------------------------------

    @pytest.mark.parametrize("text", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
    def test_hostile_queries_never_raise(self, loaded: SearchIndex, text: str) -> None:
        result = loaded.search(SearchQuery(text=text, filters=OPEN))
        assert result.total >= len(result.hits)
        assert not {"s01", "s02"} & set(_ids(result.hits))

    def test_fts5_and_query_string_keywords_are_plain_words(self, loaded: SearchIndex) -> None:
        # AND, NOT, NEAR and a column filter are words to find, like any other:
        # no Vietnamese record holds "and", the English one does.
        for text in ("lụt AND bão", "NOT lụt", "lụt NEAR bão", "subject:lụt", "lụt OR"):
            assert loaded.search(SearchQuery(text=text, filters=OPEN)).total == 0, text
        assert _ids(loaded.search(SearchQuery(text="digital AND records")).hits) == ["d08"]
        assert _ids(loaded.search(SearchQuery(text='"OR" lụt', filters=OPEN)).hits) == []
        lone = loaded.search(SearchQuery(text="lụt - * -*", filters=OPEN))
        assert set(_ids(lone.hits)) == {"d03", "d04"}  # a lone "-" or "*" is nothing

    # ---- operators ----------------------------------------------------------------

    def _found(self, index: SearchIndex, text: str, **filters: object) -> set[str]:
        """The open documents ``text`` finds with ``filters``, every one on the page."""
        narrowed = SearchFilters.model_validate({"max_secrecy": 0, **filters})
        result = index.search(SearchQuery(text=text, filters=narrowed, page_size=100))
        assert result.total == len(result.hits), text
        return set(_ids(result.hits))

    def test_or_finds_either(self, loaded: SearchIndex) -> None:
        assert self._found(loaded, "quyet OR dinh") == {"d01", "d02", "d07"}
        assert self._found(loaded, "lụt OR sốt") == {"d02", "d03", "d04"}
        assert self._found(loaded, "lut OR sot") == {"d02", "d03", "d04"}
        assert self._found(loaded, '"sốt xuất huyết" OR "chuyen doi so"') == {"d02", "d07"}
        assert self._found(loaded, "lụt OR nghĩatrang") == {"d03", "d04"}
        assert self._found(loaded, "lụt OR sốt OR seminar") == {"d02", "d03", "d04", "d08"}
        # OR binds the words either side of it; the other words are all required.
        assert self._found(loaded, "phòng chống OR tuyển") == {"d02", "d03"}
        assert self._found(loaded, "tuyển dụng OR thiên tai") == set()
        assert self._found(loaded, "lụt or sốt") == set()  # "or" in lower case is a word

    def test_prefix(self, loaded: SearchIndex) -> None:
        assert self._found(loaded, "huy") == set()
        assert self._found(loaded, "huy*") == {"d02", "d04"}  # huyết, huyện
        assert self._found(loaded, "quyet*") == {"d01", "d02"}
        assert self._found(loaded, "quyết*") == {"d01", "d02"}
        assert self._found(loaded, "chuy* doi") == {"d07"}
        assert self._found(loaded, "2284/QĐ*") == {"d01", "d02"}
        assert self._found(loaded, '"sốt xuất hu"*') == {"d02"}
        # One letter is too short a prefix: it is the word itself.
        assert self._found(loaded, "h*") == self._found(loaded, "h") == set()

    def test_prefix_typed_with_diacritics_ranks_those_first(self, loaded: SearchIndex) -> None:
        assert _ids(loaded.search(SearchQuery(text="huyệ*", filters=OPEN)).hits) == ["d04", "d02"]
        assert _ids(loaded.search(SearchQuery(text="huyế*", filters=OPEN)).hits) == ["d02", "d04"]

    def test_phrase_typed_with_diacritics_matches_without(self, loaded: SearchIndex) -> None:
        assert self._found(loaded, '"phòng chống"') == self._found(loaded, '"phong chong"')
        assert self._found(loaded, '"phong chong"') == {"d02", "d03"}
        assert self._found(loaded, '"chống phòng"') == set()

    def test_exclusion(self, loaded: SearchIndex) -> None:
        assert self._found(loaded, "phòng chống -lụt") == {"d02"}
        assert self._found(loaded, "phong chong -lut") == {"d02"}
        assert self._found(loaded, 'phòng -"sốt xuất huyết"') == {"d03", "d07"}
        assert self._found(loaded, "phòng -sốt -lụt") == {"d07"}
        assert self._found(loaded, "lụt -mái") == {"d03"}
        assert self._found(loaded, "huy* -huyện") == {"d02"}
        assert self._found(loaded, "phòng -huy*") == {"d03", "d07"}
        # Diacritics are optional in an exclusion too: it leaves out what the word
        # finds, so "-lút" (submerged) leaves out "lụt" (flood) as well.
        assert self._found(loaded, "mưa -lút") == set()
        assert self._found(loaded, "mưa -ngập") == {"d03"}
        assert self._found(loaded, "lụt -lụt") == set()

    def test_exclusions_alone_list_every_other_document_newest_first(
        self, loaded: SearchIndex
    ) -> None:
        result = loaded.search(SearchQuery(text="-lụt -seminar", filters=OPEN, page_size=100))
        newest = sorted(CORPUS, key=lambda d: d.issue_date or date.min, reverse=True)
        expected = [d.doc_id for d in newest
                    if d.secrecy == 0 and d.doc_id not in {"d03", "d04", "d08"}]  # fmt: skip
        assert _ids(result.hits) == expected
        assert result.total == len(expected)
        assert sum(v.count for v in result.facets["direction"]) == len(expected)
        assert all("<mark>" not in hit.snippet for hit in result.hits)
        oldest = loaded.search(SearchQuery(text="-lụt", filters=OPEN, sort="date_asc"))
        assert _ids(oldest.hits)[0] == "d06"

    def test_operators_combine_with_filters(self, loaded: SearchIndex) -> None:
        assert self._found(loaded, "lụt OR sốt", doc_type="Báo cáo") == {"d04"}
        assert self._found(loaded, "-lụt", direction="outgoing") == {"d02", "d05"}
        assert self._found(loaded, "quyet*", reference="2284/QĐ-UBND") == {"d02"}
        assert self._found(loaded, "phòng -lụt", issued_from=date(2025, 3, 1)) == {"d02", "d07"}
        assert self._found(loaded, "-xyz", received_to=date(2024, 12, 31)) == {"d06"}
        assert self._found(loaded, "tỉnh OR chính* -lụt", language="vi",
                           folder="inbox/van-thu") == {"d01", "d02", "d06", "d07"}  # fmt: skip

    def test_operators_never_reveal_classified_documents(self, loaded: SearchIndex) -> None:
        # s01 holds "phòng thủ" and "lụt bão", s02 "phòng thủ" and "tuyệt mật".
        for text in ("phòng -lụt", "-lụt", "-xyz", "phòng* OR diễn*", "tuyệt OR mật",
                     '"phòng thủ" OR lụt', "-quyet*"):  # fmt: skip
            result = loaded.search(SearchQuery(text=text, filters=OPEN, page_size=100))
            assert not {"s01", "s02"} & set(_ids(result.hits)), text
            values = {v.value for facet in result.facets.values() for v in facet}
            assert not {"CÔNG AN TỈNH LÂM ĐỒNG", "inbox/mat"} & values, text
            assert sum(v.count for v in result.facets["direction"]) == result.total, text
        everything = SearchFilters(max_secrecy=3)
        found = loaded.search(SearchQuery(text='"phòng thủ" -lụt', filters=everything))
        assert _ids(found.hits) == ["s02"]
        cleared = SearchFilters(max_secrecy=1)
        found = loaded.search(SearchQuery(text='"phòng thủ" OR tuyệt', filters=cleared))
        assert _ids(found.hits) == ["s01"]

    # ---- rebuild and statistics ---------------------------------------------------

    def test_rebuild_replaces_content_and_search_keeps_working(
        self, loaded: SearchIndex
    ) -> None:
        during: list[int] = []
        replacement = [
            CORPUS[0].model_copy(update={"subject": "Quyết định về giá đất năm 2026"}),
            _doc(
                "n01",
                doc_type="Công văn",
                issuing_body="SỞ XÂY DỰNG TỈNH LÂM ĐỒNG",
                number_symbol="5/SXD-QLN",
                issue_date=date(2026, 1, 5),
                received_at=datetime(2026, 1, 6, 8, 0),
                subject="V/v quản lý nhà ở xã hội",
                body="Sở Xây dựng hướng dẫn thủ tục mua nhà ở xã hội.",
            ),
        ]

        def documents() -> Iterator[IndexDocument]:
            for doc in replacement:
                # While the new index fills, the old content is still served.
                during.append(loaded.search(SearchQuery(text="sốt xuất huyết")).total)
                yield doc

        assert loaded.rebuild(documents()) == 2
        assert during == [1, 1]
        assert loaded.count() == 2
        assert loaded.search(SearchQuery(text="sốt xuất huyết")).total == 0
        assert _ids(loaded.search(SearchQuery(text="nha o xa hoi")).hits) == ["n01"]
        assert _ids(loaded.search(SearchQuery(text="giá đất")).hits) == ["d01"]
        loaded.index_documents(CORPUS[1:2])  # the rebuilt index takes new documents
        assert loaded.count() == 3

    def test_monthly_counts(self, loaded: SearchIndex) -> None:
        assert loaded.monthly_counts(OPEN) == [
            MonthlyCount(month="2024-12", direction="incoming", count=1),
            MonthlyCount(month="2025-01", direction="outgoing", count=1),
            MonthlyCount(month="2025-03", direction="incoming", count=1),
            MonthlyCount(month="2025-03", direction="outgoing", count=1),
            MonthlyCount(month="2025-04", direction="incoming", count=2),
            MonthlyCount(month="2025-05", direction="incoming", count=2),
        ]
        year = SearchFilters(received_from=date(2025, 1, 1), received_to=date(2025, 3, 31))
        assert sum(row.count for row in loaded.monthly_counts(year)) == 4  # s02 included
        assert loaded.monthly_counts(SearchFilters(direction="nowhere")) == []

    def test_empty_index(self, index: SearchIndex) -> None:
        assert index.count() == 0
        assert index.search(SearchQuery(text="lụt")).total == 0
        assert index.search(SearchQuery()).hits == []
        assert index.monthly_counts() == []
        assert index.index_documents([]).indexed == []

    def test_optimize_keeps_every_answer(self, loaded: SearchIndex) -> None:
        queries = [SearchQuery(text="lụt", filters=OPEN), SearchQuery(filters=OPEN)]
        before = [loaded.search(q) for q in queries]
        loaded.optimize()
        assert [loaded.search(q) for q in queries] == before
