"""The S3 store against the store contract on a real S3 server (SeaweedFS), plus
what only S3 has: outages, presigned downloads, versioning and Object Lock."""

from __future__ import annotations

import hashlib
import io
import itertools
import urllib.request
from pathlib import Path

import pytest
from minio.error import S3Error

from ingest.store import open_store
from ingest.store.base import PresignedDownloads
from ingest.store.s3 import S3Store, content_disposition
from kernel.errors import ConfigError, StoreUnavailable
from kernel.settings import Settings
from tests.ingest.store.store_contract import Corrupt, StoreContract, key_for, write_file
from tests.servers.seaweedfs import SeaweedFS, SeaweedServer, free_ports

pytestmark = pytest.mark.slow

_buckets = itertools.count()


def s3_settings(server: SeaweedFS, tmp_path: Path, **overrides: object) -> Settings:
    """Settings for ``server`` with a bucket no other test uses."""
    values: dict[str, object] = {
        "root": tmp_path,
        "store": "s3",
        "s3_endpoint": server.endpoint,
        "s3_access_key": server.access_key,
        "s3_secret_key": server.secret_key,
        "s3_bucket": f"docket-test-{next(_buckets)}",
        "s3_retries": 2,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def s3_store(settings: Settings) -> S3Store:
    # A small backoff keeps the outage tests quick; production keeps the default.
    return S3Store.from_settings(settings, backoff_seconds=0.05)


class TestS3Store(StoreContract):
    @pytest.fixture
    def store(self, seaweedfs: SeaweedFS, tmp_path: Path) -> S3Store:
        return s3_store(s3_settings(seaweedfs, tmp_path))

    @pytest.fixture
    def corrupt(self, store: S3Store) -> Corrupt:
        def damage(key: str) -> None:
            # A copy with the right label and the wrong bytes, written behind the store.
            info = store.client.stat_object(store.bucket, key)
            data = bytearray(store.get_bytes(key))
            data[len(data) // 2] ^= 0x01
            store.client.put_object(
                store.bucket, key, io.BytesIO(bytes(data)), len(data),
                metadata={"sha256": info.metadata["x-amz-meta-sha256"]},
            )

        return damage


def test_open_store_picks_s3(seaweedfs: SeaweedFS, tmp_path: Path) -> None:
    store = open_store(s3_settings(seaweedfs, tmp_path))
    assert isinstance(store, S3Store)
    assert isinstance(store, PresignedDownloads)


def test_sha256_is_object_metadata(seaweedfs: SeaweedFS, tmp_path: Path) -> None:
    store = s3_store(s3_settings(seaweedfs, tmp_path))
    stored = store.put_bytes("records/aa/aa.json", b"{}", "application/json")
    info = store.client.stat_object(store.bucket, "records/aa/aa.json")
    assert info.metadata["x-amz-meta-sha256"] == stored.sha256
    assert info.content_type == "application/json"


def test_presigned_url_downloads_the_object(seaweedfs: SeaweedFS, tmp_path: Path) -> None:
    store = s3_store(s3_settings(seaweedfs, tmp_path, s3_presign_minutes=5))
    data = b"%PDF-1.7 quyet dinh"
    sha = write_file(tmp_path / "qd.pdf", data)
    store.put_file(key_for(sha), tmp_path / "qd.pdf", sha, "application/pdf")

    url = store.presigned_url(key_for(sha), "Quyết định 15/QĐ-UBND.pdf")

    assert "X-Amz-Expires=300" in url
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.read() == data
        disposition = response.headers["Content-Disposition"]
    assert disposition == content_disposition("Quyết định 15/QĐ-UBND.pdf")
    assert "filename*=UTF-8''Quy%E1%BA%BFt" in disposition


def test_presigned_url_expires_in_fifteen_minutes_by_default(
    seaweedfs: SeaweedFS, tmp_path: Path
) -> None:
    store = s3_store(s3_settings(seaweedfs, tmp_path))
    store.put_bytes("text/ab/ab.txt", b"van ban", "text/plain")
    url = store.presigned_url("text/ab/ab.txt")
    assert "X-Amz-Expires=900" in url
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.read() == b"van ban"


def test_content_disposition_has_an_ascii_fallback() -> None:
    header = content_disposition('Tờ trình "số 3"; Đà Nẵng.docx')
    assert header.startswith('attachment; filename="To trinh _so 3__ Da Nang.docx"; ')
    header.encode("latin-1")  # a header value must be sendable as is


def test_unreachable_server_is_unavailable_after_retries(tmp_path: Path) -> None:
    (closed_port,) = free_ports(1)
    settings = Settings(
        root=tmp_path, store="s3", s3_endpoint=f"127.0.0.1:{closed_port}",
        s3_access_key="k", s3_secret_key="secret-key", s3_retries=2,
    )
    store = s3_store(settings)
    sha = write_file(tmp_path / "doc.pdf", b"%PDF")
    with pytest.raises(StoreUnavailable, match="after 3 attempts"):
        store.put_file(key_for(sha), tmp_path / "doc.pdf", sha, "application/pdf")
    with pytest.raises(StoreUnavailable):
        store.stat(key_for(sha))


def test_wrong_credentials_are_unavailable_not_retried(
    seaweedfs: SeaweedFS, tmp_path: Path
) -> None:
    store = s3_store(s3_settings(seaweedfs, tmp_path, s3_secret_key="not-the-secret"))
    with pytest.raises(StoreUnavailable, match="refused"):
        store.put_bytes("records/aa/aa.json", b"{}", "application/json")


def test_server_down_then_up_again(tmp_path: Path) -> None:
    """Take a server of this test's own down mid-way, then bring it back."""
    server = SeaweedServer(tmp_path / "own-server")
    server.start()
    try:
        settings = Settings(
            root=tmp_path, store="s3", s3_endpoint=server.endpoint,
            s3_access_key="docket-test", s3_secret_key="docket-test-secret-key", s3_retries=2,
        )
        store = s3_store(settings)
        before = store.put_bytes("records/aa/before.json", b'{"n": 1}', "application/json")

        server.stop()
        sha = write_file(tmp_path / "doc.pdf", b"%PDF-1.4 arrived during the outage")
        with pytest.raises(StoreUnavailable):
            store.put_file(key_for(sha), tmp_path / "doc.pdf", sha, "application/pdf")

        server.start()
        stored = store.put_file(key_for(sha), tmp_path / "doc.pdf", sha, "application/pdf")
        assert store.verify(key_for(sha), sha)
        assert stored.sha256 == sha
        assert store.stat("records/aa/before.json") == before
    finally:
        server.stop()


def test_versioning_keeps_replaced_records(seaweedfs: SeaweedFS, tmp_path: Path) -> None:
    store = s3_store(s3_settings(seaweedfs, tmp_path, s3_versioning=True))
    store.put_bytes("records/ab/ab.json", b'{"v": 1}', "application/json")
    store.put_bytes("records/ab/ab.json", b'{"v": 2}', "application/json")
    versions = list(store.client.list_objects(store.bucket, "records/", recursive=True,
                                              include_version=True))
    assert len(versions) == 2
    assert store.get_bytes("records/ab/ab.json") == b'{"v": 2}'


def test_object_lock_keeps_originals_from_deletion(seaweedfs: SeaweedFS, tmp_path: Path) -> None:
    store = s3_store(s3_settings(
        seaweedfs, tmp_path, s3_object_lock=True, s3_retention_mode="GOVERNANCE",
        s3_retention_days=1,
    ))
    sha = write_file(tmp_path / "cv.pdf", b"%PDF-1.7 cong van luu tru")
    store.put_file(key_for(sha), tmp_path / "cv.pdf", sha, "application/pdf")
    # Storing it again is a no-op, not a second version under retention.
    store.put_file(key_for(sha), tmp_path / "cv.pdf", sha, "application/pdf")

    config = store.client.get_object_lock_config(store.bucket)
    assert (config.mode, config.duration, config.duration_unit) == ("GOVERNANCE", 1, "Days")
    (version,) = store.client.list_objects(store.bucket, "originals/", recursive=True,
                                           include_version=True)
    info = store.client.stat_object(store.bucket, key_for(sha))
    assert info.metadata["x-amz-object-lock-mode"] == "GOVERNANCE"
    with pytest.raises(S3Error):
        store.client.remove_object(store.bucket, key_for(sha), version_id=version.version_id)
    assert store.verify(key_for(sha), sha)


def test_object_lock_on_a_bucket_made_without_it_is_a_config_error(
    seaweedfs: SeaweedFS, tmp_path: Path
) -> None:
    settings = s3_settings(seaweedfs, tmp_path)
    plain = s3_store(settings)
    plain.put_bytes("records/aa/aa.json", b"{}", "application/json")  # makes the bucket
    locked = s3_store(settings.model_copy(update={"s3_object_lock": True}))
    with pytest.raises(ConfigError):
        locked.put_bytes("records/aa/aa.json", b"{}", "application/json")


def test_upload_is_multipart_for_large_files(
    seaweedfs: SeaweedFS, tmp_path: Path, large_file: tuple[Path, str]
) -> None:
    """A multipart object's ETag is '<md5 of part md5s>-<parts>', not the file's MD5."""
    path, sha = large_file
    store = s3_store(s3_settings(seaweedfs, tmp_path))
    store.put_file(key_for(sha), path, sha, "application/pdf")
    etag = store.client.stat_object(store.bucket, key_for(sha)).etag or ""
    assert etag.rsplit("-", 1)[-1] == "5"  # 67 MiB in 16 MiB parts
    assert hashlib.sha256(store.get_bytes(key_for(sha))).hexdigest() == sha

