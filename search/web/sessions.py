"""Signed session cookies, CSRF tokens bound to them, and the login rate limit.

The cookie holds only the user name, a CSRF token and the issue time, signed
with ``settings.web_secret_key`` (itsdangerous).  Who the user is, their role
and whether they are still active are read from the database on every request,
so disabling a user ends their sessions at once.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "docket_session"
MAX_AGE_SECONDS = 8 * 3600  # one working day
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass
class Session:
    csrf: str
    username: str | None = None
    issued: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, object]:
        return {"c": self.csrf, "u": self.username, "t": self.issued}


class SessionCodec:
    """Signs sessions into cookie values and reads them back (None when forged or stale)."""

    def __init__(self, secret_key: str) -> None:
        self.serializer = URLSafeTimedSerializer(secret_key, salt="docket-session")

    def dumps(self, session: Session) -> str:
        return self.serializer.dumps(session.to_dict())

    def loads(self, value: str | None) -> Session | None:
        if not value:
            return None
        try:
            data = self.serializer.loads(value, max_age=MAX_AGE_SECONDS)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        username = data.get("u")
        return Session(csrf=data["c"], username=username if isinstance(username, str) else None,
                       issued=float(data.get("t") or 0))


def new_session(username: str | None = None) -> Session:
    """A fresh session with a new CSRF token (a new one at each login: no fixation)."""
    return Session(csrf=secrets.token_urlsafe(24), username=username)


def csrf_ok(session: Session | None, token: str | None) -> bool:
    if session is None or not token:
        return False
    return hmac.compare_digest(session.csrf, token)


class LoginThrottle:
    """At most ``limit`` failed logins per user name and client address per ``window`` seconds."""

    def __init__(self, limit: int = 5, window: float = 300.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def blocked(self, username: str, address: str) -> bool:
        with self._lock:
            return len(self._recent((username, address), time.monotonic())) >= self.limit

    def failed(self, username: str, address: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent((username, address), now).append(now)

    def succeeded(self, username: str, address: str) -> None:
        with self._lock:
            self._failures.pop((username, address), None)
