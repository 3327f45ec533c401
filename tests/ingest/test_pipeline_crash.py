"""A crash anywhere in the group commit loses no file, skips or reuses no number,
and the next run finishes the work without counting anything twice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.backends import open_backends
from ingest.indexing import load_record
from ingest.pipeline import STALE_BATCH_SECONDS, Outcome
from ingest.samples import load_truth
from tests.ingest.crashing_ingest import CRASHED, POINTS
from tests.ingest.test_pipeline import (
    assert_nothing_lost,
    make_settings,
    run,
    sample_documents,
    stage,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS)
def test_a_crash_in_the_group_commit_loses_and_repeats_nothing(
    point: str, demo_samples: Path, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path)
    documents = [d for d in sample_documents(demo_samples)
                 if load_truth(d)["kind"] in ("text_pdf", "docx", "text")][:8]
    staged = stage(documents, demo_samples, settings.inbox_dir)

    crashed = subprocess.run(
        [sys.executable, "-m", "tests.ingest.crashing_ingest", str(settings.data_dir), point],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert crashed.returncode == CRASHED, crashed.stderr
    [batch] = list((settings.inbox_dir / ".docket" / "work").iterdir())
    assert any(p.is_file() for p in batch.rglob("*") if p.name != ".lock"), "files stay claimed"

    # The batch is an orphan now; once old enough, the next run takes it up.
    old = time.time() - STALE_BATCH_SECONDS - 60
    os.utime(batch, (old, old))
    report = run(settings)

    assert report.count(Outcome.DUPLICATE) == 0 and report.count(Outcome.QUARANTINED) == 0
    assert_nothing_lost(settings, staged)
    assert not list((settings.inbox_dir / ".docket" / "work").iterdir())
    with open_backends(settings) as backends:
        register = backends.register
        assert register.stats()["documents"] == len(staged)
        for direction in ("incoming", "outgoing"):
            expected = sum(1 for rel in staged if rel.startswith(direction))
            year = register.year_of(datetime.now(UTC))
            books = [[row.number for row in register.register_book(year, direction, book)]
                     for book in ("ordinary", "secret")]
            for numbers in books:
                assert numbers == list(range(1, len(numbers) + 1)), (point, direction)
            assert sum(len(numbers) for numbers in books) == expected, (point, direction)
        for sha256 in staged.values():
            document = register.find_by_sha256(sha256)
            assert document is not None and document.duplicates_received == 0
            record = load_record(backends, document.doc_id)
            assert record.registration == document.registration
            assert not record.duplicates_received
        assert backends.index.count() == len(staged)
