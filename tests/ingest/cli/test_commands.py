"""The ``docket`` console script, run as a clerk or archivist would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.samples import generate_samples, stage_into_inbox

DOCKET = Path(sys.executable).with_name("docket")


def docket(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOCKET_DATA_DIR": str(data_dir), "DOCKET_QUIET_SECONDS": "0"}
    return subprocess.run([str(DOCKET), *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder into which eight born-digital samples were ingested by ``docket ingest``."""
    samples = tmp_path_factory.mktemp("cli-samples")
    generate_samples(samples, seed=3, profile="bench", born_digital=8, scanned_pages=0)
    data_dir = tmp_path_factory.mktemp("cli-data")
    stage_into_inbox(samples, data_dir / "inbox")
    result = docket(data_dir, "--lang", "en", "ingest", "--json")
    assert result.returncode == 0, result.stderr
    return data_dir


def test_ingest_reports_every_file_archived(ingested: Path) -> None:
    again = docket(ingested, "--lang", "en", "ingest", "--json")
    assert again.returncode == 0, again.stderr
    # Nothing is left in the inbox, and the second pass finds nothing to do.
    assert json.loads(again.stdout)["files"] == []
    for tree in ("incoming", "outgoing"):
        assert not [p for p in (ingested / "inbox" / tree).rglob("*") if p.is_file()]
    processed = [p for p in (ingested / "inbox" / "processed").rglob("*") if p.is_file()]
    assert len(processed) == 8


def test_search_and_show_find_the_ingested_documents(ingested: Path) -> None:
    found = docket(ingested, "--lang", "en", "search", "quyet dinh")
    assert found.returncode == 0, found.stderr
    show = docket(ingested, "--lang", "en", "show", "0000000000000000")
    assert show.returncode != 0
    assert "Traceback" not in show.stderr
    assert show.stderr.startswith("docket: ")


def test_bad_arguments_are_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = docket(tmp_path, "report", "2025-13")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") <= 3


def test_index_optimize_keeps_every_document_findable(ingested: Path) -> None:
    before = docket(ingested, "--lang", "en", "search", "ủy ban")
    result = docket(ingested, "--lang", "en", "index", "--optimize")
    assert result.returncode == 0, result.stderr
    after = docket(ingested, "--lang", "en", "search", "ủy ban")
    assert after.returncode == 0, after.stderr
    assert "8 results" in before.stdout
    assert after.stdout == before.stdout


def copy_of(ingested: Path, tmp_path: Path) -> Path:
    """A data folder of its own, to damage."""
    import shutil

    data_dir = tmp_path / "data"
    shutil.copytree(ingested, data_dir)
    return data_dir


def indexed_count(data_dir: Path) -> int:
    from ingest.backends import open_backends
    from ingest.settings import load_settings

    with open_backends(load_settings(data_dir=data_dir)) as backends:
        return backends.index.count()


def test_reindex_skips_an_unreadable_record_names_it_and_fails_at_the_end(
    ingested: Path, tmp_path: Path
) -> None:
    data_dir = copy_of(ingested, tmp_path)
    records = sorted((data_dir / "store" / "records").rglob("*.json"))
    assert len(records) == 8
    records[0].write_bytes(b'{"doc_id": "cut off by a full disk')
    key = records[0].relative_to(data_dir / "store").as_posix()

    result = docket(data_dir, "--lang", "en", "reindex")

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert key in result.stdout + result.stderr
    assert indexed_count(data_dir) == 7  # the rest were rebuilt


def test_a_corrupt_index_is_one_line_and_heals_once_moved_aside(
    ingested: Path, tmp_path: Path
) -> None:
    data_dir = copy_of(ingested, tmp_path)
    index = data_dir / "index.sqlite"
    for leftover in data_dir.glob("index.sqlite-*"):
        leftover.unlink()
    index.write_bytes(b"this is no longer an SQLite file " * 512)

    result = docket(data_dir, "--lang", "en", "index")

    assert result.returncode != 0
    message = (result.stdout + result.stderr).strip()
    assert "Traceback" not in message and message.count("\n") == 0, message
    assert "damaged" in message and str(index) in message and "docket reindex" in message

    index.rename(index.with_name("index.sqlite.damaged"))  # as the message says
    healed = docket(data_dir, "--lang", "en", "index")

    assert healed.returncode == 0, healed.stderr
    assert "Indexed 8 documents" in healed.stdout
    assert indexed_count(data_dir) == 8
