"""The audit chain on the register's database, SQLite and a real PostgreSQL.

Tampering is done as someone with the database's owner rights would do it:
drop the append-only triggers, then change rows by raw SQL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    inspect,
    text,
)
from sqlalchemy.exc import DBAPIError

from ingest.audit import GENESIS, AuditFilter, AuditLog, BreakKind, entry_hash
from ingest.register.engine import open_engine

DROP_GUARD = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_chain_no_update",
               "DROP TRIGGER IF EXISTS audit_chain_no_delete"],
    "postgresql": ["DROP TRIGGER IF EXISTS audit_chain_no_change ON audit_chain"],
}


@pytest.fixture
def engine(register_url: str) -> Iterator[Engine]:
    engine = open_engine(register_url)
    yield engine
    engine.dispose()


@pytest.fixture
def chain(engine: Engine) -> AuditLog:
    log = AuditLog(engine)
    log.create_schema()
    for number in range(1, 6):
        log.append(f"user{number}", "view", f"{number:016x}", f"chi tiết {number} — MẬT")
    return log


def tamper(engine: Engine, *statements: str, **values: object) -> None:
    with engine.begin() as conn:
        for guard in DROP_GUARD[engine.dialect.name]:
            conn.exec_driver_sql(guard)
        for statement in statements:
            conn.execute(text(statement), values)


def test_appended_entries_link_and_verify(chain: AuditLog) -> None:
    entries = list(reversed(chain.entries(limit=10)))
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == GENESIS
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.entry_hash
    report = chain.verify()
    assert report.ok and report.count == 5
    assert (report.head_seq, report.head_hash) == (5, entries[-1].entry_hash)
    assert chain.verify(anchor=(3, entries[2].entry_hash)).ok


def test_the_database_refuses_updates_and_deletes(chain: AuditLog) -> None:
    for statement in ("UPDATE audit_chain SET detail = 'x' WHERE seq = 2",
                      "DELETE FROM audit_chain WHERE seq = 2"):
        with pytest.raises(DBAPIError), chain.engine.begin() as conn:
            conn.execute(text(statement))
    assert chain.verify().ok


def test_an_edited_row_is_found(chain: AuditLog, engine: Engine) -> None:
    tamper(engine, "UPDATE audit_chain SET username = 'someone' WHERE seq = 3")
    report = chain.verify()
    assert not report.ok and report.broken is not None
    assert (report.broken.seq, report.broken.kind) == (3, BreakKind.EDITED)
    assert report.count == 2
    assert report.broken.describe().startswith("#3: its content")
    assert "bị sửa" in report.broken.describe("vi")


def test_an_edited_row_with_its_hash_recomputed_breaks_the_next_link(
    chain: AuditLog, engine: Engine
) -> None:
    third = next(e for e in chain.entries() if e.seq == 3)
    forged = entry_hash(3, third.at, third.username, third.action, third.doc_id, "nothing",
                        third.prev_hash)
    tamper(engine, "UPDATE audit_chain SET detail = 'nothing', entry_hash = :h WHERE seq = 3",
           h=forged)
    broken = chain.verify().broken
    assert broken is not None and (broken.seq, broken.kind) == (4, BreakKind.RELINKED)


def test_a_deleted_row_is_found(chain: AuditLog, engine: Engine) -> None:
    tamper(engine, "DELETE FROM audit_chain WHERE seq = 3")
    broken = chain.verify().broken
    assert broken is not None and (broken.seq, broken.kind) == (4, BreakKind.MISSING)
    assert "#3" in broken.describe()


@pytest.mark.parametrize("seq, prev_of, kind", [
    (6, 4, BreakKind.RELINKED),  # a well-formed entry hung on an older one: a fork
    (0, None, BreakKind.OUT_OF_SEQUENCE),  # slipped in before the first entry
])
def test_an_inserted_row_is_found(chain: AuditLog, engine: Engine, seq: int,
                                  prev_of: int | None, kind: BreakKind) -> None:
    hashes = {e.seq: e.entry_hash for e in chain.entries()}
    prev = hashes[prev_of] if prev_of else GENESIS
    at = datetime.now(UTC)
    digest = entry_hash(seq, at, "intruder", "view", None, "", prev)
    tamper(engine, "INSERT INTO audit_chain (seq, at, username, action, doc_id, detail, "
           "prev_hash, entry_hash) VALUES (:seq, :at, 'intruder', 'view', NULL, '', :prev, :h)",
           seq=seq, at=at.replace(tzinfo=None), prev=prev, h=digest)
    broken = chain.verify().broken
    assert broken is not None and (broken.seq, broken.kind) == (seq, kind)


def test_entries_cut_off_the_end_are_found_with_a_recorded_head(chain: AuditLog,
                                                                engine: Engine) -> None:
    head = chain.verify()
    tamper(engine, "DELETE FROM audit_chain WHERE seq >= 4")
    assert chain.verify().ok  # the chain alone cannot tell
    broken = chain.verify(anchor=(head.head_seq, head.head_hash)).broken
    assert broken is not None and broken.kind is BreakKind.TRUNCATED
    other = chain.verify(anchor=(2, "f" * 64)).broken
    assert other is not None and other.kind is BreakKind.ANCHOR_MISMATCH


def test_concurrent_writers_keep_one_line(chain: AuditLog, register_url: str) -> None:
    writers, each = 4, 15
    errors: list[BaseException] = []

    def write(number: int) -> None:
        engine = open_engine(register_url)  # each writer its own pool, as processes would
        try:
            log = AuditLog(engine)
            for i in range(each):
                log.append(f"writer{number}", "download", None, str(i))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = chain.verify()
    assert report.ok and report.count == 5 + writers * each


def test_filters_and_paging_newest_first(chain: AuditLog) -> None:
    assert [e.seq for e in chain.entries(limit=2)] == [5, 4]
    assert [e.seq for e in chain.entries(offset=2, limit=2)] == [3, 2]
    assert chain.count(AuditFilter(username="user2")) == 1
    assert [e.seq for e in chain.entries(AuditFilter(doc_id=f"{4:016x}"))] == [4]
    now = datetime.now(UTC)
    assert chain.count(AuditFilter(since=now - timedelta(hours=1), until=now + timedelta(
        seconds=5))) == 5
    assert chain.count(AuditFilter(since=now + timedelta(hours=1))) == 0
    assert chain.count(AuditFilter(action="download")) == 0
    assert [e.seq for e in chain.iter_entries(batch=2)] == [5, 4, 3, 2, 1]
    assert [e.seq for e in chain.iter_entries(AuditFilter(username="user1"), batch=1)] == [1]


def test_an_old_unchained_table_is_chained_once_on_upgrade(engine: Engine) -> None:
    legacy = Table(  # the web service's audit table before the chain
        "web_audit_log", MetaData(),
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False, index=True),
        Column("username", String(64), nullable=False),
        Column("action", String(32), nullable=False),
        Column("doc_id", String(16), nullable=True),
        Column("detail", String(512), nullable=False, default=""),
    )
    legacy.create(engine)
    first = datetime(2025, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(insert(legacy), [
            {"at": first + timedelta(minutes=i), "username": "lan", "action": "download",
             "doc_id": f"{i:016x}", "detail": f"tệp {i}.pdf"} for i in range(3)
        ])
    log = AuditLog(engine)
    log.create_schema(legacy_table="web_audit_log")
    log.create_schema(legacy_table="web_audit_log")  # a second start changes nothing
    assert not inspect(engine).has_table("web_audit_log")
    entries = list(reversed(log.entries()))
    assert [e.action for e in entries] == ["download"] * 3 + ["chain_upgrade"]
    assert entries[0].at == first and entries[2].detail == "tệp 2.pdf"
    assert "3 entries" in entries[3].detail
    log.append("lan", "view", "0" * 16)
    report = log.verify()
    assert report.ok and report.count == 5
