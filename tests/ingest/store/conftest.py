"""Fixtures for the object-store tests: one SeaweedFS server per session, one large file."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.seaweedfs import SeaweedFS, start_seaweedfs

LARGE_SIZE = 64 * 1024 * 1024 + 3 * 1024 * 1024 + 17  # past 64 MiB and a part boundary


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedFS]:
    """A real S3 server (SeaweedFS) for the whole session, stopped at the end."""
    server = start_seaweedfs(tmp_path_factory.mktemp("seaweedfs"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def large_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One file of more than 64 MiB per session, made here and never committed."""
    path = tmp_path_factory.mktemp("large") / "large.bin"
    digest = hashlib.sha256()
    block = os.urandom(1024 * 1024)
    with path.open("wb") as out:
        left, counter = LARGE_SIZE, 0
        while left:
            # Number each MiB so a part stored twice or out of order changes the hash.
            chunk = (counter.to_bytes(8, "big") + block)[: min(left, len(block))]
            out.write(chunk)
            digest.update(chunk)
            left -= len(chunk)
            counter += 1
    return path, digest.hexdigest()
