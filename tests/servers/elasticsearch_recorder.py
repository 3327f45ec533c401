"""A recording HTTP endpoint that answers the calls Docket makes the way Elasticsearch would.

**This is not Elasticsearch.**  It lets the official ``elasticsearch`` client
send its real requests (real paths, methods, query strings, headers and
NDJSON bodies) to a local socket, records them, and answers each with a body
shaped like Elasticsearch 9.x's answer to that call, from a small in-memory
state (indices, aliases, index templates, stored sources).  It does not
analyse text, run queries or aggregate: a search answers with no hits.

What a test using it checks is the *wire format* Docket sends and Docket's
handling of the *answers* (a bulk response with per-item errors, a 404, a
refused wildcard delete), never Elasticsearch's behaviour.  That is what
``tests/search/test_es_index.py`` checks against a real server when
``DOCKET_ES_URL`` is set.

Behaviours it copies from Elasticsearch, because tests depend on them:

- every answer carries ``X-Elastic-Product: Elasticsearch`` (the client
  refuses servers without it);
- ``DELETE /<pattern-with-*>`` or ``DELETE /_all`` is refused with 400
  ``illegal_argument_exception``, as ``action.destructive_requires_name``
  (true by default since 8.0) makes Elasticsearch do;
- a bulk item whose ``_id`` is in ``reject`` gets a per-item 400
  ``document_parsing_exception`` while the others succeed (``errors: true``);
  one in ``busy`` gets 429 ``es_rejected_execution_exception`` (queues full)
  that many times, then succeeds;
- a bulk request body larger than ``max_content_length`` gets 413, as
  ``http.max_content_length`` does.
"""

from __future__ import annotations

import fnmatch
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

ES_VERSION = "9.1.0"
DEFAULT_MAX_CONTENT_LENGTH = 100 * 1024 * 1024  # http.max_content_length's default


@dataclass(frozen=True)
class Recorded:
    """One request as it arrived on the socket."""

    method: str
    path: str  # decoded, without the query string
    query: dict[str, list[str]]
    body: bytes
    headers: dict[str, str]


@dataclass
class FakeState:
    indices: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # name -> id -> src
    aliases: dict[str, set[str]] = field(default_factory=dict)  # alias -> index names
    templates: dict[str, Any] = field(default_factory=dict)
    reject: dict[str, str] = field(default_factory=dict)  # doc id -> reason for bulk items
    busy: dict[str, int] = field(default_factory=dict)  # doc id -> bulk items answered 429
    max_content_length: int = DEFAULT_MAX_CONTENT_LENGTH
    requests: list[Recorded] = field(default_factory=list)

    def resolve(self, target: str) -> list[str]:
        """Concrete index names behind a comma-separated list of indices and aliases."""
        names: list[str] = []
        for part in target.split(","):
            if part in self.aliases:
                names.extend(sorted(self.aliases[part]))
            elif part in self.indices:
                names.append(part)
        return names


def _error(status: int, kind: str, reason: str) -> tuple[int, dict[str, Any]]:
    cause = {"type": kind, "reason": reason}
    return status, {"error": {"root_cause": [cause], **cause}, "status": status}


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        recorded = Recorded(
            method=self.command,
            path=unquote(parts.path),
            query=parse_qs(parts.query, keep_blank_values=True),
            body=body,
            headers={k.lower(): v for k, v in self.headers.items()},
        )
        state = self.server.state
        with self.server.lock:
            state.requests.append(recorded)
            status, answer = _answer(state, recorded)
        payload = b"" if self.command == "HEAD" or answer is None else json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", "application/vnd.elasticsearch+json;compatible-with=9")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: FakeState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state
        self.lock = threading.Lock()


def _json(body: bytes) -> Any:
    return json.loads(body) if body.strip() else {}


def _answer(state: FakeState, request: Recorded) -> tuple[int, Any]:  # noqa: C901 - a router
    method, segments = request.method, [s for s in request.path.split("/") if s]
    if len(request.body) > state.max_content_length:
        return _error(413, "content_too_long", "Request Entity Too Large")
    if method == "GET" and not segments:
        return 200, {"name": "recorder", "version": {"number": ES_VERSION}, "tagline": "fake"}
    head, rest = (segments[0], segments[1:]) if segments else ("", [])
    if head == "_index_template" and len(rest) == 1:
        if method == "PUT":
            state.templates[rest[0]] = _json(request.body)
            return 200, {"acknowledged": True}
        if method == "DELETE":
            if state.templates.pop(rest[0], None) is None:
                return _error(404, "index_template_missing_exception", rest[0])
            return 200, {"acknowledged": True}
    if head == "_alias" and len(rest) == 1:
        held = sorted(state.aliases.get(rest[0], ()))
        if method == "HEAD":
            return (200 if held else 404), None
        if not held:
            return 404, {"error": f"alias [{rest[0]}] missing", "status": 404}
        return 200, {name: {"aliases": {rest[0]: {}}} for name in held}
    if head == "_aliases" and method == "POST":
        for action in _json(request.body)["actions"]:
            (verb, spec), = action.items()
            names = state.aliases.setdefault(spec["alias"], set())
            (names.add if verb == "add" else names.discard)(spec["index"])
        return 200, {"acknowledged": True, "errors": False}
    if head == "_bulk" or (rest[:1] == ["_bulk"]):
        return _bulk(state, request.body)
    if head == "_pit" and method == "DELETE":
        return 200, {"succeeded": True, "num_freed": 1}
    if head == "_cat" and rest == ["plugins"]:
        return 200, []
    if not head.startswith("_") and not rest:
        return _index_level(state, method, head, request.query)
    if rest[:1] == ["_refresh"]:
        return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
    if rest[:1] == ["_count"]:
        count = sum(len(state.indices[name]) for name in state.resolve(head))
        return 200, {"count": count, "_shards": {"total": 1, "successful": 1, "failed": 0}}
    if rest[:1] == ["_doc"] and len(rest) == 2:
        return _document(state, method, head, rest[1])
    if rest[:1] == ["_mget"]:
        held = {d for name in state.resolve(head) for d in state.indices[name]}
        return 200, {"docs": [{"_index": head, "_id": doc_id, "found": doc_id in held}
                              for doc_id in _json(request.body)["ids"]]}
    if rest[:1] == ["_pit"] and method == "POST":
        return 200, {"id": "recorded-pit", "_shards": {"total": 1, "successful": 1, "failed": 0}}
    if head == "_search" or rest[:1] == ["_search"]:
        return 200, {
            "took": 1, "timed_out": False, "pit_id": "recorded-pit",
            "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
            "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []},
        }
    return _error(400, "illegal_argument_exception", f"no handler for {method} {request.path}")


