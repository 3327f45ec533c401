"""Marking and unmarking registered documents: register, record and index move together.

On the embedded backends, with documents ingested by the real pipeline.
Failures come in through the seams production uses: a store that refuses to
write records, a register whose commit fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ingest.backends import Backends, open_backends
from ingest.indexing import load_record
from ingest.pipeline import ingest_once
from ingest.register import LedgerEvent, Register, SecrecyMove
from ingest.register.engine import open_engine
from ingest.secrecy import change_secrecy, misplaced_records, parse_secrecy_mark, separate_existing
from ingest.store.local import LocalFolderStore
from kernel.errors import NotFound, RegisterUnavailable, UsageError
from kernel.settings import Settings, load_settings
from search.model import SearchFilters, SearchQuery

LATER = datetime(2026, 12, 20, 3, tzinfo=UTC)


def cong_van(number: int, mark: str = "") -> str:
    """A short Công văn; ``mark`` stamped on its own header line."""
    return (
        "UỶ BAN NHÂN DÂN TỈNH LÂM ĐỒNG\nSỞ NỘI VỤ\n"
        f"Số: {number}/SNV-VP\n{mark}\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        f"Lâm Đồng, ngày {number} tháng 3 năm 2025\n"
        f"V/v kế hoạch công tác số {number}\nKính gửi: Các phòng chuyên môn\n"
        "Sở Nội vụ đề nghị các phòng thực hiện kế hoạch công tác năm 2025.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nGIÁM ĐỐC\nNguyễn Văn Bình\n"
    )


@pytest.fixture
def ingested(tmp_path: Path) -> tuple[Settings, dict[str, str]]:
    """Three incoming documents (two open, one MẬT): name -> doc id."""
    settings = load_settings(data_dir=tmp_path / "var", quiet_seconds=0)
    names = {"mot.txt": (1, ""), "hai.txt": (2, ""), "mat.txt": (3, "MẬT")}
    for name, (number, mark) in names.items():
        target = settings.inbox_location / "incoming" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(cong_van(number, mark), encoding="utf-8")
    with open_backends(settings) as backends:
        report = ingest_once(settings, backends, wait=False)
    ids = {f.original_name: f.doc_id for f in report.files}
    assert len(ids) == 3 and all(ids.values())
    return settings, {k: v for k, v in ids.items() if v}


def labels(backends: Backends) -> dict[str, str]:
    found = backends.index.search(SearchQuery(page_size=100, facets=(), highlight=False))
    return {h.doc_id: f"{h.document.registration_number}/{h.document.registration_book}"
            for h in found.hits}


def test_parse_secrecy_mark() -> None:
    assert parse_secrecy_mark(" tối   mật ") == "TỐI MẬT"
    assert parse_secrecy_mark("tuye\u0302\u0323t ma\u0302\u0323t") == "TUYỆT MẬT"
    assert parse_secrecy_mark("không") == parse_secrecy_mark("-") == ""
    with pytest.raises(UsageError):
        parse_secrecy_mark("bí mật quốc gia")


def test_marking_moves_register_record_and_index_together(
    ingested: tuple[Settings, dict[str, str]],
) -> None:
    settings, ids = ingested
    with open_backends(settings) as backends:
        before = load_record(backends, ids["hai.txt"])
        assert before.registration is not None and before.registration.book == "ordinary"
        outcome = change_secrecy(backends, ids["hai.txt"], "tối mật", by="Trần Thị C",
                                 reason="Quyết định 15/QĐ-SNV", at=LATER)
        assert outcome.moved and not outcome.index.failed
        record = load_record(backends, ids["hai.txt"])
        assert record == outcome.record
        assert record.registration is not None and record.registration.label.endswith("-M")
        assert record.meta("secrecy") == "TỐI MẬT"
        assert record.metadata["secrecy"].source == "manual"
        [change] = record.secrecy_changes
        assert (change.old_registration, change.new_registration) == (
            before.registration, record.registration)
        assert (change.by, change.reason, change.old_secrecy, change.new_secrecy) == (
            "Trần Thị C", "Quyết định 15/QĐ-SNV", "", "TỐI MẬT")
        # The index knows at once: an uncleared search no longer finds it.
        document = backends.index.get_document(ids["hai.txt"])
        assert document is not None and document.secrecy == 2
        assert document.registration_book == "secret"
        assert backends.register.pending_index() == []
        open_ids = {h.doc_id for h in backends.index.search(
            SearchQuery(filters=SearchFilters(max_secrecy=0), facets=())).hits}
        assert ids["hai.txt"] not in open_ids
        # Lifting the mark: a new ordinary number, the first one is not reused.
        lifted = change_secrecy(backends, ids["hai.txt"], "không", by="Giám đốc",
                                reason="Giải mật", at=LATER)
        assert lifted.moved and lifted.record.meta("secrecy") is None
        assert lifted.record.registration is not None
        assert lifted.record.registration.number == 3  # after mot.txt and hai.txt's own
        assert len(lifted.record.secrecy_changes) == 2
        events = [e for e in backends.register.events_for(record.sha256)
                  if e.event is LedgerEvent.SECRECY_CHANGED]
        assert [e.detail["by"] for e in events if e.detail] == ["Trần Thị C", "Giám đốc"]


def test_bad_requests_change_nothing(ingested: tuple[Settings, dict[str, str]]) -> None:
    settings, ids = ingested
    with open_backends(settings) as backends:
        with pytest.raises(NotFound):
            change_secrecy(backends, "0123456789abcdef", "MẬT", by="a", reason="b")
        with pytest.raises(NotFound):
            change_secrecy(backends, "../../etc/passwd", "MẬT", by="a", reason="b")
        with pytest.raises(UsageError):
            change_secrecy(backends, ids["mot.txt"], "MẬT", by="a", reason=" ")
        with pytest.raises(UsageError):
            change_secrecy(backends, ids["mot.txt"], "SECRET", by="a", reason="b")
        assert load_record(backends, ids["mot.txt"]).secrecy_changes == []


class RecordsRefused(LocalFolderStore):
    """A store whose disk refuses to write records (originals are already there)."""

    def put_bytes(self, key: str, data: bytes, *args: Any, **kwargs: Any) -> Any:
        if key.startswith("records/"):
            raise OSError("disk full")
        return super().put_bytes(key, data, *args, **kwargs)


class CommitFails(Register):
    """A register that loses its connection right after the record was written."""

    @contextmanager
    def changing_secrecy(self, doc_id: str, secrecy: int, *, by: str, reason: str,
                         at: datetime | None = None) -> Iterator[SecrecyMove]:
        with super().changing_secrecy(doc_id, secrecy, by=by, reason=reason, at=at) as move:
            yield move  # the caller writes the record here
            raise RegisterUnavailable("connection lost at commit")


@pytest.mark.parametrize("failing", ["store", "register"])
def test_a_failed_change_leaves_record_and_register_as_they_were(
    ingested: tuple[Settings, dict[str, str]], failing: str
) -> None:
    settings, ids = ingested
    doc_id = ids["mot.txt"]
    if failing == "store":
        seams: dict[str, Any] = {"store": RecordsRefused(settings.store_location)}
    else:
        register = CommitFails(open_engine(settings.register_location), settings.timezone)
        seams = {"register": register}
    with open_backends(settings) as backends:
        record_before = backends.store.get_bytes(f"records/{doc_id[:2]}/{doc_id}.json")
        number_before = load_record(backends, doc_id).registration.number  # type: ignore[union-attr]
    with open_backends(settings, **seams) as backends, pytest.raises(
            (OSError, RegisterUnavailable)):
        change_secrecy(backends, doc_id, "MẬT", by="a", reason="b", at=LATER)
    with open_backends(settings) as backends:
        assert backends.store.get_bytes(f"records/{doc_id[:2]}/{doc_id}.json") == record_before
        document = backends.register.get_document(doc_id)
        assert document is not None
        assert (document.book, document.number) == ("ordinary", number_before)
        # No number of the secret book was used up: the next one is 2 (after mat.txt's 1).
        outcome = change_secrecy(backends, doc_id, "MẬT", by="a", reason="b", at=LATER)
        assert outcome.record.registration is not None
        assert outcome.record.registration.label.startswith("2/")


def test_documents_registered_before_the_secret_book_are_separated(
    ingested: tuple[Settings, dict[str, str]],
) -> None:
    settings, ids = ingested
    with open_backends(settings) as backends:
        # As an older Docket left it: marked MẬT in its record, numbered in the ordinary book.
        key = f"records/{ids['mot.txt'][:2]}/{ids['mot.txt']}.json"
        data = json.loads(backends.store.get_bytes(key))
        data["metadata"]["secrecy"] = {"value": "MẬT", "source": "text", "confidence": 0.9}
        backends.store.put_bytes(key, json.dumps(data).encode(), "application/json")
        assert [r.doc_id for r in misplaced_records(backends)] == [ids["mot.txt"]]
        [outcome] = separate_existing(backends, by="admin", reason="nâng cấp", at=LATER)
        assert outcome.moved and outcome.record.registration is not None
        assert outcome.record.registration.label.endswith("-M")
        assert list(misplaced_records(backends)) == []
        assert separate_existing(backends, by="admin", reason="lần hai") == []
