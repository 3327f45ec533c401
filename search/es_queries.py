"""Pure builders of Elasticsearch request bodies (no client, no I/O).

Kept apart from ``search.es_index`` so every query, mapping and aggregation
Docket sends can be unit-tested as a plain dict.  User text reaches
Elasticsearch only as the words of the parsed query (``search.query_syntax``),
each in a ``multi_match`` or ``prefix`` query built here, never through a
query-string parser, so nothing a user types is Elasticsearch query syntax.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator
from datetime import timedelta
from functools import cache
from importlib.resources import files
from typing import Any

from search.model import (
    FACET_FIELDS,
    TOTAL_CAP,
    IndexDocument,
    MonthlyCount,
    SearchFilters,
    SearchQuery,
)
from search.query_syntax import ParsedQuery, Term, parse_query
from search.text import exact_form, reference_key

# Package data (search/es_index_template.json), read through importlib.resources
# so that an installed wheel finds it as the source tree does.
TEMPLATE_RESOURCE = "es_index_template.json"
SCHEMA_VERSION = "v1"
FACET_SIZE = 50
SNIPPET_CHARS = 240
MAX_RESULT_WINDOW = 10_000
_FACET_ORDER = [{"_count": "desc"}, {"_key": "asc"}]

# Matching happens on the folded fields; the same words on the fields as
# written add to the score, so a match with the very same diacritics ranks first.
FOLDED_FIELDS = [
    "subject.folded^4",
    "body.folded",
    "number_symbol.folded^3",
    "issuing_body.folded^2",
    "original_name.folded",
    "signer_name.folded",
]
EXACT_FIELDS = [
    "subject^4",
    "body",
    "number_symbol.text^3",
    "issuing_body.text^2",
    "original_name",
    "signer_name",
]
EXACT_BOOST = 4.0

_SORTS: dict[str, list[Any]] = {
    "relevance": ["_score", {"received_local": "desc"}, {"doc_id": "asc"}],
    "date_desc": [
        {"issue_date": {"order": "desc", "missing": "_last"}},
        {"received_local": "desc"},
        {"doc_id": "desc"},
    ],
    "date_asc": [
        {"issue_date": {"order": "asc", "missing": "_last"}},
        {"received_local": "asc"},
        {"doc_id": "asc"},
    ],
    "received_desc": [{"received_local": "desc"}, {"doc_id": "desc"}],
    "number_asc": [
        {"registration_year": {"order": "asc", "missing": "_last"}},
        {"registration_number": {"order": "asc", "missing": "_last"}},
        {"doc_id": "asc"},
    ],
}


@cache
def template_file() -> dict[str, Any]:
    """The index template as shipped in the package (``search/es_index_template.json``)."""
    text = files("search").joinpath(TEMPLATE_RESOURCE).read_text(encoding="utf-8")
    return json.loads(text)


def index_template(alias: str) -> dict[str, Any]:
    """The composable index template for the versioned indices behind ``alias``.

    Its analysis needs no plugin, so the stock Elasticsearch image serves it:
    ``vi_folded`` is the standard tokenizer, ``lowercase`` and ``asciifolding``
    (which folds every precomposed Vietnamese letter, ``ế`` to ``e``) behind a
    char filter mapping ``đ``/``Đ`` to ``d``/``D``; ``vi_exact`` keeps the
    diacritics.  The embedded index folds the same way (``search.text.fold``),
    so both find and rank the same documents for Vietnamese text with or
    without diacritics.  Documents and queries reach it in NFC.
    """
    body = copy.deepcopy(template_file())
    body.pop("_comment", None)
    body["index_patterns"] = [f"{alias}-{SCHEMA_VERSION}-*"]
    return body


def versioned_index_name(alias: str, timestamp: str) -> str:
    """``<alias>-v1-<timestamp>``: the concrete index behind the alias."""
    return f"{alias}-{SCHEMA_VERSION}-{timestamp}".lower()


def document_source(doc: IndexDocument) -> dict[str, Any]:
    """What is stored for ``doc``: its fields plus the derived filter fields."""
    source = doc.model_dump(mode="json")
    # Months and date filters follow the office's wall clock, like the SQLite index.
    source["received_local"] = doc.received_at.replace(tzinfo=None).isoformat(
        timespec="seconds"
    )
    source["reference_keys"] = sorted({reference_key(r) for r in doc.references if r.strip()})
    return source


def source_to_document(source: dict[str, Any]) -> IndexDocument:
    """The ``IndexDocument`` back from a stored ``_source``."""
    fields = {k: v for k, v in source.items() if k in IndexDocument.model_fields}
    return IndexDocument.model_validate(fields)


def bulk_actions(index: str, documents: Iterable[IndexDocument]) -> Iterator[dict[str, Any]]:
    """Actions for ``elasticsearch.helpers.streaming_bulk`` (index = add or replace by id)."""
    for doc in documents:
        yield {"_op_type": "index", "_index": index, "_id": doc.doc_id,
               "_source": document_source(doc)}


def filter_clauses(filters: SearchFilters) -> list[dict[str, Any]]:
    """``bool.filter`` clauses; the secrecy ceiling is always the first."""
    clauses: list[dict[str, Any]] = [{"range": {"secrecy": {"lte": filters.max_secrecy}}}]
    for field in FACET_FIELDS:
        value = getattr(filters, field)
        if value is not None:
            clauses.append({"term": {field: value}})
    if filters.reference:
        clauses.append({"term": {"reference_keys": reference_key(filters.reference)}})
    if filters.doc_ids is not None:
        # Each document's _id is its doc_id; an ids query has no terms-count limit.
        clauses.append({"ids": {"values": list(filters.doc_ids)}})
    for field, low, high in (
        ("issue_date", filters.issued_from, filters.issued_to),
        ("received_local", filters.received_from, filters.received_to),
    ):
        bounds: dict[str, str] = {}
        if low is not None:
            bounds["gte"] = low.isoformat()
        if high is not None:
            bounds["lt"] = (high + timedelta(days=1)).isoformat()  # inclusive day
        if bounds:
            clauses.append({"range": {field: {**bounds, "format": "strict_date"}}})
    return clauses


def _field_boosts(fields: list[str]) -> list[tuple[str, float]]:
    """``"subject^4"`` as ``("subject", 4.0)``; no boost is 1."""
    pairs = []
    for spec in fields:
        name, _, boost = spec.partition("^")
        pairs.append((name, float(boost) if boost else 1.0))
    return pairs


def term_clause(term: Term, exact: bool = False, boost: float | None = None) -> dict[str, Any]:
    """One word or phrase matched in any of the folded (or ``exact``) fields.

    Words and phrases go to ``multi_match`` (analysed by each field's own
    analyser, so the folded fields fold them); a one-word prefix is a
    ``prefix`` query per field, given the word as each field's analyser
    would leave it, since a prefix query is not analysed.
    """
    fields = EXACT_FIELDS if exact else FOLDED_FIELDS
    extra = {} if boost is None else {"boost": boost}
    if term.prefix and len(term.words) == 1:
        value = exact_form(term.words[0]).lower() if exact else term.folded[0]
        return {
            "bool": {
                "should": [
                    {"prefix": {name: {"value": value, "boost": weight}}}
                    for name, weight in _field_boosts(fields)
                ],
                "minimum_should_match": 1,
                **extra,
            }
        }
    kind = "phrase_prefix" if term.prefix else "phrase"
    return {
        "multi_match": {"query": " ".join(term.words), "type": kind, "fields": fields, **extra}
    }


def _any_of(terms: tuple[Term, ...]) -> dict[str, Any]:
    if len(terms) == 1:
        return term_clause(terms[0])
    clauses = [term_clause(term) for term in terms]
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def text_query(parsed: ParsedQuery, filters: SearchFilters) -> dict[str, Any]:
    """The ``query`` part: the parsed query on the folded fields, filters apply.

    Every group of required terms is a ``must`` clause (one of its terms is
    enough), every excluded term a ``must_not`` one.  The terms the user
    typed with diacritics are matched as written too, in ``should`` clauses
    that only add to the score: a match with the very same diacritics ranks first.
    """
    query: dict[str, Any] = {"filter": filter_clauses(filters)}
    if parsed.required:
        query["must"] = [_any_of(group.terms) for group in parsed.required]
    if parsed.excluded:
        query["must_not"] = [term_clause(term) for term in parsed.excluded]
    boosts = [
        term_clause(term, exact=True, boost=EXACT_BOOST)
        for term in parsed.positive_terms()
        if term.has_diacritics
    ]
    if boosts:
        query["should"] = boosts
    return {"bool": query}


def highlight() -> dict[str, Any]:
    """Highlight folded matches in the original text; HTML-escaped around ``<mark>``."""
    return {
        "encoder": "html",
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "fields": {
            "body.folded": {
                "fragment_size": SNIPPET_CHARS,
                "number_of_fragments": 1,
                "no_match_size": SNIPPET_CHARS,
            },
            "subject.folded": {"number_of_fragments": 0},
        },
    }


def facet_aggregations(fields: tuple[str, ...]) -> dict[str, Any]:
    """One terms aggregation per requested facet field (unknown names are ignored)."""
    return {
        field: {"terms": {"field": field, "size": FACET_SIZE, "order": _FACET_ORDER}}
        for field in dict.fromkeys(fields)
        if field in FACET_FIELDS
    }


def search_body(query: SearchQuery) -> dict[str, Any]:
    """The full ``_search`` body for ``query`` (from/size paging)."""
    parsed = parse_query(query.text)
    body: dict[str, Any] = {
        "query": text_query(parsed, query.filters),
        "sort": _SORTS[_sort(parsed, query)],
        "from": (query.page - 1) * query.page_size,
        "size": query.page_size,
        # Exact up to the cap, "gte" past it (hits.total.relation): the same
        # totals as the embedded index, and Elasticsearch can skip counting.
        "track_total_hits": TOTAL_CAP,
    }
    aggregations = facet_aggregations(query.facets)
    if aggregations:
        body["aggs"] = aggregations
    if aggregations or query.filters.doc_ids is not None:
        # The aggregations visit every match anyway, and given ids bound the
        # matches: counting them all is (nearly) free.
        body["track_total_hits"] = True
    if query.highlight and parsed.ranked:
        body["highlight"] = highlight()
    return body


def _sort(parsed: ParsedQuery, query: SearchQuery) -> str:
    """The query's order; with no word to rank by (a browse, exclusions only), newest first."""
    return "date_desc" if query.sort == "relevance" and not parsed.ranked else query.sort


