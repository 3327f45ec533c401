"""The embedded object store: a local folder.

Writes go to a temporary name in the same folder, are fsynced, renamed into
place and the folder fsynced, so a crash leaves either the old object or the
new one, never half of one.  The SHA-256 is kept in a ``.sha256`` sidecar so
``stat`` is cheap; ``verify`` always re-reads the bytes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ingest.errors import NotFound, StoreUnavailable, VerificationFailed
from ingest.store.base import CHUNK, StoredObject, sha256_file

_SIDECAR = ".sha256"


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

    def _path(self, key: str) -> Path:
        if not key or key.startswith("/") or ".." in key.split("/") or key.endswith(_SIDECAR):
            raise ValueError(f"invalid object key: {key!r}")
        return self.root / key

    def put_file(self, key: str, path: Path, sha256: str, content_type: str) -> StoredObject:
        target = self._path(key)
        existing = self.stat(key)
        if existing is not None and existing.sha256 == sha256 and self.verify(key, sha256):
            return existing
        with path.open("rb") as source:
            self._write_atomic(target, lambda out: shutil.copyfileobj(source, out, CHUNK))
        return self._verify_written(key, target, sha256)

    def put_bytes(self, key: str, data: bytes, content_type: str) -> StoredObject:
        import hashlib

        target = self._path(key)
        self._write_atomic(target, lambda out: out.write(data))
        return self._verify_written(key, target, hashlib.sha256(data).hexdigest())

    def get_bytes(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise NotFound(f"no object {key}") from exc
        except OSError as exc:
            raise StoreUnavailable(f"cannot read {key}: {exc}") from exc

    def open_stream(self, key: str) -> BinaryIO:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError as exc:
            raise NotFound(f"no object {key}") from exc

    def stat(self, key: str) -> StoredObject | None:
        target = self._path(key)
        try:
            size = target.stat().st_size
        except FileNotFoundError:
            return None
        sidecar = target.with_name(target.name + _SIDECAR)
        try:
            digest = sidecar.read_text().strip()
        except FileNotFoundError:
            digest = sha256_file(target)
        return StoredObject(key=key, size=size, sha256=digest)

    def list_keys(self, prefix: str) -> Iterator[str]:
        base = self.root
        keys = []
        for dirpath, _dirs, files in os.walk(base):
            for name in files:
                if name.endswith(_SIDECAR) or name.startswith(".tmp-"):
                    continue
                key = Path(dirpath, name).relative_to(base).as_posix()
                if key.startswith(prefix):
                    keys.append(key)
        yield from sorted(keys)

    def verify(self, key: str, sha256: str) -> bool:
        target = self._path(key)
        try:
            return sha256_file(target) == sha256
        except FileNotFoundError:
            return False

    def _verify_written(self, key: str, target: Path, sha256: str) -> StoredObject:
        actual = sha256_file(target)
        if actual != sha256:
            raise VerificationFailed(
                f"stored copy of {key} reads back as {actual[:12]}…, expected {sha256[:12]}…"
            )
        self._write_atomic(target.with_name(target.name + _SIDECAR), lambda out: out.write(
            sha256.encode()
        ))
        return StoredObject(key=key, size=target.stat().st_size, sha256=sha256)

    def _write_atomic(self, target: Path, write: object) -> None:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as out:
                    write(out)  # type: ignore[operator]
                    out.flush()
                    if self.fsync:
                        os.fsync(out.fileno())
                os.replace(tmp_name, target)
            except BaseException:
                Path(tmp_name).unlink(missing_ok=True)
                raise
            if self.fsync:
                dir_fd = os.open(target.parent, os.O_RDONLY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)
        except OSError as exc:
            raise StoreUnavailable(f"cannot write {target}: {exc}") from exc
