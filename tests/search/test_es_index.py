"""The Elasticsearch index against the shared contract.

Needs a real Elasticsearch 9.x server: set ``DOCKET_ES_URL`` (and, if the
server wants them, ``DOCKET_ES_USERNAME``/``DOCKET_ES_PASSWORD``/
``DOCKET_ES_CA_CERTS``).  Each test gets its own alias, deleted afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch

from kernel.errors import IndexUnavailable
from search.model import SearchFilters, SearchQuery
from tests.search.contract import CORPUS, OPEN_IDS, SearchIndexContract
from tests.search.contract_ids import DocIdFilterContract

ES_URL = os.environ.get("DOCKET_ES_URL")
needs_es = pytest.mark.skipif(
    not ES_URL, reason="DOCKET_ES_URL not set: no Elasticsearch server to test against"
)
pytestmark = pytest.mark.slow


@pytest.fixture
def index() -> Iterator[object]:
    from kernel.settings import Settings
    from search.es_index import ElasticsearchIndex

    alias = f"docket-test-{uuid.uuid4().hex[:10]}"
    settings = Settings(
        es_url=ES_URL or "",
        es_username=os.environ.get("DOCKET_ES_USERNAME"),
        es_password=os.environ.get("DOCKET_ES_PASSWORD"),
        es_ca_certs=os.environ.get("DOCKET_ES_CA_CERTS"),
        es_index=alias,
    )
    opened = ElasticsearchIndex.from_settings(settings)
    yield opened
    remove_test_indices(opened)
    opened.close()


def remove_test_indices(index) -> None:
    """Delete the indices and the template the test created, by their concrete names.

    Elasticsearch refuses wildcard deletes by default (``action.destructive_requires_name``),
    so the names are listed first (reading by pattern is allowed) and deleted one by one.
    The pattern holds the test's unique alias: no other index can match it.
    """
    own = index.client.indices.get(index=f"{index.alias}-v1-*", expand_wildcards="all")
    for name in own.body:
        index.client.indices.delete(index=name, ignore_unavailable=True)
    index.client.options(ignore_status=404).indices.delete_index_template(
        name=f"{index.alias}-template"
    )


@needs_es
class TestElasticsearchIndex(SearchIndexContract, DocIdFilterContract):
    """Runs every contract test on a fresh alias of the server at DOCKET_ES_URL."""


@needs_es
def test_iter_all_pages_past_one_batch(index) -> None:
    index.index_documents(CORPUS)
    query = SearchQuery(filters=SearchFilters(max_secrecy=0))
    assert {d.doc_id for d in index.iter_all(query, batch=3)} == OPEN_IDS


@needs_es
def test_rebuild_switches_the_alias_and_drops_the_old_index(index) -> None:
    index.index_documents(CORPUS)
    before = set(index.client.indices.get_alias(name=index.alias).body)
    index.rebuild(CORPUS[:2])
    after = set(index.client.indices.get_alias(name=index.alias).body)
    assert len(after) == 1 and not before & after
    assert not index.client.indices.exists(index=",".join(before))


def test_unreachable_server_raises_index_unavailable() -> None:
    """No server needed: nothing listens on port 9."""
    from kernel.settings import Settings
    from search.es_index import ElasticsearchIndex

    dead = ElasticsearchIndex.from_settings(Settings(es_url="http://127.0.0.1:9"))
    with pytest.raises(IndexUnavailable):
        dead.count()


def test_teardown_deletes_by_concrete_name() -> None:
    """Against the recording endpoint (tests/servers/elasticsearch_recorder.py), not a server.

    Checks the requests the teardown sends and that it survives Elasticsearch's
    answer to a wildcard delete (refused since 8.0: ``action.destructive_requires_name``);
    the recorder refuses wildcards the same way.
    """
    from search.es_index import ElasticsearchIndex
    from tests.servers.elasticsearch_recorder import recording_elasticsearch

    with recording_elasticsearch() as (url, state):
        index = ElasticsearchIndex(Elasticsearch(url), alias="docket-test-teardown")
        index.index_documents(CORPUS[:2])
        index.rebuild(CORPUS[:3])  # two versioned indices created, one dropped
        state.indices["docket-test-teardown-other"] = {}  # not the test's: must survive
        remove_test_indices(index)
        deletes = [r.path for r in state.requests if r.method == "DELETE"]
        assert not [path for path in deletes if "*" in path or "_all" in path]
        assert set(state.indices) == {"docket-test-teardown-other"}
        assert state.templates == {}
