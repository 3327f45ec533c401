"""The watched folders: find complete files, claim them, release or quarantine them.

Layout under the inbox root::

    incoming/<folder...>/<file>     clerks drop incoming documents here
    outgoing/<folder...>/<file>     ... and outgoing ones here
    processed/<direction>/<folder...>/<file>    originals after success
    quarantine/<direction>/<folder...>/<file>   rejected files, beside <file>.reason.json
    .docket/work/<batch>/<direction>/<folder...>/<file>   claimed, being processed
    .docket/tmp/worker-<pid>-<id>/     a worker's temporary files (OCR page images)

A batch folder is held while a live process holds the lock on its ``.lock``
(the kernel drops it when the process dies, even by SIGKILL), or, once handed
to another process (an Airflow task), until the lease in its ``.lease`` runs
out.  A batch held by nobody is taken back by the next run at once.

Every move is a rename inside the inbox root (one filesystem), so it is atomic:
a file is always in exactly one of these places and is never deleted before
its archived copy has been verified (``release`` is only called then).
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import stat
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

from kernel.errors import QuarantineReason
from kernel.i18n import reason_sentence
from kernel.model import DIRECTIONS, Direction

TEMPORARY_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".download", ".swp")
WORK_DIR = Path(".docket") / "work"
SCRATCH_DIR = Path(".docket") / "tmp"  # workers' temporary files (ingest.scratch)
LOCK_NAME = ".lock"
LEASE_NAME = ".lease"
CONTROL_NAMES = (LOCK_NAME, LEASE_NAME, LEASE_NAME + ".tmp")
NEW_BATCH_PREFIX = ".new-"
# A batch folder is made under a dot name, locked, then renamed; one left by a
# crash in between is empty and removed once it is this old.
UNFINISHED_BATCH_SECONDS = 60.0


def is_temporary_name(name: str) -> bool:
    """Names that editors, browsers and copy tools use while a file is incomplete."""
    lowered = name.lower()
    return name.startswith((".", "~$")) or lowered.endswith(TEMPORARY_SUFFIXES)


@dataclass(frozen=True)
class Candidate:
    """A file seen in a watched tree, with the stat used to judge completeness."""

    path: Path
    direction: Direction
    folder: str
    size: int
    mtime_ns: int

    def is_quiet(self, now: float, quiet_seconds: float) -> bool:
        return now - self.mtime_ns / 1e9 >= quiet_seconds


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
    """A folder of claimed files, processed as one unit (one Airflow mapped task).

    ``lock``: held by this process while it works on the batch (None for a
    batch loaded by whoever holds the lock elsewhere).
    """

    path: Path
    files: list[ClaimedFile] = field(default_factory=list)
    lock: BatchLock | None = None

    @property
    def batch_id(self) -> str:
        return self.path.name


@dataclass
class Recovery:
    """What a run found in the work area before claiming new files."""

    batches: list[Batch] = field(default_factory=list)  # taken back, locked by this process
    held: int = 0  # files in batches a live run holds (its lock, or an unexpired lease)

    @property
    def recovered(self) -> int:
        return sum(len(batch.files) for batch in self.batches)


class Inbox:
    """Operations on one inbox root."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.work_root = root / WORK_DIR
        for direction in DIRECTIONS:
            (root / direction).mkdir(parents=True, exist_ok=True)
        self.work_root.mkdir(parents=True, exist_ok=True)

    # -- finding files ---------------------------------------------------------

    def scan(self) -> list[Candidate]:
        """Every non-temporary entry in the watched trees that is not a folder, oldest first.

        Links (to files or folders, inside or out) and pipes, sockets and
        devices are found too, never followed or opened: the ingest
        quarantines them (``not_a_regular_file``) rather than leave them
        there without a word.
        """
        found: list[Candidate] = []
        for direction in DIRECTIONS:
            tree = self.root / direction
            for dirpath, dirnames, filenames in os.walk(tree):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                # os.walk lists a link to a folder among the folders; it is an entry here.
                links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
                dirnames[:] = [d for d in dirnames if d not in links]
                for name in [*filenames, *links]:
                    if is_temporary_name(name):
                        continue
                    path = Path(dirpath, name)
                    try:
                        st = path.lstat()
                    except FileNotFoundError:
                        continue
                    folder = Path(dirpath).relative_to(tree).as_posix()
                    found.append(
                        Candidate(
                            path=path,
                            direction=direction,
                            folder="" if folder == "." else _nfc(folder),
                            size=st.st_size,
                            mtime_ns=st.st_mtime_ns,
                        )
                    )
        found.sort(key=lambda c: (c.mtime_ns, str(c.path)))
        return found

    def wait_for_quiet(
        self, quiet_seconds: float, *, max_wait: float | None = None
    ) -> tuple[list[Candidate], int]:
        """Complete files now, after waiting up to ``max_wait`` for ones still settling.

        A file is complete when its size and modification time have not changed
        for ``quiet_seconds``.  Returns the complete files and how many were left
        because they were still changing.
        """
        deadline = time.monotonic() + (quiet_seconds if max_wait is None else max_wait)
        while True:
            now = time.time()
            candidates = self.scan()
            settling = [c for c in candidates if not c.is_quiet(now, quiet_seconds)]
            if not settling or time.monotonic() >= deadline:
                quiet = [c for c in candidates if c.is_quiet(now, quiet_seconds)]
                return quiet, len(settling)
            youngest = max(c.mtime_ns for c in settling) / 1e9
            pause = min(youngest + quiet_seconds - now, deadline - time.monotonic())
            time.sleep(max(0.05, pause))

    # -- claiming ---------------------------------------------------------------

    def new_batch(self) -> Batch:
        """An empty batch folder, locked by this process before any other can see it."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        name = f"{stamp}-{uuid.uuid4().hex[:8]}"
        unfinished = self.work_root / (NEW_BATCH_PREFIX + name)
        unfinished.mkdir(parents=True)
        lock = BatchLock(unfinished).acquire()
        path = self.work_root / name
        os.rename(unfinished, path)
        lock.moved_to(path)
        return Batch(path=path, lock=lock)

    def claim(self, candidate: Candidate, batch: Batch) -> ClaimedFile | None:
        """Move ``candidate`` into ``batch`` if it is still unchanged; None if it is gone.

        The rename is atomic, so of two runs racing for one file exactly one wins.
        """
        try:
            st = candidate.path.lstat()
        except FileNotFoundError:
            return None
        if st.st_size != candidate.size or st.st_mtime_ns != candidate.mtime_ns:
            return None  # it changed after the quiet check: leave it for the next pass
        relative = candidate.path.relative_to(self.root)
        target = batch.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(candidate.path, target)
        except FileNotFoundError:
            return None  # another run claimed it first
        claimed = ClaimedFile(
            path=target,
            source=candidate.path,
            direction=candidate.direction,
            folder=candidate.folder,
            original_name=_nfc(candidate.path.name),
            received_at=datetime.now(UTC),
        )
        batch.files.append(claimed)
        return claimed

    def load_batch(self, batch_path: Path) -> Batch:
        """The files still in a batch folder (after a crash or an Airflow retry)."""
        batch = Batch(path=batch_path)
        for direction in DIRECTIONS:
            tree = batch_path / direction
            if not tree.is_dir():
                continue
            for dirpath, dirnames, filenames in os.walk(tree):
                links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
                for name in sorted([*filenames, *links]):
                    path = Path(dirpath, name)
                    folder = Path(dirpath).relative_to(tree).as_posix()
                    st = path.lstat()  # a link is taken as itself, never followed
                    batch.files.append(
                        ClaimedFile(
                            path=path,
                            source=self.root / path.relative_to(batch_path),
                            direction=direction,
                            folder="" if folder == "." else _nfc(folder),
                            original_name=_nfc(name),
                            received_at=datetime.fromtimestamp(st.st_ctime, UTC),
                        )
                    )
        return batch

    def recover_batches(self) -> Recovery:
        """Take back, locked, every batch folder whose holder is gone (a crashed run).

        A batch is held while a live process holds its lock or its lease has
        not run out; anything else is an orphan and is taken at once, however
        young: the kernel released the lock when its holder died.
        """
        recovery = Recovery()
        for path in sorted(self.work_root.iterdir()):
            if not path.is_dir() or BatchLock.held_here(path):
                continue
            if path.name.startswith(NEW_BATCH_PREFIX):
                self._drop_unfinished_batch(path)
                continue
            lock = BatchLock(path, blocking=False)
            try:
                lock.acquire()
            except BlockingIOError:
                recovery.held += _count_files(path)
                continue
            except FileNotFoundError:
                continue  # its holder finished and removed it meanwhile
            batch = self.load_batch(path)
            batch.lock = lock
            if lease_running(path):
                recovery.held += len(batch.files)
                lock.release()
            elif batch.files:
                recovery.batches.append(batch)
            else:
                self.remove_batch_if_empty(batch)
                lock.release()
        return recovery

    def _drop_unfinished_batch(self, path: Path) -> None:
        try:
            if time.time() - path.stat().st_mtime < UNFINISHED_BATCH_SECONDS:
                return
            with BatchLock(path, blocking=False):
                self.remove_batch_if_empty(Batch(path=path))
        except (BlockingIOError, FileNotFoundError):
            return

    # -- leaving the inbox --------------------------------------------------------

    def release(self, claimed: ClaimedFile, *, delete: bool) -> Path | None:
        """After a verified archive: move to processed/ (or delete, by setting)."""
        if delete:
            claimed.path.unlink(missing_ok=True)
            return None
        target = _free_name(self.root / "processed" / claimed.direction / claimed.folder,
                            claimed.original_name)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(claimed.path, target)
        return target

    def quarantine(
        self,
        claimed: ClaimedFile,
        reason: QuarantineReason,
        message: str,
        *,
        step: str,
        sha256: str | None,
        language: str = "vi",
        timezone: str = "Asia/Ho_Chi_Minh",
    ) -> Path:
        """Move to quarantine/ beside ``<name>.reason.json`` (written first).

        The reason file says why in ``language`` (``message``) and in English
        (``message_en``), at the local time of ``timezone``; ``message``, the
        technical words of whatever refused the file, goes in ``detail``.

        The reason file names the batch and the file's place in it, so a run
        killed between the two steps leaves a reason that the re-run of the
        batch recognises as its own and completes, instead of a reason with no
        file beside a second copy ``<name> (2)``.
        """
        claimed_as = claimed.path.relative_to(self.work_root).as_posix()
        folder = self.root / "quarantine" / claimed.direction / claimed.folder
        target = _free_name(folder, claimed.original_name,
                            reuse=lambda reason: _reason_for(reason, claimed_as))
        target.parent.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        reason_doc = {
            "reason": reason.value,
            "message": reason_sentence(reason.value, language),
            "message_en": reason_sentence(reason.value, "en"),
            "detail": message,
            "step": step,
            "time": now.astimezone(ZoneInfo(timezone)).isoformat(timespec="seconds"),
            "time_utc": now.isoformat(),
            "sha256": sha256,
            "original_name": claimed.original_name,
            "direction": claimed.direction,
            "folder": claimed.folder,
            "claimed_as": claimed_as,
        }
        reason_path = target.with_name(target.name + ".reason.json")
        tmp = reason_path.with_name("." + reason_path.name + ".tmp")
        tmp.write_text(json.dumps(reason_doc, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, reason_path)
        os.rename(claimed.path, target)
        return target

    def give_back(self, claimed: ClaimedFile) -> Path:
        """A transient failure: put the file back where the clerk left it."""
        target = claimed.source
        if os.path.lexists(target):
            target = _free_name(target.parent, target.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(claimed.path, target)
        return target

    def remove_batch_if_empty(self, batch: Batch) -> None:
        """Drop the batch folder once every file has left it."""
        for dirpath, _dirs, files in os.walk(batch.path, topdown=False):
            if any(name not in CONTROL_NAMES for name in files):
                return
            for name in files:
                Path(dirpath, name).unlink(missing_ok=True)
            try:
                os.rmdir(dirpath)
            except OSError as exc:
                if exc.errno not in (errno.ENOTEMPTY, errno.ENOENT):
                    raise


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

    def moved_to(self, batch_path: Path) -> None:
        """The folder was renamed (the lock follows its file)."""
        with self._guard:
            self._held[batch_path] = self._held.pop(self.batch_path)
        self.batch_path = batch_path

    def __enter__(self) -> BatchLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def hand_off(batch: Batch, lease_seconds: float) -> None:
    """Let another process take ``batch`` (an Airflow task): lease it, then unlock it.

    Until the lease runs out no other run takes the batch back, even while
    nobody holds its lock (the task has not started, or is being retried).
    """
    expires = time.time() + lease_seconds
    tmp = batch.path / (LEASE_NAME + ".tmp")
    tmp.write_text(f"{expires:.3f}\n", encoding="ascii")
    os.replace(tmp, batch.path / LEASE_NAME)
    if batch.lock is not None:
        batch.lock.release()
        batch.lock = None


def lease_running(batch_path: Path) -> bool:
    """True while the lease a hand-off wrote in ``batch_path`` has not run out."""
    try:
        expires = float((batch_path / LEASE_NAME).read_text(encoding="ascii"))
    except (FileNotFoundError, ValueError):
        return False
    return time.time() < expires


def _count_files(batch_path: Path) -> int:
    return sum(1 for p in batch_path.rglob("*")
               if p.is_file() and p.parent != batch_path)


def not_a_regular_file(path: Path) -> str | None:
    """What ``path`` is when it is no regular file (said without following it), else None."""
    mode = path.lstat().st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return f"a symbolic link (to {os.readlink(path)}), not followed"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    return "not a regular file"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _free_name(folder: Path, name: str,
               reuse: Callable[[Path], bool] | None = None) -> Path:
    """``folder/name``, or ``name (2)``, ``name (3)``... if that is taken.

    ``reuse``: a name whose file is absent but whose reason file this
    predicate accepts is free (the caller's own unfinished quarantine).
    """
    candidate = folder / name
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    counter = 2
    while True:
        reason = candidate.with_name(candidate.name + ".reason.json")
        # lexists: a dangling link there is taken too (rename would replace it).
        if not os.path.lexists(candidate) and (
                not os.path.lexists(reason) or (reuse is not None and reuse(reason))):
            return candidate
        candidate = folder / (f"{stem} ({counter}).{suffix}" if suffix else f"{stem} ({counter})")
        counter += 1


def _reason_for(reason_path: Path, claimed_as: str) -> bool:
    """True when the reason file was written for the claimed file at ``claimed_as``."""
    try:
        return bool(json.loads(reason_path.read_text(encoding="utf-8"))
                    .get("claimed_as") == claimed_as)
    except (OSError, ValueError):
        return False

