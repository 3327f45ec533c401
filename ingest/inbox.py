"""The watched folders: find complete files, claim them, release or quarantine them.

Layout under the inbox root::

    incoming/<folder...>/<file>     clerks drop incoming documents here
    outgoing/<folder...>/<file>     ... and outgoing ones here
    processed/<direction>/<folder...>/<file>    originals after success
    quarantine/<direction>/<folder...>/<file>   rejected files, beside <file>.reason.json
    .docket/work/<batch>/<direction>/<folder...>/<file>   claimed, being processed

Every move is a rename inside the inbox root (one filesystem), so it is atomic:
a file is always in exactly one of these places and is never deleted before
its archived copy has been verified (``release`` is only called then).
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ingest.errors import QuarantineReason
from ingest.model import DIRECTIONS, Direction

TEMPORARY_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".download", ".swp")
WORK_DIR = Path(".docket") / "work"
LOCK_NAME = ".lock"


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
    """A folder of claimed files, processed as one unit (one Airflow mapped task)."""

    path: Path
    files: list[ClaimedFile] = field(default_factory=list)

    @property
    def batch_id(self) -> str:
        return self.path.name


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
        """Every non-temporary regular file in the watched trees, oldest first."""
        found: list[Candidate] = []
        for direction in DIRECTIONS:
            tree = self.root / direction
            for dirpath, dirnames, filenames in os.walk(tree):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in filenames:
                    if is_temporary_name(name):
                        continue
                    path = Path(dirpath, name)
                    try:
                        st = path.lstat()
                    except FileNotFoundError:
                        continue
                    if not _is_regular(st.st_mode):
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
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        path = self.work_root / f"{stamp}-{uuid.uuid4().hex[:8]}"
        path.mkdir(parents=True)
        return Batch(path=path)

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
            for dirpath, _dirs, filenames in os.walk(tree):
                for name in sorted(filenames):
                    path = Path(dirpath, name)
                    folder = Path(dirpath).relative_to(tree).as_posix()
                    stat = path.stat()
                    batch.files.append(
                        ClaimedFile(
                            path=path,
                            source=self.root / path.relative_to(batch_path),
                            direction=direction,
                            folder="" if folder == "." else _nfc(folder),
                            original_name=_nfc(name),
                            received_at=datetime.fromtimestamp(stat.st_ctime, UTC),
                        )
                    )
        return batch

    def orphaned_batches(self, stale_seconds: float) -> list[Path]:
        """Batch folders nobody holds a lock on and that were left for ``stale_seconds``."""
        orphans = []
        now = time.time()
        for path in sorted(self.work_root.iterdir()):
            if not path.is_dir():
                continue
            if now - path.stat().st_mtime < stale_seconds:
                continue
            try:
                with BatchLock(path, blocking=False):
                    orphans.append(path)
            except BlockingIOError:
                continue
        return orphans

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
    ) -> Path:
        """Move to quarantine/ beside ``<name>.reason.json`` (written first)."""
        target = _free_name(self.root / "quarantine" / claimed.direction / claimed.folder,
                            claimed.original_name)
        target.parent.mkdir(parents=True, exist_ok=True)
        reason_doc = {
            "reason": reason.value,
            "message": message,
            "step": step,
            "time": datetime.now(UTC).isoformat(),
            "sha256": sha256,
            "original_name": claimed.original_name,
            "direction": claimed.direction,
            "folder": claimed.folder,
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
        if target.exists():
            target = _free_name(target.parent, target.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(claimed.path, target)
        return target

    def remove_batch_if_empty(self, batch: Batch) -> None:
        """Drop the batch folder once every file has left it."""
        for dirpath, _dirs, files in os.walk(batch.path, topdown=False):
            if any(name != LOCK_NAME for name in files):
                return
            for name in files:
                Path(dirpath, name).unlink(missing_ok=True)
            try:
                os.rmdir(dirpath)
            except OSError as exc:
                if exc.errno not in (errno.ENOTEMPTY, errno.ENOENT):
                    raise


class BatchLock:
    """An exclusive lock on a batch folder while a process works on it."""

    def __init__(self, batch_path: Path, *, blocking: bool = True) -> None:
        self.path = batch_path / LOCK_NAME
        self.blocking = blocking
        self._fd: int | None = None

    def __enter__(self) -> BatchLock:
        self._fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        flags = fcntl.LOCK_EX | (0 if self.blocking else fcntl.LOCK_NB)
        try:
            fcntl.flock(self._fd, flags)
        except BlockingIOError:
            os.close(self._fd)
            self._fd = None
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _is_regular(mode: int) -> bool:
    import stat

    return stat.S_ISREG(mode)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name (2)``, ``name (3)``... if that is taken."""
    candidate = folder / name
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    counter = 2
    while candidate.exists() or candidate.with_name(candidate.name + ".reason.json").exists():
        candidate = folder / (f"{stem} ({counter}).{suffix}" if suffix else f"{stem} ({counter})")
        counter += 1
    return candidate

