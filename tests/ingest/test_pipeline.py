"""The ingest end to end on the embedded default, with real files and real Tesseract.

Every input must end archived (stored copy with matching SHA-256, registered,
searchable) or quarantined beside a reason file; nothing is lost.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ingest.backends import open_backends
from ingest.indexing import index_pending, load_record
from ingest.pipeline import Outcome, RunReport, ingest_once
from ingest.register import Register
from ingest.samples import load_truth
from ingest.samples.hostile import write_hostile_set
from ingest.store.local import LocalFolderStore
from kernel.errors import StoreUnavailable
from kernel.model import doc_id_for
from kernel.settings import Settings, load_settings
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
    store = LocalFolderStore(settings.store_location)
    inbox = settings.inbox_location
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
    staged = stage(chosen, demo_samples, settings.inbox_location)
    return settings, staged, run(settings)


def test_every_file_is_archived_registered_and_indexed(archive) -> None:  # type: ignore[no-untyped-def]
    settings, staged, report = archive
    assert report.count(Outcome.ARCHIVED) == len(staged)
    assert report.index.indexed == len(staged) and not report.index.failed
    assert_nothing_lost(settings, staged)
    assert not list((settings.inbox_location / ".docket" / "work").iterdir())


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
    staged = stage([c.path for c in cases], tmp_path / "hostile", settings.inbox_location)
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
    stage([first], demo_samples, settings.inbox_location)
    report = run(settings)
    [archived] = report.files
    # The same bytes again, under another name in another folder.
    copy = settings.inbox_location / "incoming" / "copy" / "again.pdf"
    copy.parent.mkdir(parents=True)
    shutil.copy2(first, copy)
    stage([second], demo_samples, settings.inbox_location)
    report = run(settings)
    outcomes = {f.original_name: f for f in report.files}
    assert outcomes["again.pdf"].outcome is Outcome.DUPLICATE
    assert outcomes["again.pdf"].doc_id == archived.doc_id
    assert outcomes[second.name].registration == "2/" + archived.registration.split("/")[1]
    with open_backends(settings) as backends:
        record = load_record(backends, archived.doc_id)
        assert [e.original_name for e in record.duplicates_received] == ["again.pdf"]
        assert backends.index.count() == 2


def test_identical_bytes_twice_in_one_run_are_one_document_and_its_duplicates(
    demo_samples: Path, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path)
    [document] = [d for d in sample_documents(demo_samples)
                  if load_truth(d)["kind"] == "text_pdf" and "incoming" in d.parts][:1]
    copies = [settings.inbox_location / "incoming" / "a" / "first.pdf",
              settings.inbox_location / "incoming" / "b" / "again.pdf",
              settings.inbox_location / "outgoing" / "sent-back.pdf"]
    for copy in copies:
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(document, copy)

    report = run(settings)

    assert report.count(Outcome.ARCHIVED) == 1 and report.count(Outcome.DUPLICATE) == 2
    [archived] = [f for f in report.files if f.outcome is Outcome.ARCHIVED]
    for duplicate in (f for f in report.files if f.outcome is Outcome.DUPLICATE):
        assert duplicate.doc_id == archived.doc_id
        if duplicate.direction != archived.direction:  # no number shown from another book
            assert duplicate.registration is None, duplicate
    with open_backends(settings) as backends:
        assert backends.register.stats()["documents"] == 1
        record = load_record(backends, archived.doc_id)
        assert len(record.duplicates_received) == 2
        year = backends.register.year_of(record.received_at)
        assert [r.number for r in backends.register.register_book(year, "incoming")] == [1]
        assert backends.register.register_book(year, "outgoing") == []


def test_links_and_pipes_in_the_inbox_are_quarantined_never_followed(
    demo_samples: Path, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    [document] = [d for d in sample_documents(demo_samples)
                  if load_truth(d)["kind"] == "text_pdf"][:1]
    secret = outside / "secret.pdf"
    shutil.copy2(document, secret)
    shutil.copy2(document, outside / "in-a-folder.pdf")
    incoming = settings.inbox_location / "incoming"
    incoming.mkdir(parents=True)
    (incoming / "link-out.pdf").symlink_to(secret)
    (incoming / "dangling.pdf").symlink_to(tmp_path / "nowhere.pdf")
    (incoming / "linked-folder").symlink_to(outside, target_is_directory=True)
    os.mkfifo(incoming / "pipe.pdf")

    report = run(settings)

    names = {"link-out.pdf", "dangling.pdf", "linked-folder", "pipe.pdf"}
    assert {f.original_name for f in report.files} == names
    assert {f.reason for f in report.files} == {"not_a_regular_file"}
    assert not [p for p in incoming.iterdir()], "nothing stays in the inbox without a word"
    quarantine = settings.inbox_location / "quarantine" / "incoming"
    for name in names:
        assert (quarantine / (name + ".reason.json")).is_file(), name
    assert (quarantine / "link-out.pdf").is_symlink()  # the link itself, moved
    assert secret.read_bytes() == document.read_bytes()
    assert sorted(p.name for p in outside.iterdir()) == ["in-a-folder.pdf", "secret.pdf"]
    with open_backends(settings) as backends:
        assert backends.register.stats()["documents"] == 0
    assert not list((settings.data_dir / "store").rglob("originals/*/*"))


VIETNAMESE_TEXT = (
    "ỦY BAN NHÂN DÂN TỈNH HÀ NAM\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\nQuyết định về việc ban hành quy chế làm việc của "
    "Ủy ban nhân dân tỉnh. Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 "
    "năm 2015; xét đề nghị của Giám đốc Sở Nội vụ.\n")
FRENCH_TEXT = ("Le comité a décidé, après une réunion à Genève, que la coopération "
               "économique était nécessaire. Ça coûte cher, dit le délégué.\n")
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258(text: str) -> bytes:
    """``text`` as Windows-1258 writes it: letters precomposed, tone marks combining."""
    import unicodedata

    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
            out += (base + "".join(c for c in parts if c in TONE_MARKS)).encode("cp1258")
    return bytes(out)


def test_legacy_encoded_text_is_read_not_quarantined(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    folder = settings.inbox_location / "incoming"
    folder.mkdir(parents=True)
    files = {"quyet-dinh-1258.txt": (windows_1258(VIETNAMESE_TEXT), VIETNAMESE_TEXT),
             "lettre-latin1.txt": (FRENCH_TEXT.encode("latin-1"), FRENCH_TEXT)}
    for name, (data, _text) in files.items():
        (folder / name).write_bytes(data)

    report = run(settings)

    assert report.count(Outcome.ARCHIVED) == 2, report.files
    with open_backends(settings) as backends:
        for f in report.files:
            data, text = files[f.original_name]
            assert f.doc_id is not None
            record = load_record(backends, f.doc_id)
            assert backends.store.get_bytes(record.original_key) == data  # the bytes as sent
            assert backends.store.get_bytes(record.text_key).decode() == text, f.original_name
        hits = backends.index.search(SearchQuery(text="Sở Nội vụ"))
        assert [h.document.original_name for h in hits.hits] == ["quyet-dinh-1258.txt"]


def test_same_number_symbol_and_issuer_is_flagged(demo_samples: Path, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    text = next(d for d in sample_documents(demo_samples) if load_truth(d)["kind"] == "text")
    stage([text], demo_samples, settings.inbox_location)
    run(settings)
    variant = settings.inbox_location / "incoming" / "variant.txt"
    variant.write_text(text.read_text(encoding="utf-8") + "\n(bản chụp lại)\n", encoding="utf-8")
    report = run(settings)
    [flagged] = report.files
    assert flagged.outcome is Outcome.ARCHIVED and flagged.possible_duplicate_of


class CountingRegister(Register):
    """A register that counts how often the ingest asks what waits for the index."""

    asked = 0

    def pending_index(self, limit: int | None = None) -> list[str]:
        self.asked += 1
        return super().pending_index(limit)


def test_what_waits_for_the_index_is_looked_for_once_per_run(
    demo_samples: Path, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, batch_size=2)
    docs = [d for d in sample_documents(demo_samples)
            if load_truth(d)["kind"] in ("text", "docx", "text_pdf")][:4]
    stage(docs, demo_samples, settings.inbox_location)
    register = CountingRegister.from_settings(settings)
    assert isinstance(register, CountingRegister)
    with open_backends(settings, register=register) as backends:
        report = ingest_once(settings, backends, wait=False)
    assert report.count(Outcome.ARCHIVED) == 4 and report.index.indexed == 4
    # Two chunks in two lanes side by side: one index_pending for the run, after
    # both (each lane's own groups indexed from the documents in hand).
    assert register.asked == 1


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
    staged = stage(docs, demo_samples, settings.inbox_location)
    with open_backends(settings, store=RecordsFailStore(settings.store_location)) as backends, \
            pytest.raises(StoreUnavailable):
        ingest_once(settings, backends, wait=False)
    for relative in staged:
        assert (settings.inbox_location / relative).exists(), "file must stay in the inbox"
    report = run(settings)  # the store is back
    assert sorted(f.registration.split("/")[0] for f in report.files) == ["1", "2"]
    assert_nothing_lost(settings, staged)


def test_a_store_the_workers_cannot_write_fails_the_run_as_a_store_outage(
    demo_samples: Path, tmp_path: Path
) -> None:
    # The workers store originals in the local folder; when they cannot, the
    # parent tries and reports the store's own error: nothing leaves the inbox.
    settings = make_settings(tmp_path)
    docs = [d for d in sample_documents(demo_samples) if load_truth(d)["kind"] == "text_pdf"][:2]
    staged = stage(docs, demo_samples, settings.inbox_location)
    originals = settings.store_location / "originals"
    originals.parent.mkdir(parents=True, exist_ok=True)
    originals.write_bytes(b"a file where the originals folder should be")
    with open_backends(settings) as backends, pytest.raises(StoreUnavailable):
        ingest_once(settings, backends, wait=False)
    for relative in staged:
        assert (settings.inbox_location / relative).exists(), "file must stay in the inbox"
    originals.unlink()
    report = run(settings)
    assert report.count(Outcome.ARCHIVED) == 2
    # No number was used up by the failed run: each book ("1/2026", "1/2026-M") runs from 1.
    by_book: dict[tuple[str, str], list[int]] = {}
    for file in report.files:
        assert file.registration is not None
        number, book = file.registration.split("/", 1)
        by_book.setdefault((file.direction, book), []).append(int(number))
    assert all(sorted(n) == list(range(1, len(n) + 1)) for n in by_book.values())
    assert_nothing_lost(settings, staged)


def test_index_outage_archives_and_indexes_later(demo_samples: Path, tmp_path: Path) -> None:
    broken = tmp_path / "not-a-folder"
    broken.write_text("a file where the index folder should be")
    settings = make_settings(tmp_path, index_path=broken / "index.sqlite")
    docs = [d for d in sample_documents(demo_samples) if load_truth(d)["kind"] == "docx"][:2]
    staged = stage(docs, demo_samples, settings.inbox_location)
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


INDEX_LOCKER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("BEGIN IMMEDIATE")  # the write lock, as a long optimize or rebuild holds it
print("locked", flush=True)
time.sleep(600)
"""


