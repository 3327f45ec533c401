"""The object-store interface every backend implements.

Keys are built by Docket (``kernel.model.original_key`` and friends), never
from user input.  Every write is verified: the stored copy is read back and its
SHA-256 compared before the call returns.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

CHUNK = 1024 * 1024
MAX_KEY_BYTES = 1024  # S3's limit; the local store keeps the same one so keys travel
# Letters, digits and ``_.=+-``: keys are made by Docket, so anything
# else (spaces, backslashes, control characters) means a bug or a hostile caller.
_KEY_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.=+-]*")


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    sha256: str


@runtime_checkable
class ObjectStore(Protocol):
    """Content storage for originals, extracted text, records and reports."""

    def put_file(
        self, key: str, path: Path, sha256: str, content_type: str, *, durable: bool = True
    ) -> StoredObject:
        """Store the file at ``path`` under ``key``, then read it back and verify.

        Idempotent: storing identical content again succeeds.  Raises
        ``VerificationFailed`` if the copy does not match ``sha256`` and
        ``StoreUnavailable`` if the store cannot be reached.  With
        ``durable=False`` the copy may survive a crash only once ``sync``
        returned (group commit); the default makes it durable before returning.
        """
        ...

    def put_bytes(
        self, key: str, data: bytes, content_type: str, *, durable: bool = True
    ) -> StoredObject:
        """Store ``data`` under ``key`` (replacing it), verified like ``put_file``."""
        ...

    def sync(self) -> None:
        """Make every write made so far durable (those with ``durable=False`` too).

        A no-op for a store whose every write is durable when it returns (S3).
        Raises ``StoreUnavailable`` if the store cannot flush.
        """
        ...

    def get_bytes(self, key: str) -> bytes:
        """The whole object; ``NotFound`` if it does not exist."""
        ...

    def open_stream(self, key: str) -> BinaryIO:
        """A readable stream of the object, for downloads; caller closes it."""
        ...

    def stat(self, key: str) -> StoredObject | None:
        """Size and SHA-256 of the object, or None if it does not exist."""
        ...

    def list_keys(self, prefix: str) -> Iterator[str]:
        """Keys under ``prefix``, in lexical order."""
        ...

    def verify(self, key: str, sha256: str) -> bool:
        """Re-read the object and compare its SHA-256 (fixity check)."""
        ...


@runtime_checkable
class SharedWithWorkers(Protocol):
    """A store that worker processes can write to themselves (a folder they share).

    The ingest's workers then store each original and text they read (the
    copy, the read-back and the hash off the parent's thread); the parent
    still makes them durable (``sync``) before it numbers anything.
    """

    def for_workers(self) -> ObjectStore | None:
        """A small, picklable copy of this store for worker processes; None when its
        writes must stay in this process."""
        ...


@runtime_checkable
class PresignedDownloads(Protocol):
    """A store that can hand a browser a short-lived download link (S3 can, a folder cannot)."""

    def presigned_url(self, key: str, filename: str | None = None) -> str:
        """A time-limited GET URL for ``key``, saved as ``filename`` by the browser."""
        ...


def check_key(key: str) -> str:
    """Return ``key`` if it is a well-formed object key, else raise ``ValueError``.

    A key is ``/``-separated segments of ASCII letters, digits and ``_.=+-``, each
    starting with a letter, digit or ``_``, so no segment is empty, ``.``, ``..`` or hidden.
    """
    if not key or len(key.encode()) > MAX_KEY_BYTES:
        raise ValueError(f"invalid object key: {key!r}")
    for segment in key.split("/"):
        if not _KEY_SEGMENT.fullmatch(segment):
            raise ValueError(f"invalid object key: {key!r}")
    return key


def sha256_file(path: Path) -> str:
    """SHA-256 hex digest of the file at ``path``, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_stream(stream: BinaryIO) -> tuple[str, int]:
    """SHA-256 hex digest and size of everything left in ``stream``."""
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size
