"""The three backends a run works with, opened once from settings."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from ingest.store import ObjectStore, open_store
from kernel.settings import Settings

if TYPE_CHECKING:
    from ingest.register import Register
    from search.index import SearchIndex
    from search.model import (
        BulkResult,
        IndexDocument,
        MonthlyCount,
        SearchFilters,
        SearchQuery,
        SearchResult,
    )


class DeferredIndex:
    """The search index, opened on first use: Docket's one stand-in for an index that is down.

    ``opener`` (``open_index`` with the settings, an Airflow hook's ``get_conn``)
    runs at the first call, and again at the next call after it failed.  While
    it fails every call raises its ``IndexUnavailable``, exactly as a call to an
    index that went down after opening does, so one rule covers both: the
    ingest archives and registers anyway, leaves the documents waiting for the
    index, and ``index_pending`` (``docket index``, the ``docket_index`` DAG)
    catches up; a task that needs the index fails with a transient error and
    is retried.
    """

    def __init__(self, opener: Callable[[], SearchIndex]) -> None:
        self._open_index = opener
        self._index: SearchIndex | None = None
        self._opening = threading.Lock()  # lanes side by side open one index, not one each

    @property
    def opened(self) -> SearchIndex:
        """The open index (opened now if it was not); ``IndexUnavailable`` if it cannot be."""
        with self._opening:
            if self._index is None:
                self._index = self._open_index()
            return self._index

    def index_documents(self, documents: Sequence[IndexDocument]) -> BulkResult:
        return self.opened.index_documents(documents)

    def delete_document(self, doc_id: str) -> None:
        self.opened.delete_document(doc_id)

    def get_document(self, doc_id: str) -> IndexDocument | None:
        return self.opened.get_document(doc_id)

    def missing(self, doc_ids: Sequence[str]) -> list[str]:
        return self.opened.missing(doc_ids)

    def search(self, query: SearchQuery) -> SearchResult:
        return self.opened.search(query)

    def count(self, filters: SearchFilters | None = None) -> int:
        return self.opened.count(filters)

    def monthly_counts(self, filters: SearchFilters | None = None) -> list[MonthlyCount]:
        return self.opened.monthly_counts(filters)

    def iter_all(self, query: SearchQuery, batch: int = 1000) -> Iterator[IndexDocument]:
        return self.opened.iter_all(query, batch)

    def rebuild(self, documents: Iterable[IndexDocument]) -> int:
        return self.opened.rebuild(documents)

    def optimize(self) -> None:
        self.opened.optimize()

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None


def deferred_index(settings: Settings) -> DeferredIndex:
    """The index ``settings`` name, opened on first use."""
    from search.index import open_index

    return DeferredIndex(partial(open_index, settings))


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
    """Open what ``settings`` select; a caller (a test, a hook) may pass its own.

    The index is a ``DeferredIndex`` unless one is passed: an index that cannot
    be opened does not keep the store and the register from working.
    """
    from ingest.register import Register

    return Backends(
        store=store if store is not None else open_store(settings),
        index=index if index is not None else deferred_index(settings),
        register=register if register is not None else Register.from_settings(settings),
    )