@pytest.mark.slow
def test_a_locked_index_costs_a_short_wait_per_batch_then_the_index_catches_up(
    demo_samples: Path, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, batch_size=4)
    with open_backends(settings) as backends:
        backends.index.count()  # the index file exists, as on any running installation
    docs = [d for d in sample_documents(demo_samples)
            if load_truth(d)["kind"] in ("text_pdf", "docx", "text")][:8]
    staged = stage(docs, demo_samples, settings.inbox_location)
    locker = subprocess.Popen([sys.executable, "-c", INDEX_LOCKER, str(settings.index_location)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout is not None and locker.stdout.readline() == "locked\n"
        started = time.monotonic()
        report = run(settings)
        took = time.monotonic() - started
    finally:
        locker.kill()
        locker.wait()

    assert report.count(Outcome.ARCHIVED) == 8
    assert report.index.unavailable and len(report.index.failed) == 8
    assert took < 40, f"{took:.0f} s for two batches of four born-digital files"
    assert_nothing_lost(settings, staged)
    with open_backends(settings) as backends:  # what docket_index does next
        assert index_pending(backends).indexed == 8
        assert backends.index.count() == 8


def descendants(pid: int) -> dict[int, tuple[int, str]]:
    """Every process under ``pid``: its parent and command name, read from /proc."""
    table: dict[int, tuple[int, str]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            name = text[text.index("(") + 1:text.rindex(")")]
            ppid = int(text[text.rindex(")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):  # it ended while being read
            continue
        table[int(stat.parent.name)] = (ppid, name)
    found, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, name) in table.items():
            if ppid == parent:
                found[child] = (ppid, name)
                frontier.append(child)
    return found


def ingest_killing_the_worker_during_ocr(
    settings: Settings, staged: dict[str, str]
) -> tuple[RunReport, list[str]]:
    """Ingest while kill -9 hits the worker whose Tesseract reads a page, as the
    OOM killer would; the report and the killed Tesseract's command line."""
    killed: list[str] = []

    def kill_the_worker_running_tesseract() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            tree = descendants(os.getpid())
            for pid, (ppid, name) in tree.items():
                if name.startswith("tesseract") and ppid in tree:
                    try:
                        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                    except OSError:
                        continue  # it finished meanwhile: the next page's will do
                    if len(argv) < 2 or argv[1].startswith(b"-"):
                        continue  # --list-langs, not a page
                    os.kill(ppid, signal.SIGKILL)
                    killed.extend(a.decode() for a in argv if a)
                    return
            time.sleep(0.02)

    killer = threading.Thread(target=kill_the_worker_running_tesseract)
    killer.start()
    report = run(settings)
    killer.join()
    assert killed, "Tesseract never ran"
    return report, killed


def one_scan(demo_samples: Path, settings: Settings) -> dict[str, str]:
    [scan] = [d for d in sample_documents(demo_samples)
              if load_truth(d)["kind"] == "jpeg"][:1]
    return stage([scan], demo_samples, settings.inbox_location)


@pytest.mark.slow
def test_a_worker_killed_from_outside_does_not_quarantine_a_good_scan(
    demo_samples: Path, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, workers=1)
    staged = one_scan(demo_samples, settings)

    report, _tesseract = ingest_killing_the_worker_during_ocr(settings, staged)

    assert report.count(Outcome.QUARANTINED) == 0, report.files
    assert report.count(Outcome.ARCHIVED) == 1
    assert_nothing_lost(settings, staged)


@pytest.mark.slow
def test_a_killed_workers_page_images_are_found_and_removed(
    demo_samples: Path, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, workers=1)
    staged = one_scan(demo_samples, settings)

    _report, tesseract = ingest_killing_the_worker_during_ocr(settings, staged)

    page_image = Path(tesseract[1])  # tesseract IMAGE OUTPUTBASE ...
    assert page_image.is_relative_to(settings.inbox_location / ".docket"), page_image
    assert not page_image.exists() and not page_image.parent.exists()
    scratch = settings.inbox_location / ".docket" / "tmp"
    assert not [p for p in scratch.rglob("*") if p.is_file() and p.name != ".lock"]
