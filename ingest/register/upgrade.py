"""Bringing a register database created by an older Docket up to today's schema.

The first upgrade adds the secret book: ``documents`` gains ``book`` and
``secrecy`` and its number is unique per (year, direction, book); ``counters``
is keyed by (year, direction, book).  A UNIQUE constraint cannot be dropped in
SQLite, so both tables are rebuilt the way SQLite's manual recommends (new
table, copy, drop, rename); the same steps run on PostgreSQL, so both
backends take one tested path.  Every existing row lands in the ordinary book
with secrecy 0: the register never knew the marks.  ``docket secrecy
--separate-existing`` then moves documents whose records are marked secret.
The second adds the review flag (``needs_review``, ``review_fields``) in
place; ``docket reindex`` fills it in from the records.  Document tracking
(``assignments``, ``assignment_history``) only adds tables, which
``metadata.create_all`` makes after the upgrade: nothing here to do for it.

Runs inside ``Register.create_schema``'s transaction (under its lock), so a
failed upgrade leaves the old tables as they were and concurrent workers
upgrade once.
"""

from __future__ import annotations

from sqlalchemy import Connection, MetaData, Table, inspect
from sqlalchemy.schema import CreateTable

from ingest.register.schema import counters, documents

# Tables rebuilt when they lack the marker column, in this order.
_REBUILT: tuple[tuple[Table, str], ...] = ((documents, "book"), (counters, "book"))


# Columns added to a table later, added in place (``ALTER TABLE ... ADD
# COLUMN``) with their index.  Old rows take the default ("nothing to review");
# ``docket reindex`` then works the review flags out from the records.
_ADDED: tuple[tuple[Table, tuple[str, ...], str], ...] = (
    (documents, ("needs_review", "review_fields"), "ix_documents_review"),
)


def upgrade_schema(conn: Connection) -> list[str]:
    """Upgrade the register's tables in place; returns the names of the tables changed."""
    changed = _rebuild_old_tables(conn)
    for name in _add_columns(conn):
        if name not in changed:
            changed.append(name)
    return changed


def _add_columns(conn: Connection) -> list[str]:
    changed: list[str] = []
    preparer = conn.dialect.identifier_preparer
    for table, names, index_name in _ADDED:
        inspector = inspect(conn)
        if not inspector.has_table(table.name):
            continue
        present = {c["name"] for c in inspector.get_columns(table.name)}
        missing = [n for n in names if n not in present]
        for name in missing:
            column = table.c[name]
            ddl = column.type.compile(dialect=conn.dialect)
            if column.server_default is not None:
                ddl += f" DEFAULT {column.server_default.arg}"  # type: ignore[attr-defined]
            if not column.nullable:
                ddl += " NOT NULL"
            conn.exec_driver_sql(f"ALTER TABLE {preparer.quote(table.name)} ADD COLUMN "
                                 f"{preparer.quote(name)} {ddl}")
        if missing:
            changed.append(table.name)
        if index_name not in {i["name"] for i in inspect(conn).get_indexes(table.name)}:
            next(i for i in table.indexes if i.name == index_name).create(conn)
    return changed


def _rebuild_old_tables(conn: Connection) -> list[str]:
    rebuilt = []
    for table, marker in _REBUILT:
        inspector = inspect(conn)
        if not inspector.has_table(table.name):
            continue  # a new database: create_all makes it
        columns = [c["name"] for c in inspector.get_columns(table.name)]
        if marker in columns:
            continue
        _rebuild(conn, table, columns)
        rebuilt.append(table.name)
    return rebuilt


def _rebuild(conn: Connection, table: Table, old_columns: list[str]) -> None:
    """Copy ``table`` into a new table of today's shape, then put it in its place.

    Columns the old table lacks take their server defaults.  The new table is
    created without its indexes (their names are still taken by the old
    table's); they are created once the old table is gone.
    """
    preparer = conn.dialect.identifier_preparer
    temporary = table.to_metadata(MetaData(), name=f"{table.name}_upgrade")
    conn.execute(CreateTable(temporary))
    names = ", ".join(preparer.quote(c) for c in old_columns)
    old, new = preparer.quote(table.name), preparer.quote(temporary.name)
    conn.exec_driver_sql(f"INSERT INTO {new} ({names}) SELECT {names} FROM {old}")
    conn.exec_driver_sql(f"DROP TABLE {old}")
    conn.exec_driver_sql(f"ALTER TABLE {new} RENAME TO {old}")
    for index in table.indexes:
        index.create(conn)
