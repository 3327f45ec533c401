"""An ingest run that dies at a chosen point of the group commit, as a power cut would.

Run as ``python -m tests.ingest.crashing_ingest DATA_DIR POINT``; the process
ends with ``os._exit`` (no clean-up, no rollback, no ``finally``) at ``POINT``:

- ``archived``: the originals and texts are written, before the register;
- ``recorded``: the records are written inside the register transaction, before its commit;
- ``committed``: the group is registered, its files not yet released.

The crash is injected through the store and the register, the seams production uses.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ingest.backends import open_backends
from ingest.model import DocumentRecord
from ingest.pipeline import ingest_once
from ingest.register import Register, RegistrationResult
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


class CrashingRegister(Register):
    """A register whose process dies right after it committed a group."""

    def register_documents(
        self, records: Sequence[DocumentRecord], **kwargs: Any
    ) -> list[RegistrationResult]:
        super().register_documents(records, **kwargs)
        os._exit(CRASHED)


def main(data_dir: Path, point: str) -> None:
    settings = load_settings(data_dir=data_dir, quiet_seconds=0.0, file_timeout_seconds=120.0)
    crash_on = {"archived": 1, "recorded": 2}.get(point)
    store = CrashingStore(settings.store_dir, crash_on)
    register = (CrashingRegister.from_settings(settings) if point == "committed"
                else Register.from_settings(settings))
    with open_backends(settings, store=store, register=register) as backends:
        ingest_once(settings, backends, wait=False)
    sys.exit(0)  # not reached when the crash point was


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
