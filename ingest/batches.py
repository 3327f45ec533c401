"""Batches (chunks) in the inbox's work area: the claimed files, the lock, the lease.

A folder of the work area is held while a live process holds the lock on its
``.lock`` (the kernel drops it when the process dies, even by SIGKILL), or
while the lease in its ``.lease`` runs (a lane on the stack, renewed by its
heartbeat).  ``ingest.inbox`` claims files into chunks; ``ingest.lanes``
moves them through lanes and takes back the ones whose holder is gone.
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from kernel.model import Direction

LOCK_NAME = ".lock"
LEASE_NAME = ".lease"
CONTROL_NAMES = (LOCK_NAME, LEASE_NAME, LEASE_NAME + ".tmp")


@dataclass(frozen=True)
class ClaimedFile:
    """A file moved into a batch of the work area; ``source`` is where it came from."""

    path: Path
    source: Path
    direction: Direction
    folder: str
    original_name: str
    received_at: datetime

    def as_ref(self) -> dict[str, str]:
        return {"path": str(self.path), "source": str(self.source)}


@dataclass
class Batch:
    """A folder of claimed files (a chunk), taken and processed as one unit by a lane.

    ``lock``: held by this process while it works on the batch (None for a
    batch loaded by whoever holds the lock elsewhere).
    """

    path: Path
    files: list[ClaimedFile] = field(default_factory=list)
    lock: BatchLock | None = None

    @property
    def batch_id(self) -> str:
        return self.path.name


class BatchLock:
    """An exclusive lock on a batch folder while a process works on it.

    A ``flock`` on the folder's ``.lock``: the kernel drops it when the
    process dies, however it dies, so a free lock means its holder is gone.
    Re-entrant within a process (a run that claimed a batch goes on to process
    it): only the outermost acquire locks and only its release unlocks.
    """

    # batch folder -> (file descriptor, depth), in this process
    _held: ClassVar[dict[Path, tuple[int, int]]] = {}
    _guard: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, batch_path: Path, *, blocking: bool = True) -> None:
        self.batch_path = batch_path
        self.blocking = blocking
        self._holding = False

    @classmethod
    def held_here(cls, batch_path: Path) -> bool:
        """True if this process holds the lock of ``batch_path``."""
        with cls._guard:
            return batch_path in cls._held

    def acquire(self) -> BatchLock:
        with self._guard:
            if self.batch_path in self._held:
                fd, depth = self._held[self.batch_path]
                self._held[self.batch_path] = (fd, depth + 1)
                self._holding = True
                return self
        fd = os.open(self.batch_path / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if self.blocking else fcntl.LOCK_NB))
        except BaseException:
            os.close(fd)
            raise
        with self._guard:
            self._held[self.batch_path] = (fd, 1)
        self._holding = True
        return self

    def release(self) -> None:
        if not self._holding:
            return
        self._holding = False
        with self._guard:
            fd, depth = self._held[self.batch_path]
            if depth > 1:
                self._held[self.batch_path] = (fd, depth - 1)
                return
            del self._held[self.batch_path]
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def still_in_place(self) -> bool:
        """True if the file this process locked is still the folder's ``.lock`` (another
        run's recovery may have removed the folder while this one waited for it)."""
        with self._guard:
            fd, _depth = self._held[self.batch_path]
        try:
            on_disk = os.stat(self.batch_path / LOCK_NAME)
        except FileNotFoundError:
            return False
        held = os.fstat(fd)
        return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)

    def moved_to(self, batch_path: Path) -> None:
        """The folder was renamed (the lock follows its file)."""
        with self._guard:
            self._held[batch_path] = self._held.pop(self.batch_path)
        self.batch_path = batch_path

    def __enter__(self) -> BatchLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def new_locked_folder(name_for: Callable[[], Path]) -> tuple[Path, BatchLock]:
    """A new folder under a dot name, locked by this process.

    Between making the folder and locking it, another run's recovery may lock it
    first, find it empty and remove it as the leftover of a dead run: this one
    then finds its folder gone and makes another.  So an empty unlocked folder
    can be removed at once, however young.
    """
    while True:
        path = name_for()
        path.mkdir(parents=True)
        lock = BatchLock(path)
        try:
            lock.acquire()
        except FileNotFoundError:
            continue  # removed before this run could open its lock
        if lock.still_in_place():
            return path, lock
        lock.release()


def lease_running(batch_path: Path) -> bool:
    """True while the lease a hand-off wrote in ``batch_path`` has not run out."""
    try:
        expires = float((batch_path / LEASE_NAME).read_text(encoding="ascii"))
    except (FileNotFoundError, ValueError):
        return False
    return time.time() < expires


def count_files(batch_path: Path) -> int:
    """How many claimed files a batch folder holds (its control files not counted)."""
    return sum(1 for p in batch_path.rglob("*")
               if p.is_file() and p.parent != batch_path)


def remove_if_empty(batch_path: Path) -> None:
    """Drop the batch folder once every file has left it (control files go with it)."""
    for dirpath, _dirs, files in os.walk(batch_path, topdown=False):
        if any(name not in CONTROL_NAMES for name in files):
            return
        for name in files:
            Path(dirpath, name).unlink(missing_ok=True)
        try:
            os.rmdir(dirpath)
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.ENOENT):
                raise
