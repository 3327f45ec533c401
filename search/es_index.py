"""The server search index: Elasticsearch behind an alias.

Supported versions: Elasticsearch **9.x** servers, with the official Python
client 9.x (``elasticsearch>=9,<10``).  The 9.x client sends
``compatible-with=9`` headers, which 8.x servers refuse; to run against an 8.x
server, install ``elasticsearch>=8,<9`` instead (the requests Docket sends are
valid on 8.x too, point-in-time needs 7.10+), but only 9.x is tested.

The alias (``settings.es_index``, e.g. ``docket``) points at one versioned
index ``docket-v1-<timestamp>`` made from the index template shipped in this
package (``search/es_index_template.json``; no analysis plugin needed).
``rebuild`` fills a new versioned index and, only when it holds every
document, switches the alias in one atomic ``update_aliases`` call and
deletes the old index, so searches never see a half-built or incomplete
index.  Bulk requests are bounded in documents and in bytes.  All request
bodies come from ``search.es_queries``.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError
from elasticsearch.helpers import streaming_bulk

from kernel.errors import IndexRefused, IndexUnavailable
from search import es_queries as q
from search.model import (
    BulkResult,
    FacetValue,
    IndexDocument,
    MonthlyCount,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SearchResult,
)
from search.query_syntax import parse_query
from search.snippets import make_snippet

if TYPE_CHECKING:
    from kernel.settings import Settings

BULK_CHUNK = 500  # documents in one bulk request, at most
# ...and bytes: a chunk of long OCR bodies must stay far below the server's
# http.max_content_length (100 MB by default, refused with 413 past it).  A
# single document is at most search.model.MAX_BODY_CHARS characters (a few MB).
BULK_CHUNK_BYTES = 10 * 1024 * 1024
# Items refused with 429 (the server's write queue is full) are sent again
# after 2, 4, 8 s; past that they count as "the index is busy", never as refused.
BULK_RETRIES = 3
PIT_KEEP_ALIVE = "2m"


class ElasticsearchIndex:
    """``SearchIndex`` on an Elasticsearch 9.x cluster, reached through ``client``."""

    def __init__(
        self,
        client: Elasticsearch,
        alias: str = "docket",
        chunk_bytes: int = BULK_CHUNK_BYTES,
        bulk_retries: int = BULK_RETRIES,
    ) -> None:
        self.client = client
        self.alias = alias
        self.chunk_bytes = chunk_bytes
        self.bulk_retries = bulk_retries
        self._ready = False

    @classmethod
    def from_settings(cls, settings: Settings) -> ElasticsearchIndex:
        """A client for ``settings.es_url`` with the configured credentials and CA."""
        auth = (settings.es_username, settings.es_password or "") if settings.es_username else None
        tls: dict[str, Any] = {"verify_certs": settings.es_verify_certs}
        if settings.es_ca_certs:
            tls["ca_certs"] = settings.es_ca_certs
        client = Elasticsearch(
            settings.es_url,
            basic_auth=auth,
            **tls,
            request_timeout=30,
            retry_on_timeout=True,
            max_retries=3,
        )
        return cls(client, settings.es_index)

    # ---- plumbing -----------------------------------------------------------------

    def _call(self, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except (TransportError, ApiError) as error:
            raise IndexUnavailable(f"Elasticsearch index {self.alias!r}: {error}") from error

    def _new_index(self) -> str:
        """Create a versioned index from the template (installed or refreshed first)."""
        template = q.index_template(self.alias)
        self._call(
            lambda: self.client.indices.put_index_template(
                name=f"{self.alias}-template", **template
            )
        )
        stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:6]
        name = q.versioned_index_name(self.alias, stamp)
        self._call(lambda: self.client.indices.create(index=name))
        return name

    def _ensure(self) -> None:
        """Create the first versioned index and the alias when there is none yet."""
        if self._ready:
            return
        if not self._call(lambda: self.client.indices.exists_alias(name=self.alias)):
            name = self._new_index()
            self._call(
                lambda: self.client.indices.update_aliases(
                    actions=[{"add": {"index": name, "alias": self.alias, "is_write_index": True}}]
                )
            )
        self._ready = True

    def _aliased_indices(self) -> list[str]:
        try:
            found = self._call(lambda: self.client.indices.get_alias(name=self.alias))
        except IndexUnavailable as error:
            if isinstance(error.__cause__, NotFoundError):
                return []
            raise
        return list(found.body)

    def close(self) -> None:
        self.client.close()

    def optimize(self) -> None:
        """Nothing to do: Elasticsearch merges its segments itself as it goes.

        (A force-merge of an index still written to is what its documentation
        warns against.)
        """

    # ---- writing ------------------------------------------------------------------

    def index_documents(self, documents: Sequence[IndexDocument]) -> BulkResult:
        """Bulk add/replace; each failed item is reported, none is silently lost."""
        self._ensure()
        latest = {doc.doc_id: doc for doc in documents}  # the last copy of an id wins
        result, _busy = self._bulk(self.alias, latest.values(), refresh="wait_for")
        return result

    def _bulk(self, index: str, documents: Iterable[IndexDocument],
              refresh: str | bool) -> tuple[BulkResult, set[str]]:  # fmt: skip
        """Send ``documents`` in chunks of at most BULK_CHUNK documents and ``chunk_bytes``.

        Items the server refuses land in ``failed`` with its reason; the second
        value holds those refused for a passing reason (429 after the retries, a
        5xx), which a retry can fix.  A server that cannot be reached (or refuses
        a whole request) raises ``IndexUnavailable``.
        """
        result, busy = BulkResult(), set()
        outcomes = streaming_bulk(
            self.client,
            q.bulk_actions(index, documents),
            chunk_size=BULK_CHUNK,
            max_chunk_bytes=self.chunk_bytes,
            raise_on_error=False,  # per-item failures are reported, not raised
            max_retries=self.bulk_retries,
            refresh=refresh,
        )
        try:
            for ok, item in outcomes:
                outcome = next(iter(item.values()))
                if ok:
                    result.indexed.append(outcome["_id"])
                    continue
                status = int(outcome.get("status") or 500)
                error = outcome.get("error") or {}
                reason = error.get("reason") if isinstance(error, dict) else str(error)
                result.failed[outcome["_id"]] = f"{status}: {reason}"
                if status == 429 or status >= 500:
                    busy.add(outcome["_id"])
        except (TransportError, ApiError) as error:
            raise IndexUnavailable(f"Elasticsearch index {self.alias!r}: {error}") from error
        return result, busy

    def delete_document(self, doc_id: str) -> None:
        self._ensure()
        try:
            self._call(
                lambda: self.client.delete(index=self.alias, id=doc_id, refresh="wait_for")
            )
        except IndexUnavailable as error:
            if not isinstance(error.__cause__, NotFoundError):
                raise

    def rebuild(self, documents: Iterable[IndexDocument]) -> int:
        """Fill a new versioned index, then swap the alias to it atomically.

        The swap happens only when the new index holds every document sent.
        Otherwise the new index is deleted, the alias keeps serving the old one,
        and ``IndexRefused`` names each refused document with the server's reason
        (or ``IndexUnavailable`` says the server was busy or the count did not
        add up: retry later).
        """
        self._ensure()
        old = self._aliased_indices()
        new = self._new_index()
        try:
            result, busy = self._bulk(new, documents, refresh=False)
            self._call(lambda: self.client.indices.refresh(index=new))
            held = int(self._call(lambda: self.client.count(index=new))["count"])
            if busy:
                example = sorted(busy)[0]
                raise IndexUnavailable(
                    f"Elasticsearch index {new!r}: {len(busy)} documents not taken for now "
                    f"(e.g. {example}: {result.failed[example]}); the alias was not switched"
                )
            if result.failed:
                raise IndexRefused(result.failed)
            expected = len(set(result.indexed))
            if held != expected:
                raise IndexUnavailable(
                    f"Elasticsearch index {new!r} holds {held} of {expected} documents "
                    "after the rebuild; the alias was not switched"
                )
        except BaseException:  # refused, unreachable, or the records could not be read
            with contextlib.suppress(IndexUnavailable):  # the index would only linger
                self._call(partial(self.client.indices.delete, index=new))
            raise
        actions: list[dict[str, Any]] = [
            {"remove": {"index": name, "alias": self.alias}} for name in old
        ]
        actions.append({"add": {"index": new, "alias": self.alias, "is_write_index": True}})
        self._call(lambda: self.client.indices.update_aliases(actions=actions))
        for name in old:
            self._call(partial(self.client.indices.delete, index=name))
        return held

    # ---- reading ------------------------------------------------------------------

    def get_document(self, doc_id: str) -> IndexDocument | None:
        self._ensure()
        try:
            found = self._call(lambda: self.client.get(index=self.alias, id=doc_id))
        except IndexUnavailable as error:
            if isinstance(error.__cause__, NotFoundError):
                return None
            raise
        return q.source_to_document(found["_source"])

    def missing(self, doc_ids: Sequence[str]) -> list[str]:
        self._ensure()
        held: set[str] = set()
        for start in range(0, len(doc_ids), 500):
            chunk = list(doc_ids[start : start + 500])
            found = self._call(partial(self.client.mget, index=self.alias, ids=chunk, source=False))
            held.update(doc["_id"] for doc in found["docs"] if doc.get("found"))
        return [doc_id for doc_id in doc_ids if doc_id not in held]

    def count(self, filters: SearchFilters | None = None) -> int:
        self._ensure()
        query = q.text_query(parse_query(""), filters or SearchFilters())
        return int(self._call(lambda: self.client.count(index=self.alias, query=query))["count"])

    def monthly_counts(self, filters: SearchFilters | None = None) -> list[MonthlyCount]:
        self._ensure()
        body = q.monthly_body(filters or SearchFilters())
        return q.parse_monthly(self._call(lambda: self.client.search(index=self.alias, **body)))

    def search(self, query: SearchQuery) -> SearchResult:
        """Hits, total and facets; pages past 10,000 hits come back empty (use ``iter_all``)."""
        self._ensure()
        body = q.search_body(query)
        if not q.within_result_window(query):
            body["size"], body["from"] = 0, 0
        response = self._call(lambda: self.client.search(index=self.alias, **body))
        parsed = parse_query(query.text)
        hits = []
        for hit in response["hits"]["hits"]:
            document = q.source_to_document(hit["_source"])
            snippet = ""
            if query.highlight:
                snippet = q.snippet_from(hit) or make_snippet(
                    document.body or document.subject, parsed
                )
            hits.append(
                SearchHit(
                    doc_id=document.doc_id,
                    score=float(hit.get("_score") or 0.0),
                    document=document,
                    snippet=snippet,
                )
            )
        facets = {
            field: [
                FacetValue(value=str(b["key"]), count=b["doc_count"])
                for b in aggregation["buckets"]
                if str(b["key"])
            ]
            for field, aggregation in (response.get("aggregations") or {}).items()
        }
        return SearchResult(
            total=response["hits"]["total"]["value"],
            total_exact=response["hits"]["total"].get("relation", "eq") == "eq",
            hits=hits,
            facets=facets,
            facets_exact=True,  # terms aggregations over every match
            page=query.page,
            page_size=query.page_size,
        )

    def iter_all(self, query: SearchQuery, batch: int = 1000) -> Iterator[IndexDocument]:
        """Every matching document in the query's order (point in time + search_after).

        For exports: no 10,000-hit limit and a consistent view while it runs.
        """
        self._ensure()
        pit = self._call(
            lambda: self.client.open_point_in_time(index=self.alias, keep_alive=PIT_KEEP_ALIVE)
        )
        pit_id = pit["id"]
        after: list[Any] | None = None
        try:
            while True:
                body = q.scan_body(query, pit_id, PIT_KEEP_ALIVE, after, batch)
                response = self._call(partial(self.client.search, **body))
                pit_id = response.get("pit_id", pit_id)
                hits = response["hits"]["hits"]
                for hit in hits:
                    yield q.source_to_document(hit["_source"])
                if len(hits) < batch:
                    return
                after = hits[-1]["sort"]
        finally:
            # Should closing fail, the point in time expires on its own after PIT_KEEP_ALIVE.
            with contextlib.suppress(TransportError, ApiError):
                self.client.close_point_in_time(id=pit_id)
