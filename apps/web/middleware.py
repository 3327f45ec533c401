"""The sessions middleware: every request's session, cookies and security headers.

A plain ASGI middleware rather than Starlette's ``BaseHTTPMiddleware``
(``@app.middleware("http")``), which ran every request's handler in a task
of its own and passed the response body through memory streams: a cost on
each request larger than the session check itself.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from apps.web.csp import CSP
from apps.web.deps import LANG_COOKIE, WebState
from apps.web.labels import LANGUAGES
from apps.web.sessions import COOKIE, new_session
from kernel.errors import TransientError

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "SAMEORIGIN",
}
# The answer when the sessions cannot be read (the database is down): a 503 page.
Unavailable = Callable[[Request], Awaitable[Response]]


class SessionsMiddleware:
    """Reads the session named by the cookie (with its user) before the handler runs,
    sets the session and language cookies and the security headers on the answer.

    ``csp_for`` gives the Content-Security-Policy of a path (the API docs' own).
    """

    def __init__(self, app: ASGIApp, state: WebState, unavailable: Unavailable,
                 csp_for: dict[str, str]) -> None:
        self.app = app
        self.state = state
        self.unavailable = unavailable
        self.csp_for = csp_for
        self.max_age = int(state.settings.web_session_max_hours * 3600)
        # A session read from a SQLite file on the connection kept open takes ~20 µs:
        # less than the hop to a worker thread and back.  Over a network (PostgreSQL)
        # it is read in a thread, and so is every write (it may wait for a lock).
        self.read_here = state.accounts.reads.direct

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        state = self.state
        origin = state.proxies.origin(request)
        request.state.origin = origin
        from_cookie = state.codec.loads(request.cookies.get(COOKIE))
        try:
            if self.read_here:
                live, write = state.sessions.read(from_cookie)
            else:
                live, write = await run_in_threadpool(state.sessions.read, from_cookie)
            if write is not None:
                await run_in_threadpool(write)
        except TransientError as exc:  # the database is down: say so, keep the cookie
            log.warning("service unavailable: %s", exc.message)
            request.state.session = new_session()
            response = await self.unavailable(request)
            await response(scope, receive, self._sender(request, send, None))
            return
        current = live if live is not None else new_session()
        request.state.session = current

        def session_cookie() -> bool:  # a new, ended or replaced session gets its cookie
            return live is None or request.state.session is not current

        await self.app(scope, receive, self._sender(request, send, session_cookie))

    def _sender(self, request: Request, send: Send,
                session_cookie: Callable[[], bool] | None) -> Send:
        """``send`` with the headers added as the answer starts (no cookie at all
        when ``session_cookie`` is None)."""

        async def sender(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if session_cookie is not None:
                    self._cookies(request, headers, session_cookie())
                headers.setdefault("content-security-policy",
                                   self.csp_for.get(request.url.path, CSP))
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        return sender

    def _cookies(self, request: Request, headers: MutableHeaders, session_cookie: bool) -> None:
        origin = request.state.origin
        cookies = Response()
        if session_cookie:
            cookies.set_cookie(COOKIE, self.state.codec.dumps(request.state.session),
                               max_age=self.max_age, httponly=True, secure=origin.https,
                               samesite="lax")
        wanted = request.query_params.get("lang")
        if wanted in LANGUAGES and wanted != request.cookies.get(LANG_COOKIE):
            cookies.set_cookie(LANG_COOKIE, wanted, max_age=365 * 86400, httponly=True,
                               secure=origin.https, samesite="lax")
        for name, value in cookies.raw_headers:
            if name == b"set-cookie":
                headers.append("set-cookie", value.decode("latin-1"))