def within_result_window(query: SearchQuery) -> bool:
    """False for pages beyond ``max_result_window`` (use ``iter_all`` to go deeper)."""
    return query.page * query.page_size <= MAX_RESULT_WINDOW


def scan_body(query: SearchQuery, pit_id: str, keep_alive: str, after: list[Any] | None,
              size: int) -> dict[str, Any]:  # fmt: skip
    """A point-in-time page for exports: the query's sort, then ``_shard_doc`` as tie-break."""
    parsed = parse_query(query.text)
    body: dict[str, Any] = {
        "query": text_query(parsed, query.filters),
        "sort": [*_SORTS[_sort(parsed, query)], {"_shard_doc": "asc"}],
        "size": size,
        "pit": {"id": pit_id, "keep_alive": keep_alive},
        "track_total_hits": False,
    }
    if after is not None:
        body["search_after"] = after
    return body


def monthly_body(filters: SearchFilters) -> dict[str, Any]:
    """Counts per month of ``received_local`` and per direction, as a date_histogram."""
    return {
        "size": 0,
        "query": {"bool": {"filter": filter_clauses(filters)}},
        "aggs": {
            "months": {
                "date_histogram": {
                    "field": "received_local",
                    "calendar_interval": "month",
                    "format": "yyyy-MM",
                    "min_doc_count": 1,
                },
                "aggs": {"direction": {"terms": {"field": "direction", "size": 20}}},
            }
        },
    }


def parse_monthly(response: dict[str, Any]) -> list[MonthlyCount]:
    """``MonthlyCount`` rows from a ``monthly_body`` response, by month then direction."""
    rows = [
        MonthlyCount(month=bucket["key_as_string"], direction=sub["key"], count=sub["doc_count"])
        for bucket in response.get("aggregations", {}).get("months", {}).get("buckets", [])
        for sub in bucket["direction"]["buckets"]
    ]
    return sorted(rows, key=lambda row: (row.month, row.direction))


def snippet_from(hit: dict[str, Any]) -> str:
    """The snippet of one hit: a body fragment with a match, else the subject."""
    fragments = hit.get("highlight", {})
    body = (fragments.get("body.folded") or [""])[0]
    subject = (fragments.get("subject.folded") or [""])[0]
    if "<mark>" in body or not subject:
        return body
    return subject
