"""Turning query strings into a ``SearchQuery``, with a clear 400 for anything wrong.

The same parameters drive the API, the search page and the exports, so a
result list can be exported exactly as it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import get_args

from apps.web.labels import LabelledMessage
from search.model import SearchFilters, SearchQuery, SortOrder

MAX_QUERY_CHARS = 500
MAX_FILTER_CHARS = 300
MAX_PAGE = 10_000
SORTS: tuple[str, ...] = get_args(SortOrder)
TEXT_FILTERS = ("direction", "doc_type", "issuing_body", "language", "folder", "reference")
DATE_FILTERS = ("issued_from", "issued_to", "received_from", "received_to")
DIRECTIONS = ("incoming", "outgoing")


class BadRequest(LabelledMessage, ValueError):
    """A parameter a user sent is wrong; the message (``key`` in labels) says which and why."""


def parse_date(name: str, value: str) -> date:
    """yyyy-mm-dd (what <input type=date> sends) or dd/mm/yyyy (what people type)."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise BadRequest("bad_date", name=name, value=repr(value[:40]))


def _int(name: str, value: str | None, default: int, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadRequest("bad_number", name=name, value=repr(value[:20])) from None
    if not low <= number <= high:
        raise BadRequest("bad_range", name=name, low=low, high=high)
    return number


def search_query(params: Mapping[str, str], *, default_page_size: int = 20) -> SearchQuery:
    """The ``SearchQuery`` the parameters describe; ``BadRequest`` when one is wrong.

    Unknown parameters are ignored; empty values mean "no filter".
    """
    text = params.get("q", "") or ""
    if len(text) > MAX_QUERY_CHARS:
        raise BadRequest("bad_query_length", most=MAX_QUERY_CHARS)
    if "\x00" in text:
        raise BadRequest("bad_query_nul")
    values: dict[str, object] = {}
    for name in TEXT_FILTERS:
        value = (params.get(name) or "").strip()
        if not value:
            continue
        if len(value) > MAX_FILTER_CHARS or "\x00" in value:
            raise BadRequest("bad_filter", name=name)
        values[name] = value
    if values.get("direction") not in (None, *DIRECTIONS):
        raise BadRequest("bad_direction")
    for name in DATE_FILTERS:
        written = params.get(name)
        if written:
            values[name] = parse_date(name, written)
    for low, high in (("issued_from", "issued_to"), ("received_from", "received_to")):
        start, end = values.get(low), values.get(high)
        if isinstance(start, date) and isinstance(end, date) and start > end:
            raise BadRequest("bad_date_order", low=low, high=high)
    sort = params.get("sort") or "relevance"
    if sort not in SORTS:
        raise BadRequest("bad_sort", sorts=", ".join(SORTS))
    return SearchQuery(
        text=text,
        filters=SearchFilters.model_validate(values),
        sort=sort,  # type: ignore[arg-type]  # checked against SORTS above
        page=_int("page", params.get("page"), 1, 1, MAX_PAGE),
        page_size=_int("page_size", params.get("page_size"), default_page_size, 1, 100),
    )
