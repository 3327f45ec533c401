"""The embedded object store: a local folder.

Writes go to a temporary name in the same folder and are fsynced; the
temporary copy is then read back and hashed, and only a copy that verifies is
renamed into place (and the folder fsynced).  A crash or a bad copy therefore
leaves the old object or the new one, never half of one, and never a copy that
does not match its hash.

A write with ``durable=False`` skips both fsyncs; ``sync`` then makes every
such write durable at once with one ``syncfs`` of the store's filesystem (the
ingest calls it once per group of documents instead of six fsyncs each).
Until then a crash may leave such an object missing or short, which is why the
ingest registers nothing before ``sync`` returned, and why ``put_file`` of an
existing object re-reads it rather than trusting it.

``stat`` and ``verify`` hash the bytes.  Earlier versions kept the SHA-256 in
a ``.sha256`` sidecar; those files are ignored, and removed when their object
is written again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Callable, Iterator
from functools import cache, partial
from pathlib import Path
from typing import Any, BinaryIO

from ingest.store.base import CHUNK, StoredObject, check_key, sha256_file
from kernel.errors import NotFound, StoreUnavailable, VerificationFailed

_SIDECAR = ".sha256"
_TMP_PREFIX = ".tmp-"
# The object is not there, whether its file or one of its folders is missing.
_ABSENT = (FileNotFoundError, NotADirectoryError)


class LocalFolderStore:
    """``ObjectStore`` on a folder of the local filesystem."""

    def __init__(self, root: Path, *, fsync: bool = True) -> None:
        self.root = root
        self.fsync = fsync
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create store folder {root}: {exc}") from exc

    def __repr__(self) -> str:
        return f"LocalFolderStore({str(self.root)!r})"

    def for_workers(self) -> LocalFolderStore | None:
        """This folder for worker processes to write to (``SharedWithWorkers``); None
        for a subclass that changes how objects are written: its writes stay here."""
        writes = ("put_file", "put_bytes", "_write")
        if any(getattr(type(self), name) is not getattr(LocalFolderStore, name)
               for name in writes):
            return None
        shared = LocalFolderStore.__new__(LocalFolderStore)  # the folder exists: no mkdir
        shared.root, shared.fsync = self.root, self.fsync
        return shared

    def _path(self, key: str) -> Path:
        # The sidecar suffix is reserved so an object can never overwrite another's hash.
        if check_key(key).endswith(_SIDECAR):
            raise ValueError(f"invalid object key: {key!r}")
        return self.root / key

    def put_file(
        self, key: str, path: Path, sha256: str, content_type: str, *, durable: bool = True
    ) -> StoredObject:
        """Copy ``path`` in unless an identical, verified copy is already there."""
        target = self._path(key)
        if self.verify(key, sha256):
            return StoredObject(key=key, size=target.stat().st_size, sha256=sha256)
        with path.open("rb", buffering=0) as source:
            return self._write(key, target, sha256, partial(_copy, source.fileno()), durable)

    def put_bytes(
        self, key: str, data: bytes, content_type: str, *, durable: bool = True
    ) -> StoredObject:
        """Store ``data`` under ``key``, replacing what was there."""
        sha256 = hashlib.sha256(data).hexdigest()
        return self._write(key, self._path(key), sha256, partial(_write_all, data), durable)

    def sync(self) -> None:
        """Make every write so far durable: one ``syncfs`` of the store's filesystem."""
        if not self.fsync:
            return
        try:
            _syncfs(self.root)
        except OSError as exc:
            raise StoreUnavailable(f"cannot flush the store {self.root} to disk: {exc}") from exc

    def get_bytes(self, key: str) -> bytes:
        """The whole object; ``NotFound`` if it does not exist."""
        try:
            return self._path(key).read_bytes()
        except _ABSENT as exc:
            raise NotFound(f"no object {key}") from exc
        except OSError as exc:
            raise StoreUnavailable(f"cannot read {key}: {exc}") from exc

    def open_stream(self, key: str) -> BinaryIO:
        """The object's file opened for reading; the caller closes it."""
        try:
            return self._path(key).open("rb")
        except _ABSENT as exc:
            raise NotFound(f"no object {key}") from exc
        except OSError as exc:
            raise StoreUnavailable(f"cannot read {key}: {exc}") from exc

    def stat(self, key: str) -> StoredObject | None:
        """Size and SHA-256 (hashed from the bytes), or None if absent."""
        target = self._path(key)
        try:
            size = target.stat().st_size
            digest = sha256_file(target)
        except _ABSENT:
            return None
        except OSError as exc:
            raise StoreUnavailable(f"cannot stat {key}: {exc}") from exc
        return StoredObject(key=key, size=size, sha256=digest)

    def list_keys(self, prefix: str) -> Iterator[str]:
        """Keys under ``prefix`` in lexical order; temporaries and sidecars are hidden."""
        # Walk only the folder the prefix names, not the whole store.
        folder = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
        base = self.root / folder if folder and ".." not in folder.split("/") else self.root
        keys = []
        for dirpath, _dirs, files in os.walk(base):
            for name in files:
                if name.endswith(_SIDECAR) or name.startswith(_TMP_PREFIX):
                    continue
                key = Path(dirpath, name).relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    keys.append(key)
        yield from sorted(keys)

    def verify(self, key: str, sha256: str) -> bool:
        """Re-read the object and compare its SHA-256; False if it is missing."""
        target = self._path(key)
        try:
            return sha256_file(target) == sha256
        except _ABSENT:
            return False
        except OSError as exc:
            raise StoreUnavailable(f"cannot read {key}: {exc}") from exc

    def _write(
        self,
        key: str,
        target: Path,
        sha256: str,
        write: Callable[[int], object],
        durable: bool,
    ) -> StoredObject:
        """Write to a temporary, verify it from disk, then rename it over ``target``.

        Plain ``os`` calls on ``str`` paths and file descriptors (no file
        objects), and a folder made only when the temporary cannot be created
        for want of it: three objects a document, each a dozen system calls,
        were a quarter of the ingest's own CPU.
        """
        folder = os.path.dirname(target)
        try:
            tmp, fd = _create_temporary(folder)
        except OSError as exc:
            raise StoreUnavailable(f"cannot write {key}: {exc}") from exc
        replaced = False
        try:
            try:
                try:
                    write(fd)
                    if self.fsync and durable:
                        os.fsync(fd)
                finally:
                    os.close(fd)
                actual, size = _hash_file(tmp)
            except OSError as exc:
                raise StoreUnavailable(f"cannot write {key}: {exc}") from exc
            if actual != sha256:
                raise VerificationFailed(
                    f"stored copy of {key} reads back as {actual[:12]}…, expected {sha256[:12]}…"
                )
            try:
                os.replace(tmp, target)
                replaced = True
                if durable:
                    self._sync_folder(folder)
                _remove_sidecar(target)  # stale from an earlier version
            except OSError as exc:
                raise StoreUnavailable(f"cannot write {key}: {exc}") from exc
        finally:
            if not replaced:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
        return StoredObject(key=key, size=size, sha256=sha256)

    def _sync_folder(self, folder: str | Path) -> None:
        if not self.fsync:
            return
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _create_temporary(folder: str) -> tuple[str, int]:
    """A new temporary file in ``folder`` (made if missing), private like ``mkstemp``'s
    but cheaper to make."""
    while True:
        name = os.path.join(folder, f"{_TMP_PREFIX}{secrets.token_hex(8)}")
        try:
            return name, os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except FileNotFoundError:  # the object's folder is not there yet
            os.makedirs(folder, exist_ok=True)
            return name, os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


