"""The FastAPI application: wiring, sessions, security headers and error answers."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from ingest.backends import Backends, open_backends
from ingest.errors import NotFound, TransientError, UsageError
from ingest.settings import Settings
from search.web import api, audit_page, pages
from search.web.accounts import Accounts
from search.web.deps import (
    LANG_COOKIE,
    CsrfFailed,
    LoginRequired,
    WebState,
    language,
    safe_snippet,
)
from search.web.labels import LANGUAGES, label
from search.web.params import BadRequest
from search.web.service import ArchiveService
from search.web.sessions import COOKIE, MAX_AGE_SECONDS, LoginThrottle, SessionCodec, new_session

HERE = Path(__file__).parent
log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data: blob:; "
    "style-src 'self'; script-src 'none'; frame-ancestors 'self'; form-action 'self'; "
    "base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "SAMEORIGIN",
}
OPENAPI_PAGES = ("/docs", "/redoc", "/docs/oauth2-redirect")


def create_app(settings: Settings, backends: Backends | None = None) -> FastAPI:
    """The search service for ``settings``; ``backends`` are opened from settings if not given.

    Backends passed in stay the caller's to close; backends opened here are
    closed when the application shuts down.
    """
    owned = backends is None
    backends = backends if backends is not None else open_backends(settings)
    accounts = Accounts.open(settings.register_dsn)
    secret = settings.web_secret_key
    if not secret:
        log.warning("web_secret_key is not set: sessions end when the server restarts")
        secret = secrets.token_urlsafe(32)
    state = WebState(
        settings=settings,
        service=ArchiveService(settings, backends, accounts),
        accounts=accounts,
        codec=SessionCodec(secret),
        throttle=LoginThrottle(),
        templates=_templates(),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        yield
        accounts.close()
        if owned:
            backends.close()

    app = FastAPI(title="Docket", version="0.1.0", lifespan=lifespan,
                  description="Search the archive of incoming and outgoing documents.")
    app.state.web = state
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(audit_page.router)
    _install_sessions(app, state)
    _install_error_answers(app)
    return app


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["snippet"] = lambda text: Markup(safe_snippet(text))
    return templates


def _install_sessions(app: FastAPI, state: WebState) -> None:
    @app.middleware("http")
    async def sessions(request: Request,
                       call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        cookie = request.cookies.get(COOKIE)
        session = state.codec.loads(cookie)
        request.state.session = session if session is not None else new_session()
        response = await call_next(request)
        if request.state.session is not session:  # new or replaced (login, logout)
            response.set_cookie(
                COOKIE, state.codec.dumps(request.state.session), max_age=MAX_AGE_SECONDS,
                httponly=True, secure=state.settings.web_secure_cookies, samesite="lax",
            )
        wanted = request.query_params.get("lang")
        if wanted in LANGUAGES and wanted != request.cookies.get(LANG_COOKIE):
            response.set_cookie(LANG_COOKIE, wanted, max_age=365 * 86400, httponly=True,
                                secure=state.settings.web_secure_cookies, samesite="lax")
        for name, value in SECURITY_HEADERS.items():
            # Swagger UI at /docs loads its script from a CDN: no CSP there.
            if name == "content-security-policy" and request.url.path in OPENAPI_PAGES:
                continue
            response.headers.setdefault(name, value)
        return response


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    state: WebState = request.app.state.web
    lang = language(request)
    return state.templates.TemplateResponse(
        request, "error.html",
        {"request": request, "lang": lang, "t": lambda key, **v: label(key, lang, **v),
         "status": status, "message": message, "user": None, "csrf": "",
         "lang_url": lambda code: f"{request.url.path}?lang={code}"},
        status_code=status,
    )


def _install_error_answers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": "sign in first"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, _exc: CsrfFailed) -> Response:
        return _error(request, 403, "missing or wrong CSRF token: reload the page and retry")

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, exc.message)

    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, exc: BadRequest) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(UsageError)
    async def usage_error(request: Request, exc: UsageError) -> Response:
        return _error(request, 400, exc.message)

    @app.exception_handler(PermissionError)
    async def forbidden(request: Request, exc: PermissionError) -> Response:
        return _error(request, 403, str(exc))

    @app.exception_handler(TransientError)
    async def unavailable(request: Request, exc: TransientError) -> Response:
        log.warning("service unavailable: %s", exc.message)
        return _error(request, 503, "a backend is unavailable; try again shortly")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}"
            for e in exc.errors()
        )
        if _wants_json(request):
            return JSONResponse({"detail": problems[:1000]}, status_code=422)
        return _error(request, 422, problems[:1000])
