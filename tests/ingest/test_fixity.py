"""Fixity: every original re-read and compared with its record; problems reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.backends import Backends, open_backends
from ingest.fixity import FixityProblemKind, check_fixity, in_slice, slice_for
from kernel.model import DocumentRecord
from kernel.settings import Settings
from tests.ingest.register.records import make_record


def archive(backends: Backends, tmp: Path, seed: str) -> DocumentRecord:
    """Archive the file whose bytes are ``seed`` the way the pipeline does."""
    source = tmp / f"{seed}.bin"
    source.write_text(seed)
    record = make_record(seed)
    backends.store.put_file(record.original_key, source, record.sha256, "application/pdf")
    backends.register.register_document(record)
    backends.store.put_bytes(record.record_key, record.model_dump_json().encode(),
                             "application/json")
    return record


@pytest.fixture
def archived(tmp_path: Path) -> tuple[Settings, Backends, list[DocumentRecord]]:
    settings = Settings(root=tmp_path, data_dir=tmp_path / "var")
    backends = open_backends(settings)
    records = [archive(backends, tmp_path, f"document {n}") for n in range(8)]
    yield settings, backends, records
    backends.close()


def test_intact_archive_passes(archived) -> None:
    _settings, backends, records = archived
    report = check_fixity(backends)
    assert report.ok
    assert report.checked == len(records)
    assert report.summary() == {"checked": 8, "ok": 8, "missing": 0, "mismatched": 0}


def test_damage_is_reported_never_repaired(archived) -> None:
    settings, backends, records = archived
    flipped = settings.store_location / records[0].original_key
    flipped.write_bytes(b"bit rot")
    (settings.store_location / records[1].original_key).unlink()
    (settings.store_location / records[2].record_key).unlink()

    report = check_fixity(backends)

    assert not report.ok
    kinds = {p.doc_id: p.kind for p in report.problems}
    assert kinds == {
        records[0].doc_id: FixityProblemKind.CHECKSUM_MISMATCH,
        records[1].doc_id: FixityProblemKind.MISSING_ORIGINAL,
        records[2].doc_id: FixityProblemKind.MISSING_RECORD,
    }
    assert report.summary() == {"checked": 8, "ok": 5, "missing": 2, "mismatched": 1}
    assert flipped.read_bytes() == b"bit rot"  # evidence kept as found
    assert all(p.line().startswith(p.kind.value) for p in report.problems)


def test_slices_cover_the_archive_once(archived) -> None:
    _settings, backends, records = archived
    reports = [check_fixity(backends, slice_index=i, slice_count=3) for i in range(3)]
    assert sum(r.checked for r in reports) == len(records)
    for record in records:
        assert sum(in_slice(record.doc_id, i, 3) for i in range(3)) == 1
    with pytest.raises(ValueError):
        check_fixity(backends, slice_index=3, slice_count=3)


def test_consecutive_weeks_take_turns() -> None:
    from datetime import date, timedelta

    monday = date(2025, 3, 3)
    turns = [slice_for(monday + timedelta(weeks=w), 4) for w in range(8)]
    assert sorted(turns[:4]) == [0, 1, 2, 3]
    assert turns[:4] == turns[4:]
    assert slice_for(monday, 1) == 0