def _hash_file(path: str) -> tuple[str, int]:
    """SHA-256 hex digest and size of the file at ``path``, read once."""
    digest = hashlib.sha256()
    size = 0
    fd = os.open(path, os.O_RDONLY)
    try:
        while chunk := os.read(fd, CHUNK):
            digest.update(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    return digest.hexdigest(), size


def _remove_sidecar(target: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(f"{target}{_SIDECAR}")


@cache
def _libc() -> Any:
    """The C library, as the process has it loaded already: no ``find_library``, which
    runs ``ldconfig -p`` in a child process (~40 ms at every start of a ``docket``
    process and of the sandbox's fork server, both of which import this module)."""
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def _syncfs(folder: Path) -> None:
    """Flush the whole filesystem holding ``folder`` (Linux ``syncfs``; else ``sync``)."""
    syncfs = getattr(_libc(), "syncfs", None)
    if syncfs is None:  # not Linux: sync every filesystem
        os.sync()
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:
            import ctypes  # loaded by _libc

            errno = ctypes.get_errno()
            raise OSError(errno, os.strerror(errno))
    finally:
        os.close(fd)


def _copy(source: int, out: int) -> None:
    while chunk := os.read(source, CHUNK):
        _write_all(chunk, out)


def _write_all(data: bytes, out: int) -> None:
    """All of ``data`` to the file descriptor ``out`` (a write may take only part)."""
    view = memoryview(data)
    while view:
        view = view[os.write(out, view):]
