"""Sessions kept on the server, CSRF tokens bound to them, and the login throttle.

The cookie is signed (itsdangerous, ``settings.web_secret_key``) and carries a
CSRF token and, once signed in, a random session id.  The session itself is a
row in the accounts database (only the id's SHA-256 is stored), read on every
request: logging out, a new password, a new role or clearance and disabling an
account delete the user's rows, so every copy of every cookie of theirs stops
working at once.  A session also ends after ``web_session_idle_minutes`` unused
and ``web_session_max_hours`` after sign-in.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from itsdangerous import BadSignature, URLSafeTimedSerializer

from apps.web.accounts import Accounts, User

COOKIE = "docket_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
# A session's last use is written at most this often (one write a minute, not one a request).
TOUCH_SECONDS = 60.0
MAX_CHECKED_COOKIES = 4096


@dataclass(frozen=True)
class Session:
    """The session of one request: anonymous (``sid`` None) or signed in.

    ``user`` is the session's user as read with the session at the start of the
    request (``SessionStore.resolve``); None when it was not read with it.
    """

    csrf: str
    username: str | None = None
    sid: str | None = None
    user: User | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, object]:
        return {"c": self.csrf, "s": self.sid}


class SessionCodec:
    """Signs sessions into cookie values and reads them back (None when forged or stale)."""

    def __init__(self, secret_key: str, max_age_seconds: float,
                 clock: Callable[[], float] = time.time) -> None:
        self.serializer = URLSafeTimedSerializer(secret_key, salt="docket-session")
        self.max_age = math.ceil(max_age_seconds)
        self.clock = clock
        # Cookies already checked, with when they were signed: a cookie comes back
        # with every request, and checking its signature again cost ~90 µs each time.
        self._checked: dict[str, tuple[Session, float]] = {}

    def dumps(self, session: Session) -> str:
        return self.serializer.dumps(session.to_dict())

    def loads(self, value: str | None) -> Session | None:
        if not value:
            return None
        checked = self._checked.get(value)
        if checked is None:
            checked = self._check(value)
            if checked is None:
                return None
            if len(self._checked) >= MAX_CHECKED_COOKIES:
                self._checked.clear()
            self._checked[value] = checked
        session, signed = checked
        # As itsdangerous's own max_age check: too old, or signed in the future.
        return session if 0 <= self.clock() - signed <= self.max_age else None

    def _check(self, value: str) -> tuple[Session, float] | None:
        try:
            data, signed = self.serializer.loads(value, max_age=self.max_age,
                                                 return_timestamp=True)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        sid = data.get("s")
        session = Session(csrf=data["c"], sid=sid if isinstance(sid, str) else None)
        return session, signed.timestamp()


def new_session() -> Session:
    """A fresh anonymous session with a new CSRF token."""
    return Session(csrf=secrets.token_urlsafe(24))


def csrf_ok(session: Session | None, token: str | None) -> bool:
    if session is None or not token:
        return False
    return hmac.compare_digest(session.csrf, token)


def _id_hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


class SessionStore:
    """Begins, checks and ends signed-in sessions kept in the accounts database."""

    def __init__(self, accounts: Accounts, idle_seconds: float, max_seconds: float,
                 clock: Callable[[], float] = time.time) -> None:
        self.accounts = accounts
        self.idle_seconds = idle_seconds
        self.max_seconds = max_seconds
        self.clock = clock
        self.touch_seconds = min(TOUCH_SECONDS, idle_seconds / 4)

    def begin(self, username: str) -> Session:
        """A new signed-in session: new id, new CSRF token (no session fixation)."""
        sid = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24)
        now = self.clock()
        self.accounts.start_session(username, _id_hash(sid), csrf, now,
                                    created_before=now - self.max_seconds,
                                    seen_before=now - self.idle_seconds)
        return Session(csrf=csrf, username=username, sid=sid)

    def resolve(self, session: Session | None) -> Session | None:
        """The live session the cookie names; None when it ended, expired or never was."""
        live, write = self.read(session)
        if write is not None:
            write()
        return live

    def read(self, session: Session | None) -> tuple[Session | None, Callable[[], None] | None]:
        """``resolve`` in two steps: the live session, read now, and the write it calls
        for, if any (end an expired session, note the use of one unused for a while),
        for the caller to run where a write may wait (not on the event loop)."""
        if session is None or session.sid is None:
            return session, None
        id_hash = _id_hash(session.sid)
        row = self.accounts.session_row(id_hash)
        if row is None:
            return None, None
        now = self.clock()
        if now - row.created > self.max_seconds or now - row.seen > self.idle_seconds:
            return None, partial(self.accounts.end_session, id_hash)
        write = (partial(self.accounts.touch_session, id_hash, now)
                 if now - row.seen > self.touch_seconds else None)
        return Session(csrf=row.csrf, username=row.username, sid=session.sid,
                       user=row.user), write

    def end_all(self, username: str) -> None:
        """Sign ``username`` out everywhere."""
        self.accounts.end_sessions(username)


class LoginThrottle:
    """Failed sign-ins counted per account (any address) and per address (any user name).

    Past ``account_limit`` failures for one user name, or ``address_limit`` from
    one client address, within ``window`` seconds, sign-in waits until the
    oldest of them leaves the window.  Counted in the accounts database
    (``Accounts.claim_login``): every worker of ``docket serve --workers N``
    shares one count, and a restart forgets nothing.
    """

    def __init__(self, accounts: Accounts, account_limit: int, address_limit: int,
                 window: float, clock: Callable[[], float] = time.time) -> None:
        self.accounts = accounts
        self.limits = {"account": account_limit, "address": address_limit}
        self.window = window
        self.clock = clock

    def claim(self, username: str, address: str) -> tuple[int, str]:
        """Count this attempt as failed *before* the password is checked, so guesses
        sent in parallel cannot slip past the limit while earlier ones are checked.

        (0, "") when the attempt may go on; else whole seconds until one may, and
        which limit holds it, "account" or "address" (then nothing is counted).
        """
        counted = [("account", username, self.limits["account"]),
                   ("address", address, self.limits["address"])]
        wait, limited = self.accounts.claim_login(counted, self.window, self.clock())
        return (math.ceil(wait), limited) if wait else (0, "")

    def succeeded(self, username: str, address: str) -> None:
        """The claimed attempt was right: the account's count starts again; the
        address keeps its earlier failures (a spray that hits goes on being counted)."""
        self.accounts.forget_login_failures("account", username)
        self.accounts.forget_login_failures("address", address, latest_only=True)
