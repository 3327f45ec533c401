"""Opening the register from settings, and its failures as Docket's errors."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.register import Register
from ingest.register.engine import open_engine
from kernel.errors import ConfigError, RegisterUnavailable, is_retryable
from kernel.settings import Settings
from tests.ingest.register.postgres_server import PostgresServer
from tests.ingest.register.records import make_record


def test_from_settings_creates_the_sqlite_file_in_wal_mode(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path, data_dir=Path("var/deep"))
    register = Register.from_settings(settings)
    try:
        result = register.register_document(make_record("a"))
        assert result.number == 1
        assert result.year == datetime.now(UTC).astimezone(register.tz).year
    finally:
        register.close()
    database = tmp_path / "var" / "deep" / "register.sqlite"
    assert database.is_file()
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # Reopening finds the same register.
    again = Register.from_settings(settings)
    try:
        assert again.find_by_sha256(make_record("a").sha256) is not None
    finally:
        again.close()


def test_from_settings_on_postgresql(postgres_server: PostgresServer, tmp_path: Path) -> None:
    with postgres_server.database() as url:
        settings = Settings(root=tmp_path, register="postgresql", register_url=url,
                            timezone="Asia/Ho_Chi_Minh")
        register = Register.from_settings(settings)
        try:
            assert register.register_document(make_record("pg")).number == 1
        finally:
            register.close()


def test_sqlite_locked_beyond_the_timeout_is_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    register = Register(open_engine(f"sqlite:///{path}", busy_timeout=0.2))
    register.create_schema()
    blocker = sqlite3.connect(path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # another worker holds the write lock
        with pytest.raises(RegisterUnavailable) as caught:
            register.register_document(make_record("waits"))
        assert is_retryable(caught.value)
        # Reading still works while a writer holds the lock (WAL).
        assert register.pending_index() == []
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert register.register_document(make_record("waits")).number == 1
    register.close()


def test_postgresql_server_down_is_unavailable(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://docket@/docket?host={tmp_path}&port=1"
    register = Register(open_engine(url, busy_timeout=1))
    with pytest.raises(RegisterUnavailable):
        register.create_schema()
    with pytest.raises(RegisterUnavailable):
        register.register_document(make_record("nowhere"))
    register.close()


def test_unknown_time_zone_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        Register(open_engine(f"sqlite:///{tmp_path / 'r.sqlite'}"), "Asia/Nowhere")


def test_naive_registration_time_is_refused(tmp_path: Path) -> None:
    register = Register(open_engine(f"sqlite:///{tmp_path / 'r.sqlite'}"))
    register.create_schema()
    with pytest.raises(ValueError):
        register.register_document(make_record("naive"), at=datetime(2026, 1, 1, 12))
    register.close()
