"""The audit chain: an append-only log in the register's database, each entry hash-linked.

Every entry stores the hash of the entry before it and its own hash, SHA-256
over a canonical serialisation of its content (sequence number, time in UTC,
user, action, document, detail, previous hash).  Editing a row breaks its own
hash; deleting or inserting one breaks the sequence or the link of the next;
``verify`` walks the chain and names the first entry that does not hold.

The code has no update or delete path, and the database refuses both (a
trigger on each backend), so only someone who drops the trigger can tamper;
the chain is what then shows it.  What the chain alone cannot show is the
last entries cut off, or the whole chain rewritten from some point by someone
who knows the algorithm: record the head (``docket audit verify`` prints it)
somewhere else and check it later with ``verify(anchor=...)``.

Appends are serialised so the chain stays one line under concurrent writers:
SQLite writes in ``BEGIN IMMEDIATE`` transactions (one writer at a time);
PostgreSQL takes a table lock that conflicts only with other writers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    Row,
    Select,
    String,
    Table,
    func,
    insert,
    inspect,
    select,
)

from ingest.audit_dialects import DIALECTS, TABLE, Dialect
from ingest.register.engine import WRITE_OPTION, unavailable_on_db_errors
from ingest.register.schema import UTCDateTime
from kernel.errors import ConfigError
from kernel.i18n import translate

GENESIS = "0" * 64  # the "previous hash" of entry 1
MAX_USERNAME, MAX_ACTION, MAX_DOC_ID, MAX_DETAIL = 64, 32, 64, 512


class AuditAction(StrEnum):
    """What the web service and the command line write; other names are accepted too."""

    VIEW = "view"
    DOWNLOAD = "download"
    EXPORT = "export"
    UPLOAD = "upload"
    CORRECT = "correct"
    SECRECY = "secrecy"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    CHAIN_UPGRADE = "chain_upgrade"


metadata = MetaData()

audit_chain = Table(
    TABLE,
    metadata,
    # The sequence number is the key: two writers that ever raced would collide
    # here instead of forking the chain.
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("username", String(MAX_USERNAME), nullable=False, index=True),
    Column("action", String(MAX_ACTION), nullable=False),
    Column("doc_id", String(MAX_DOC_ID), nullable=True, index=True),
    Column("detail", String(MAX_DETAIL), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    username: str
    action: str
    doc_id: str | None
    detail: str
    prev_hash: str
    entry_hash: str


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to list; ``since`` is inclusive, ``until`` exclusive (aware datetimes)."""

    username: str | None = None
    doc_id: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


class BreakKind(StrEnum):
    EDITED = "edited"  # content no longer matches the entry's own hash
    MISSING = "missing"  # sequence numbers skipped: entries deleted
    RELINKED = "relinked"  # previous-hash is not the hash of the entry before
    OUT_OF_SEQUENCE = "out_of_sequence"  # a number that cannot follow the one before
    TRUNCATED = "truncated"  # the anchor's entry is gone: the end was cut off
    ANCHOR_MISMATCH = "anchor_mismatch"  # the anchor's entry has another hash now


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    kind: BreakKind
    expected: str = ""
    found: str = ""

    def reason(self, language: str = "en") -> str:
        """Why this entry breaks the chain, in ``language`` ("vi" or "en")."""
        return translate(f"audit_break_{self.kind.value}", language, seq=self.seq,
                         expected=self.expected[:16], found=self.found[:16],
                         before=self.seq - 1)

    def describe(self, language: str = "en") -> str:
        """Which entry and why, on one line."""
        return f"#{self.seq}: {self.reason(language)}"


@dataclass(frozen=True)
class ChainReport:
    count: int
    head_seq: int
    head_hash: str
    broken: ChainBreak | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def canonical_time(at: datetime) -> str:
    """``at`` in UTC, ISO 8601 with microseconds (naive values are taken as UTC)."""
    aware = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return aware.isoformat(timespec="microseconds")


def entry_hash(seq: int, at: datetime, username: str, action: str, doc_id: str | None,
               detail: str, prev_hash: str) -> str:
    """SHA-256 (hex) of the entry's canonical JSON: sorted keys, no spaces, UTF-8."""
    content = {"seq": seq, "at": canonical_time(at), "user": username, "action": action,
               "doc_id": doc_id, "detail": detail, "prev": prev_hash}
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _clean(value: str, limit: int) -> str:
    # PostgreSQL cannot store NUL in text; the hash covers what is stored, so
    # cut and clean before hashing.
    return value.replace("\x00", "")[:limit]


