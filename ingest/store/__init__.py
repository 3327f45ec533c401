"""Object stores: a Protocol and a registry of backends chosen by settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ingest.store.base import ObjectStore, SharedWithWorkers, StoredObject, sha256_file

if TYPE_CHECKING:  # sandbox workers import the stores: not the settings machinery
    from kernel.settings import Settings

StoreFactory = Callable[["Settings"], ObjectStore]


def _local(settings: Settings) -> ObjectStore:
    from ingest.store.local import LocalFolderStore

    return LocalFolderStore(settings.store_location)


def _s3(settings: Settings) -> ObjectStore:
    from ingest.store.s3 import S3Store

    return S3Store.from_settings(settings)


STORES: dict[str, StoreFactory] = {"local": _local, "s3": _s3}


def open_store(settings: Settings) -> ObjectStore:
    """The object store that ``settings.store`` names."""
    return STORES[settings.store](settings)


__all__ = ["STORES", "ObjectStore", "SharedWithWorkers", "StoredObject", "open_store",
           "sha256_file"]
