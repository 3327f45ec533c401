"""Every request the Elasticsearch backend sends is one Elasticsearch 9.x's published API defines.

The official 9.x client sends Docket's real requests to the recording endpoint
of ``tests/servers/elasticsearch_recorder.py`` while every ``SearchIndex``
operation the contract suite uses runs (indexing, get, delete, count, search
with text, filters, facets, highlights, every sort and a page past the result
window, monthly counts, the point-in-time export, rebuild, and the suite's
teardown).  Each recorded request is then held against the Elasticsearch
specification (``tests/resources/elasticsearch-spec/``, extracted from the
specification that ships with Elastic's request converter 9.5.0): its method
and path must match one of an endpoint's URL templates, every query parameter
must be one that endpoint defines (with a value among its enum members where
the spec lists them), and every top-level key of a JSON body must be a body
property it defines.

This checks the wire format only; it says nothing of what Elasticsearch does
with the requests.  That is what the contract suite checks against a real
server when ``DOCKET_ES_URL`` is set.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from search.es_index import ElasticsearchIndex
from search.model import SearchFilters, SearchQuery
from tests.search.contract import CORPUS, HOSTILE_QUERIES, OPEN
from tests.search.test_es_index import remove_test_indices
from tests.servers.elasticsearch_recorder import Recorded, recording_elasticsearch

SPEC = Path(__file__).resolve().parents[1] / "resources" / "elasticsearch-spec" / "endpoints.json"
# Every endpoint the operations below must reach: a request that silently stops
# being made (or is made through another endpoint) shows up here.
EXPECTED_ENDPOINTS = {
    "bulk", "count", "delete", "get", "mget", "search", "open_point_in_time", "close_point_in_time",
    "indices.create", "indices.delete", "indices.delete_index_template", "indices.exists_alias",
    "indices.get", "indices.get_alias", "indices.put_index_template", "indices.refresh",
    "indices.update_aliases",
}


@cache
def _endpoints() -> list[dict[str, Any]]:
    return json.loads(SPEC.read_text(encoding="utf-8"))["endpoints"]


def _url_pattern(template: str) -> re.Pattern[str]:
    # A {part} is a name, never an API word: those start with "_", names cannot.
    parts = [r"[^/_][^/]*" if p.startswith("{") else re.escape(p)
             for p in template.strip("/").split("/") if p]
    return re.compile("^/" + "/".join(parts) + "$")


def _value_allowed(value: str, members: list[str] | None) -> bool:
    return members is None or value in members


def _problems(request: Recorded, endpoint: dict[str, Any]) -> list[str]:
    """Why ``endpoint`` does not accept ``request`` (empty: it does)."""
    problems = []
    for name, values in request.query.items():
        if name not in endpoint["query"]:
            problems.append(f"query parameter {name!r} not defined")
        elif not all(_value_allowed(v, endpoint["query"][name]) for v in values):
            problems.append(f"{name}={values} not among {endpoint['query'][name]}")
    body = endpoint["body"]
    is_json = request.headers.get("content-type", "").find("x-ndjson") < 0
    if request.body and is_json:
        if body["kind"] == "no_body":
            problems.append("a body where none is defined")
        elif body["kind"] == "properties":
            unknown = set(json.loads(request.body)) - set(body["properties"])
            if unknown:
                problems.append(f"body keys not defined: {sorted(unknown)}")
    return problems


def _match(request: Recorded) -> tuple[str | None, list[str]]:
    """The endpoint that accepts ``request``, or None and why none does."""
    problems: list[str] = []
    for endpoint in _endpoints():
        for url in endpoint["urls"]:
            if request.method in url["methods"] and _url_pattern(url["path"]).match(request.path):
                found = _problems(request, endpoint)
                if not found:
                    return endpoint["name"], []
                problems.extend(f"{endpoint['name']}: {p}" for p in found)
    return None, problems or ["no endpoint has this method and path"]


def _run_contract_operations(index: ElasticsearchIndex) -> None:
    """Each SearchIndex operation the contract suite performs, with its kinds of arguments."""
    index.count()  # the empty index: first use creates the template, index and alias
    assert index.index_documents(CORPUS).failed == {}
    index.get_document("d01")
    index.get_document("no-such-id")
    assert index.missing(["d01", "no-such-id"]) == ["no-such-id"]
    index.delete_document("d03")
    index.delete_document("never-indexed")
    index.count(SearchFilters(direction="outgoing", doc_type="Công văn", reference="2284/QĐ-UBND",
                              issued_from=CORPUS[0].issue_date, received_to=CORPUS[1].issue_date,
                              max_secrecy=0))
    index.search(SearchQuery(text="sốt xuất huyết"))
    index.search(SearchQuery(text='"chuyển đổi số" lụt', filters=OPEN, facets=("doc_type",)))
    index.search(SearchQuery(text="sot", filters=OPEN, highlight=False))
    index.search(SearchQuery(text='quyet OR "chuyển đổi" huyệ* -lụt -"sốt xuất"*', filters=OPEN))
    index.search(SearchQuery(text="-lụt", filters=OPEN))  # exclusions only
    for sort in ("relevance", "date_desc", "date_asc", "received_desc", "number_asc"):
        index.search(SearchQuery(filters=OPEN, sort=sort, page=2, page_size=3))
    index.search(SearchQuery(filters=OPEN, page=600, page_size=20))  # past the result window
    for text in HOSTILE_QUERIES[:12]:
        index.search(SearchQuery(text=text, filters=OPEN))
    index.monthly_counts(OPEN)
    among = SearchFilters(doc_ids=("d01", "d02", "s01"), max_secrecy=0)  # the id filter
    index.search(SearchQuery(text="lụt", filters=among))
    index.count(among)
    list(index.iter_all(SearchQuery(text="lụt", filters=OPEN), batch=3))
    index.optimize()
    index.rebuild(iter(CORPUS[:2]))
    remove_test_indices(index)


@pytest.fixture(scope="module")
def recorded() -> list[Recorded]:
    with recording_elasticsearch() as (url, state):
        index = ElasticsearchIndex(Elasticsearch(url), alias="docket-spec")
        _run_contract_operations(index)
        index.close()
        return list(state.requests)


def test_the_vendored_specification_is_for_9x() -> None:
    names = {endpoint["name"] for endpoint in _endpoints()}
    assert len(names) > 500 and names >= EXPECTED_ENDPOINTS
    # Types were removed in 8.0: no 9.x document URL carries one.
    get = next(e for e in _endpoints() if e["name"] == "get")
    assert [u["path"] for u in get["urls"]] == ["/{index}/_doc/{id}"]


def test_every_request_is_defined_by_the_specification(recorded: list[Recorded]) -> None:
    undefined = {}
    used = set()
    for request in recorded:
        name, problems = _match(request)
        if name is None:
            undefined[f"{request.method} {request.path}?{request.query}"] = problems
        used.add(name)
    assert not undefined, json.dumps(undefined, ensure_ascii=False, indent=1)
    assert used == EXPECTED_ENDPOINTS


def test_requests_ask_for_9x_compatibility(recorded: list[Recorded]) -> None:
    for request in recorded:
        assert "compatible-with=9" in request.headers.get("accept", ""), request.path


def test_bulk_lines_are_index_actions_with_sources(recorded: list[Recorded]) -> None:
    bulks = [r for r in recorded if r.path.endswith("/_bulk")]
    assert bulks
    for request in bulks:
        assert "x-ndjson" in request.headers["content-type"]
        lines = [json.loads(line) for line in request.body.split(b"\n") if line.strip()]
        for action, source in zip(lines[0::2], lines[1::2], strict=True):
            assert set(action) == {"index"} and set(action["index"]) == {"_index", "_id"}
            assert source["doc_id"] == action["index"]["_id"]


def test_no_request_names_a_wildcard_or_all_indices_destructively(
    recorded: list[Recorded],
) -> None:
    for request in recorded:
        if request.method == "DELETE":
            assert "*" not in request.path and "_all" not in request.path, request.path
