"""The Elasticsearch request bodies, checked as plain dicts (no server needed)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pytest

from search import es_queries as q
from search.model import TOTAL_CAP, IndexDocument, SearchFilters, SearchQuery
from tests.search.contract import CORPUS, HOSTILE_QUERIES


def _walk(node: object) -> list[str]:
    """Every dict key anywhere in ``node``."""
    if isinstance(node, dict):
        return [k for k, v in node.items() for k in [k, *_walk(v)]]
    if isinstance(node, list):
        return [k for item in node for k in _walk(item)]
    return []


def test_template_file_is_valid_and_complete() -> None:
    raw = q.template_file()
    properties = raw["template"]["mappings"]["properties"]
    for field in ("direction", "doc_type", "issuing_body", "language", "folder", "doc_id"):
        assert properties[field]["type"] == "keyword"
    for field in ("subject", "body"):
        assert properties[field]["analyzer"] == "vi_exact"
        assert properties[field]["fields"]["folded"]["analyzer"] == "vi_folded"
    assert properties["issue_date"]["type"] == "date"
    assert properties["received_local"]["type"] == "date"
    # Every field the builders use is mapped.
    used = {"secrecy", "reference_keys", "registration_year", "registration_number"}
    assert used <= set(properties)


def test_template_ships_inside_the_search_package() -> None:
    """The installed package reads it: a file beside the source tree would not be in the wheel."""
    from importlib.resources import files

    shipped = files("search").joinpath(q.TEMPLATE_RESOURCE)
    assert json.loads(shipped.read_text(encoding="utf-8"))["template"]["mappings"]
    assert q.index_template("docket")["index_patterns"] == ["docket-v1-*"]


def test_index_template_follows_the_alias_and_needs_no_plugin() -> None:
    plain = q.index_template("archive")
    assert plain["index_patterns"] == ["archive-v1-*"]
    assert "_comment" not in plain
    analysis = plain["template"]["settings"]["analysis"]
    folded = analysis["analyzer"]["vi_folded"]
    assert folded == {"type": "custom", "tokenizer": "standard", "char_filter": ["vi_d"],
                      "filter": ["lowercase", "asciifolding"]}
    assert analysis["char_filter"]["vi_d"]["mappings"] == ["đ => d", "Đ => D"]
    # Built-in analysis only: the stock image has no analysis-icu plugin.
    assert "icu" not in json.dumps(plain)
    assert q.versioned_index_name("Docket", "20250101T000000") == "docket-v1-20250101t000000"


def test_document_source_adds_filter_fields_and_round_trips() -> None:
    doc = CORPUS[1]
    source = q.document_source(doc)
    assert source["reference_keys"] == ["2284/QD-UBND"]
    assert source["received_local"] == "2025-03-05T14:00:00"
    assert q.source_to_document(source) == doc


def test_bulk_actions_carry_index_id_and_source() -> None:
    actions = list(q.bulk_actions("docket-v1-x", iter(CORPUS[:2])))
    assert [(a["_op_type"], a["_index"], a["_id"]) for a in actions] == [
        ("index", "docket-v1-x", "d01"),
        ("index", "docket-v1-x", "d02"),
    ]
    assert actions[0]["_source"]["subject"] == CORPUS[0].subject


def test_filters_always_carry_the_secrecy_ceiling() -> None:
    assert q.filter_clauses(SearchFilters()) == [{"range": {"secrecy": {"lte": 3}}}]
    clauses = q.filter_clauses(
        SearchFilters(
            direction="incoming",
            doc_type="Công văn",
            reference="2284/QĐ-UBND",
            issued_from=date(2025, 1, 1),
            received_to=date(2025, 3, 31),
            max_secrecy=0,
        )
    )
    assert clauses[0] == {"range": {"secrecy": {"lte": 0}}}
    assert {"term": {"direction": "incoming"}} in clauses
    assert {"term": {"doc_type": "Công văn"}} in clauses
    assert {"term": {"reference_keys": "2284/QD-UBND"}} in clauses
    assert {"range": {"issue_date": {"gte": "2025-01-01", "format": "strict_date"}}} in clauses
    assert {
        "range": {"received_local": {"lt": "2025-04-01", "format": "strict_date"}}
    } in clauses  # inclusive end day


def test_given_ids_are_an_ids_query_and_none_given_matches_nothing() -> None:
    clauses = q.filter_clauses(SearchFilters(doc_ids=("d01", "d02"), max_secrecy=0))
    assert clauses == [{"range": {"secrecy": {"lte": 0}}}, {"ids": {"values": ["d01", "d02"]}}]
    assert {"ids": {"values": []}} in q.filter_clauses(SearchFilters(doc_ids=()))
    body = q.search_body(SearchQuery(filters=SearchFilters(doc_ids=("d01",)), facets=()))
    assert body["track_total_hits"] is True  # exact, like the facets
    assert {"ids": {"values": ["d01"]}} in body["query"]["bool"]["filter"]


def _user_strings(node: object) -> list[tuple[str, str]]:
    """Every (query kind, string) pair where user text can sit in a query body."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "multi_match":
                found.append((key, value["query"]))
            elif key == "prefix":
                found.extend((key, spec["value"]) for spec in value.values())
            else:
                found.extend(_user_strings(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_user_strings(item))
    return found


def test_text_query_requires_folded_and_boosts_exact() -> None:
    body = q.search_body(SearchQuery(text='quyết định "phòng chống" lụt', sort="relevance"))
    query = body["query"]["bool"]
    musts = [clause["multi_match"] for clause in query["must"]]
    assert [m["query"] for m in musts] == ["quyết", "định", "phòng chống", "lụt"]
    assert all(m["type"] == "phrase" and m["fields"] == q.FOLDED_FIELDS for m in musts)
    boosts = [clause["multi_match"] for clause in query["should"]]
    assert [m["query"] for m in boosts] == ["quyết", "định", "phòng chống", "lụt"]
    assert all(m["fields"] == q.EXACT_FIELDS and m["boost"] > 1 for m in boosts)
    assert query["filter"][0] == {"range": {"secrecy": {"lte": 3}}}
    assert body["sort"][0] == "_score"
    assert body["highlight"]["encoder"] == "html"
    assert body["highlight"]["pre_tags"] == ["<mark>"]
    # Typed without diacritics: nothing to tell apart, no boost.
    assert "should" not in q.search_body(SearchQuery(text="quyet dinh"))["query"]["bool"]


def test_or_prefix_and_exclusion() -> None:
    query = q.search_body(SearchQuery(text="lụt OR sot huyệ* -mái -\"sốt xuất\""))["query"]
    must, must_not = query["bool"]["must"], query["bool"]["must_not"]
    either = must[0]["bool"]
    assert either["minimum_should_match"] == 1
    assert [c["multi_match"]["query"] for c in either["should"]] == ["lụt", "sot"]
    prefixes = must[1]["bool"]["should"]
    # A prefix query is not analysed: the word is given folded, as the folded fields hold it.
    assert {"prefix": {"subject.folded": {"value": "huye", "boost": 4.0}}} in prefixes
    assert {"prefix": {"body.folded": {"value": "huye", "boost": 1.0}}} in prefixes
    assert len(prefixes) == len(q.FOLDED_FIELDS)
    assert [c["multi_match"]["query"] for c in must_not] == ["mái", "sốt xuất"]
    exact_prefix = query["bool"]["should"][-1]["bool"]
    assert {"prefix": {"subject": {"value": "huyệ", "boost": 4.0}}} in exact_prefix["should"]
    assert exact_prefix["boost"] == q.EXACT_BOOST
    phrase = q.search_body(SearchQuery(text='"sốt xuất hu"*'))["query"]["bool"]["must"][0]
    assert phrase["multi_match"]["type"] == "phrase_prefix"


def test_exclusions_alone_browse_newest_first_without_highlight() -> None:
    body = q.search_body(SearchQuery(text="-lụt"))
    assert "must" not in body["query"]["bool"]
    assert body["query"]["bool"]["must_not"][0]["multi_match"]["query"] == "lụt"
    assert body["sort"][0] == {"issue_date": {"order": "desc", "missing": "_last"}}
    assert "highlight" not in body
    assert q.scan_body(SearchQuery(text="-lụt"), "p", "1m", None, 10)["sort"][0] == body["sort"][0]


@pytest.mark.parametrize("text", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_user_text_never_becomes_query_syntax(text: str) -> None:
    body = q.search_body(SearchQuery(text=text))
    walked = _walk(body)
    assert "query_string" not in walked and "simple_query_string" not in walked
    for kind, sent in _user_strings(body["query"]):
        # Words separated by single spaces: nothing for an analyser or a parser but words.
        assert sent and all(re.fullmatch(r"[^\W_]+", word) for word in sent.split(" ")), sent
        if kind == "prefix":
            assert " " not in sent and sent == sent.lower()


def test_empty_text_browses_by_date_without_highlight() -> None:
    body = q.search_body(SearchQuery(text="  ", page=3, page_size=10, facets=()))
    assert body["query"] == {"bool": {"filter": [{"range": {"secrecy": {"lte": 3}}}]}}
    assert body["sort"][0] == {"issue_date": {"order": "desc", "missing": "_last"}}
    assert body["from"] == 20 and body["size"] == 10
    assert "highlight" not in body
    assert body["track_total_hits"] == TOTAL_CAP
    # With facets every match is aggregated anyway: the total is counted exactly.
    assert q.search_body(SearchQuery(text="  "))["track_total_hits"] is True


def test_facets_are_terms_aggregations_of_requested_fields() -> None:
    aggs = q.search_body(SearchQuery(facets=("doc_type", "nonsense", "doc_type")))["aggs"]
    assert list(aggs) == ["doc_type"]
    assert aggs["doc_type"]["terms"]["field"] == "doc_type"
    assert "aggs" not in q.search_body(SearchQuery(facets=()))


def test_result_window_limit() -> None:
    assert q.within_result_window(SearchQuery(page=500, page_size=20))
    assert not q.within_result_window(SearchQuery(page=501, page_size=20))


def test_scan_body_uses_pit_and_search_after() -> None:
    first = q.scan_body(SearchQuery(text="lụt"), "pit-1", "2m", None, 500)
    assert first["pit"] == {"id": "pit-1", "keep_alive": "2m"}
    assert first["sort"][-1] == {"_shard_doc": "asc"}
    assert "search_after" not in first and "from" not in first
    later = q.scan_body(SearchQuery(), "pit-2", "2m", [1, "d01", 7], 500)
    assert later["search_after"] == [1, "d01", 7]


def test_monthly_body_and_parsing() -> None:
    body = q.monthly_body(SearchFilters(max_secrecy=1))
    histogram = body["aggs"]["months"]["date_histogram"]
    assert histogram["field"] == "received_local"
    assert histogram["calendar_interval"] == "month"
    assert body["query"]["bool"]["filter"][0] == {"range": {"secrecy": {"lte": 1}}}
    response = {
        "aggregations": {
            "months": {
                "buckets": [
                    {"key_as_string": "2025-03", "direction": {"buckets": [
                        {"key": "outgoing", "doc_count": 2}, {"key": "incoming", "doc_count": 5},
                    ]}},  # fmt: skip
                ]
            }
        }
    }
    rows = q.parse_monthly(response)
    assert [(r.month, r.direction, r.count) for r in rows] == [
        ("2025-03", "incoming", 5),
        ("2025-03", "outgoing", 2),
    ]


def test_snippet_prefers_a_body_fragment_with_a_match() -> None:
    hit = {"highlight": {"body.folded": ["plain start"], "subject.folded": ["<mark>x</mark>"]}}
    assert q.snippet_from(hit) == "<mark>x</mark>"
    hit = {"highlight": {"body.folded": ["a <mark>x</mark>"], "subject.folded": ["<mark>x</mark>"]}}
    assert q.snippet_from(hit) == "a <mark>x</mark>"
    assert q.snippet_from({}) == ""


def test_wall_clock_ignores_time_zone() -> None:
    from datetime import timedelta, timezone

    moment = datetime(2025, 3, 1, 0, 30, tzinfo=timezone(timedelta(hours=7)))
    doc = IndexDocument(doc_id="x", direction="incoming", received_at=moment)
    assert q.document_source(doc)["received_local"] == "2025-03-01T00:30:00"
