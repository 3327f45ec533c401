"""The contract every ``ObjectStore`` passes: the same tests for the folder and for S3.

A test module subclasses ``StoreContract`` and provides two fixtures:
``store`` (an empty store) and ``corrupt`` (a function that damages the stored
bytes of a key behind the store's back, as bit rot or a faulty disk would);
``large_file`` comes from this folder's conftest.
Named ``store_contract`` rather than ``contract`` so it cannot clash with
another package's contract module under pytest's default import mode.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.store import ObjectStore, StoredObject
from kernel.errors import NotFound, VerificationFailed

Corrupt = Callable[[str], None]


def write_file(path: Path, data: bytes) -> str:
    """Write ``data`` to ``path`` and return its SHA-256, as the inbox claim would."""
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def key_for(sha256: str) -> str:
    return f"originals/{sha256[:2]}/{sha256}"


class StoreContract:
    """Tests that hold for every object store."""

    def test_is_an_object_store(self, store: ObjectStore) -> None:
        assert isinstance(store, ObjectStore)

    def test_put_file_then_read_it_back(self, store: ObjectStore, tmp_path: Path) -> None:
        data = "Công văn số 12/UBND-VP về việc tiếp nhận hồ sơ".encode() * 100
        sha = write_file(tmp_path / "cv.pdf", data)
        stored = store.put_file(key_for(sha), tmp_path / "cv.pdf", sha, "application/pdf")

        assert stored == StoredObject(key=key_for(sha), size=len(data), sha256=sha)
        assert store.get_bytes(key_for(sha)) == data
        assert store.stat(key_for(sha)) == stored
        assert store.verify(key_for(sha), sha)
        assert not store.verify(key_for(sha), "0" * 64)
        stream = store.open_stream(key_for(sha))
        try:
            assert stream.read(10) == data[:10]
            assert stream.read() == data[10:]
        finally:
            stream.close()

    def test_empty_file(self, store: ObjectStore, tmp_path: Path) -> None:
        sha = write_file(tmp_path / "empty", b"")
        stored = store.put_file(key_for(sha), tmp_path / "empty", sha, "application/octet-stream")
        assert stored.size == 0
        assert store.get_bytes(key_for(sha)) == b""
        assert store.verify(key_for(sha), sha)

    def test_put_file_again_does_not_upload_again(
        self, store: ObjectStore, tmp_path: Path
    ) -> None:
        source = tmp_path / "original.pdf"
        sha = write_file(source, b"%PDF-1.7 first copy")
        first = store.put_file(key_for(sha), source, sha, "application/pdf")
        # Had the store read the file again, it would have stored (and failed
        # to verify) these bytes: an identical stored copy must short-circuit.
        source.write_bytes(b"something else entirely")
        again = store.put_file(key_for(sha), source, sha, "application/pdf")
        assert again == first
        assert store.get_bytes(key_for(sha)) == b"%PDF-1.7 first copy"

    def test_put_bytes_replaces(self, store: ObjectStore) -> None:
        first = store.put_bytes("records/ab/abcdef.json", b'{"v": 1}', "application/json")
        second = store.put_bytes("records/ab/abcdef.json", b'{"v": 2}', "application/json")
        assert first.sha256 == hashlib.sha256(b'{"v": 1}').hexdigest()
        assert second == StoredObject(
            "records/ab/abcdef.json", 8, hashlib.sha256(b'{"v": 2}').hexdigest()
        )
        assert store.get_bytes("records/ab/abcdef.json") == b'{"v": 2}'
        assert store.stat("records/ab/abcdef.json") == second
        assert list(store.list_keys("records/")) == ["records/ab/abcdef.json"]

    def test_group_commit_writes_are_verified_and_readable_after_sync(
        self, store: ObjectStore, tmp_path: Path
    ) -> None:
        source = tmp_path / "bao-cao.pdf"
        sha = write_file(source, b"%PDF-1.7 bao cao thang " * 40)
        stored = store.put_file(key_for(sha), source, sha, "application/pdf", durable=False)
        text = store.put_bytes("text/ab/ab.txt", "báo cáo".encode(), "text/plain", durable=False)
        store.sync()
        assert stored == StoredObject(key_for(sha), source.stat().st_size, sha)
        assert store.verify(key_for(sha), sha)
        assert store.get_bytes("text/ab/ab.txt") == "báo cáo".encode()
        assert store.stat("text/ab/ab.txt") == text
        # A bad copy is refused however it is written.
        source.write_bytes(b"%PDF-1.7 changed")
        with pytest.raises(VerificationFailed):
            store.put_file(key_for("ab" * 32), source, "ab" * 32, "application/pdf",
                           durable=False)
        assert store.stat(key_for("ab" * 32)) is None

    def test_file_changed_after_hashing_fails_verification(
        self, store: ObjectStore, tmp_path: Path
    ) -> None:
        source = tmp_path / "scan.tif"
        sha = write_file(source, b"II*\x00 the scan as it arrived")
        source.write_bytes(b"II*\x00 the scan as someone re-saved it")

        with pytest.raises(VerificationFailed):
            store.put_file(key_for(sha), source, sha, "image/tiff")

        # No copy may be left that claims the hash it does not have.
        assert not store.verify(key_for(sha), sha)
        assert store.stat(key_for(sha)) is None
        source.write_bytes(b"II*\x00 the scan as it arrived")
        assert store.put_file(key_for(sha), source, sha, "image/tiff").sha256 == sha

    def test_file_shortened_after_hashing_fails_verification(
        self, store: ObjectStore, tmp_path: Path
    ) -> None:
        source = tmp_path / "scan.png"
        sha = write_file(source, b"\x89PNG a longer original image body")
        source.write_bytes(b"\x89PNG")
        with pytest.raises(VerificationFailed):
            store.put_file(key_for(sha), source, sha, "image/png")
        assert store.stat(key_for(sha)) is None

    def test_damaged_copy_is_detected_and_repaired(
        self, store: ObjectStore, corrupt: Corrupt, tmp_path: Path
    ) -> None:
        source = tmp_path / "qd.docx"
        sha = write_file(source, b"PK\x03\x04 quyet dinh " * 50)
        store.put_file(key_for(sha), source, sha, "application/octet-stream")

        corrupt(key_for(sha))

        assert not store.verify(key_for(sha), sha)
        # The idempotency check verifies, so storing again repairs the copy.
        store.put_file(key_for(sha), source, sha, "application/octet-stream")
        assert store.verify(key_for(sha), sha)
        assert store.get_bytes(key_for(sha)) == source.read_bytes()

    def test_missing_object(self, store: ObjectStore) -> None:
        missing = "originals/00/" + "0" * 64
        with pytest.raises(NotFound):
            store.get_bytes(missing)
        with pytest.raises(NotFound):
            store.open_stream(missing)
        assert store.stat(missing) is None
        assert not store.verify(missing, "0" * 64)

    def test_list_keys_by_prefix_in_order(self, store: ObjectStore) -> None:
        for key in ["text/b2/b2.txt", "text/a1/a1.txt", "texts/x", "text/a1/a0.txt", "records/r"]:
            store.put_bytes(key, key.encode(), "text/plain")
        assert list(store.list_keys("text/")) == [
            "text/a1/a0.txt", "text/a1/a1.txt", "text/b2/b2.txt",
        ]
        assert list(store.list_keys("text/a1/a1")) == ["text/a1/a1.txt"]
        assert list(store.list_keys("nothing/")) == []
        assert list(store.list_keys("")) == [
            "records/r", "text/a1/a0.txt", "text/a1/a1.txt", "text/b2/b2.txt", "texts/x",
        ]

    @pytest.mark.parametrize(
        "key",
        ["", "/etc/passwd", "../outside", "a/../../b", "a//b", "a/./b", ".hidden",
         "a/b/", "a\\b", "a b", "tài-liệu", "a\nb", "x" * 1025],
    )
    def test_rejects_keys_not_made_by_docket(self, store: ObjectStore, key: str) -> None:
        with pytest.raises(ValueError):
            store.put_bytes(key, b"x", "text/plain")
        with pytest.raises(ValueError):
            store.get_bytes(key)
        with pytest.raises(ValueError):
            store.stat(key)

    @pytest.mark.slow
    def test_large_file(self, store: ObjectStore, large_file: tuple[Path, str]) -> None:
        path, sha = large_file
        stored = store.put_file(key_for(sha), path, sha, "application/pdf")
        assert stored.size == path.stat().st_size > 64 * 1024 * 1024
        assert store.stat(key_for(sha)) == stored
        assert store.verify(key_for(sha), sha)
        digest = hashlib.sha256()
        stream = store.open_stream(key_for(sha))
        try:
            while chunk := stream.read(1024 * 1024):
                digest.update(chunk)
        finally:
            stream.close()
        assert digest.hexdigest() == sha
