"""The ingest end to end on the embedded default, with real files and real Tesseract.

Every input must end archived (stored copy with matching SHA-256, registered,
searchable) or quarantined beside a reason file; nothing is lost.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from ingest.backends import open_backends
from ingest.errors import StoreUnavailable
from ingest.indexing import load_record
from ingest.model import doc_id_for
from ingest.pipeline import Outcome, RunReport, ingest_once
from ingest.samples import load_truth
from ingest.samples.hostile import write_hostile_set
from ingest.settings import Settings, load_settings
from ingest.store.local import LocalFolderStore
from search.model import SearchFilters, SearchQuery

SCAN_KINDS = {"scan_pdf", "tiff", "jpeg", "png"}


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"data_dir": tmp_path / "var", "quiet_seconds": 0.0,
                                 "file_timeout_seconds": 120.0}
    values.update(overrides)
    return load_settings(**values)


def stage(documents: list[Path], samples: Path, inbox: Path) -> dict[str, str]:
    """Copy documents into the inbox; returns relative inbox path -> sha256."""
    staged = {}
    for document in documents:
        relative = document.relative_to(samples)
        target = inbox / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(document, target)
        staged[relative.as_posix()] = hashlib.sha256(target.read_bytes()).hexdigest()
    return staged


def sample_documents(samples: Path) -> list[Path]:
    return sorted(p for p in samples.rglob("*") if p.is_file() and not p.name.endswith(".json"))


def run(settings: Settings) -> RunReport:
    with open_backends(settings) as backends:
        return ingest_once(settings, backends, wait=False)


def assert_nothing_lost(settings: Settings, staged: dict[str, str]) -> None:
    """Each input is either archived with a matching SHA-256 or quarantined with a reason."""
    store = LocalFolderStore(settings.store_dir)
    inbox = settings.inbox_dir
    for relative, sha256 in staged.items():
        quarantined = inbox / "quarantine" / relative
        if quarantined.exists():
            reason_file = quarantined.with_name(quarantined.name + ".reason.json")
            reason = json.loads(reason_file.read_text())
            assert reason["reason"] and reason["message"], relative
            assert hashlib.sha256(quarantined.read_bytes()).hexdigest() == sha256
            continue
        key = f"originals/{sha256[:2]}/{sha256}"
        assert store.verify(key, sha256), f"{relative} neither archived nor quarantined"
        assert (inbox / "processed" / relative).exists(), relative
        assert not (inbox / relative).exists(), relative


@pytest.fixture(scope="module")
def archive(
    demo_samples: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Settings, dict[str, str], RunReport]:
    """The demo set (born-digital files plus two scans) ingested once."""
    documents = sample_documents(demo_samples)
    scans = [d for d in documents if load_truth(d)["kind"] in SCAN_KINDS]
    chosen = [d for d in documents if d not in scans]
    chosen += [d for d in scans if load_truth(d).get("scan", {}).get("rotation") == 180][:1]
    chosen += [d for d in scans if load_truth(d)["kind"] == "jpeg"][:1]
    settings = make_settings(tmp_path_factory.mktemp("archive"))
    staged = stage(chosen, demo_samples, settings.inbox_dir)
    return settings, staged, run(settings)


def test_every_file_is_archived_registered_and_indexed(archive) -> None:  # type: ignore[no-untyped-def]
    settings, staged, report = archive
    assert report.count(Outcome.ARCHIVED) == len(staged)
    assert report.index.indexed == len(staged) and not report.index.failed
    assert_nothing_lost(settings, staged)
    assert not list((settings.inbox_dir / ".docket" / "work").iterdir())


def test_numbers_run_from_one_per_direction_and_book_without_gaps(archive) -> None:  # type: ignore[no-untyped-def]
    _settings, staged, report = archive
    for direction in ("incoming", "outgoing"):
        labels = [f.registration for f in report.files
                  if f.direction == direction and f.registration]
        assert len(labels) == sum(1 for rel in staged if rel.startswith(direction))
        # Documents marked MẬT and above are numbered apart ("3/2026-M").
        for secret in (False, True):
            numbers = sorted(int(label.split("/")[0]) for label in labels
                             if label.endswith("-M") == secret)
            assert numbers == list(range(1, len(numbers) + 1)), (direction, secret)
    assert any(f.registration.endswith("-M") for f in report.files if f.registration)


def test_records_carry_the_metadata_and_provenance(archive, demo_samples: Path) -> None:  # type: ignore[no-untyped-def]
    settings, staged, _report = archive
    with open_backends(settings) as backends:
        for relative, sha256 in staged.items():
            record = load_record(backends, doc_id_for(sha256))
            truth = load_truth(demo_samples / relative)
            assert record.direction == truth["direction"]
            assert record.folder == truth["folder"]
            assert record.original_name == Path(relative).name
            assert record.sha256 == sha256 and record.size > 0 and record.page_count >= 1
            assert record.ocr_used == (truth["kind"] in SCAN_KINDS), relative
            if truth["kind"] in SCAN_KINDS:
                assert record.ocr_pages == list(range(1, record.page_count + 1))
            assert record.language == truth["language"], relative
            if truth["language"] == "vi" and truth["kind"] not in SCAN_KINDS:
                expected = truth["metadata"]["number_symbol"]
                assert record.meta("number_symbol") == expected, relative


def test_search_finds_documents_with_or_without_diacritics(archive) -> None:  # type: ignore[no-untyped-def]
    settings, _staged, _report = archive
    with open_backends(settings) as backends:
        with_marks = backends.index.search(SearchQuery(text="quyết định"))
        without = backends.index.search(SearchQuery(text="quyet dinh"))
        outgoing = backends.index.search(
            SearchQuery(text="", filters=SearchFilters(direction="outgoing")))
    assert with_marks.total > 0 and without.total >= with_marks.total
    assert {h.doc_id for h in with_marks.hits} <= {h.doc_id for h in without.hits} | set()
    assert outgoing.total == sum(1 for rel in _staged if rel.startswith("outgoing"))


def test_a_second_run_changes_nothing(archive) -> None:  # type: ignore[no-untyped-def]
    settings, staged, _report = archive
    again = run(settings)
    assert again.files == []
    with open_backends(settings) as backends:
        assert backends.index.count() == len(staged)


def test_hostile_inputs_end_in_quarantine_with_their_reason(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, max_image_pixels=50_000_000)
    cases = write_hostile_set(tmp_path / "hostile")
    staged = stage([c.path for c in cases], tmp_path / "hostile", settings.inbox_dir)
    report = run(settings)
    outcomes = {f.original_name: (f.outcome, f.reason) for f in report.files}
    for case in cases:
        outcome, reason = outcomes[case.path.name]
        if case.expected == "archived":
            assert outcome is Outcome.ARCHIVED, case
        else:
            assert (outcome, reason) == (Outcome.QUARANTINED, case.expected), case
    assert_nothing_lost(settings, staged)


def test_duplicates_are_recorded_not_renumbered(demo_samples: Path, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    [first, second] = [d for d in sample_documents(demo_samples)
                       if load_truth(d)["kind"] == "text_pdf"
                       and not load_truth(d)["metadata"].get("secrecy")][:2]
    stage([first], demo_samples, settings.inbox_dir)
    report = run(settings)
    [archived] = report.files
    # The same bytes again, under another name in another folder.
    copy = settings.inbox_dir / "incoming" / "copy" / "again.pdf"
    copy.parent.mkdir(parents=True)
    shutil.copy2(first, copy)
    stage([second], demo_samples, settings.inbox_dir)
    report = run(settings)
    outcomes = {f.original_name: f for f in report.files}
    assert outcomes["again.pdf"].outcome is Outcome.DUPLICATE
    assert outcomes["again.pdf"].doc_id == archived.doc_id
    assert outcomes[second.name].registration == "2/" + archived.registration.split("/")[1]
    with open_backends(settings) as backends:
        record = load_record(backends, archived.doc_id)
        assert [e.original_name for e in record.duplicates_received] == ["again.pdf"]
        assert backends.index.count() == 2


def test_same_number_symbol_and_issuer_is_flagged(demo_samples: Path, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    text = next(d for d in sample_documents(demo_samples) if load_truth(d)["kind"] == "text")
    stage([text], demo_samples, settings.inbox_dir)
    run(settings)
    variant = settings.inbox_dir / "incoming" / "variant.txt"
    variant.write_text(text.read_text(encoding="utf-8") + "\n(bản chụp lại)\n", encoding="utf-8")
    report = run(settings)
    [flagged] = report.files
    assert flagged.outcome is Outcome.ARCHIVED and flagged.possible_duplicate_of


class RecordsFailStore(LocalFolderStore):
    """A store whose record writes fail, as a full or unreachable store would."""

    def put_bytes(self, key: str, data: bytes, content_type: str,  # type: ignore[no-untyped-def]
                  *, durable: bool = True):
        if key.startswith("records/"):
            raise StoreUnavailable("store unreachable (injected)")
        return super().put_bytes(key, data, content_type, durable=durable)


def test_store_outage_keeps_files_and_uses_no_number(demo_samples: Path, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    docs = [d for d in sample_documents(demo_samples) if load_truth(d)["kind"] == "docx"][:2]
    staged = stage(docs, demo_samples, settings.inbox_dir)
    with open_backends(settings, store=RecordsFailStore(settings.store_dir)) as backends, \
            pytest.raises(StoreUnavailable):
        ingest_once(settings, backends, wait=False)
    for relative in staged:
        assert (settings.inbox_dir / relative).exists(), "file must stay in the inbox"
    report = run(settings)  # the store is back
    assert sorted(f.registration.split("/")[0] for f in report.files) == ["1", "2"]
    assert_nothing_lost(settings, staged)


def test_index_outage_archives_and_indexes_later(demo_samples: Path, tmp_path: Path) -> None:
    broken = tmp_path / "not-a-folder"
    broken.write_text("a file where the index folder should be")
    settings = make_settings(tmp_path, index_path=broken / "index.sqlite")
    docs = [d for d in sample_documents(demo_samples) if load_truth(d)["kind"] == "docx"][:2]
    staged = stage(docs, demo_samples, settings.inbox_dir)
    report = run(settings)
    assert report.count(Outcome.ARCHIVED) == 2
    assert report.index.unavailable and len(report.index.failed) == 2
    assert_nothing_lost(settings, staged)
    healed = settings.model_copy(update={"index_path": tmp_path / "index.sqlite"})
    with open_backends(healed) as backends:
        assert backends.register.pending_index() != []
        later = ingest_once(healed, backends, wait=False)
        assert later.index.indexed == 2
        assert backends.index.count() == 2
