"""The FastAPI application: wiring, sessions, security headers and error answers."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from apps.web import (
    api,
    api_docs,
    audit_page,
    fonts,
    inbox_page,
    pages,
    preview,
    register_page,
    report_pages,
    saved_searches,
    tracking_api,
    uploads,
)
from apps.web.accounts import Accounts
from apps.web.deps import (
    CsrfFailed,
    LoginRequired,
    WebState,
    language,
    safe_snippet,
    signed_in_user,
)
from apps.web.facet_panel import facet_options
from apps.web.hit_list import hit_list
from apps.web.labels import label
from apps.web.middleware import SessionsMiddleware
from apps.web.origin import ProxyTrust
from apps.web.params import BadRequest
from apps.web.review import install_review
from apps.web.service import ArchiveService, NoSuchDocument, UploadRefused
from apps.web.sessions import LoginThrottle, SessionCodec, SessionStore
from apps.web.tracking_pages import install_tracking
from ingest.backends import Backends, open_backends
from ingest.tracking.assignments import TrackingRefused
from kernel.errors import NotFound, TransientError, UsageError
from kernel.settings import Settings

HERE = Path(__file__).parent
log = logging.getLogger(__name__)

# pydantic's error types, as the words of labels.py.
VALIDATION_WORDS = {
    "missing": "invalid_missing",
    "string_too_long": "invalid_too_long",
    "int_parsing": "invalid_number",
    "float_parsing": "invalid_number",
    "bool_parsing": "invalid_bool",
}


def create_app(settings: Settings, backends: Backends | None = None) -> FastAPI:
    """The search service for ``settings``; ``backends`` are opened from settings if not given.

    Backends passed in stay the caller's to close; backends opened here are
    closed when the application shuts down.
    """
    owned = backends is None
    backends = backends if backends is not None else open_backends(settings)
    accounts = Accounts.open(settings.register_location)
    secret = settings.web_secret_key
    if not secret:
        log.warning("web_secret_key is not set: sessions end when the server restarts")
        secret = secrets.token_urlsafe(32)
    max_seconds = settings.web_session_max_hours * 3600
    state = WebState(
        settings=settings,
        service=ArchiveService(settings, backends, accounts),
        accounts=accounts,
        codec=SessionCodec(secret, max_seconds),
        sessions=SessionStore(accounts, settings.web_session_idle_minutes * 60, max_seconds),
        throttle=LoginThrottle(accounts, settings.web_login_account_failures,
                               settings.web_login_address_failures,
                               settings.web_login_window_minutes * 60),
        proxies=ProxyTrust(settings.web_trusted_proxies),
        templates=_templates(),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        yield
        accounts.close()
        if owned:
            backends.close()

    # /docs and /openapi.json are api_docs' routes: behind login, no CDN.
    app = FastAPI(title="Docket", version="0.1.0", lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None,
                  description="Search the archive of incoming and outgoing documents.")
    app.state.web = state
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.mount("/docs/assets", StaticFiles(directory=api_docs.ASSETS), name="api-docs-assets")
    app.include_router(uploads.router)  # /api/upload/check before /api's routes
    app.include_router(api.router)
    app.include_router(tracking_api.router)
    app.include_router(api_docs.router)
    app.include_router(pages.router)
    app.include_router(audit_page.router)
    app.include_router(fonts.router)
    app.include_router(report_pages.router)
    app.include_router(preview.router)
    app.include_router(inbox_page.router)
    app.include_router(saved_searches.router)
    app.include_router(register_page.router)
    _install_sessions(app, state)
    _install_error_answers(app)
    install_review(app, state)
    install_tracking(app, state)
    return app


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")
    # The templates ship with the code: no look at each file's time on every page.
    templates.env.auto_reload = False
    templates.env.filters["snippet"] = lambda text: Markup(safe_snippet(text))
    templates.env.globals["facet_options"] = facet_options
    templates.env.globals["hit_list"] = hit_list
    return templates


def _install_sessions(app: FastAPI, state: WebState) -> None:
    async def unavailable(request: Request) -> Response:
        return await _error(request, 503, label("unavailable", language(request)))

    app.add_middleware(SessionsMiddleware, state=state, unavailable=unavailable,
                       csp_for={api_docs.DOCS_PATH: api_docs.DOCS_CSP})


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path in ("/api", "/openapi.json")


async def _error(request: Request, status: int, message: str,
                 headers: Mapping[str, str] | None = None) -> Response:
    """The error in the interface language: JSON for the API, else the page with navigation."""
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    state: WebState = request.app.state.web
    lang = language(request)
    user = await run_in_threadpool(signed_in_user, request)
    params = {k: v for k, v in request.query_params.items() if k != "lang"}
    return state.templates.TemplateResponse(
        request, "error.html",
        {"request": request, "lang": lang, "t": lambda key, **v: label(key, lang, **v),
         "status": status, "message": message, "user": user,
         "csrf": request.state.session.csrf,
         "lang_url": lambda code: f"{request.url.path}?{urlencode({**params, 'lang': code})}"},
        status_code=status, headers=headers,
    )


def _install_error_answers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": label("sign_in_first", language(request))},
                                status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, _exc: CsrfFailed) -> Response:
        return await _error(request, 403, label("csrf_failed", language(request)))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        # One answer whatever was not found, so that no message tells a hidden
        # document from a missing one (or names a store key).
        log.debug("not found: %s", exc.message)
        key = "no_document" if isinstance(exc, NoSuchDocument) else "not_found"
        return await _error(request, 404, label(key, language(request)))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        key = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "bad_request")
        return await _error(request, exc.status_code, label(key, language(request)),
                            headers=exc.headers)

    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, exc: BadRequest) -> Response:
        return await _error(request, 400, exc.text(language(request)))

    @app.exception_handler(UsageError)
    async def usage_error(request: Request, exc: UsageError) -> Response:
        lang = language(request)
        return await _error(request, 400, exc.text(lang) if isinstance(
            exc, UploadRefused | TrackingRefused) else exc.message)

    @app.exception_handler(PermissionError)
    async def forbidden(request: Request, _exc: PermissionError) -> Response:
        return await _error(request, 403, label("forbidden", language(request)))

    @app.exception_handler(TransientError)
    async def unavailable(request: Request, exc: TransientError) -> Response:
        log.warning("service unavailable: %s", exc.message)
        return await _error(request, 503, label("unavailable", language(request)))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        lang = language(request)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: "
            f"{label(VALIDATION_WORDS.get(e['type'], 'invalid_value'), lang)}"
            for e in exc.errors()
        )
        return await _error(request, 422, problems[:1000])
