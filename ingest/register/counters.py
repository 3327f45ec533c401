"""The number series: one counter per (year, direction, book), inside the caller's transaction.

Numbers run from 1 per calendar year, direction and book (ordinary or
secret).  A number is taken by ``UPDATE counters SET last = last + n ...
RETURNING last`` in the transaction that inserts the document rows, so a
rollback gives it back and concurrent writers queue on the counter row
(PostgreSQL row lock, SQLite ``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

from sqlalchemy import Connection, update

from ingest.register.database import dialect_insert
from ingest.register.schema import counters
from kernel.model import Registration


def _ensure_counter(conn: Connection, year: int, direction: str, book: str) -> None:
    insert = dialect_insert(conn.dialect.name)
    conn.execute(
        insert(counters)
        .values(year=year, direction=direction, book=book, last=0)
        .on_conflict_do_nothing(index_elements=["year", "direction", "book"])
    )


def take_numbers(conn: Connection, year: int, direction: str, book: str, count: int) -> int:
    """Take the next ``count`` numbers of the series; returns the last one taken."""
    _ensure_counter(conn, year, direction, book)
    bump = (
        update(counters)
        .where(counters.c.year == year, counters.c.direction == direction,
               counters.c.book == book)
        .values(last=counters.c.last + count)
        .returning(counters.c.last)
    )
    return int(conn.execute(bump).scalar_one())


def raise_counter(conn: Connection, registration: Registration, direction: str) -> None:
    """Make sure the counter is at least ``registration``'s number (after restoring)."""
    year, book = registration.year, registration.book
    _ensure_counter(conn, year, direction, book)
    conn.execute(
        update(counters)
        .where(
            counters.c.year == year,
            counters.c.direction == direction,
            counters.c.book == book,
            counters.c.last < registration.number,
        )
        .values(last=registration.number)
    )
