"""Server-rendered pages: login, search, document, reports, upload."""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ingest.errors import UsageError
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
    request_session,
)
from search.web.labels import label
from search.web.params import BadRequest, search_query
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
    """Check the password; 429 after too many failures for this user from this address."""
    address = request.client.host if request.client else "?"
    name = username.strip().lower()
    if state.throttle.blocked(name, address):
        return render(request, state, lang, "login.html", status_code=429,
                      error=label("too_many", lang), next=next)
    user = state.accounts.authenticate(name, password)
    if user is None:
        state.throttle.failed(name, address)
        return render(request, state, lang, "login.html", status_code=401,
                      error=label("bad_login", lang), next=next)
    state.throttle.succeeded(name, address)
    request.state.session = new_session(user.username)  # a new token: no session fixation
    return RedirectResponse(_local_path(next), status_code=303)


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request) -> Response:
    request.state.session = new_session()
    return RedirectResponse("/login", status_code=303)


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, state: State, user: CurrentUser, lang: Language) -> Response:
    try:
        query = search_query(request.query_params)
        error = None
    except BadRequest as exc:
        query, error = SearchQuery(), str(exc)
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
    except UsageError as exc:
        return render(request, state, lang, "upload.html", user, status_code=400,
                      error=exc.message)
    return render(request, state, lang, "upload.html", user, status_code=201,
                  done=label("upload_done", lang, name=done.path.name))


def _safe_next(request: Request) -> str:
    return _local_path(request.query_params.get("next") or "/")


def _local_path(target: str) -> str:
    """Only a path on this site: no open redirect to another host."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
