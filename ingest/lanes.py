"""Lanes: the claimed pool of the work area, and the folders lanes take it into.

Layout under the inbox's work area (``.docket/work``)::

    <chunk>/<direction>/<folder...>/<file>            the pool: claimed, waiting for a lane
    .new-<chunk>/...                                   a chunk being filled by a claim
    lane-<id>/<chunk>/<direction>/<folder...>/<file>   taken by a lane, being processed

A claim fills a chunk under a dot name, locked, then renames it into the pool.
A lane takes one chunk at a time by renaming it into its own folder: of two
lanes racing for a chunk exactly one wins.  A lane folder is held while a live
process holds the lock on its ``.lock`` (the kernel drops it when the process
dies, even by SIGKILL) and, on the stack, while the lease in its ``.lease``
runs: a heartbeat renews it every few seconds while the lane works, so a lane
on a machine that died is given up a lease later, not an hour later.  A lane
folder held by nobody is taken back at once: its chunks go back to the pool.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ingest.batches import (
    LEASE_NAME,
    BatchLock,
    count_files,
    lease_running,
    new_locked_folder,
    remove_if_empty,
)

LANE_PREFIX = "lane-"
NEW_PREFIX = ".new-"
# A lane's lease on the stack; its heartbeat renews it four times a lease.
LANE_LEASE_SECONDS = 60.0
BEATS_PER_LEASE = 4


def new_name(prefix: str = "") -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")  # lanes take the oldest first
    return f"{prefix}{stamp}-{uuid.uuid4().hex[:8]}"


def is_lane(path: Path) -> bool:
    return path.name.startswith(LANE_PREFIX)


def pool_chunks(work_root: Path) -> list[Path]:
    """The chunks waiting in the pool, oldest first (their names start with the time)."""
    try:
        entries = sorted(work_root.iterdir())
    except FileNotFoundError:
        return []
    return [p for p in entries
            if p.is_dir() and not p.name.startswith((LANE_PREFIX, NEW_PREFIX))]


def pooled_files(work_root: Path) -> int:
    """How many claimed files wait in the pool for a lane."""
    return sum(count_files(chunk) for chunk in pool_chunks(work_root))


def write_lease(folder: Path, seconds: float) -> None:
    """``folder`` is held ``seconds`` from now, whether or not its lock is (written aside,
    then renamed: a reader sees the old lease or the new one)."""
    tmp = folder / (LEASE_NAME + ".tmp")
    tmp.write_text(f"{time.time() + seconds:.3f}\n", encoding="ascii")
    os.replace(tmp, folder / LEASE_NAME)


class Heartbeat:
    """Renews a lane's lease every ``every`` seconds until stopped (a thread)."""

    def __init__(self, folder: Path, lease_seconds: float, every: float) -> None:
        self.folder, self.lease_seconds, self.every = folder, lease_seconds, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="docket-lane-heartbeat",
                                        daemon=True)

    def start(self) -> Heartbeat:
        write_lease(self.folder, self.lease_seconds)
        self._thread.start()
        return self

    def _beat(self) -> None:
        while not self._stop.wait(self.every):
            with contextlib.suppress(FileNotFoundError):
                write_lease(self.folder, self.lease_seconds)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


