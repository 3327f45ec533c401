"""The reads of every request, run on the SQLite driver's own connection.

Each request reads its session (with its user), and each search page the
user's saved searches.  Through SQLAlchemy a read took 180-260 µs (a pooled
connection checked out, a transaction begun by the engine's ``begin`` event,
the result wrapped, the transaction ended); the same statement on one open
connection takes about 15 µs.  The statements are SQLAlchemy's own
(``apps.web.account_tables``), compiled once for the engine's dialect, so there
is one definition of each.  With the connection in autocommit (the engine sets
``isolation_level`` None on every connection) a single SELECT reads one
consistent snapshot and holds no transaction open between requests; the WAL
journal lets it read while another worker writes.

SQLite files only: another database (PostgreSQL) keeps SQLAlchemy's path, and
so does an in-memory database (each pooled connection its own database).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine, Select
from sqlalchemy.engine import make_url

from ingest.register.engine import unavailable_on_db_errors
from kernel.errors import RegisterUnavailable


class QuickReads:
    """Runs compiled SELECTs on one connection of ``engine`` kept open (behind a lock:
    the request threads share it), or through SQLAlchemy where that cannot be."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        url = make_url(str(engine.url))
        self.direct = url.get_backend_name() == "sqlite" and url.database not in (
            None, "", ":memory:")
        self._compiled: dict[Select[Any], tuple[str, list[str], list[str]]] = {}
        self._connection: Any = None
        self._lock = threading.Lock()

    def rows(self, statement: Select[Any], params: Mapping[str, object],
             what: str) -> list[dict[str, Any]]:
        """The rows of ``statement`` with ``params``, each as a dict by column name.

        ``RegisterUnavailable`` when the database cannot be read (``what`` says
        while doing what); the connection is then opened afresh next time.
        """
        if not self.direct:
            with unavailable_on_db_errors(what), self.engine.connect() as conn, conn.begin():
                return [dict(row._mapping) for row in conn.execute(statement, dict(params))]
        sql, order, names = self._compile(statement)
        values = [params[name] for name in order]
        with self._lock:
            try:
                if self._connection is None:
                    self._connection = self.engine.raw_connection()
                found = self._connection.cursor().execute(sql, values).fetchall()
            except (sqlite3.OperationalError, sqlite3.InterfaceError) as exc:
                self._drop()
                raise RegisterUnavailable(f"register unavailable while {what}: {exc}") from exc
        return [dict(zip(names, row, strict=True)) for row in found]

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _compile(self, statement: Select[Any]) -> tuple[str, list[str], list[str]]:
        if statement not in self._compiled:  # module constants: a handful in all
            done = statement.compile(dialect=self.engine.dialect)
            names = [str(column.key) for column in statement.selected_columns]
            self._compiled[statement] = (done.string, list(done.positiontup or []), names)
        return self._compiled[statement]

    def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None