class AuditLog:
    """The audit chain on one database (the register's engine)."""

    def __init__(self, engine: Engine) -> None:
        dialect = DIALECTS.get(engine.dialect.name)
        if dialect is None:
            raise ConfigError(f"the audit chain supports SQLite and PostgreSQL, "
                              f"not {engine.dialect.name}")
        self.engine = engine
        self._dialect: Dialect = dialect

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        options = {WRITE_OPTION: True}
        with self.engine.connect().execution_options(**options) as conn, conn.begin():
            self._dialect.serialise_appends(conn)
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def create_schema(self, legacy_table: str | None = None) -> None:
        """Create the chain and its append-only guard; chain ``legacy_table`` once if present.

        An old, unchained audit table is copied into the chain in its own order
        (keeping each row's time), followed by a ``chain_upgrade`` entry that
        says how many entries were written before the chain existed; the old
        table is then dropped, all in one transaction.
        """
        with unavailable_on_db_errors("creating the audit chain"):
            metadata.create_all(self.engine)
            with self.engine.begin() as conn:
                self._dialect.install_guard(conn)
            if legacy_table and inspect(self.engine).has_table(legacy_table):
                self._chain_legacy(legacy_table)

    def _chain_legacy(self, legacy_table: str) -> None:
        with self._write() as conn:
            # Checked again under the lock: another process may have done it.
            if not inspect(conn).has_table(legacy_table):
                return
            old = Table(legacy_table, MetaData(), autoload_with=conn)
            rows = conn.execute(select(old).order_by(old.c.id)).all()
            for row in rows:
                self._append(conn, row.username, row.action, row.doc_id, row.detail or "",
                             row.at)
            self._append(conn, "docket", AuditAction.CHAIN_UPGRADE, None,
                         f"{len(rows)} entries written before the chain existed were "
                         f"chained on upgrade from {legacy_table}", datetime.now(UTC))
            old.drop(conn)

    # -- writing ----------------------------------------------------------------

    def append(self, username: str, action: str, doc_id: str | None = None,
               detail: str = "") -> AuditEntry:
        """Add one entry at the end of the chain and return it."""
        with unavailable_on_db_errors("writing the audit log"), self._write() as conn:
            return self._append(conn, username, action, doc_id, detail, datetime.now(UTC))

    def _append(self, conn: Connection, username: str, action: str, doc_id: str | None,
                detail: str, at: datetime) -> AuditEntry:
        last = conn.execute(
            select(audit_chain.c.seq, audit_chain.c.entry_hash)
            .order_by(audit_chain.c.seq.desc()).limit(1)
        ).first()
        seq, prev = (last.seq + 1, last.entry_hash) if last is not None else (1, GENESIS)
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
        username = _clean(username, MAX_USERNAME)
        action = _clean(str(action), MAX_ACTION)
        doc_id = _clean(doc_id, MAX_DOC_ID) if doc_id is not None else None
        detail = _clean(detail, MAX_DETAIL)
        digest = entry_hash(seq, at, username, action, doc_id, detail, prev)
        entry = AuditEntry(seq, at, username, action, doc_id, detail, prev, digest)
        conn.execute(insert(audit_chain), {
            "seq": seq, "at": at, "username": username, "action": action, "doc_id": doc_id,
            "detail": detail, "prev_hash": prev, "entry_hash": digest,
        })
        return entry

    # -- reading ----------------------------------------------------------------

    def entries(self, wanted: AuditFilter | None = None, *, offset: int = 0,
                limit: int = 50) -> list[AuditEntry]:
        """One page of the entries ``wanted`` selects, newest first."""
        query = _filtered(select(audit_chain), wanted or AuditFilter())
        query = query.order_by(audit_chain.c.seq.desc()).offset(offset).limit(limit)
        with unavailable_on_db_errors("reading the audit log"), self._read() as conn:
            return [_entry(row) for row in conn.execute(query)]

    def iter_entries(self, wanted: AuditFilter | None = None, *,
                     batch: int = 1000) -> Iterator[AuditEntry]:
        """Every entry ``wanted`` selects, newest first, read ``batch`` at a time.

        Batches continue below the last sequence number seen, so entries
        appended meanwhile neither repeat nor shift the walk.
        """
        below: int | None = None
        while True:
            query = _filtered(select(audit_chain), wanted or AuditFilter())
            if below is not None:
                query = query.where(audit_chain.c.seq < below)
            query = query.order_by(audit_chain.c.seq.desc()).limit(batch)
            with unavailable_on_db_errors("reading the audit log"), self._read() as conn:
                found = [_entry(row) for row in conn.execute(query)]
            yield from found
            if len(found) < batch:
                return
            below = found[-1].seq

    def count(self, wanted: AuditFilter | None = None) -> int:
        query = _filtered(select(func.count()).select_from(audit_chain), wanted or AuditFilter())
        with unavailable_on_db_errors("counting the audit log"), self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def head(self) -> AuditEntry | None:
        """The last entry, or None for an empty chain."""
        found = self.entries(limit=1)
        return found[0] if found else None

    # -- checking ---------------------------------------------------------------

    def verify(self, anchor: tuple[int, str] | None = None) -> ChainReport:
        """Walk the whole chain from entry 1; report the first entry that does not hold.

        ``anchor`` is a (sequence number, hash) recorded earlier (a head that
        ``verify`` printed): the entry must still be there with that hash,
        which is how entries cut off the end are found.
        """
        count, prev_seq, prev_hash = 0, 0, GENESIS
        anchor_seen = anchor is None
        query = select(audit_chain).order_by(audit_chain.c.seq)
        with unavailable_on_db_errors("verifying the audit log"), self._read() as conn:
            for row in conn.execution_options(yield_per=1000).execute(query):
                broken = _check(row, prev_seq, prev_hash)
                if broken is None and anchor is not None and row.seq == anchor[0]:
                    anchor_seen = True
                    if row.entry_hash != anchor[1]:
                        broken = ChainBreak(row.seq, BreakKind.ANCHOR_MISMATCH,
                                            expected=anchor[1], found=row.entry_hash)
                if broken is not None:
                    return ChainReport(count, prev_seq, prev_hash, broken)
                count, prev_seq, prev_hash = count + 1, row.seq, row.entry_hash
        if not anchor_seen and anchor is not None:
            cut = ChainBreak(anchor[0], BreakKind.TRUNCATED, found=str(prev_seq))
            return ChainReport(count, prev_seq, prev_hash, cut)
        return ChainReport(count, prev_seq, prev_hash)