def _index_level(state: FakeState, method: str, target: str,
                 query: dict[str, list[str]]) -> tuple[int, Any]:  # fmt: skip
    if method == "PUT":
        if target in state.indices:
            return _error(400, "resource_already_exists_exception", target)
        state.indices[target] = {}
        return 200, {"acknowledged": True, "shards_acknowledged": True, "index": target}
    if method == "HEAD":
        return (200 if state.resolve(target) else 404), None
    if method == "GET":
        names = [n for n in state.indices if fnmatch.fnmatchcase(n, target)] if "*" in target \
            else state.resolve(target)
        if not names and "*" not in target:
            return _error(404, "index_not_found_exception", f"no such index [{target}]")
        return 200, {name: {"aliases": {}, "mappings": {}, "settings": {}} for name in names}
    if method == "DELETE":
        if "*" in target or target in ("_all", ""):
            return _error(400, "illegal_argument_exception",
                          "Wildcard expressions or all indices are not allowed")
        missing = [name for name in target.split(",") if name not in state.indices]
        if missing and query.get("ignore_unavailable") != ["true"]:
            return _error(404, "index_not_found_exception", f"no such index [{missing[0]}]")
        for name in target.split(","):
            state.indices.pop(name, None)
            for held in state.aliases.values():
                held.discard(name)
        return 200, {"acknowledged": True}
    return _error(405, "illegal_argument_exception", f"{method} /{target}")


def _write_index(state: FakeState, target: str) -> str | None:
    names = state.resolve(target)
    if len(names) == 1:
        return names[0]
    if target not in state.aliases and "*" not in target:
        state.indices[target] = {}  # auto-create, as action.auto_create_index allows
        return target
    return None


def _bulk(state: FakeState, body: bytes) -> tuple[int, Any]:
    lines = [line for line in body.split(b"\n") if line.strip()]
    items: list[dict[str, Any]] = []
    for action_line, source_line in zip(lines[0::2], lines[1::2], strict=True):
        (verb, meta), = json.loads(action_line).items()
        doc_id = meta["_id"]
        if state.busy.get(doc_id, 0) > 0:
            state.busy[doc_id] -= 1
            items.append({verb: {"_index": meta["_index"], "_id": doc_id, "status": 429,
                                 "error": {"type": "es_rejected_execution_exception",
                                           "reason": "rejected execution: queue capacity"}}})
            continue
        index = _write_index(state, meta["_index"])
        if doc_id in state.reject or index is None:
            reason = state.reject.get(doc_id, "no write index")
            items.append({verb: {"_index": meta["_index"], "_id": doc_id, "status": 400,
                                 "error": {"type": "document_parsing_exception",
                                           "reason": reason}}})
            continue
        created = doc_id not in state.indices[index]
        state.indices[index][doc_id] = json.loads(source_line)
        items.append({verb: {"_index": index, "_id": doc_id, "_version": 1,
                             "result": "created" if created else "updated",
                             "status": 201 if created else 200}})
    errors = any("error" in next(iter(item.values())) for item in items)
    return 200, {"errors": errors, "took": 1, "items": items}


def _document(state: FakeState, method: str, target: str, doc_id: str) -> tuple[int, Any]:
    names = state.resolve(target)
    for name in names:
        if doc_id in state.indices[name]:
            if method == "DELETE":
                del state.indices[name][doc_id]
                return 200, {"_index": name, "_id": doc_id, "result": "deleted"}
            return 200, {"_index": name, "_id": doc_id, "found": True,
                         "_source": state.indices[name][doc_id]}
    index = names[0] if names else target
    if method == "DELETE":
        return 404, {"_index": index, "_id": doc_id, "result": "not_found"}
    return 404, {"_index": index, "_id": doc_id, "found": False}


@contextmanager
def recording_elasticsearch(state: FakeState | None = None) -> Iterator[tuple[str, FakeState]]:
    """``(url, state)`` of a recorder listening on a free loopback port while in use."""
    state = state if state is not None else FakeState()
    server = _Server(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()
