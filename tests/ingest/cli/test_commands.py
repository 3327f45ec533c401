"""The ``docket`` console script, run as a clerk or archivist would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

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


@pytest.mark.parametrize(("language", "subject_header"), [("vi", "Trích yếu"), ("en", "Subject")])
def test_search_table_fits_80_columns_with_each_snippet_under_its_row(
    ingested: Path, language: str, subject_header: str
) -> None:
    shown = docket(ingested, "--lang", language, "search", "ủy ban", env=("COLUMNS=80",))
    assert shown.returncode == 0, shown.stderr
    listed = json.loads(docket(ingested, "search", "ủy ban", "--json").stdout)
    assert len(listed["hits"]) == 8
    lines = shown.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    subject_at = lines[1].index(subject_header)
    for hit in listed["hits"]:
        # The snippet: one line of its own, under its row, after the document's id.
        below = next(i for i, line in enumerate(lines) if line.startswith(f"  {hit['doc_id']}  "))
        assert "<mark>" not in lines[below]
        assert below + 1 == len(lines) or not lines[below + 1][:1].isspace()  # the next row
        # The row: from its first line (the one starting in column 0) to the snippet,
        # the subject alone in its column, whole.
        first = max(i for i in range(below) if not lines[i][:1].isspace())
        column = [line[subject_at:].strip() for line in lines[first:below]]
        assert " ".join(column) == " ".join(hit["document"]["subject"].split())


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
