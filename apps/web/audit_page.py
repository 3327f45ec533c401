"""The audit log for admins: a filtered, paged page and the same list as CSV.

Only admins see either; anyone else gets the app's ordinary not-found answer,
so the routes do not even show that they exist.  Dates are days in the
office's time zone (settings.timezone), turned into a UTC range here.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from apps.web.accounts import Role, User
from apps.web.api import content_disposition
from apps.web.deps import CurrentUser, Language, State, WebState
from apps.web.exports import render_csv, safe_cell
from apps.web.labels import action_label, label
from apps.web.pages import render
from apps.web.params import MAX_PAGE, BadRequest, parse_date
from ingest.audit import AuditAction, AuditEntry, AuditFilter, canonical_time
from kernel.errors import NotFound

router = APIRouter()
PAGE_SIZE = 50
MAX_CSV_ROWS = 100_000
FILTER_NAMES = ("user", "doc", "action", "from", "to")
CSV_COLUMNS = ("audit_seq", "audit_time", "audit_time_utc", "audit_user", "audit_action",
               "audit_action_code", "audit_document", "subject", "audit_detail",
               "audit_prev_hash", "audit_hash")


@dataclass(frozen=True)
class AuditRequest:
    """The filters and page a request asked for, as typed and as a chain filter."""

    values: dict[str, str]
    wanted: AuditFilter
    page: int


def admin_only(user: User) -> None:
    """Anyone but an admin gets the same not-found answer as for any missing page."""
    if user.role is not Role.ADMIN:
        raise NotFound("not found")


def audit_request(params: Mapping[str, str], timezone: str) -> AuditRequest:
    """Filters from the query string: user, doc, action, from, to (days, inclusive), page."""
    values = {name: (params.get(name) or "").strip() for name in FILTER_NAMES}
    for name, limit in (("user", 64), ("doc", 64), ("action", 32)):
        if len(values[name]) > limit or "\x00" in values[name]:
            raise BadRequest(f"{name}: at most {limit} characters of text")
    zone = ZoneInfo(timezone)
    first = parse_date("from", values["from"]) if values["from"] else None
    last = parse_date("to", values["to"]) if values["to"] else None
    if first and last and first > last:
        raise BadRequest("from is after to")
    wanted = AuditFilter(
        username=values["user"].lower() or None, doc_id=values["doc"].lower() or None,
        action=values["action"] or None, since=_midnight(first, zone),
        until=_midnight(last + timedelta(days=1), zone) if last else None,
    )
    page_text = params.get("page") or "1"
    if not page_text.isdigit() or not 1 <= int(page_text) <= MAX_PAGE:
        raise BadRequest(f"page: a number from 1 to {MAX_PAGE}")
    return AuditRequest({k: v for k, v in values.items() if v}, wanted, int(page_text))


def _midnight(day: date | None, zone: ZoneInfo) -> datetime | None:
    return datetime.combine(day, time(), zone) if day else None


@router.get("/admin/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(request: Request, state: State, user: CurrentUser, lang: Language) -> Response:
    admin_only(user)
    asked = audit_request(request.query_params, state.settings.timezone)
    log = state.accounts.audit_log
    total = log.count(asked.wanted)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    entries = log.entries(asked.wanted, offset=(asked.page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return render(
        request, state, lang, "audit.html", user, entries=entries, total=total,
        page=asked.page, pages=pages, filters=asked.values, head=log.head(),
        actions=[(a.value, action_label(a.value, lang)) for a in AuditAction],
        action_label=lambda action: action_label(action, lang),
        subjects=state.service.subjects(user, (e.doc_id for e in entries if e.doc_id)),
        page_url=lambda page: "/admin/audit?" + urlencode({**asked.values, "page": page}),
        csv_url="/api/audit.csv?" + urlencode({**asked.values, "lang": lang}),
    )


@router.get("/api/audit.csv", tags=["api"])
def audit_csv(request: Request, state: State, user: CurrentUser, lang: Language) -> Response:
    """The audit log as CSV, newest first (admins only). Parameters: user, doc, action,
    from, to (days in the office's time zone, yyyy-mm-dd or dd/mm/yyyy)."""
    admin_only(user)
    asked = audit_request(request.query_params, state.settings.timezone)
    found = itertools.islice(state.accounts.audit_log.iter_entries(asked.wanted), MAX_CSV_ROWS)
    data = render_csv(audit_rows(state, user, found, lang))
    state.accounts.audit(user.username, AuditAction.EXPORT, None,
                         "audit.csv " + urlencode(asked.values))
    return Response(data, media_type="text/csv; charset=utf-8", headers={
        "content-disposition": content_disposition("attachment", "docket-audit.csv"),
        "cache-control": "private, no-store",
    })


def audit_rows(state: WebState, user: User, entries: Iterable[AuditEntry],
               lang: str) -> Iterator[list[str]]:
    """The header, then one row per entry, with the hashes to check it against."""
    zone = ZoneInfo(state.settings.timezone)
    yield [label(c, lang) for c in CSV_COLUMNS]
    walk = iter(entries)
    while batch := list(itertools.islice(walk, 500)):
        subjects = state.service.subjects(user, (e.doc_id for e in batch if e.doc_id))
        for e in batch:
            yield [
                str(e.seq), e.at.astimezone(zone).strftime("%d/%m/%Y %H:%M:%S"),
                canonical_time(e.at), safe_cell(e.username),
                action_label(e.action, lang), safe_cell(e.action), e.doc_id or "",
                safe_cell(subjects.get(e.doc_id or "", "")), safe_cell(e.detail), e.prev_hash,
                e.entry_hash,
            ]

