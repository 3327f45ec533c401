"""Scratch folders of worker processes, where the next run finds what dead ones left.

OCR hands Tesseract each page as an uncompressed image (1.1 MB at 300 dpi)
and Tesseract writes its output beside it; a worker killed in the middle of a
page (its time limit, kill -9, the machine's out-of-memory killer) never
removes them, and in ``/tmp`` nobody ever would.  So each worker process puts
its temporary files in a folder of its own and holds a lock on that folder for
its whole life; whoever cleans removes every folder whose lock is free: its
worker is gone, however it ended.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

LOCK_NAME = ".lock"
# A folder is made, then locked: one without a lock yet is left alone this long.
UNLOCKED_GRACE_SECONDS = 60.0

_own: Path | None = None  # this process's folder, locked until the process ends
_own_lock: int | None = None


def use_scratch_folder(root: Path) -> Path:
    """Send this process's temporary files (and its children's) to a locked folder
    of its own under ``root``.  For worker processes: it changes ``tempfile``'s
    default folder and ``TMPDIR`` for the rest of the process."""
    global _own, _own_lock
    if _own is not None and _own.parent == root:
        return _own
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"worker-{os.getpid()}-", dir=root))
    fd = os.open(folder / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    _own, _own_lock = folder, fd
    tempfile.tempdir = str(folder)
    os.environ["TMPDIR"] = str(folder)
    return folder


def remove_abandoned(root: Path) -> int:
    """Remove the scratch folders under ``root`` whose process is gone; how many."""
    removed = 0
    try:
        folders = [p for p in root.iterdir() if p.is_dir() and p != _own]
    except FileNotFoundError:
        return 0
    for folder in folders:
        try:
            fd = os.open(folder / LOCK_NAME, os.O_RDWR)
        except FileNotFoundError:
            try:
                young = time.time() - folder.stat().st_mtime < UNLOCKED_GRACE_SECONDS
            except FileNotFoundError:
                continue
            if not young:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # its worker is alive
        finally:
            os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed
