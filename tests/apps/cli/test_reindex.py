"""``docket reindex`` run as an archivist would, on the embedded index and on Elasticsearch's wire.

The Elasticsearch runs talk to the recording endpoint of
``tests/servers/elasticsearch_recorder.py``, not to Elasticsearch: they check
what ``docket reindex`` does with answers shaped like Elasticsearch's (a bulk
response refusing one document), not Elasticsearch's behaviour.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.backends import open_backends
from ingest.indexing import iter_records
from ingest.samples import generate_samples, stage_into_inbox
from kernel.settings import load_settings
from tests.apps.cli.test_commands import docket
from tests.servers.elasticsearch_recorder import recording_elasticsearch


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with four born-digital samples ingested on the embedded default."""
    samples = tmp_path_factory.mktemp("reindex-samples")
    generate_samples(samples, seed=5, profile="bench", born_digital=4, scanned_pages=0)
    data_dir = tmp_path_factory.mktemp("reindex-data")
    stage_into_inbox(samples, data_dir / "inbox")
    result = docket(data_dir, "--lang", "en", "ingest", "--json")
    assert result.returncode == 0, result.stderr
    return data_dir


def _doc_ids_and_pending(data_dir: Path) -> tuple[list[str], list[str]]:
    settings = load_settings(data_dir=data_dir)
    with open_backends(settings) as backends:
        ids = sorted(record.doc_id for record in iter_records(backends))
        return ids, backends.register.pending_index()


def test_reindex_on_the_embedded_index(ingested: Path) -> None:
    result = docket(ingested, "--lang", "en", "reindex")
    assert result.returncode == 0, result.stderr
    ids, pending = _doc_ids_and_pending(ingested)
    assert f"Index rebuilt: {len(ids)} documents." in result.stdout
    assert pending == []


def test_a_refused_document_fails_the_reindex_and_keeps_waiting(ingested: Path) -> None:
    ids, _ = _doc_ids_and_pending(ingested)
    refused = ids[1]
    reason = "failed to parse field [subject] of type [text]"
    with recording_elasticsearch() as (url, state):
        state.reject = {refused: reason}
        elastic = ("DOCKET_INDEX=elasticsearch", f"DOCKET_ES_URL={url}")
        result = docket(ingested, "--lang", "en", "reindex", env=elastic)
        assert result.returncode == 65, (result.stdout, result.stderr)
        assert "refused 1 documents" in result.stderr
        assert f"{refused}: 400: {reason}" in result.stderr
        assert "Traceback" not in result.stderr
        # The alias still serves the index it had (here the first, empty one);
        # the half-built index is gone.
        (live,) = state.aliases["docket"]
        assert set(state.indices) == {live}
    _, pending = _doc_ids_and_pending(ingested)
    assert pending == [refused]
    # Once the index takes it, the next rebuild clears the wait.
    with recording_elasticsearch() as (url, state):
        elastic = ("DOCKET_INDEX=elasticsearch", f"DOCKET_ES_URL={url}")
        result = docket(ingested, "--lang", "en", "reindex", env=elastic)
        assert result.returncode == 0, result.stderr
        (live,) = state.aliases["docket"]
        assert sorted(state.indices[live]) == ids
    assert _doc_ids_and_pending(ingested)[1] == []
