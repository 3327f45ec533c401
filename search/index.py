"""The search-index interface and the registry of its backends."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from search.model import (
    BulkResult,
    IndexDocument,
    MonthlyCount,
    SearchFilters,
    SearchQuery,
    SearchResult,
)

if TYPE_CHECKING:
    from kernel.settings import Settings


@runtime_checkable
class SearchIndex(Protocol):
    """Full-text search over documents.

    Every method raises ``kernel.errors.IndexUnavailable`` when the backend
    cannot be reached; ``search`` never raises for anything a user can type.

    ``SearchFilters.doc_ids`` keeps a search, count or monthly figure to the
    documents named (each backend: SQLite looks their rows up, Elasticsearch an
    ``ids`` query): how state the index does not hold (tracking) filters a
    search.  With it, totals and facets are exact, like a browse's.
    """

    def index_documents(self, documents: Sequence[IndexDocument]) -> BulkResult:
        """Add or replace documents (idempotent by ``doc_id``); visible on return."""
        ...

    def delete_document(self, doc_id: str) -> None: ...

    def get_document(self, doc_id: str) -> IndexDocument | None: ...

    def missing(self, doc_ids: Sequence[str]) -> list[str]:
        """Which of ``doc_ids`` the index does not hold, in the order given.

        Lets the ingest find documents a partly lost index dropped (a backup
        restored over it, a server that lost shards) without reading them.
        """
        ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def count(self, filters: SearchFilters | None = None) -> int: ...

    def monthly_counts(self, filters: SearchFilters | None = None) -> list[MonthlyCount]: ...

    def iter_all(self, query: SearchQuery, batch: int = 1000) -> Iterator[IndexDocument]:
        """Every document ``query`` finds, in its order, however many (for exports)."""
        ...

    def rebuild(self, documents: Iterable[IndexDocument]) -> int:
        """Replace the whole index with ``documents``; search keeps working meanwhile.

        The number of documents now indexed.  The new content replaces the old
        only when it holds every document: if the backend refuses any, the old
        index stays in place and ``IndexRefused`` names each refused doc id with
        the reason.
        """
        ...

    def optimize(self) -> None:
        """Maintenance after bulk loads and nightly: keeps searches fast; answers never change.

        Call it after a bulk load (a backfill, a re-index) and once a night on
        an index fed document by document.  Slow on the embedded index
        (minutes at a million documents: it rewrites the full-text index;
        searches go on meanwhile, writers wait), nothing on Elasticsearch.
        """
        ...

    def close(self) -> None: ...


IndexFactory = Callable[["Settings"], SearchIndex]


def _sqlite(settings: Settings) -> SearchIndex:
    from search.sqlite_index import SqliteIndex

    return SqliteIndex(settings.index_location)


def _elasticsearch(settings: Settings) -> SearchIndex:
    from search.es_index import ElasticsearchIndex

    return ElasticsearchIndex.from_settings(settings)


INDEXES: dict[str, IndexFactory] = {"sqlite": _sqlite, "elasticsearch": _elasticsearch}


def open_index(settings: Settings) -> SearchIndex:
    """The search index that ``settings.index`` names."""
    return INDEXES[settings.index](settings)
