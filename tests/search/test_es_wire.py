"""What the Elasticsearch backend sends, and what it does with the answers.

Every test here talks to the recording endpoint of
``tests/servers/elasticsearch_recorder.py`` through the official client: it
checks the wire format Docket produces and Docket's handling of answers shaped
like Elasticsearch's (a bulk response with per-item errors, an oversized body),
**not** Elasticsearch's behaviour.  The contract suite in ``test_es_index.py``
checks behaviour against a real server when ``DOCKET_ES_URL`` is set.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch

from kernel.errors import IndexUnavailable
from search.es_index import ElasticsearchIndex
from tests.search.contract import CORPUS
from tests.servers.elasticsearch_recorder import FakeState, recording_elasticsearch

MiB = 1024 * 1024


@pytest.fixture
def recorder() -> Iterator[tuple[ElasticsearchIndex, FakeState]]:
    with recording_elasticsearch() as (url, state):
        index = ElasticsearchIndex(Elasticsearch(url), alias="docket")
        yield index, state
        index.close()


def _bulk_bodies(state: FakeState) -> list[bytes]:
    return [r.body for r in state.requests if r.path.endswith("/_bulk")]


def test_rebuild_keeps_the_alias_when_a_document_is_refused(recorder) -> None:
    """A refused document: reported by id with the reason, the live index untouched."""
    from kernel.errors import IndexRefused

    index, state = recorder
    index.index_documents(CORPUS)
    (live,) = state.aliases["docket"]
    state.reject = {"d03": "failed to parse field [issue_date] of type [date]"}
    with pytest.raises(IndexRefused) as refused:
        index.rebuild(iter(CORPUS))
    assert set(refused.value.failed) == {"d03"}
    assert "failed to parse field [issue_date]" in refused.value.failed["d03"]
    assert "d03" in refused.value.message
    # The alias still points at the old, complete index; the half-built one is gone.
    assert state.aliases["docket"] == {live}
    assert set(state.indices) == {live}
    assert len(state.indices[live]) == len(CORPUS)
    assert not refused.value.transient  # retrying the same document is refused again


def test_rebuild_switches_only_to_a_complete_index(recorder) -> None:
    index, state = recorder
    index.index_documents(CORPUS[:2])
    (old,) = state.aliases["docket"]
    assert index.rebuild(iter(CORPUS)) == len(CORPUS)
    (new,) = state.aliases["docket"]
    assert new != old and set(state.indices) == {new}
    assert set(state.indices[new]) == {d.doc_id for d in CORPUS}


def test_a_busy_server_is_retried_then_unavailability_not_refusal() -> None:
    """429 items are sent again; still refused after the retries, the rebuild is transient."""
    with recording_elasticsearch() as (url, state):
        index = ElasticsearchIndex(Elasticsearch(url), alias="docket", bulk_retries=1)
        index.index_documents(CORPUS)
        (live,) = state.aliases["docket"]
        state.busy = {"d02": 1}  # one 429, then accepted on the retry (after 2 s)
        assert index.rebuild(iter(CORPUS)) == len(CORPUS)
        (live,) = state.aliases["docket"]
        state.busy = {"d02": 5}
        with pytest.raises(IndexUnavailable, match="not taken for now"):
            index.rebuild(iter(CORPUS))
        assert state.aliases["docket"] == {live} and set(state.indices) == {live}


def test_index_documents_reports_refused_items(recorder) -> None:
    index, state = recorder
    state.reject = {"d02": "mapper_parsing_exception"}
    result = index.index_documents(CORPUS[:3])
    assert sorted(result.indexed) == ["d01", "d03"]
    assert result.failed == {"d02": "400: mapper_parsing_exception"}


def _long(doc_id: str, chars: int):
    body = ("Phòng chống lụt bão, tìm kiếm cứu nạn năm 2025. " * (chars // 48 + 1))[:chars]
    return CORPUS[0].model_copy(update={"doc_id": doc_id, "body": body})


@pytest.mark.parametrize("operation", ["index_documents", "rebuild"])
def test_bulk_requests_are_bounded_in_bytes(recorder, operation: str) -> None:
    """Long OCR bodies: no bulk request grows past 10 MiB (Elasticsearch refuses 100 MB)."""
    index, state = recorder
    documents = [_long(f"long{n}", 2_000_000) for n in range(6)]  # ~2.4 MB of JSON each
    if operation == "index_documents":
        result = index.index_documents(documents)
        assert sorted(result.indexed) == sorted(d.doc_id for d in documents)
    else:
        assert index.rebuild(iter(documents)) == len(documents)
    sizes = [len(body) for body in _bulk_bodies(state)]
    assert len(sizes) >= 2, sizes
    assert max(sizes) <= 10 * MiB, sizes
    sent = [json.loads(line)["index"]["_id"] for body in _bulk_bodies(state)
            for line in body.split(b"\n")[0::2] if line.strip()]
    assert sorted(sent) == sorted(d.doc_id for d in documents)


def test_an_oversized_request_is_unavailability_not_silence() -> None:
    """A 413 from the server: the documents were not indexed and the caller is told so."""
    with recording_elasticsearch(FakeState(max_content_length=1 * MiB)) as (url, _state):
        index = ElasticsearchIndex(Elasticsearch(url), alias="docket")
        with pytest.raises(IndexUnavailable):
            index.index_documents([_long("huge", 1_000_000)])


def test_a_failing_source_of_documents_leaves_no_half_built_index(recorder) -> None:
    """The records cannot be read mid-rebuild: the live index stays, the new one goes."""
    from kernel.errors import StoreUnavailable

    index, state = recorder
    index.index_documents(CORPUS)
    (live,) = state.aliases["docket"]

    def records():
        yield from CORPUS[:3]
        raise StoreUnavailable("the archive went away")

    with pytest.raises(StoreUnavailable):
        index.rebuild(records())
    assert state.aliases["docket"] == {live} and set(state.indices) == {live}
