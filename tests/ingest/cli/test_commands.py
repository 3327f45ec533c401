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


def docket(data_dir: Path, *args: str,
           env: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """Run ``docket ARGS`` on ``data_dir``; ``env`` adds ``NAME=value`` settings."""
    environ = {**os.environ, "DOCKET_DATA_DIR": str(data_dir), "DOCKET_QUIET_SECONDS": "0",
               **dict(item.split("=", 1) for item in env)}
    return subprocess.run([str(DOCKET), *args], env=environ, capture_output=True, text=True,
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
