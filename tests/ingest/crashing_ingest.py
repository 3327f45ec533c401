"""An ingest run that dies at a chosen point of the group commit, as a power cut would.

Run as ``python -m tests.ingest.crashing_ingest DATA_DIR POINT``; the process
ends with ``os._exit`` (no clean-up, no rollback, no ``finally``) at ``POINT``:

- ``archived``: the originals and texts are written, before the register;
- ``recorded``: the records are written inside the register transaction, before its commit;
- ``committed``: the group is registered and one file released, the rest not yet.

The crash is injected through the store and the progress callback, the seams
production uses.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ingest.backends import open_backends
from ingest.pipeline import FileReport, Outcome, ingest_once
from ingest.settings import load_settings
from ingest.store.local import LocalFolderStore

CRASHED = 86  # the exit status the test expects
POINTS = ("archived", "recorded", "committed")


class CrashingStore(LocalFolderStore):
    """A folder store whose ``crash_on``-th ``sync`` never returns."""

    def __init__(self, root: Path, crash_on: int | None) -> None:
        super().__init__(root)
        self.crash_on = crash_on
        self.syncs = 0

    def sync(self) -> None:
        self.syncs += 1
        if self.syncs == self.crash_on:
            os._exit(CRASHED)
        super().sync()


def crash_after_first_release(report: FileReport) -> None:
    if report.outcome is Outcome.ARCHIVED:
        os._exit(CRASHED)


def main(data_dir: Path, point: str) -> None:
    settings = load_settings(data_dir=data_dir, quiet_seconds=0.0, file_timeout_seconds=120.0)
    crash_on = {"archived": 1, "recorded": 2}.get(point)
    store = CrashingStore(settings.store_dir, crash_on)
    progress = crash_after_first_release if point == "committed" else None
    with open_backends(settings, store=store) as backends:
        ingest_once(settings, backends, progress, wait=False)
    sys.exit(0)  # not reached when the crash point was


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
