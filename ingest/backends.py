"""The three backends a run works with, opened once from settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.store import ObjectStore, open_store
from kernel.settings import Settings

if TYPE_CHECKING:
    from ingest.register import Register
    from search.index import SearchIndex


class DeferredIndex:
    """Opens the search index on first use, so an index outage at start-up does
    not stop the ingest: archive and register go on, and every index call
    raises ``IndexUnavailable`` until the index can be opened."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._index: SearchIndex | None = None

    def _open(self) -> SearchIndex:
        if self._index is None:
            from search.index import open_index

            self._index = open_index(self._settings)
        return self._index

    def __getattr__(self, name: str) -> object:
        return getattr(self._open(), name)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None


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

    return Backends(
        store=store if store is not None else open_store(settings),
        index=index if index is not None else DeferredIndex(settings),  # type: ignore[arg-type]
        register=register if register is not None else Register.from_settings(settings),
    )
