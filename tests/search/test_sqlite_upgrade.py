"""Opening an index file of an older version: brought up to date once, and a second
process opening it meanwhile waits for that rather than fail."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from search.model import SearchQuery
from search.sqlite_index import SqliteIndex
from search.sqlite_schema import SCHEMA_VERSION
from tests.search.contract import CORPUS, OPEN


def _version_5(path: Path) -> None:
    index = SqliteIndex(path)
    index.index_documents(CORPUS)
    index.close()
    with sqlite3.connect(path) as old:  # as version 5 left it: no facet numbers
        old.executescript("DROP TABLE facet_sets; DROP TABLE facet_blocks;"
                          " PRAGMA user_version = 5;")


def test_a_second_opener_waits_for_an_upgrade_longer_than_a_write_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import search.sqlite_index

    monkeypatch.setattr(search.sqlite_index, "LOCK_WAIT_SECONDS", 0.2)
    path = tmp_path / "index.sqlite"
    _version_5(path)
    # Another process's upgrade holds the write lock for longer than a write waits.
    upgrading = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    upgrading.execute("BEGIN IMMEDIATE")
    locked_at = time.monotonic()

    def finish_upgrade() -> None:
        time.sleep(1.0)
        upgrading.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        upgrading.execute("ROLLBACK")  # as if it had finished: this opener still upgrades

    other = threading.Thread(target=finish_upgrade)
    other.start()
    opened = SqliteIndex(path)  # waits, then finds the file still at version 5
    other.join()
    assert time.monotonic() - locked_at >= 1.0
    assert opened.search(SearchQuery(text="tỉnh", filters=OPEN)).total > 0
    # Back to the short wait of a write once open.
    assert opened._db.execute("PRAGMA busy_timeout").fetchone()[0] == 200
    opened.close()
    upgrading.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
