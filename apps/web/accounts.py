"""Users, roles, uploads and the audit log, kept in the register's database.

The tables live beside the register's own (same engine URL) but belong to the
web service: the register package knows nothing about them.  Passwords are
argon2 hashes; a disabled user keeps their row so the audit log stays readable.
The audit log is the hash-chained ``ingest.audit`` log on the same database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    Connection,
    Engine,
    delete,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from apps.web.account_tables import (
    MAX_SAVED_SEARCHES,
    SAVED_SEARCHES_OF,
    SESSION_AND_USER,
    THROTTLE_LOCK,
    login_failures,
    metadata,
    saved_searches,
    sessions,
    uploads,
    users,
)
from apps.web.quick_reads import QuickReads
from ingest.audit import AuditEntry, AuditLog
from ingest.register.engine import WRITE_OPTION, open_engine, unavailable_on_db_errors
from kernel.errors import NotFound, UsageError

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
MIN_PASSWORD_CHARS = 8


class Role(StrEnum):
    CLERK = "clerk"
    ARCHIVIST = "archivist"
    OFFICER = "officer"  # a cleared officer: confidential documents up to their clearance
    ADMIN = "admin"


# The unchained audit table of earlier versions: chained once, then dropped.
LEGACY_AUDIT_TABLE = "web_audit_log"


@dataclass(frozen=True)
class User:
    username: str
    role: Role
    clearance: int
    active: bool = True

    @property
    def max_secrecy(self) -> int:
        """The highest secrecy rank this user may ever see (0 = open documents only)."""
        if self.role is Role.ADMIN:
            return 3
        if self.role is Role.OFFICER:
            return max(1, min(3, self.clearance))
        return 0

    @property
    def sees_everything_allowed(self) -> bool:
        """False for clerks, who see only the documents they uploaded."""
        return self.role is not Role.CLERK

    @property
    def can_upload(self) -> bool:
        return self.role in (Role.CLERK, Role.ADMIN)

    @property
    def can_correct(self) -> bool:
        """Clerks and admins check and correct metadata (the review queue and form)."""
        return self.role in (Role.CLERK, Role.ADMIN)

    @property
    def can_lower_secrecy(self) -> bool:
        """Anyone who corrects may raise a secrecy mark; only an admin may lower one."""
        return self.role is Role.ADMIN


@dataclass(frozen=True)
class SessionRow:
    id_hash: str
    username: str
    csrf: str
    created: float
    seen: float
    user: User | None = None  # the user as the same read found them (None: no such user)


_hasher = PasswordHasher()
# Verifying against this keeps a login for an unknown user as slow as a real one.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class Accounts:
    """The web service's tables on the register database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.audit_log = AuditLog(engine)
        self.reads = QuickReads(engine)

    @classmethod
    def open(cls, url: str) -> Accounts:
        accounts = cls(open_engine(url))
        accounts.create_schema()
        return accounts

    def create_schema(self) -> None:
        with unavailable_on_db_errors("creating the accounts tables"):
            metadata.create_all(self.engine)
        self.audit_log.create_schema(legacy_table=LEGACY_AUDIT_TABLE)

    def close(self) -> None:
        self.reads.close()
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        options = {WRITE_OPTION: True}
        with self.engine.connect().execution_options(**options) as conn, conn.begin():
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    # -- users ----------------------------------------------------------------

    def add_user(self, username: str, password: str, role: Role, clearance: int = 0) -> User:
        """Create a user; ``UsageError`` for a bad name, weak password or an existing user."""
        check_username(username)
        check_password(password)
        clearance = _check_clearance(role, clearance)
        values = {
            "username": username, "password_hash": _hasher.hash(password), "role": role.value,
            "clearance": clearance, "active": True, "created_at": datetime.now(UTC),
        }
        try:
            with unavailable_on_db_errors("adding a user"), self._write() as conn:
                conn.execute(insert(users), values)
        except IntegrityError as exc:
            raise UsageError(f"user {username!r} already exists") from exc
        return User(username, role, clearance)

    def set_password(self, username: str, password: str) -> None:
        """A new password; every session of the user ends."""
        check_password(password)
        self._update(username, password_hash=_hasher.hash(password))

    def set_role(self, username: str, role: Role, clearance: int = 0) -> User:
        """A new role and clearance; every session of the user ends."""
        clearance = _check_clearance(role, clearance)
        self._update(username, role=role.value, clearance=clearance)
        return User(username, role, clearance)

    def disable(self, username: str) -> None:
        """The user can no longer sign in; every session of theirs ends."""
        self._update(username, active=False)

    def _update(self, username: str, **values: object) -> None:
        # The user's sessions end in the same transaction as the change.
        with unavailable_on_db_errors("updating a user"), self._write() as conn:
            done = conn.execute(update(users).where(users.c.username == username).values(**values))
            conn.execute(delete(sessions).where(sessions.c.username == username))
        if done.rowcount == 0:
            raise NotFound(f"no user {username!r}")

    def get_user(self, username: str) -> User | None:
        with unavailable_on_db_errors("reading a user"), self._read() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).first()
        if row is None:
            return None
        return User(row.username, Role(row.role), row.clearance, bool(row.active))

    def authenticate(self, username: str, password: str) -> User | None:
        """The active user with this password, else None (same cost either way)."""
        with unavailable_on_db_errors("reading a user"), self._read() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).first()
        stored = row.password_hash if row is not None else _DUMMY_HASH
        try:
            _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None or not row.active:
            return None
        return User(row.username, Role(row.role), row.clearance, True)

    # -- sessions ---------------------------------------------------------------

    def start_session(self, username: str, id_hash: str, csrf: str, now: float,
                      created_before: float, seen_before: float) -> None:
        """Record a new session; sessions begun before ``created_before`` or unused since
        ``seen_before`` (anyone's: they are over anyway) are dropped on the way."""
        values = {"id_hash": id_hash, "username": username, "csrf": csrf,
                  "created": now, "seen": now}
        stale = or_(sessions.c.created < created_before, sessions.c.seen < seen_before)
        with unavailable_on_db_errors("starting a session"), self._write() as conn:
            conn.execute(delete(sessions).where(stale))
            conn.execute(insert(sessions), values)

    def session_row(self, id_hash: str) -> SessionRow | None:
        """The session and, in the same read, its user (one query a request, not two)."""
        found = self.reads.rows(SESSION_AND_USER, {"id_hash": id_hash}, "reading a session")
        if not found:
            return None
        row = found[0]
        user = (User(row["username"], Role(row["role"]), row["clearance"], bool(row["active"]))
                if row["role"] is not None else None)
        return SessionRow(row["id_hash"], row["username"], row["csrf"], row["created"],
                          row["seen"], user)

    def touch_session(self, id_hash: str, now: float) -> None:
        with unavailable_on_db_errors("renewing a session"), self._write() as conn:
            conn.execute(update(sessions).where(sessions.c.id_hash == id_hash).values(seen=now))

    def end_session(self, id_hash: str) -> None:
        with unavailable_on_db_errors("ending a session"), self._write() as conn:
            conn.execute(delete(sessions).where(sessions.c.id_hash == id_hash))

    def end_sessions(self, username: str) -> int:
        """End every session of ``username``; how many there were."""
        with unavailable_on_db_errors("ending sessions"), self._write() as conn:
            done = conn.execute(delete(sessions).where(sessions.c.username == username))
        return done.rowcount

    # -- the login throttle's counts ------------------------------------------------

    def claim_login(
        self, counted: list[tuple[str, str, int]], window: float, now: float
    ) -> tuple[float, str]:
        """Count an attempt against each ``(scope, key, limit)`` unless one is at its limit.

        (0, "") when counted; else the seconds until the limit holding it lets
        one through, and that limit's scope (then nothing is counted).  One
        transaction, serialised across processes: parallel guesses cannot all
        read the same count.
        """
        table = login_failures
        with unavailable_on_db_errors("counting a sign-in attempt"), self._write() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": THROTTLE_LOCK})
            conn.execute(delete(table).where(table.c.at <= now - window))
            wait, limited = 0.0, ""
            for scope, key, limit in counted:
                recent = conn.execute(
                    select(table.c.at)
                    .where(table.c.scope == scope, table.c.key == key[:255])
                    .order_by(table.c.at.desc(), table.c.id.desc())
                    .limit(limit)
                ).scalars().all()
                # Until the failure whose leaving brings the count under the limit leaves.
                if len(recent) >= limit and recent[-1] + window - now > wait:
                    wait, limited = recent[-1] + window - now, scope
            if not wait:
                rows = [{"scope": s, "key": k[:255], "at": now} for s, k, _ in counted]
                conn.execute(insert(table), rows)
        return wait, limited

    def clear_login_failures(self) -> None:
        """Forget every counted sign-in attempt (an admin lifting all lockouts at once)."""
        with unavailable_on_db_errors("clearing sign-in failures"), self._write() as conn:
            conn.execute(delete(login_failures))

    def forget_login_failures(self, scope: str, key: str, latest_only: bool = False) -> None:
        """Drop the counted attempts of ``key`` (only the latest one with ``latest_only``)."""
        table = login_failures
        mine = (table.c.scope == scope) & (table.c.key == key[:255])
        with unavailable_on_db_errors("clearing sign-in failures"), self._write() as conn:
            if latest_only:
                latest = select(table.c.id).where(mine).order_by(table.c.id.desc()).limit(1)
                conn.execute(delete(table).where(table.c.id.in_(latest.scalar_subquery())))
            else:
                conn.execute(delete(table).where(mine))

    # -- uploads ----------------------------------------------------------------

    def record_upload(self, username: str, sha256: str, original_name: str, direction: str,
                      folder: str, inbox_path: str) -> None:
        values = {
            "username": username, "doc_id": sha256[:16], "sha256": sha256,
            "original_name": original_name, "direction": direction, "folder": folder,
            "inbox_path": inbox_path, "uploaded_at": datetime.now(UTC),
        }
        with unavailable_on_db_errors("recording an upload"), self._write() as conn:
            conn.execute(insert(uploads), values)

    # -- saved searches ---------------------------------------------------------

    def save_search(self, username: str, name: str, query: str) -> None:
        """Keep ``query`` under ``name`` for ``username`` (the oldest go past the limit)."""
        with unavailable_on_db_errors("saving a search"), self._write() as conn:
            conn.execute(insert(saved_searches), {
                "username": username, "name": name[:120], "query": query[:2000],
                "created_at": datetime.now(UTC)})
            ids = conn.execute(select(saved_searches.c.id)
                               .where(saved_searches.c.username == username)
                               .order_by(saved_searches.c.id.desc())).scalars().all()
            if len(ids) > MAX_SAVED_SEARCHES:
                conn.execute(delete(saved_searches).where(
                    saved_searches.c.id.in_(ids[MAX_SAVED_SEARCHES:])))

    def saved_searches(self, username: str) -> list[tuple[int, str, str]]:
        """(id, name, query string) of ``username``'s saved searches, newest first."""
        rows = self.reads.rows(SAVED_SEARCHES_OF, {"username": username}, "listing saved searches")
        return [(row["id"], row["name"], row["query"]) for row in rows]

    def delete_saved_search(self, username: str, search_id: int) -> None:
        """Forget one of ``username``'s own saved searches (another's id does nothing)."""
        with unavailable_on_db_errors("deleting a saved search"), self._write() as conn:
            conn.execute(delete(saved_searches).where(saved_searches.c.id == search_id,
                                                      saved_searches.c.username == username))

    def uploads_of(self, username: str) -> list[dict[str, str]]:
        """What ``username`` uploaded: sha256, original_name, direction, folder, inbox_path."""
        query = (
            select(uploads.c.sha256, uploads.c.original_name, uploads.c.direction,
                   uploads.c.folder, uploads.c.inbox_path)
            .where(uploads.c.username == username)
            .order_by(uploads.c.uploaded_at.desc(), uploads.c.id.desc())
        )
        with unavailable_on_db_errors("listing uploads"), self._read() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def uploaded_doc_ids(self, username: str) -> list[str]:
        """Doc ids of what ``username`` uploaded, newest first, without repeats."""
        query = (
            select(uploads.c.doc_id)
            .where(uploads.c.username == username)
            .order_by(uploads.c.uploaded_at.desc(), uploads.c.id.desc())
        )
        with unavailable_on_db_errors("listing uploads"), self._read() as conn:
            return list(dict.fromkeys(conn.execute(query).scalars()))

    def uploaded_by(self, username: str, doc_id: str) -> bool:
        query = select(uploads.c.id).where(
            uploads.c.username == username, uploads.c.doc_id == doc_id
        ).limit(1)
        with unavailable_on_db_errors("checking an upload"), self._read() as conn:
            return conn.execute(query).first() is not None

    # -- audit ------------------------------------------------------------------

    def audit(self, username: str, action: str, doc_id: str | None = None,
              detail: str = "") -> None:
        """Append one entry to the audit chain (views, downloads, exports, logins...)."""
        self.audit_log.append(username, action, doc_id, detail)

    def audit_entries(self, limit: int = 1000) -> list[AuditEntry]:
        """The newest ``limit`` entries, newest first."""
        return self.audit_log.entries(limit=limit)


def check_username(username: str) -> str:
    if not USERNAME.fullmatch(username):
        raise UsageError(
            "a user name is 2-64 characters: lower-case letters, digits, '.', '_' or '-'"
        )
    return username


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise UsageError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    return password


def _check_clearance(role: Role, clearance: int) -> int:
    if not 0 <= clearance <= 3:
        raise UsageError("clearance is 0..3 (0 none, 1 MẬT, 2 TỐI MẬT, 3 TUYỆT MẬT)")
    if role is Role.OFFICER and clearance == 0:
        raise UsageError("a cleared officer needs --clearance 1, 2 or 3")
    return clearance
