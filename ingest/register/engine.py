"""Opening the register database, and turning its failures into Docket's errors.

SQLite (the embedded default) is set up for several worker processes: WAL so
readers never block the writer, a busy timeout so writers queue instead of
failing at once, foreign keys on, and write transactions opened with
``BEGIN IMMEDIATE`` so two workers cannot both read a counter and then both
try to bump it.  PostgreSQL needs none of this: the counter row lock does it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from kernel.errors import RegisterUnavailable

# Execution option that marks a transaction as a writer (SQLite: BEGIN IMMEDIATE).
WRITE_OPTION = "docket_write"

DEFAULT_BUSY_TIMEOUT_SECONDS = 30.0


def open_engine(url: str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS) -> Engine:
    """An Engine for ``url``; SQLite files get their folder created and WAL turned on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, busy_timeout)
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = max(1, int(busy_timeout))
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_engine(url: str, busy_timeout: float) -> Engine:
    database = make_url(url).database
    in_memory = not database or database == ":memory:"
    if database and not in_memory:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": busy_timeout})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN itself; pysqlite's
        # own implicit BEGIN is always DEFERRED.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            # Kept at FULL, not NORMAL: in WAL mode NORMAL may lose the last
            # commits to a power cut, and the ingest releases a group's files
            # right after its commit, so a lost commit would hand the group's
            # numbers to the next documents.  The ingest commits once per group
            # of files, so the fsync FULL adds per commit costs little.
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def unavailable_on_db_errors(what: str) -> Iterator[None]:
    """Map "cannot connect" and "locked beyond the timeout" to ``RegisterUnavailable``.

    Integrity and programming errors are left alone: they are bugs or
    conflicts the caller handles, not a server that is down.
    """
    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        raise RegisterUnavailable(f"register unavailable while {what}: {exc.orig}") from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise RegisterUnavailable(f"register connection lost while {what}") from exc
        raise
