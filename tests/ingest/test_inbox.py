"""The watched folders: only complete files are taken, each exactly once."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from ingest.inbox import Inbox, is_temporary_name


def drop(path: Path, data: bytes = b"%PDF-1.4 test", age: float = 60.0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    past = time.time() - age
    os.utime(path, (past, past))
    return path


def test_temporary_names_are_never_taken(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path)
    for name in ("a.pdf.part", "b.tmp", "c.crdownload", "~$d.docx", ".hidden.pdf", "ok.pdf"):
        drop(tmp_path / "incoming" / name)
    drop(tmp_path / "incoming" / ".sync" / "inside.pdf")
    assert [c.path.name for c in inbox.scan()] == ["ok.pdf"]
    assert is_temporary_name("Báo cáo.PDF.PART")


def test_direction_and_subfolder_come_from_the_tree(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path)
    drop(tmp_path / "incoming" / "phòng nội vụ" / "to-trinh.pdf")
    drop(tmp_path / "outgoing" / "cv.pdf")
    found = {c.path.name: (c.direction, c.folder) for c in inbox.scan()}
    assert found == {"to-trinh.pdf": ("incoming", "phòng nội vụ"), "cv.pdf": ("outgoing", "")}


def test_a_file_still_growing_during_the_quiet_period_is_left(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path)
    drop(tmp_path / "incoming" / "done.pdf")
    growing = tmp_path / "incoming" / "slow-copy.pdf"
    stop = threading.Event()

    def copy_slowly() -> None:
        with growing.open("ab") as handle:
            while not stop.is_set():
                handle.write(b"x" * 1000)
                handle.flush()
                time.sleep(0.1)

    writer = threading.Thread(target=copy_slowly)
    writer.start()
    try:
        time.sleep(0.2)
        quiet, settling = inbox.wait_for_quiet(1.0, max_wait=1.5)
    finally:
        stop.set()
        writer.join()
    assert [c.path.name for c in quiet] == ["done.pdf"]
    assert settling == 1


def test_a_file_that_changes_after_the_check_is_not_claimed(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path)
    path = drop(tmp_path / "incoming" / "x.pdf")
    [candidate] = inbox.scan()
    with path.open("ab") as handle:
        handle.write(b"more")
    batch = inbox.new_batch()
    assert inbox.claim(candidate, batch) is None
    assert path.exists()


def test_two_runs_never_claim_the_same_file(tmp_path: Path) -> None:
    first, second = Inbox(tmp_path), Inbox(tmp_path)
    for i in range(50):
        drop(tmp_path / "incoming" / f"{i}.pdf")
    candidates = first.scan()
    batch_a, batch_b = first.new_batch(), second.new_batch()
    claimed_a = [first.claim(c, batch_a) for c in candidates]
    claimed_b = [second.claim(c, batch_b) for c in candidates]
    assert all(claimed_a) and not any(claimed_b)


def test_give_back_puts_the_file_where_the_clerk_left_it(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path)
    path = drop(tmp_path / "incoming" / "dept" / "a.pdf")
    [candidate] = inbox.scan()
    batch = inbox.new_batch()
    claimed = inbox.claim(candidate, batch)
    assert claimed is not None and not path.exists()
    inbox.give_back(claimed)
    assert path.read_bytes() == b"%PDF-1.4 test"


def test_quarantine_writes_the_reason_beside_the_file(tmp_path: Path) -> None:
    import json

    from kernel.errors import QuarantineReason

    inbox = Inbox(tmp_path)
    drop(tmp_path / "outgoing" / "bad.pdf")
    [candidate] = inbox.scan()
    claimed = inbox.claim(candidate, inbox.new_batch())
    assert claimed is not None
    target = inbox.quarantine(claimed, QuarantineReason.CORRUPT, "truncated", step="extract",
                              sha256="ab" * 32)
    reason = json.loads(target.with_name("bad.pdf.reason.json").read_text())
    assert target == tmp_path / "quarantine" / "outgoing" / "bad.pdf"
    assert reason["reason"] == "corrupt" and reason["step"] == "extract"
    assert {"message", "time", "sha256"} <= set(reason)
