"""Server-rendered pages: login, search, document, reports, upload."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ingest.reports.labels import label as report_label
from search.model import SearchQuery
from search.web.accounts import User
from search.web.api import export_response, original_response
from search.web.chart import monthly_svg, monthly_table
from search.web.deps import (
    CsrfChecked,
    CurrentUser,
    Language,
    State,
    WebState,
    client_origin,
    request_session,
)
from search.web.labels import label
from search.web.params import BadRequest, search_query
from search.web.service import UploadRefused
from search.web.sessions import new_session

router = APIRouter(include_in_schema=False)


def render(request: Request, state: WebState, lang: str, template: str,
           user: User | None = None, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page with the helpers every template uses (t, dates, CSRF token, language links)."""
    zone = ZoneInfo(state.settings.timezone)
    params = {k: v for k, v in request.query_params.items() if k != "lang"}

    def lang_url(code: str) -> str:
        return f"{request.url.path}?{urlencode({**params, 'lang': code})}"

    values = {
        "request": request, "user": user, "lang": lang,
        "t": lambda key, **v: label(key, lang, **v),
        # 10.000 in Vietnamese, 10,000 in English.
        "number": lambda n: f"{n:,}".replace(",", "." if lang == "vi" else ","),
        "day": lambda d: d.strftime("%d/%m/%Y") if d else "",
        "moment": lambda m: m.astimezone(zone).strftime("%d/%m/%Y %H:%M") if m else "",
        "csrf": request_session(request).csrf, "lang_url": lang_url, **context,
    }
    return state.templates.TemplateResponse(request, template, values, status_code=status_code)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, state: State, lang: Language) -> HTMLResponse:
    return render(request, state, lang, "login.html", next=_safe_next(request))


@router.post("/login", dependencies=[CsrfChecked])
def login(
    request: Request,
    state: State,
    lang: Language,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password, unless this account or this address failed too often (429).

    Every checked attempt, failed or not, goes to the audit log with the client's
    address; attempts refused by the throttle are not checked and not logged
    (a spray would otherwise write one row per request).
    """
    address = client_origin(request).address
    name = username.strip().lower()
    wait, limited = state.throttle.claim(name, address)
    if wait:
        return _locked(request, state, lang, next, wait, limited)
    user = state.accounts.authenticate(name, password)
    if user is None:
        state.accounts.audit(name[:64], "login_failed", None, address)
        return render(request, state, lang, "login.html", status_code=401,
                      error=label("bad_login", lang), next=next)
    state.throttle.succeeded(name, address)
    state.accounts.audit(user.username, "login", None, address)
    request.state.session = state.sessions.begin(user.username)
    return RedirectResponse(_local_path(next), status_code=303)


def _locked(request: Request, state: WebState, lang: str, next: str, wait: int,
            limited: str) -> Response:
    """429, saying when to try again (the local time and the minutes left)."""
    until = datetime.now(ZoneInfo(state.settings.timezone)) + timedelta(seconds=wait)
    message = label(f"{limited}_locked", lang, time=until.strftime("%H:%M"),
                    minutes=max(1, math.ceil(wait / 60)))
    page = render(request, state, lang, "login.html", status_code=429, error=message, next=next)
    page.headers["retry-after"] = str(wait)
    return page


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, state: State) -> Response:
    """Sign out: every session of this user ends, on every computer."""
    username = request_session(request).username
    if username is not None:
        state.sessions.end_all(username)
        state.accounts.audit(username, "logout", None, client_origin(request).address)
    request.state.session = new_session()
    return RedirectResponse("/login", status_code=303)


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, state: State, user: CurrentUser, lang: Language) -> Response:
    try:
        query = search_query(request.query_params)
        error = None
    except BadRequest as exc:
        query, error = SearchQuery(), exc.text(lang)
    result = state.service.search(user, query)
    pages = max(1, math.ceil(result.total / query.page_size))
    params = {k: v for k, v in request.query_params.items() if k not in ("page", "lang") and v}
    return render(
        request, state, lang, "search.html", user, status_code=400 if error else 200,
        query=query, result=result, error=error, pages=pages, params=params,
        page_url=lambda page: "/?" + urlencode({**params, "page": page}),
        export_url=lambda fmt: f"/api/export.{fmt}?" + urlencode({**params, "lang": lang}),
        counts=state.service.counts(user),
    )


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(doc_id: str, request: Request, state: State, user: CurrentUser,
                  lang: Language) -> Response:
    view = state.service.document(user, doc_id)
    return render(request, state, lang, "document.html", user, view=view, record=view.record)


@router.get("/documents/{doc_id}/original")
def original_page(doc_id: str, state: State, user: CurrentUser, inline: bool = False) -> Response:
    return original_response(state, user, doc_id, inline)


@router.get("/export.{fmt}")
def export_page(fmt: str, request: Request, state: State, user: CurrentUser,
                lang: Language) -> Response:
    return export_response(request, state, user, lang, fmt)


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, state: State, user: CurrentUser, lang: Language) -> Response:
    labels = {"title": label("monthly_chart", lang), "incoming": label("incoming", lang),
              "outgoing": label("outgoing", lang)}
    rows = monthly_table(state.service.monthly(user))
    by_type = []
    for doc_type in state.service.type_values(user):
        by_type.append((doc_type, {m: (i, o) for m, i, o in
                                   monthly_table(state.service.monthly(user, doc_type))}))
    return render(request, state, lang, "reports.html", user, rows=rows,
                  chart=monthly_svg(rows, labels), by_type=by_type,
                  reports=state.service.reports(user),
                  report_scope=report_label(f"scope_{user.max_secrecy}", lang))


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, state: State, user: CurrentUser, lang: Language) -> Response:
    return render(request, state, lang, "upload.html", user)


@router.post("/upload", dependencies=[CsrfChecked], response_class=HTMLResponse)
def upload_form(
    request: Request,
    state: State,
    user: CurrentUser,
    lang: Language,
    file: Annotated[UploadFile, File()],
    direction: Annotated[str, Form()],
    folder: Annotated[str, Form()] = "",
) -> Response:
    try:
        done = state.service.upload(user, file.filename or "", direction, folder, file.file)
    except UploadRefused as exc:
        return render(request, state, lang, "upload.html", user, status_code=400,
                      error=exc.text(lang))
    return render(request, state, lang, "upload.html", user, status_code=201,
                  done=label("upload_done", lang, name=done.path.name))


def _safe_next(request: Request) -> str:
    return _local_path(request.query_params.get("next") or "/")


def _local_path(target: str) -> str:
    """Only a path on this site: no open redirect to another host."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
