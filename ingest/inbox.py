"""The watched folders: find complete files, claim them, release or quarantine them.

Layout under the inbox root::

    incoming/<folder...>/<file>     clerks drop incoming documents here
    outgoing/<folder...>/<file>     ... and outgoing ones here
    processed/<direction>/<folder...>/<file>    originals after success
    quarantine/<direction>/<folder...>/<file>   rejected files, beside <file>.reason.json
    .docket/work/<chunk>/<direction>/<folder...>/<file>   claimed, in the pool for a lane
    .docket/work/lane-<id>/<chunk>/<direction>/...        taken by a lane, being processed
    .docket/tmp/worker-<pid>-<id>/     a worker's temporary files (OCR page images)

Claimed files wait in the pool in chunks (batches) until a lane takes them
into its own folder; a lane folder held by nobody (its lock free, its lease
run out) is taken back by the next run at once (``ingest.lanes``).

Every move is a rename inside the inbox root (one filesystem), so it is atomic:
a file is always in exactly one of these places and is never deleted before
its archived copy has been verified (``release`` is only called then).
"""

from __future__ import annotations

import json
import os
import stat
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ingest.batches import Batch, BatchLock, ClaimedFile, new_locked_folder, remove_if_empty
from ingest.lanes import LANE_PREFIX, new_name
from kernel.errors import QuarantineReason
from kernel.i18n import reason_sentence
from kernel.model import DIRECTIONS, Direction

# The batch types are part of the inbox's interface (``ingest.batches`` holds them).
__all__ = ["SCRATCH_DIR", "WORK_DIR", "Batch", "BatchLock", "Candidate", "ClaimedFile", "Inbox",
           "free_name", "is_temporary_name", "not_a_regular_file"]

TEMPORARY_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".download", ".swp")
WORK_DIR = Path(".docket") / "work"
SCRATCH_DIR = Path(".docket") / "tmp"  # workers' temporary files (ingest.scratch)
NEW_BATCH_PREFIX = ".new-"  # a chunk being filled by a claim (``ingest.lanes``)


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
            for path, folder in _entries(self.root / direction, skip_hidden=True):
                if is_temporary_name(path.name):
                    continue
                try:
                    st = path.lstat()
                except FileNotFoundError:
                    continue
                found.append(Candidate(path=path, direction=direction, folder=folder,
                                       size=st.st_size, mtime_ns=st.st_mtime_ns))
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
        """An empty chunk folder under a dot name, locked by this process before any
        other can see it; ``publish_batch`` puts it in the pool once filled."""
        unfinished, lock = new_locked_folder(
            lambda: self.work_root / (NEW_BATCH_PREFIX + new_name()))
        return Batch(path=unfinished, lock=lock)

    def publish_batch(self, batch: Batch) -> None:
        """Put a filled chunk in the pool, where any lane may take it; unlock it.

        An empty one is removed instead.
        """
        if batch.files:
            path = self.work_root / batch.path.name.removeprefix(NEW_BATCH_PREFIX)
            os.rename(batch.path, path)
            if batch.lock is not None:
                batch.lock.moved_to(path)
            batch.path = path
        else:
            self.remove_batch_if_empty(batch)
        if batch.lock is not None:
            batch.lock.release()
            batch.lock = None

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
        try:
            _rename_into(candidate.path, target)
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
            for path, folder in _entries(batch_path / direction, skip_hidden=False):
                st = path.lstat()  # a link is taken as itself, never followed
                batch.files.append(ClaimedFile(
                    path=path, source=self.root / path.relative_to(batch_path),
                    direction=direction, folder=folder, original_name=_nfc(path.name),
                    received_at=datetime.fromtimestamp(st.st_ctime, UTC)))
        return batch

    # -- leaving the inbox --------------------------------------------------------

    def release(self, claimed: ClaimedFile, *, delete: bool) -> Path | None:
        """After a verified archive: move to processed/ (or delete, by setting)."""
        if delete:
            claimed.path.unlink(missing_ok=True)
            return None
        target = free_name(self.root / "processed" / claimed.direction / claimed.folder,
                           claimed.original_name)
        _rename_into(claimed.path, target)
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
        claimed_as = _claimed_as(claimed.path.relative_to(self.work_root))
        folder = self.root / "quarantine" / claimed.direction / claimed.folder
        target = free_name(folder, claimed.original_name,
                           reuse=lambda reason: _reason_for(reason, claimed_as))
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_reason(target, {
            "reason": reason.value,
            "message": reason_sentence(reason.value, language),
            "message_en": reason_sentence(reason.value, "en"),
            "detail": message,
            "step": step,
            **_times(timezone),
            "sha256": sha256,
            "original_name": claimed.original_name,
            "direction": claimed.direction,
            "folder": claimed.folder,
            "claimed_as": claimed_as,
        })
        os.rename(claimed.path, target)
        return target

    def give_back(self, claimed: ClaimedFile) -> Path:
        """A transient failure: put the file back where the clerk left it."""
        target = claimed.source
        if os.path.lexists(target):
            target = free_name(target.parent, target.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(claimed.path, target)
        return target

    def remove_batch_if_empty(self, batch: Batch) -> None:
        """Drop the batch folder once every file has left it."""
        remove_if_empty(batch.path)


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


def _claimed_as(in_work: Path) -> str:
    """A claimed file's place in its chunk, whichever lane holds the chunk now."""
    if in_work.parts and in_work.parts[0].startswith(LANE_PREFIX):
        in_work = Path(*in_work.parts[1:])
    return in_work.as_posix()


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _entries(tree: Path, *, skip_hidden: bool) -> Iterator[tuple[Path, str]]:
    """Every entry of ``tree`` that is not a folder, with its folder ("" at the top), NFC.

    A link to a folder is an entry (``os.walk`` lists it among the folders),
    never followed; ``skip_hidden`` leaves out folders whose name starts with a dot.
    """
    if not tree.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(tree):
        if skip_hidden:
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        dirnames[:] = [d for d in dirnames if d not in links]
        folder = Path(dirpath).relative_to(tree).as_posix()
        for name in sorted([*filenames, *links]):
            yield Path(dirpath, name), "" if folder == "." else _nfc(folder)


def _times(timezone: str) -> dict[str, str]:
    now = datetime.now(UTC)
    return {"time": now.astimezone(ZoneInfo(timezone)).isoformat(timespec="seconds"),
            "time_utc": now.isoformat()}


def _rename_into(source: Path, target: Path) -> None:
    """``os.rename``, making the target's folder first only if it is missing (a file
    at a time, a ``mkdir`` each was a tenth of the ingest's own system calls)."""
    try:
        os.rename(source, target)
    except FileNotFoundError:
        if not os.path.lexists(source):
            raise
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(source, target)


def _write_reason(target: Path, reason_doc: dict[str, object]) -> None:
    """``<target>.reason.json``, whole or not at all (written aside, then renamed)."""
    reason_path = target.with_name(target.name + ".reason.json")
    tmp = reason_path.with_name("." + reason_path.name + ".tmp")
    tmp.write_text(json.dumps(reason_doc, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, reason_path)


def free_name(folder: Path, name: str,
              reuse: Callable[[Path], bool] | None = None) -> Path:
    """``folder/name``, or ``name (2)``, ``name (3)``... if that is taken.

    Taken: anything at the name, a dangling link included, or a quarantine
    reason file for it.  ``reuse``: a name whose file is absent but whose
    reason file this predicate accepts is free (the caller's own unfinished
    quarantine).
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

