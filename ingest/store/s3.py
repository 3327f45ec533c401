"""The server object store: any S3 API (MinIO, SeaweedFS, Ceph, AWS) through ``minio``.

Every write is verified twice: the bytes are hashed while they are sent (a file
that changed since the caller hashed it never completes its upload) and the
stored object is then read back and hashed again; only then may the caller
release the original from the inbox.  The SHA-256 travels as object metadata
(``x-amz-meta-sha256``) so ``stat`` is one HEAD request.

Connection errors and 5xx answers are retried with exponential backoff, then
raised as ``StoreUnavailable``.  With ``s3_object_lock`` the bucket is created
with Object Lock and a default retention rule (WORM): an archived original can
then not be deleted or overwritten until its retention ends.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO, Literal, TypeVar, cast

import urllib3
from minio import Minio
from minio.commonconfig import ENABLED
from minio.error import InvalidResponseError, S3Error, ServerError
from minio.objectlockconfig import DAYS, ObjectLockConfig
from minio.versioningconfig import VersioningConfig

from ingest.store.base import CHUNK, StoredObject, check_key, sha256_stream
from kernel.errors import ConfigError, NotFound, StoreUnavailable, VerificationFailed
from kernel.settings import Settings

T = TypeVar("T")

SHA256_META = "sha256"  # sent as x-amz-meta-sha256
PART_SIZE = 16 * 1024 * 1024  # multipart above this; 3 parts in flight bound the memory
_MISSING = {"NoSuchKey", "NoSuchBucket", "NoSuchVersion", "ResourceNotFound"}
# Answers that say "try again" although their status is not 5xx.
_RETRY_CODES = {"SlowDown", "RequestTimeout", "RequestTimeTooSkewed", "InternalError"}
# Failures of the connection itself; OSError covers refused and reset sockets.
_TRANSIENT = (ServerError, InvalidResponseError, urllib3.exceptions.HTTPError, OSError)


@dataclass(frozen=True)
class RetentionRule:
    """The bucket's default Object Lock retention."""

    mode: Literal["GOVERNANCE", "COMPLIANCE"]
    days: int


class _SourceChanged(Exception):
    """The file being uploaded does not hash to what the caller said it would."""


class _HashingReader:
    """Hands ``minio`` the file's bytes and fails the last read if they hash wrong.

    Failing inside ``read`` makes ``minio`` abandon the request (and abort a
    multipart upload) before the object is completed, so a wrong copy never
    replaces a good one.
    """

    def __init__(self, source: BinaryIO, size: int, sha256: str) -> None:
        self._source = source
        self._left = size
        self._expected = sha256
        self._digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        want = self._left if size < 0 else min(size, self._left)
        data = self._source.read(want) if want else b""
        self._digest.update(data)
        self._left -= len(data)
        if want and not data:
            raise _SourceChanged("the file became shorter while it was being stored")
        if self._left == 0 and self._digest.hexdigest() != self._expected:
            raise _SourceChanged(
                f"the file hashes to {self._digest.hexdigest()[:12]}…, "
                f"expected {self._expected[:12]}…"
            )
        return data


class _ObjectStream(io.RawIOBase):
    """A GET response as a file; closing it returns the connection to the pool."""

    def __init__(self, response: urllib3.BaseHTTPResponse) -> None:
        self._response = response

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._response.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._response.close()
            self._response.release_conn()
        super().close()


