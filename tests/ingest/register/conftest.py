"""Fixtures: every register contract test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.register import Register
from ingest.register.engine import open_engine
from tests.ingest.register.postgres_server import PostgresServer, running_postgres

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.slow),
]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL cluster for the session; fails (never skips) if it cannot start."""
    with running_postgres() as server:
        yield server


@pytest.fixture(params=BACKENDS)
def register_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty register database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'register' / 'register.sqlite'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    with server.database() as url:
        yield url


@pytest.fixture
def register(register_url: str) -> Iterator[Register]:
    """A register with its schema, closed after the test."""
    reg = Register(open_engine(register_url), "Asia/Ho_Chi_Minh")
    reg.create_schema()
    yield reg
    reg.close()
