"""The three backends a run works with, opened once from settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.settings import Settings
from ingest.store import ObjectStore, open_store

if TYPE_CHECKING:
    from ingest.register import Register
    from search.index import SearchIndex


@dataclass
class Backends:
    store: ObjectStore
    index: SearchIndex
    register: Register

    def close(self) -> None:
        self.index.close()
        self.register.close()

    def __enter__(self) -> Backends:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_backends(
    settings: Settings,
    *,
    store: ObjectStore | None = None,
    index: SearchIndex | None = None,
    register: Register | None = None,
) -> Backends:
    """Open what ``settings`` select; a caller (a test, a hook) may pass its own."""
    from ingest.register import Register
    from search.index import open_index

    return Backends(
        store=store if store is not None else open_store(settings),
        index=index if index is not None else open_index(settings),
        register=register if register is not None else Register.from_settings(settings),
    )
