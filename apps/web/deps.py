"""What every request handler needs: the service, the user, the language, CSRF checks."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from apps.web.accounts import Accounts, User
from apps.web.labels import LANGUAGES
from apps.web.origin import ClientOrigin, ProxyTrust
from apps.web.service import ArchiveService
from apps.web.sessions import (
    CSRF_FIELD,
    CSRF_HEADER,
    LoginThrottle,
    Session,
    SessionCodec,
    SessionStore,
    csrf_ok,
)
from kernel.settings import Settings

LANG_COOKIE = "docket_lang"
_SNIPPET_TAG = re.compile(r"<(?!/?mark>)")


@dataclass
class WebState:
    settings: Settings
    service: ArchiveService
    accounts: Accounts
    codec: SessionCodec
    sessions: SessionStore
    throttle: LoginThrottle
    proxies: ProxyTrust
    templates: Jinja2Templates

    @property
    def local_reads(self) -> bool:
        """Whether the search index and the register are files on this machine (SQLite)."""
        return self.settings.index == "sqlite" and self.accounts.reads.direct


T = TypeVar("T")


async def searched(state: WebState, work: Callable[[], T]) -> T:
    """``work()`` (a search and its page) on the event loop when every read it makes
    is a local SQLite file, else in a worker thread.

    A search whose answer is kept takes well under a millisecond of reads and a
    millisecond or two of Python: less than the hop to a worker thread and back,
    which all the threads then pay again in turns for the one interpreter lock.
    Over a network (Elasticsearch, PostgreSQL) a read waits, so it waits in a thread.
    """
    if state.local_reads:
        return work()
    return await run_in_threadpool(work)


class LoginRequired(Exception):
    """No valid session: pages redirect to /login, the API answers 401."""


class CsrfFailed(Exception):
    """A POST without the session's CSRF token."""


# The dependencies that touch no database are ``async``: FastAPI runs a plain
# ``def`` dependency in a worker thread, and each hop to a thread and back
# cost a request more CPU than the dependency itself.


async def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def request_session(request: Request) -> Session:
    session: Session = request.state.session
    return session


def client_origin(request: Request) -> ClientOrigin:
    """The client's address and scheme, as the sessions middleware worked them out."""
    origin: ClientOrigin = request.state.origin
    return origin


def signed_in_user(request: Request) -> User | None:
    """The signed-in, still active user, or None.

    The user read with the session at the start of the request, or, for a
    session begun during it (a sign-in), read now.
    """
    session = request_session(request)
    if session.username is None:
        return None
    user = session.user
    if user is None:
        state: WebState = request.app.state.web
        user = state.accounts.get_user(session.username)
    if user is None or not user.active:
        return None
    return user


async def current_user(request: Request) -> User:
    """The signed-in, still active user; ``LoginRequired`` otherwise.

    Dependencies run before the handler: the session is still the one the
    sessions middleware read, with its user in the same query, so no database
    is read here (a session without a user row is no sign-in).
    """
    user = request_session(request).user
    if user is None or not user.active:
        raise LoginRequired()
    return user


def language(request: Request) -> str:
    """?lang=, then the language cookie, then the configured default."""
    wanted = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if wanted in LANGUAGES:
        return wanted
    state: WebState = request.app.state.web
    return state.settings.ui_language


async def check_csrf(request: Request) -> None:
    """Every state-changing request carries the session's token (form field or header)."""
    token = request.headers.get(CSRF_HEADER)
    if token is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            token = value if isinstance(value, str) else None
    if not csrf_ok(request_session(request), token):
        raise CsrfFailed()


def safe_snippet(snippet: str) -> str:
    """Only ``<mark>`` tags survive; the index already escaped everything else."""
    return _SNIPPET_TAG.sub("&lt;", snippet)


async def _language(request: Request) -> str:
    return language(request)


State = Annotated[WebState, Depends(web_state)]
CurrentUser = Annotated[User, Depends(current_user)]
Language = Annotated[str, Depends(_language)]
CsrfChecked = Depends(check_csrf)
