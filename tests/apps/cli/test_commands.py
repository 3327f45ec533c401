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


def copy_of(ingested: Path, tmp_path: Path) -> Path:
    """A data folder of its own, to damage."""
    import shutil

    data_dir = tmp_path / "data"
    shutil.copytree(ingested, data_dir)
    return data_dir


def indexed_count(data_dir: Path) -> int:
    from ingest.backends import open_backends
    from kernel.settings import load_settings

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


def test_a_partly_lost_index_is_refilled_by_the_next_index_run(
    ingested: Path, tmp_path: Path
) -> None:
    """An older copy of the index put back (or a server that lost some documents)."""
    from ingest.backends import open_backends
    from kernel.settings import load_settings

    data_dir = copy_of(ingested, tmp_path)
    with open_backends(load_settings(data_dir=data_dir)) as backends:
        lost = [ref.doc_id for ref in backends.register.iter_documents()][2:5]
        for doc_id in lost:
            backends.index.delete_document(doc_id)
    assert indexed_count(data_dir) == 5

    healed = docket(data_dir, "--lang", "en", "index")

    assert healed.returncode == 0, healed.stderr
    assert "Indexed 3 documents" in healed.stdout
    assert indexed_count(data_dir) == 8


@pytest.fixture
def full_store(tmp_path: Path) -> Path:
    """A data folder whose store is a 600 KiB file system: it fills up during the run.

    Root mounts a small tmpfs (a real ENOSPC); anyone else gets a read-only
    store folder (a real EACCES), which fails from the first write.
    """
    data_dir = tmp_path / "data"
    store = data_dir / "store"
    store.mkdir(parents=True)
    if os.geteuid() == 0:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(store)],
                                 capture_output=True, text=True, check=False)
        if mounted.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs as root here: {mounted.stderr.strip()}")
        yield data_dir
        subprocess.run(["umount", "-l", str(store)], check=False)
    else:
        store.chmod(0o555)
        yield data_dir
        store.chmod(0o755)


def test_a_store_outage_says_what_was_archived_what_went_back_and_that_nothing_was_lost(
    full_store: Path, tmp_path: Path
) -> None:
    samples = tmp_path / "samples"
    generate_samples(samples, seed=5, profile="bench", born_digital=12, scanned_pages=0)
    stage_into_inbox(samples, full_store / "inbox")
    staged = sorted(p.name for p in (full_store / "inbox").rglob("*") if p.is_file())
    # One lane: chunks one after another, so the store fills after the first ones
    # (two lanes side by side fill it before either commits a chunk).
    env_batch = ("DOCKET_BATCH_SIZE=3", "DOCKET_INGEST_LANES=1")

    as_json = docket(full_store, "--lang", "en", "ingest", "--json", env=env_batch)

    assert as_json.returncode == 75, as_json.stderr
    assert "Traceback" not in as_json.stderr
    report = json.loads(as_json.stdout)
    summary, stopped = report["summary"], report["stopped"]
    assert summary["returned"] > 0
    if os.geteuid() == 0:  # the store filled up after the first batches
        assert summary["archived"] > 0
    assert stopped["retry"] is True and stopped["detail"]
    assert summary["archived"] + summary["returned"] + stopped["waiting"] == len(staged)
    # Nothing lost: every file is archived (processed/), back in the inbox or waiting.
    inbox = full_store / "inbox"
    everywhere = sorted(p.name for p in inbox.rglob("*") if p.is_file() and p.name != ".lock"
                        and not p.name.startswith(".lease"))
    assert everywhere == staged

    as_text = docket(full_store, "--lang", "en", "ingest")
    assert as_text.returncode == 75
    assert "nothing was lost" in as_text.stdout
    assert "went back to the inbox" in as_text.stdout


def test_quarantine_speaks_the_clerks_language_with_local_time_and_keeps_the_detail_apart(
    tmp_path: Path,
) -> None:
    from datetime import datetime, timedelta

    data_dir = tmp_path / "data"
    incoming = data_dir / "inbox" / "incoming"
    incoming.mkdir(parents=True)
    (incoming / "hong.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 200 + b"\n%%EOF\n")

    result = docket(data_dir, "ingest")  # Vietnamese, the default

    assert result.returncode == 0, result.stderr
    assert "tệp bị hỏng" in result.stdout
    assert "PDFium" not in result.stdout  # a library's words are technical detail
    reason = json.loads((data_dir / "inbox" / "quarantine" / "incoming" /
                         "hong.pdf.reason.json").read_text(encoding="utf-8"))
    assert reason["reason"] == "corrupt"
    assert reason["message"].startswith("Tệp bị hỏng")  # in the interface language
    assert reason["message_en"].startswith("The file is damaged")  # English available
    assert "PDF" in reason["detail"] and "PDFium" not in reason["message"]
    quarantined_at = datetime.fromisoformat(reason["time"])
    assert quarantined_at.utcoffset() == timedelta(hours=7)  # Asia/Ho_Chi_Minh, the default
