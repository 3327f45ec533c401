"""A run killed with SIGKILL anywhere loses no file, skips or reuses no number,
and the very next run takes its files back at once and says how many."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.backends import open_backends
from ingest.indexing import load_record
from ingest.samples import load_truth
from kernel.settings import Settings
from tests.apps.cli.test_commands import DOCKET, docket
from tests.ingest.crashing_ingest import POINTS
from tests.ingest.test_pipeline import (
    assert_nothing_lost,
    descendants,
    make_settings,
    sample_documents,
    stage,
)

ROOT = Path(__file__).resolve().parents[2]


def born_digital(demo_samples: Path, count: int = 8) -> list[Path]:
    return [d for d in sample_documents(demo_samples)
            if load_truth(d)["kind"] in ("text_pdf", "docx", "text")][:count]


def work_files(settings: Settings) -> list[Path]:
    work = settings.inbox_location / ".docket" / "work"
    while True:
        try:
            return [p for p in work.rglob("*") if p.is_file() and not p.name.startswith(".")]
        except FileNotFoundError:  # a chunk moved into a lane while we looked: look again
            continue


def next_ingest(settings: Settings) -> dict[str, int]:
    """``docket ingest`` run by a clerk right after the crash; its summary."""
    result = docket(settings.data_dir, "--lang", "en", "ingest", "--no-wait", "--json")
    assert result.returncode == 0, result.stderr
    print(result.stdout, result.stderr)  # the whole report, shown when a test fails
    summary: dict[str, int] = json.loads(result.stdout)["summary"]
    return summary


def assert_whole_and_numbered_once(settings: Settings, staged: dict[str, str]) -> None:
    assert_nothing_lost(settings, staged)
    assert not list((settings.inbox_location / ".docket" / "work").iterdir())
    with open_backends(settings) as backends:
        register = backends.register
        assert register.stats()["documents"] == len(staged)
        for direction in ("incoming", "outgoing"):
            expected = sum(1 for rel in staged if rel.startswith(direction))
            year = register.year_of(datetime.now(UTC))
            books = [[row.number for row in register.register_book(year, direction, book)]
                     for book in ("ordinary", "secret")]
            for numbers in books:
                assert numbers == list(range(1, len(numbers) + 1)), direction
            assert sum(len(numbers) for numbers in books) == expected, direction
        for sha256 in staged.values():
            document = register.find_by_sha256(sha256)
            assert document is not None and document.duplicates_received == 0
            record = load_record(backends, document.doc_id)
            assert record.registration == document.registration
            assert not record.duplicates_received
        assert backends.index.count() == len(staged), register.pending_index()


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS)
def test_a_kill_in_the_group_commit_is_recovered_by_the_very_next_run(
    point: str, demo_samples: Path, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path)
    staged = stage(born_digital(demo_samples), demo_samples, settings.inbox_location)

    crashed = subprocess.run(
        [sys.executable, "-m", "tests.ingest.crashing_ingest", str(settings.data_dir), point],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    left = len(work_files(settings))
    assert left == len(staged), "every file stays claimed"

    # No waiting: the lock of the killed run is free, so its batch is taken back now.
    summary = next_ingest(settings)

    assert summary["archived"] == len(staged)
    assert summary["recovered"] == left and summary["held"] == 0
    assert summary["duplicate"] == 0 and summary["quarantined"] == 0
    assert_whole_and_numbered_once(settings, staged)


def kill_when(process: subprocess.Popen[str], ready: callable, timeout: float = 120) -> None:  # type: ignore[valid-type]
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, "the run ended before the moment to kill it"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    # The run and every process under it (workers are in sessions of their
    # own), all at once as a power cut would: frozen first, so none starts
    # another while the others are killed.
    frozen: set[int] = set()
    found = {process.pid}
    while found - frozen:
        for pid in found - frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
        frozen |= found
        found = {process.pid, *descendants(process.pid)}
    for pid in frozen:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait(30)


def tesseract_reads_a_page(ingest: subprocess.Popen[str]) -> bool:
    tree = descendants(ingest.pid)
    return any(name.startswith("tesseract") for _ppid, name in tree.values())


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["claimed", "ocr", "first_released"])
def test_docket_ingest_killed_from_outside_is_finished_by_the_next_one(
    moment: str, demo_samples: Path, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path)
    documents = born_digital(demo_samples, 12)
    if moment == "ocr":  # a scan first, so the kill finds its Tesseract running
        documents = [d for d in sample_documents(demo_samples)
                     if load_truth(d)["kind"] == "jpeg"][:1] + documents[:5]
    staged = stage(documents, demo_samples, settings.inbox_location)
    # Batches of four: a kill after the first release leaves batches never started.
    env = {**os.environ, "DOCKET_DATA_DIR": str(settings.data_dir), "DOCKET_QUIET_SECONDS": "0",
           "DOCKET_BATCH_SIZE": "4"}
    process = subprocess.Popen([str(DOCKET), "ingest", "--no-wait", "--json"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               text=True, start_new_session=True)
    processed = settings.inbox_location / "processed"

    def ready() -> bool:
        if moment == "claimed":
            return bool(work_files(settings))
        if moment == "ocr":
            return tesseract_reads_a_page(process)
        return processed.exists() and any(p.is_file() for p in processed.rglob("*"))

    kill_when(process, ready)
    left = len(work_files(settings))
    done = sum(1 for p in processed.rglob("*") if p.is_file()) if processed.exists() else 0
    assert left > 0

    summary = next_ingest(settings)

    # The files claimed by the killed run, and those it had not yet claimed.
    assert summary["archived"] + summary["duplicate"] == len(staged) - done
    assert summary["recovered"] == left
    assert summary["quarantined"] == 0
    assert_whole_and_numbered_once(settings, staged)
    # What the killed workers left (OCR page images) was found and removed.
    scratch = settings.inbox_location / ".docket" / "tmp"
    assert not [p for p in scratch.rglob("*") if p.is_file() and p.name != ".lock"]


@pytest.mark.slow
def test_a_kill_between_reason_file_and_move_leaves_one_pair(
    demo_samples: Path, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path)
    staged = stage(born_digital(demo_samples, 2), demo_samples, settings.inbox_location)
    (settings.inbox_location / "incoming" / "empty.pdf").write_bytes(b"")

    crashed = subprocess.run(
        [sys.executable, "-m", "tests.ingest.crashing_ingest", str(settings.data_dir),
         "quarantining"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr

    summary = next_ingest(settings)

    assert summary["quarantined"] == 1 and summary["archived"] == 2
    quarantine = settings.inbox_location / "quarantine" / "incoming"
    assert sorted(p.name for p in quarantine.iterdir()) == ["empty.pdf", "empty.pdf.reason.json"]
    assert_nothing_lost(settings, staged)
