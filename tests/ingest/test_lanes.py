"""The claimed pool and the lane folders: each chunk taken by one lane, and the files
of a lane whose holder is gone taken back at once (its lock free, its lease run out)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.batches import BatchLock, new_locked_folder
from ingest.inbox import Inbox
from ingest.lanes import LaneFolder, every_chunk, pool_chunks, pooled_files, recover_lanes
from tests.ingest.test_inbox import drop


def pool(root: Path, names: list[str], per_chunk: int = 1) -> Inbox:
    """Files claimed into the pool, ``per_chunk`` to a chunk, as a claim leaves them."""
    inbox = Inbox(root)
    for name in names:
        drop(root / "incoming" / name)
    candidates = inbox.scan()
    for start in range(0, len(candidates), per_chunk):
        chunk = inbox.new_batch()
        for candidate in candidates[start:start + per_chunk]:
            inbox.claim(candidate, chunk)
        inbox.publish_batch(chunk)
    return inbox


def test_a_chunk_is_filled_out_of_sight_and_published_whole(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path)
    drop(tmp_path / "incoming" / "a.pdf")
    chunk = inbox.new_batch()
    [candidate] = inbox.scan()
    inbox.claim(candidate, chunk)
    assert pool_chunks(inbox.work_root) == []  # no lane takes a chunk still being filled
    inbox.publish_batch(chunk)
    assert pool_chunks(inbox.work_root) == [chunk.path] and pooled_files(inbox.work_root) == 1


def test_two_lanes_never_take_the_same_chunk(tmp_path: Path) -> None:
    inbox = pool(tmp_path, [f"{n}.pdf" for n in range(5)])
    with LaneFolder(inbox.work_root) as first, LaneFolder(inbox.work_root) as second:
        taken = []
        while (chunk := (first if len(taken) % 2 else second).take_chunk()) is not None:
            taken.append(chunk.name)
        assert len(taken) == len(set(taken)) == 5
        assert pool_chunks(inbox.work_root) == []
    # What the lanes held went back to the pool when they closed.
    assert pooled_files(inbox.work_root) == 5
    assert sorted(p.name for p in inbox.work_root.iterdir()) == sorted(taken)


LANE = """
import sys, time
from pathlib import Path
from ingest.lanes import LaneFolder
lease = float(sys.argv[2]) if len(sys.argv) > 2 else None
lane = LaneFolder(Path(sys.argv[1]), lease)
lane.take_chunk()
print("working", flush=True)
time.sleep(600)
"""


def lane_process(work_root: Path, *lease: str) -> subprocess.Popen[str]:
    """Another process working in a lane folder, as a lane of a running ingest would."""
    process = subprocess.Popen([sys.executable, "-c", LANE, str(work_root), *lease],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "working\n"
    return process


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_a_lane_killed_on_the_embedded_default_is_taken_back_at_once(tmp_path: Path) -> None:
    inbox = pool(tmp_path, ["a.pdf", "b.pdf", "c.pdf", "d.pdf"], per_chunk=2)
    lane = lane_process(inbox.work_root)
    try:
        alive = recover_lanes(inbox.work_root)
        assert (alive.held, alive.recovered) == (2, 0)
    finally:
        kill(lane)
    recovery = recover_lanes(inbox.work_root)  # seconds old: no waiting for it to go stale
    assert (recovery.recovered, recovery.held) == (2, 0)
    assert pooled_files(inbox.work_root) == 4
    assert [p for p in inbox.work_root.iterdir() if p.name.startswith("lane-")] == []


def test_a_leased_lane_is_held_by_its_heartbeat_and_given_up_when_it_stops(
    tmp_path: Path
) -> None:
    inbox = pool(tmp_path, ["a.pdf", "b.pdf"])
    lane = lane_process(inbox.work_root, "1.0")  # a 1 s lease, renewed every 0.25 s
    try:
        time.sleep(2.0)  # two leases long: only the heartbeat keeps it held
        assert recover_lanes(inbox.work_root).held == 1
    finally:
        kill(lane)
    # Dead, its lock free, but its lease may still run (another machine's lane
    # looks just like this): held until the lease runs out, then taken back.
    deadline = time.monotonic() + 5
    while (recovery := recover_lanes(inbox.work_root)).recovered == 0:
        assert recovery.held == 1 and time.monotonic() < deadline
        time.sleep(0.1)
    assert recovery.recovered == 1 and pooled_files(inbox.work_root) == 2


def test_a_chunk_a_dead_claim_was_filling_goes_to_the_pool(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path)
    drop(tmp_path / "incoming" / "a.pdf")
    chunk = inbox.new_batch()
    [candidate] = inbox.scan()
    inbox.claim(candidate, chunk)
    assert recover_lanes(inbox.work_root).held == 1  # its claim is alive (this process)
    assert chunk.lock is not None
    chunk.lock.release()  # as the kernel does when the claim dies
    assert recover_lanes(inbox.work_root).recovered == 1
    assert pooled_files(inbox.work_root) == 1


def test_an_empty_lane_left_by_a_crash_is_removed(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path)
    lane = LaneFolder(inbox.work_root)
    lane.lock.release()  # killed before it took anything
    assert recover_lanes(inbox.work_root).recovered == 0
    assert list(inbox.work_root.iterdir()) == []


def test_a_folder_a_run_was_killed_making_is_removed_at_once(tmp_path: Path) -> None:
    # Killed between making its lane (or chunk) folder and renaming it: the
    # next run, a moment later, leaves the work area clean.
    inbox = Inbox(tmp_path)
    for name in (".new-lane-20261207T080544641964-ccf8e939", ".new-20261207T080544-0a1b2c3d"):
        (inbox.work_root / name).mkdir(parents=True)
    (inbox.work_root / ".new-20261207T080544-0a1b2c3d" / ".lock").touch()
    assert recover_lanes(inbox.work_root).recovered == 0
    assert list(inbox.work_root.iterdir()) == []


def test_a_run_whose_new_folder_was_removed_before_it_locked_it_makes_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Another run's recovery may take a folder just made for an empty leftover.
    made: list[Path] = []

    def name_for() -> Path:
        path = tmp_path / f".new-{len(made)}"
        made.append(path)
        return path

    real_acquire = BatchLock.acquire
    removed: list[Path] = []

    def acquire_after_a_recovery(self: BatchLock) -> BatchLock:
        if not removed:  # the first time: a recovery gets there first
            removed.append(self.batch_path)
            recover_lanes(tmp_path)
        return real_acquire(self)

    monkeypatch.setattr(BatchLock, "acquire", acquire_after_a_recovery)
    path, lock = new_locked_folder(name_for)
    assert removed == [made[0]] and not made[0].exists()
    assert path == made[1] and path.is_dir() and lock.still_in_place()
    lock.release()


def test_a_lock_whose_folder_was_removed_is_not_in_place(tmp_path: Path) -> None:
    folder = tmp_path / ".new-x"
    folder.mkdir()
    with BatchLock(folder) as lock:
        assert lock.still_in_place()
        (folder / ".lock").unlink()
        assert not lock.still_in_place()


def test_every_chunk_is_found_wherever_it_is(tmp_path: Path) -> None:
    inbox = pool(tmp_path, ["a.pdf", "b.pdf"])
    with LaneFolder(inbox.work_root) as lane:
        taken = lane.take_chunk()
        assert taken is not None
        assert sorted(p.name for p in every_chunk(inbox.work_root)) == sorted(
            [taken.name, *(p.name for p in pool_chunks(inbox.work_root))])
