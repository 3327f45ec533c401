"""What every part of the register shares: the engine, the clock, the time zone.

``RegisterDatabase`` opens read and write transactions (a write transaction
on SQLite is ``BEGIN IMMEDIATE``, see ``ingest.register.engine``); the parts
of the register (ledger, numbering, look-ups, index state, the book...) are
built on it and ``ingest.register.register.Register`` puts them together.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, Engine

from ingest.register.engine import WRITE_OPTION
from ingest.review import REVIEW_CONFIDENCE
from kernel.errors import ConfigError
from kernel.model import BOOKS, DIRECTIONS

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

# The supported databases; each has an INSERT that knows ON CONFLICT DO NOTHING.
DIALECTS = ("sqlite", "postgresql")

# Rows read or written per statement when a call is about many documents.
CHUNK = 500

Clock = Callable[[], datetime]


def dialect_insert(dialect: str) -> Callable[..., Any]:
    """The INSERT of ``dialect`` (imported on first use: PostgreSQL's dialect is 30 ms of
    CPU that a run on SQLite need not spend), for the counter row."""
    insert: Callable[..., Any] = importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert
    return insert


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime, what: str) -> datetime:
    """``moment``, refused if naive: it would silently take the machine's zone, maybe the
    wrong year."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {moment.isoformat()}")
    return moment


def check_direction(direction: str) -> None:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")


def check_book(book: str) -> None:
    if book not in BOOKS:
        raise ValueError(f"book must be one of {BOOKS}, not {book!r}")


def chunks(values: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """``values`` in slices of ``size``: IN lists stay under the backends' limits."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


class RegisterDatabase:
    """The register database, on SQLite or PostgreSQL through SQLAlchemy Core."""

    def __init__(
        self,
        engine: Engine,
        timezone: str | ZoneInfo = DEFAULT_TIMEZONE,
        *,
        clock: Clock = utcnow,
        review_confidence: float = REVIEW_CONFIDENCE,
    ) -> None:
        if engine.dialect.name not in DIALECTS:
            raise ConfigError(f"register backend {engine.dialect.name!r} is not supported")
        try:
            self.tz = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"unknown time zone {timezone!r}") from exc
        self.engine = engine
        self._writer = engine.execution_options(**{WRITE_OPTION: True})
        self._clock = clock
        self.review_confidence = review_confidence

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._writer.begin() as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def _now(self, at: datetime | None, what: str) -> datetime:
        """``at`` (checked), or the register clock's now."""
        return aware(at or self._clock(), what)

    def year_of(self, moment: datetime) -> int:
        """The calendar year of ``moment`` in the register's time zone."""
        return moment.astimezone(self.tz).year
