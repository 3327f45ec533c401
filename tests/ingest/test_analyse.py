"""The workers' half of the ingest: a file read, then stored by the worker that read it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ingest.analyse import AnalysisTask, ArchiveTarget, analyse_and_archive
from ingest.extract.base import ExtractLimits
from ingest.samples import load_truth
from ingest.store.local import LocalFolderStore
from kernel.model import original_key, text_key


def born_digital_pdf(samples: Path) -> Path:
    return next(p for p in sorted(samples.rglob("*.pdf"))
                if load_truth(p).get("kind") == "text_pdf")


def test_the_worker_stores_the_original_and_text_it_read(
    demo_samples: Path, tmp_path: Path
) -> None:
    source = born_digital_pdf(demo_samples)
    sha256 = hashlib.sha256(source.read_bytes()).hexdigest()
    store = LocalFolderStore(tmp_path / "store", fsync=False)
    shared = store.for_workers()
    assert shared is not None
    analysis = analyse_and_archive(
        AnalysisTask(source, ExtractLimits(), ArchiveTarget(shared, sha256)))
    assert analysis.stored is not None
    assert analysis.stored.key == original_key(sha256)
    assert analysis.stored.size == source.stat().st_size
    assert store.verify(original_key(sha256), sha256)
    assert store.get_bytes(text_key(sha256)).decode() == analysis.extraction.text
    assert analysis.extraction.text.strip()


def test_without_a_store_for_workers_the_worker_only_reads(
    demo_samples: Path, tmp_path: Path
) -> None:
    analysis = analyse_and_archive(AnalysisTask(born_digital_pdf(demo_samples), ExtractLimits()))
    assert analysis.stored is None and analysis.extraction.text.strip()


@pytest.mark.parametrize("broken", ["originals", "text"])
def test_a_store_failing_in_the_worker_leaves_the_storing_to_the_parent(
    demo_samples: Path, tmp_path: Path, broken: str
) -> None:
    source = born_digital_pdf(demo_samples)
    sha256 = hashlib.sha256(source.read_bytes()).hexdigest()
    store = LocalFolderStore(tmp_path / "store", fsync=False)
    (store.root / broken).write_bytes(b"a file where a folder should be")
    shared = store.for_workers()
    assert shared is not None
    analysis = analyse_and_archive(
        AnalysisTask(source, ExtractLimits(), ArchiveTarget(shared, sha256)))
    # The parent stores it again, and reports the store's own error if it fails there too.
    assert analysis.stored is None and analysis.extraction.text.strip()
