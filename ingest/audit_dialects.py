"""What differs per database for the audit chain: serialising appends, refusing changes.

SQLite writes in ``BEGIN IMMEDIATE`` transactions, one writer at a time, and
refuses updates and deletes by triggers; PostgreSQL takes a table lock that
conflicts only with other writers, and refuses updates, deletes and
truncation by triggers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection

TABLE = "audit_chain"


def _no_lock(_conn: Connection) -> None:
    """SQLite: the write transaction is BEGIN IMMEDIATE, already one writer at a time."""


def _lock_table(conn: Connection) -> None:
    # SHARE ROW EXCLUSIVE conflicts with itself and with inserts, not with readers.
    conn.exec_driver_sql(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE")


def _guard_sqlite(conn: Connection) -> None:
    for verb in ("UPDATE", "DELETE"):
        conn.exec_driver_sql(
            f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_{verb.lower()} BEFORE {verb} ON {TABLE} "
            "BEGIN SELECT RAISE(ABORT, 'the audit chain is append-only'); END"
        )


def _guard_postgres(conn: Connection) -> None:
    present = conn.exec_driver_sql(
        f"SELECT count(*) FROM pg_trigger WHERE tgname IN ('{TABLE}_no_change', "
        f"'{TABLE}_no_truncate') AND tgrelid = '{TABLE}'::regclass"
    ).scalar_one()
    if present == 2:
        return
    conn.exec_driver_sql(
        f"CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RAISE EXCEPTION 'the audit chain is append-only'; END $$"
    )
    for name, when in (("no_change", "UPDATE OR DELETE ON {t} FOR EACH ROW"),
                       ("no_truncate", "TRUNCATE ON {t} FOR EACH STATEMENT")):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {TABLE}_{name} ON {TABLE}")
        conn.exec_driver_sql(f"CREATE TRIGGER {TABLE}_{name} BEFORE {when.format(t=TABLE)} "
                             f"EXECUTE FUNCTION {TABLE}_append_only()")


@dataclass(frozen=True)
class Dialect:
    """How one database serialises appends and refuses updates and deletes."""

    serialise_appends: Callable[[Connection], None]
    install_guard: Callable[[Connection], None]


DIALECTS: dict[str, Dialect] = {
    "sqlite": Dialect(_no_lock, _guard_sqlite),
    "postgresql": Dialect(_lock_table, _guard_postgres),
}
