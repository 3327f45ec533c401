"""An ingest run killed with SIGKILL at a chosen point, as a power cut or the OOM killer would.

Run as ``python -m tests.ingest.crashing_ingest DATA_DIR POINT``; the process
kills itself with ``SIGKILL`` (no clean-up, no rollback, no ``finally``, its
locks dropped by the kernel) at ``POINT``:

- ``claimed``: the files are claimed into a batch, before their fingerprints are logged;
- ``archived``: the originals and texts are written, before the register;
- ``recorded``: the records are written inside the register transaction, before its commit;
- ``committed``: the group is registered, its files not yet released;
- ``quarantining``: a file's reason file is written, the file not yet moved beside it.

The crash is injected through the store and the register, the seams production
uses, and for ``quarantining`` through ``os.replace``, the call that puts a
reason file in place.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ingest.backends import open_backends
from ingest.pipeline import ingest_once
from ingest.register import LedgerEntry, Register, RegistrationResult
from ingest.store.local import LocalFolderStore
from kernel.model import DocumentRecord
from kernel.settings import load_settings

POINTS = ("claimed", "archived", "recorded", "committed")  # of the group commit


def die() -> None:
    """SIGKILL to this process, as from outside: nothing after this line runs."""
    os.kill(os.getpid(), signal.SIGKILL)


class CrashingStore(LocalFolderStore):
    """A folder store whose ``crash_on``-th ``sync`` never returns."""

    def __init__(self, root: Path, crash_on: int | None) -> None:
        super().__init__(root)
        self.crash_on = crash_on
        self.syncs = 0

    def sync(self) -> None:
        self.syncs += 1
        if self.syncs == self.crash_on:
            die()
        super().sync()


class CrashingRegister(Register):
    """A register whose process dies at ``point``: before the claims are logged, or
    right after it committed a group."""

    point = "committed"

    def log_events(self, entries: Iterable[LedgerEntry]) -> None:
        if self.point == "claimed":
            die()
        super().log_events(entries)

    @contextmanager
    def registering(
        self, records: Sequence[DocumentRecord], **kwargs: Any
    ) -> Iterator[list[RegistrationResult]]:
        with super().registering(records, **kwargs) as results:
            yield results
        if self.point == "committed":
            die()


def die_after_a_reason_file() -> None:
    real_replace = os.replace

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        real_replace(src, dst, **kwargs)
        if str(dst).endswith(".reason.json"):
            die()

    os.replace = replace


def main(data_dir: Path, point: str) -> None:
    if point == "quarantining":
        die_after_a_reason_file()
    settings = load_settings(data_dir=data_dir, quiet_seconds=0.0, file_timeout_seconds=120.0)
    crash_on = {"archived": 1, "recorded": 2}.get(point)
    store = CrashingStore(settings.store_location, crash_on)
    register = CrashingRegister.from_settings(settings)
    assert isinstance(register, CrashingRegister)
    register.point = point
    with open_backends(settings, store=store, register=register) as backends:
        ingest_once(settings, backends, wait=False)
    sys.exit(0)  # not reached when the crash point was


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