class LaneFolder:
    """A lane's own folder in the work area, locked (and leased) while the lane works.

    ``lease_seconds``: None on the embedded default (the lock says it all);
    on the stack the lease a heartbeat keeps renewing.
    """

    def __init__(self, work_root: Path, lease_seconds: float | None = None) -> None:
        self.work_root = work_root
        unfinished, self.lock = new_locked_folder(
            lambda: work_root / (NEW_PREFIX + new_name(LANE_PREFIX)))
        self.path = work_root / unfinished.name[len(NEW_PREFIX):]
        self.heartbeat: Heartbeat | None = None
        if lease_seconds is not None:  # leased before any other run can see it
            self.heartbeat = Heartbeat(unfinished, lease_seconds,
                                       lease_seconds / BEATS_PER_LEASE).start()
        os.rename(unfinished, self.path)
        self.lock.moved_to(self.path)
        if self.heartbeat is not None:
            self.heartbeat.folder = self.path

    def take_chunk(self) -> Path | None:
        """The next chunk of the pool, moved into this lane; None when the pool is empty."""
        for chunk in pool_chunks(self.work_root):
            target = self.path / chunk.name
            try:
                os.rename(chunk, target)
            except FileNotFoundError:
                continue  # another lane took it first
            return target
        return None

    def close(self) -> None:
        """Give what is left back to the pool, remove the folder, let go of it."""
        try:
            return_chunks(self.path, self.work_root)
            remove_if_empty(self.path)
        finally:
            if self.heartbeat is not None:
                self.heartbeat.stop()
            self.lock.release()

    def __enter__(self) -> LaneFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def return_chunks(lane: Path, work_root: Path) -> int:
    """Move the chunks still in ``lane`` back into the pool; how many files they hold."""
    files = 0
    for chunk in sorted(p for p in lane.iterdir() if p.is_dir()):
        held = count_files(chunk)
        if held == 0:
            remove_if_empty(chunk)
            continue
        os.rename(chunk, work_root / chunk.name)
        files += held
    return files


@dataclass
class LaneRecovery:
    """What a claim found in the work area before claiming new files."""

    recovered: int = 0  # files taken back into the pool from lanes and claims that died
    held: int = 0  # files in the folders of live lanes (their lock, or a running lease)


def recover_lanes(work_root: Path) -> LaneRecovery:
    """Give back to the pool the files of every lane and claim whose holder is gone.

    A lane is held while a live process holds its lock or its lease runs;
    anything else is taken back at once, however young: the kernel released
    the lock when its holder died.
    """
    recovery = LaneRecovery()
    for path in _entries(work_root):
        if BatchLock.held_here(path):
            recovery.held += count_files_below(path)
            continue
        try:
            with BatchLock(path, blocking=False):
                _recover_one(path, work_root, recovery)
        except BlockingIOError:
            recovery.held += count_files_below(path)
        except FileNotFoundError:
            continue  # its holder finished and removed it meanwhile
    return recovery


def _entries(work_root: Path) -> Iterator[Path]:
    try:
        entries = sorted(work_root.iterdir())
    except FileNotFoundError:
        return
    for path in entries:
        if path.is_dir() and path.name.startswith((LANE_PREFIX, NEW_PREFIX)):
            yield path


def _recover_one(path: Path, work_root: Path, recovery: LaneRecovery) -> None:
    """``path`` is locked by this process now: its holder is gone (or never locked it)."""
    if not path.exists():
        return  # renamed or removed while the lock was being taken
    if path.name.startswith(NEW_PREFIX):
        _recover_unfinished(path, work_root, recovery)
    elif lease_running(path):
        recovery.held += count_files_below(path)
    else:
        recovery.recovered += return_chunks(path, work_root)
        remove_if_empty(path)


def _recover_unfinished(path: Path, work_root: Path, recovery: LaneRecovery) -> None:
    """A chunk a dead claim was filling goes to the pool; an empty leftover is removed
    at once (a live run that had not locked it yet makes another: ``new_locked_folder``)."""
    name = path.name[len(NEW_PREFIX):]
    files = count_files_below(path)
    if files and not name.startswith(LANE_PREFIX):
        os.rename(path, work_root / name)
        recovery.recovered += files
    elif files:
        recovery.recovered += return_chunks(path, work_root)
        remove_if_empty(path)
    else:
        remove_if_empty(path)


def count_files_below(folder: Path) -> int:
    """The claimed files anywhere below ``folder`` (a chunk, or a lane of chunks)."""
    return sum(1 for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def every_chunk(work_root: Path) -> list[Path]:
    """Every chunk folder of the work area: in the pool, being filled, or in a lane
    (what a page listing the files being processed walks)."""
    chunks: list[Path] = []
    try:
        entries = sorted(p for p in work_root.iterdir() if p.is_dir())
    except FileNotFoundError:
        return chunks
    for entry in entries:
        lane = entry.name.removeprefix(NEW_PREFIX).startswith(LANE_PREFIX)
        chunks.extend(sorted(p for p in entry.iterdir() if p.is_dir()) if lane else [entry])
    return chunks