def _check(row: Row[Any], prev_seq: int, prev_hash: str) -> ChainBreak | None:
    """Why ``row`` cannot follow entry ``prev_seq`` (hash ``prev_hash``), or None."""
    seq: int = row.seq
    if seq > prev_seq + 1:
        return ChainBreak(seq, BreakKind.MISSING, expected=str(prev_seq + 1))
    if seq != prev_seq + 1:
        return ChainBreak(seq, BreakKind.OUT_OF_SEQUENCE, expected=str(prev_seq))
    entry = _entry(row)
    if entry.prev_hash != prev_hash:
        return ChainBreak(seq, BreakKind.RELINKED, expected=prev_hash, found=entry.prev_hash)
    recomputed = entry_hash(entry.seq, entry.at, entry.username, entry.action, entry.doc_id,
                            entry.detail, entry.prev_hash)
    if recomputed != entry.entry_hash:
        return ChainBreak(seq, BreakKind.EDITED, expected=recomputed, found=entry.entry_hash)
    return None


def _entry(row: Row[Any]) -> AuditEntry:
    return AuditEntry(row.seq, row.at, row.username, row.action, row.doc_id, row.detail,
                      row.prev_hash, row.entry_hash)


def _filtered(query: Select[Any], wanted: AuditFilter) -> Select[Any]:
    c = audit_chain.c
    if wanted.username:
        query = query.where(c.username == wanted.username)
    if wanted.doc_id:
        query = query.where(c.doc_id == wanted.doc_id)
    if wanted.action:
        query = query.where(c.action == wanted.action)
    if wanted.since is not None:
        query = query.where(c.at >= wanted.since)
    if wanted.until is not None:
        query = query.where(c.at < wanted.until)
    return query


__all__ = ["AuditAction", "AuditEntry", "AuditFilter", "AuditLog", "BreakKind", "ChainBreak",
           "ChainReport", "GENESIS", "entry_hash"]
