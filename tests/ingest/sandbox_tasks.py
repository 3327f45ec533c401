"""Tasks for the sandbox tests: real misbehaviour, run in real worker processes."""

from __future__ import annotations

import os
import time

from ingest.errors import PermanentError, QuarantineReason


def behave(kind: str) -> str:
    if kind == "ok":
        return f"done in {os.getpid()}"
    if kind == "sleep":
        time.sleep(60)
    if kind == "memory":
        blocks = []
        while True:
            blocks.append(bytearray(64 * 1024 * 1024))
    if kind == "crash":
        os._exit(3)
    if kind == "permanent":
        raise PermanentError(QuarantineReason.ENCRYPTED, "needs a password")
    if kind == "bug":
        raise ValueError("unexpected")
    return kind


def misconfigured(_task: str) -> str:
    from ingest.errors import ConfigError

    raise ConfigError("tesseract language data 'vie' is not installed")