class S3Store:
    """``ObjectStore`` on an S3 bucket."""

    def __init__(
        self,
        client: Minio,
        bucket: str,
        *,
        retries: int = 4,
        backoff_seconds: float = 0.5,
        presign_expiry: timedelta = timedelta(minutes=15),
        versioning: bool = False,
        retention: RetentionRule | None = None,
        part_size: int = PART_SIZE,
    ) -> None:
        self.client = client
        self.bucket = bucket
        self.retries = retries
        self.backoff_seconds = backoff_seconds
        self.presign_expiry = presign_expiry
        self.versioning = versioning
        self.retention = retention
        self.part_size = part_size
        self._bucket_ready = False
        self._where = f"{client._base_url.host}/{bucket}"  # for messages only

    @classmethod
    def from_settings(cls, settings: Settings, *, backoff_seconds: float = 0.5) -> S3Store:
        """The store ``settings.s3_*`` describe.  Nothing is contacted until first use."""
        return cls(
            make_client(settings),
            settings.s3_bucket,
            retries=settings.s3_retries,
            backoff_seconds=backoff_seconds,
            presign_expiry=timedelta(minutes=settings.s3_presign_minutes),
            versioning=settings.s3_versioning,
            retention=(
                RetentionRule(settings.s3_retention_mode, settings.s3_retention_days)
                if settings.s3_object_lock
                else None
            ),
        )

    def __repr__(self) -> str:
        return f"S3Store({self._where!r})"

    # -- writes ---------------------------------------------------------------------

    def put_file(
        self, key: str, path: Path, sha256: str, content_type: str, *, durable: bool = True
    ) -> StoredObject:
        """Upload ``path`` unless an identical, verified copy is already there."""
        check_key(key)
        existing = self.stat(key)
        if existing is not None and existing.sha256 == sha256 and self.verify(key, sha256):
            return existing
        with path.open("rb") as source:
            size = os.fstat(source.fileno()).st_size

            def upload() -> None:
                source.seek(0)  # from the start again on every attempt
                self.client.put_object(
                    self.bucket, key, cast(BinaryIO, _HashingReader(source, size, sha256)),
                    size, content_type=content_type, metadata={SHA256_META: sha256},
                    part_size=self.part_size,
                )

            try:
                self._call(f"store {key}", upload)
            except _SourceChanged as exc:
                raise VerificationFailed(
                    f"{path} changed before it was stored as {key}: {exc}"
                ) from exc
        return self._verify_written(key, size, sha256)

    def put_bytes(
        self, key: str, data: bytes, content_type: str, *, durable: bool = True
    ) -> StoredObject:
        """Store ``data`` under ``key``, replacing it (a new version if versioned)."""
        check_key(key)
        sha256 = hashlib.sha256(data).hexdigest()
        self._call(
            f"store {key}",
            lambda: self.client.put_object(
                self.bucket, key, io.BytesIO(data), len(data),
                content_type=content_type, metadata={SHA256_META: sha256},
                part_size=self.part_size,
            ),
        )
        return self._verify_written(key, len(data), sha256)

    def sync(self) -> None:
        """Nothing to do: S3 acknowledges a PUT only once the object is durable."""

    def _verify_written(self, key: str, size: int, sha256: str) -> StoredObject:
        actual, actual_size = self._read_digest(key)
        if actual != sha256 or actual_size != size:
            # Don't leave a copy labelled with a hash it does not have.  Under
            # Object Lock this only adds a delete marker; the bad version stays.
            self._call(f"remove {key}", lambda: self.client.remove_object(self.bucket, key))
            raise VerificationFailed(
                f"stored copy of {key} reads back as {actual[:12]}… ({actual_size} bytes), "
                f"expected {sha256[:12]}… ({size} bytes)"
            )
        return StoredObject(key=key, size=size, sha256=sha256)

    # -- reads ----------------------------------------------------------------------

    def get_bytes(self, key: str) -> bytes:
        """The whole object; ``NotFound`` if it does not exist."""
        check_key(key)

        def read() -> bytes:
            response = self.client.get_object(self.bucket, key)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()

        return self._call(f"read {key}", read)

    def open_stream(self, key: str) -> BinaryIO:
        """A buffered stream of the object; closing it releases the connection."""
        check_key(key)
        response = self._call(f"read {key}", lambda: self.client.get_object(self.bucket, key))
        return cast(BinaryIO, io.BufferedReader(_ObjectStream(response), CHUNK))

    def stat(self, key: str) -> StoredObject | None:
        """Size and SHA-256 from one HEAD request, or None if there is no such object."""
        check_key(key)
        try:
            info = self._call(f"stat {key}", lambda: self.client.stat_object(self.bucket, key))
        except NotFound:
            return None
        sha256 = (info.metadata or {}).get(f"x-amz-meta-{SHA256_META}")
        if not sha256:
            # Put there by something other than Docket: hash it once.
            sha256, _size = self._read_digest(key)
        return StoredObject(key=key, size=int(info.size or 0), sha256=str(sha256))

    def list_keys(self, prefix: str) -> Iterator[str]:
        """Keys under ``prefix`` in lexical order (the latest version of each)."""
        keys = self._call(
            f"list {prefix}",
            lambda: [
                obj.object_name
                for obj in self.client.list_objects(self.bucket, prefix=prefix, recursive=True)
                if obj.object_name and not obj.is_dir
            ],
        )
        yield from sorted(keys)

    def verify(self, key: str, sha256: str) -> bool:
        """Re-read the whole object and compare its SHA-256; False if it is missing."""
        check_key(key)
        try:
            actual, _size = self._read_digest(key)
        except NotFound:
            return False
        return actual == sha256

    def presigned_url(self, key: str, filename: str | None = None) -> str:
        """A GET URL valid for ``presign_expiry``, saved by browsers as ``filename``."""
        check_key(key)
        headers: dict[str, str | list[str] | tuple[str]] = {}
        if filename:
            headers["response-content-disposition"] = content_disposition(filename)
        return self._call(
            f"sign {key}",
            lambda: self.client.presigned_get_object(
                self.bucket, key, expires=self.presign_expiry,
                response_headers=headers or None,
            ),
        )

    def _read_digest(self, key: str) -> tuple[str, int]:
        def read() -> tuple[str, int]:
            response = self.client.get_object(self.bucket, key)
            try:
                return sha256_stream(cast(BinaryIO, response))
            finally:
                response.close()
                response.release_conn()

        return self._call(f"read {key}", read)

    # -- the bucket and the retry loop ----------------------------------------------

    def _call(self, what: str, operation: Callable[[], T]) -> T:
        """Run ``operation``, retrying what a later attempt may fix, and map the errors."""
        self._ensure_bucket()
        return self._retrying(what, operation)

    def _retrying(self, what: str, operation: Callable[[], T]) -> T:
        attempt = 0
        while True:
            try:
                return operation()
            except S3Error as exc:
                if exc.code in _MISSING:
                    raise NotFound(f"no object {exc.object_name or what} in {self.bucket}") from exc
                if not _retryable(exc):
                    raise StoreUnavailable(
                        f"S3 refused to {what}: {exc.code}: {exc.message}"
                    ) from exc
                failure: Exception = exc
            except _TRANSIENT as exc:
                failure = exc
            if attempt >= self.retries:
                raise StoreUnavailable(
                    f"cannot {what} at {self._where} after "
                    f"{attempt + 1} attempts: {failure}"
                ) from failure
            time.sleep(self.backoff_seconds * 2**attempt)
            attempt += 1

    def _ensure_bucket(self) -> None:
        """Create and configure the bucket once per store, on first use."""
        if self._bucket_ready:
            return
        self._retrying(f"prepare bucket {self.bucket}", self._prepare_bucket)
        self._bucket_ready = True

    def _prepare_bucket(self) -> None:
        if not self.client.bucket_exists(self.bucket):
            try:
                self.client.make_bucket(self.bucket, object_lock=self.retention is not None)
            except S3Error as exc:
                # Another worker created it between our check and our request.
                if exc.code not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                    raise
        if self.versioning and self.retention is None:
            self.client.set_bucket_versioning(self.bucket, VersioningConfig(ENABLED))
        if self.retention is not None:
            rule = ObjectLockConfig(self.retention.mode, self.retention.days, DAYS)
            try:
                self.client.set_object_lock_config(self.bucket, rule)
            except S3Error as exc:
                if _retryable(exc):
                    raise
                raise ConfigError(
                    f"bucket {self.bucket} does not accept Object Lock ({exc.code}); it must be "
                    "created with Object Lock enabled, or s3_object_lock turned off"
                ) from exc


def _retryable(error: S3Error) -> bool:
    status = getattr(error.response, "status", 0) or 0
    return status >= 500 or error.code in _RETRY_CODES


def make_client(settings: Settings) -> Minio:
    """A ``minio`` client whose own retries are off: ``S3Store`` retries with backoff."""
    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=10, read=120),
        maxsize=10,
        retries=False,
    )
    return Minio(
        settings.s3_endpoint,
        access_key=settings.s3_access_key,
        secret_key=settings.s3_secret_key,
        secure=settings.s3_secure,
        region=settings.s3_region,
        http_client=http,
    )


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact UTF-8 name (RFC 6266)."""
    folded = unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(
        ch if 0x20 <= ord(ch) < 0x7F and ch not in '"\\;' else "_"
        for ch in folded
        if not unicodedata.combining(ch)
    )
    encoded = urllib.parse.quote(filename, safe="")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"
