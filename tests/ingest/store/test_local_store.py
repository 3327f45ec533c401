"""The folder store against the store contract, plus what only a folder can get wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.store import open_store
from ingest.store.base import StoredObject
from ingest.store.local import LocalFolderStore
from kernel.errors import StoreUnavailable
from kernel.settings import Settings
from tests.ingest.store.store_contract import Corrupt, StoreContract, key_for, write_file


class TestLocalFolderStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> LocalFolderStore:
        return LocalFolderStore(tmp_path / "store")

    @pytest.fixture
    def corrupt(self, store: LocalFolderStore) -> Corrupt:
        def damage(key: str) -> None:
            path = store.root / key
            data = bytearray(path.read_bytes())
            data[len(data) // 2] ^= 0x01  # one flipped bit, size unchanged
            path.write_bytes(bytes(data))

        return damage


def test_open_store_picks_the_folder(tmp_path: Path) -> None:
    store = open_store(Settings(root=tmp_path, store="local"))
    assert isinstance(store, LocalFolderStore)
    assert store.root == tmp_path / "var" / "store"


def test_folder_that_cannot_be_created_is_unavailable(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_bytes(b"")
    with pytest.raises(StoreUnavailable):
        LocalFolderStore(tmp_path / "a-file" / "store")


def test_write_into_a_broken_folder_is_unavailable(tmp_path: Path) -> None:
    store = LocalFolderStore(tmp_path / "store")
    (tmp_path / "store" / "originals").write_bytes(b"not a folder")
    source = tmp_path / "doc.pdf"
    sha = write_file(source, b"%PDF")
    with pytest.raises(StoreUnavailable):
        store.put_file(key_for(sha), source, sha, "application/pdf")


def test_no_temporary_or_sidecar_files_are_listed(tmp_path: Path) -> None:
    store = LocalFolderStore(tmp_path / "store", fsync=False)
    store.put_bytes("records/ab/ab.json", b"{}", "application/json")
    (tmp_path / "store" / "records" / "ab" / ".tmp-leftover").write_bytes(b"half")
    assert list(store.list_keys("")) == ["records/ab/ab.json"]


def test_a_stale_sidecar_of_an_earlier_version_is_not_trusted(tmp_path: Path) -> None:
    store = LocalFolderStore(tmp_path / "store")
    stored = store.put_bytes("records/ab/ab.json", b'{"v": 2}', "application/json")
    (tmp_path / "store" / "records" / "ab" / "ab.json.sha256").write_text("0" * 64)
    assert store.stat("records/ab/ab.json") == stored
    store.put_bytes("records/ab/ab.json", b'{"v": 3}', "application/json")
    assert not (tmp_path / "store" / "records" / "ab" / "ab.json.sha256").exists()


def test_workers_get_the_same_folder_to_write_to(tmp_path: Path) -> None:
    import pickle

    store = LocalFolderStore(tmp_path / "store", fsync=False)
    shared = store.for_workers()
    assert shared is not None and type(shared) is LocalFolderStore
    copy = pickle.loads(pickle.dumps(shared))  # as a task carries it to a worker
    assert (copy.root, copy.fsync) == (store.root, store.fsync)
    copy.put_bytes("text/ab/ab.txt", b"written by a worker", "text/plain")
    assert store.get_bytes("text/ab/ab.txt") == b"written by a worker"


class _CountedSyncs(LocalFolderStore):
    syncs = 0

    def sync(self) -> None:
        self.syncs += 1
        super().sync()


class _RefusingWrites(LocalFolderStore):
    def put_bytes(self, key: str, data: bytes, content_type: str, *,
                  durable: bool = True) -> StoredObject:
        raise StoreUnavailable("refused (injected)")


def test_a_store_that_changes_how_it_writes_keeps_its_writes_here(tmp_path: Path) -> None:
    # Its writes would bypass what it changes in a worker: the parent makes them.
    assert _RefusingWrites(tmp_path / "a").for_workers() is None
    # Flushing stays with the parent anyway: such a store is shared.
    assert _CountedSyncs(tmp_path / "b").for_workers() is not None
