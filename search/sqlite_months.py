"""Monthly counts kept up to date on write: a year of figures without a scan.

The reports page and the monthly report ask how many documents came in and
went out each month, perhaps of one type, up to the user's clearance.  Counted
from ``docs`` that walks every document of the period: a third of a second for
a year at a million documents, more for the whole archive.  The table
``month_counts`` holds, per month received (the office's wall clock, as
``docs.received_at``), direction, type and secrecy rank, how many documents
there are; writes update it in the same transaction as ``docs``.  A monthly
figure filtered by direction, type and whole months is then a sum over a few
hundred rows, exact, and follows the user's clearance (ranks up to theirs).
Any other filter counts from ``docs`` as before.

A missing direction or type (NULL) is kept as ``""``, as the facet counts do.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from search.model import MonthlyCount, SearchFilters
from search.sqlite_counts import add_counts
from search.sqlite_filters import day_after

TABLE = "month_counts"
# (month "YYYY-MM", direction, doc_type, secrecy) of one document.
MonthRow = tuple[str, Any, Any, int]


def table_sql(prefix: str) -> str:
    return f"""CREATE TABLE IF NOT EXISTS {prefix}{TABLE} (
        month TEXT NOT NULL, direction TEXT NOT NULL, doc_type TEXT NOT NULL,
        secrecy INTEGER NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (month, direction, doc_type, secrecy)) WITHOUT ROWID"""


def change_months(db: sqlite3.Connection, prefix: str, rows: Sequence[MonthRow],
                  sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) documents from their month's counts."""
    if not rows:
        return
    delta: Counter[tuple[str, str, str, int]] = Counter(
        (month, direction or "", doc_type or "", secrecy)
        for month, direction, doc_type, secrecy in rows
    )
    add_counts(db, f"{prefix}{TABLE}", ("month", "direction", "doc_type", "secrecy"), delta,
               sign)


def fill_months(db: sqlite3.Connection) -> None:
    """Count every document of ``docs`` afresh (an index of an older version)."""
    db.execute(f"DELETE FROM {TABLE}")
    db.execute(
        f"""INSERT INTO {TABLE} (month, direction, doc_type, secrecy, n)
            SELECT substr(received_at, 1, 7), coalesce(direction, ''), coalesce(doc_type, ''),
                   secrecy, count(*)
            FROM docs GROUP BY 1, 2, 3, 4"""
    )


def _whole_months(low: date | None, high: date | None) -> tuple[str, str] | None:
    """The months ``low``..``high`` span when they start and end on a month's bounds."""
    if low is not None and low.day != 1:
        return None
    if high is not None and day_after(high).day != 1:
        return None
    return (low.isoformat()[:7] if low else "", high.isoformat()[:7] if high else "9999-99")


def kept_months(db: sqlite3.Connection, filters: SearchFilters) -> list[MonthlyCount] | None:
    """The monthly counts ``filters`` ask for, from the kept table; None when it cannot
    answer (a filter other than direction, type and whole months of receipt)."""
    others = (filters.issuing_body, filters.language, filters.folder, filters.reference,
              filters.doc_ids, filters.issued_from, filters.issued_to)
    if any(value is not None for value in others) or "" in (filters.direction,
                                                            filters.doc_type):
        return None
    months = _whole_months(filters.received_from, filters.received_to)
    if months is None:
        return None
    clauses, params = ["month >= ?", "month <= ?", "secrecy <= ?"], [*months,
                                                                     filters.max_secrecy]
    for column in ("direction", "doc_type"):
        value = getattr(filters, column)
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    rows = db.execute(
        f"""SELECT month, direction, sum(n) FROM {TABLE} WHERE {" AND ".join(clauses)}
            GROUP BY month, direction HAVING sum(n) > 0 ORDER BY month, direction""",
        params,
    ).fetchall()
    return [MonthlyCount(month=m, direction=d, count=int(c)) for m, d, c in rows]
