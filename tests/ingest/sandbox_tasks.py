"""Tasks for the sandbox tests: real misbehaviour, run in real worker processes."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from kernel.errors import PermanentError, QuarantineReason


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
    if kind == "killed":  # kill -9 from outside, every time
        os.kill(os.getpid(), signal.SIGKILL)
    if kind.startswith("killed-once:"):  # kill -9 from outside, the first time only
        marker = Path(kind.partition(":")[2])
        if not marker.exists():
            marker.write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        return f"done in {os.getpid()} after {marker.read_text()} was killed"
    if kind == "permanent":
        raise PermanentError(QuarantineReason.ENCRYPTED, "needs a password")
    if kind == "bug":
        raise ValueError("unexpected")
    return kind


def misconfigured(_task: str) -> str:
    from kernel.errors import ConfigError

    raise ConfigError("tesseract language data 'vie' is not installed")
