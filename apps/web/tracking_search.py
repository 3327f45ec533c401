"""The tracking filters of the search page, the search API and the exports: unit,
status, overdue.

The search index holds no tracking state: a status changes every day, and
keeping it in the index would mean reindexing the document each time.  So a
search with one of these filters asks the register first, through
``TrackingDesk.tracked_doc_ids`` and its rules (a unit member: their units'
assignments only; the records office and the overseers: every unit's; nobody
an assignment of a document above their clearance or, for a clerk, not of
their uploads), and keeps the search to those documents
(``SearchFilters.doc_ids``).  The index still applies the user's clearance and
every other filter, and counts totals and facets exactly over what is left.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import Request

from apps.web.accounts import User
from apps.web.params import BadRequest
from apps.web.tracking_desk import TrackingDesk
from ingest.tracking.assignments import SEARCH_STATUSES
from ingest.tracking.units import Unit
from search.model import SearchQuery

MAX_UNIT_CHARS = 64
YES, NO = ("1", "true", "on"), ("", "0", "false", "off")


@dataclass(frozen=True)
class TrackingChoice:
    """The tracking filters a request asks for (all empty: none)."""

    unit: str = ""
    status: str = ""  # a SEARCH_STATUSES key
    overdue: bool = False

    @property
    def chosen(self) -> bool:
        return bool(self.unit or self.status or self.overdue)


@dataclass(frozen=True)
class TrackingForm:
    """What the search page's tracking filters offer one user."""

    units: list[Unit]
    choice: TrackingChoice
    statuses: tuple[str, ...] = tuple(s for s in SEARCH_STATUSES if s)


def tracking_choice(params: Mapping[str, str]) -> TrackingChoice:
    """The ``unit``, ``status`` and ``overdue`` parameters; ``BadRequest`` when one is wrong."""
    unit = (params.get("unit") or "").strip()
    status = (params.get("status") or "").strip()
    overdue = (params.get("overdue") or "").strip().lower()
    if len(unit) > MAX_UNIT_CHARS or "\x00" in unit:
        raise BadRequest("bad_filter", name="unit")
    if status not in SEARCH_STATUSES:
        raise BadRequest("trk_bad_status", statuses=", ".join(s for s in SEARCH_STATUSES if s))
    if overdue not in (*YES, *NO):
        raise BadRequest("trk_bad_overdue")
    return TrackingChoice(unit, status, overdue in YES)


def _desk(request: Request) -> TrackingDesk:
    desk: TrackingDesk = request.app.state.tracking
    return desk


def tracked_query(request: Request, user: User, query: SearchQuery) -> SearchQuery:
    """``query`` kept to the documents the request's tracking filters choose for ``user``
    (unchanged without one).  A unit the user may not choose is a ``BadRequest``; a
    user without tracking finds nothing by these filters, never everything."""
    choice = tracking_choice(request.query_params)
    if not choice.chosen:
        return query
    desk = _desk(request)
    if choice.unit and choice.unit not in {u.code for u in desk.units_shown(user)}:
        raise BadRequest("trk_bad_unit", unit=choice.unit)
    found = desk.tracked_doc_ids(user, choice.unit, choice.status, choice.overdue)
    filters = query.filters.model_copy(update={"doc_ids": tuple(sorted(found))})
    return query.model_copy(update={"filters": filters})


def tracking_form(request: Request, user: User) -> TrackingForm | None:
    """The search page's tracking filters for ``user``; None while they track nothing
    (no unit configured, or not in the office, a unit or the overseers)."""
    desk = _desk(request)
    if not desk.tracks_anything(user):
        return None
    try:
        choice = tracking_choice(request.query_params)
    except BadRequest:
        choice = TrackingChoice()
    return TrackingForm(desk.units_shown(user), choice)
