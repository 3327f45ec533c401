"""Server-rendered pages: login, search, document, reports, upload."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from apps.web.accounts import User
from apps.web.api import export_response, original_response
from apps.web.deps import (
    CsrfChecked,
    CurrentUser,
    Language,
    State,
    WebState,
    client_origin,
    request_session,
    searched,
)
from apps.web.labels import label, language_name
from apps.web.params import BadRequest, search_query
from apps.web.preview import preview_of
from apps.web.service import UploadRefused
from apps.web.sessions import new_session
from apps.web.tracking_search import tracked_query, tracking_form
from apps.web.uploads import find_duplicate
from search.model import SearchQuery

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
        "language_name": lambda code: language_name(code, lang),
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
async def search_page(request: Request, state: State, user: CurrentUser,
                      lang: Language) -> Response:
    return await searched(state, lambda: _search_page(request, state, user, lang))


def _search_page(request: Request, state: WebState, user: User, lang: str) -> Response:
    try:
        query = tracked_query(request, user, search_query(request.query_params))
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
        saved=state.accounts.saved_searches(user.username),
        current_query=urlencode(params), page_sizes=(10, 20, 50, 100),
        tracking=tracking_form(request, user),
    )


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(doc_id: str, request: Request, state: State, user: CurrentUser,
                  lang: Language) -> Response:
    view = state.service.document(user, doc_id)
    return render(request, state, lang, "document.html", user, view=view, record=view.record,
                  preview=preview_of(view.record, state.service))


@router.get("/documents/{doc_id}/original")
def original_page(doc_id: str, state: State, user: CurrentUser, inline: bool = False) -> Response:
    return original_response(state, user, doc_id, inline)


@router.get("/export.{fmt}")
def export_page(fmt: str, request: Request, state: State, user: CurrentUser,
                lang: Language) -> Response:
    return export_response(request, state, user, lang, fmt)


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, state: State, user: CurrentUser, lang: Language) -> Response:
    return render(request, state, lang, "upload.html", user)


@router.post("/upload", dependencies=[CsrfChecked], response_class=HTMLResponse)
def upload_form(
    request: Request,
    state: State,
    user: CurrentUser,
    lang: Language,
    file: Annotated[list[UploadFile], File()],
    direction: Annotated[str, Form()],
    folder: Annotated[str, Form()] = "",
) -> Response:
    """The form without its script: every chosen file, each with its own answer."""
    done, errors = [], []
    for one in file:
        try:
            saved = state.service.upload(user, one.filename or "", direction, folder, one.file)
        except UploadRefused as exc:
            errors.append(f"{one.filename}: {exc.text(lang)}")
            continue
        duplicate = find_duplicate(state.service, user, saved.sha256, besides=saved.path)
        done.append(duplicate.message(saved.path.name, lang) if duplicate
                    else label("upload_done", lang, name=saved.path.name))
    return render(request, state, lang, "upload.html", user,
                  status_code=400 if errors and not done else 201,
                  error="; ".join(errors) or None, done_list=done,
                  done=done[0] if len(done) == 1 else None)


def _safe_next(request: Request) -> str:
    return _local_path(request.query_params.get("next") or "/")


def _local_path(target: str) -> str:
    """Only a path on this site: no open redirect to another host."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
