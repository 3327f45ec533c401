"""The register: Docket's ledger of files and its numbered book of documents.

Numbers (số đến for incoming, register numbers for outgoing) run from 1 per
calendar year, direction and book: documents marked MẬT, TỐI MẬT or TUYỆT MẬT
are numbered in the secret book, apart from the ordinary one, so neither
sequence shows gaps where the other's documents are.  A number is taken by
``UPDATE counters SET last = last + 1 ... RETURNING last`` in the *same*
transaction that inserts the document row, so:

- a crash or an exception before commit gives the number back (no gaps);
- concurrent workers queue on the counter row (PostgreSQL row lock, SQLite
  ``BEGIN IMMEDIATE``) and never get the same number;
- registering the same bytes again returns the existing number (the sha256
  column is unique; a worker that loses that race retries and finds it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, Engine, Row, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from ingest.register.book import BookRow, book_row
from ingest.register.columns import (
    book_of,
    description_values,
    document_from_row,
    document_values,
    identifier_key,
    review_values,
)
from ingest.register.engine import WRITE_OPTION, open_engine, unavailable_on_db_errors
from ingest.register.models import (
    DocumentRef,
    LedgerEntry,
    LedgerEvent,
    RegisterConflict,
    RegisteredDocument,
    RegistrationResult,
    ReviewPage,
    SecrecyMove,
)
from ingest.register.schema import INDEX_DONE, INDEX_PENDING, counters, documents, events, metadata
from ingest.register.upgrade import upgrade_schema
from ingest.review import REVIEW_CONFIDENCE
from kernel.errors import ConfigError, NotFound, UsageError
from kernel.model import (
    BOOKS,
    DIRECTIONS,
    SECRECY_LEVELS,
    DocumentRecord,
    DuplicateEvent,
    Registration,
    book_for_secrecy,
    register_label,
)
from kernel.settings import Settings

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

# Dialect-specific INSERT that knows ON CONFLICT DO NOTHING, for the counter row.
_INSERTS: dict[str, Callable[..., Any]] = {
    "sqlite": sqlite.insert,
    "postgresql": postgresql.insert,
}

# Arbitrary constant key: serialises concurrent create_schema() on PostgreSQL.
_SCHEMA_LOCK_KEY = 0x646F636B6574  # "docket"

_REGISTER_ATTEMPTS = 3
_CHUNK = 500

Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime, what: str) -> datetime:
    # A naive time would silently take the machine's zone and maybe the wrong year.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {moment.isoformat()}")
    return moment


def _check_direction(direction: str) -> None:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")


def _check_book(book: str) -> None:
    if book not in BOOKS:
        raise ValueError(f"book must be one of {BOOKS}, not {book!r}")


class Register:
    """The register database, on SQLite or PostgreSQL through SQLAlchemy Core."""

    def __init__(
        self,
        engine: Engine,
        timezone: str | ZoneInfo = DEFAULT_TIMEZONE,
        *,
        clock: Clock = _utcnow,
        review_confidence: float = REVIEW_CONFIDENCE,
    ) -> None:
        if engine.dialect.name not in _INSERTS:
            raise ConfigError(f"register backend {engine.dialect.name!r} is not supported")
        try:
            self.tz = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"unknown time zone {timezone!r}") from exc
        self.engine = engine
        self._writer = engine.execution_options(**{WRITE_OPTION: True})
        self._insert = _INSERTS[engine.dialect.name]
        self._clock = clock
        self.review_confidence = review_confidence

    @classmethod
    def from_settings(cls, settings: Settings) -> Register:
        """The register at ``settings.register_url``, with its schema created."""
        register = cls(open_engine(settings.register_location), settings.timezone,
                       review_confidence=settings.review_confidence)
        register.create_schema()
        return register

    def create_schema(self) -> None:
        """Create the tables that are missing and upgrade older ones, in one transaction.

        Safe to call from several workers at once; a database created by an
        older Docket keeps its numbers (``ingest.register.upgrade``).
        """
        with unavailable_on_db_errors("creating the schema"), self._write() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SCHEMA_LOCK_KEY})
            upgrade_schema(conn)
            metadata.create_all(conn, checkfirst=True)

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

    def year_of(self, moment: datetime) -> int:
        """The calendar year of ``moment`` in the register's time zone."""
        return moment.astimezone(self.tz).year

    # -- the ledger --------------------------------------------------------

    def log_event(
        self,
        sha256: str,
        event: str,
        *,
        original_name: str,
        direction: str,
        folder: str = "",
        detail: dict[str, Any] | None = None,
        doc_id: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """Append one event about a file to the ledger (``event``: a ``LedgerEvent``)."""
        kind = LedgerEvent(event)
        _check_direction(direction)
        row = {
            "sha256": sha256,
            "event": kind.value,
            "original_name": original_name,
            "direction": direction,
            "folder": folder,
            "at": _aware(at or self._clock(), "event time"),
            "detail": detail,
            "doc_id": doc_id,
        }
        with unavailable_on_db_errors("logging an event"), self._write() as conn:
            conn.execute(insert(events), row)

    def events_for(self, sha256: str) -> list[LedgerEntry]:
        """Every ledger event about the file with ``sha256``, oldest first."""
        query = select(events).where(events.c.sha256 == sha256).order_by(events.c.id)
        with unavailable_on_db_errors("reading events"), self._read() as conn:
            rows = conn.execute(query).all()
        return [
            LedgerEntry.model_validate({k: v for k, v in r._mapping.items() if k != "id"})
            for r in rows
        ]

    def log_events(self, entries: Iterable[LedgerEntry]) -> None:
        """Append several ledger events in one transaction (one commit for a whole batch)."""
        rows = [self._event_row(entry) for entry in entries]
        if not rows:
            return
        with unavailable_on_db_errors("logging events"), self._write() as conn:
            conn.execute(insert(events), rows)

    @staticmethod
    def _event_row(entry: LedgerEntry) -> dict[str, Any]:
        _check_direction(entry.direction)
        return {**entry.model_dump(), "event": entry.event.value,
                "at": _aware(entry.at, "event time")}

    # -- registering -------------------------------------------------------

    def register_document(
        self,
        record: DocumentRecord,
        *,
        at: datetime | None = None,
        before_commit: Callable[[RegistrationResult], None] | None = None,
    ) -> RegistrationResult:
        """Give ``record`` its number, or return the number its bytes already have.

        ``at`` is the registration time (default: now); its year in the
        register's time zone picks the number series.  ``before_commit`` runs
        inside the transaction once the number is known, e.g. to write the
        record JSON carrying it: if it raises, nothing is registered and the
        number is not used up.
        """

        def one(results: list[RegistrationResult]) -> None:
            if before_commit is not None:
                before_commit(results[0])

        [result] = self.register_documents([record], at=at, before_commit=one)
        return result

    def register_documents(
        self,
        records: Sequence[DocumentRecord],
        *,
        at: datetime | None = None,
        before_commit: Callable[[list[RegistrationResult]], None] | None = None,
        ledger: Iterable[LedgerEntry] = (),
    ) -> list[RegistrationResult]:
        """``register_document`` for several records in one transaction, in their order.

        One commit for the whole group: every record gets its number (or the
        one its bytes have) and the ``ledger`` events are appended, or, if
        anything fails before the commit, none of it happens and no number is
        used up.  ``before_commit`` gets the results in the order of ``records``.
        """
        registered_at = _aware(at or self._clock(), "registration time")
        for record in records:
            _check_direction(record.direction)
            _aware(record.received_at, "received_at")
        event_rows = [self._event_row(entry) for entry in ledger]
        for attempt in range(1, _REGISTER_ATTEMPTS + 1):
            try:
                with unavailable_on_db_errors("registering documents"), self._write() as conn:
                    results = self._register_group(conn, records, registered_at)
                    if event_rows:
                        conn.execute(insert(events), event_rows)
                    if before_commit is not None:
                        before_commit(results)
                    return results
            except IntegrityError as exc:
                # Another worker committed the same bytes between our look-up
                # and our insert; the next attempt finds its row.
                if attempt == _REGISTER_ATTEMPTS:
                    raise RegisterConflict(f"cannot register: {exc.orig}") from exc
        raise AssertionError("unreachable")

    def _register_group(
        self, conn: Connection, records: Sequence[DocumentRecord], registered_at: datetime
    ) -> list[RegistrationResult]:
        """Number the new records of a group with a few statements, whatever its size.

        The same as registering them one by one: numbers follow the order of
        ``records`` per direction and book, bytes seen before (also earlier in the
        group) keep their number, and a record is flagged against every
        document with its identifier registered before it, the group's included.
        """
        year = self.year_of(registered_at)
        known = self._by_sha256s(conn, [r.sha256 for r in records])
        first_of: dict[str, int] = {}
        new = []
        for i, record in enumerate(records):
            if record.sha256 not in known and record.sha256 not in first_of:
                first_of[record.sha256] = i
                new.append(i)
        series = {i: (records[i].direction, book_of(records[i])) for i in new}
        counts = Counter(series.values())
        next_number = {(d, b): self._take_numbers(conn, year, d, b, n) - n + 1
                       for (d, b), n in counts.items()}
        rows = [document_values(records[i], Registration(year=year, number=0,
                                                        registered_at=registered_at,
                                                        book=series[i][1]),
                                [], INDEX_PENDING, self.review_confidence) for i in new]
        same = self._same_identifiers(
            conn, {(v["identifier_key"], v["identifier_year"]) for v in rows
                   if v["identifier_key"] is not None})
        created: dict[int, RegistrationResult] = {}
        for i, values in zip(new, rows, strict=True):
            record = records[i]
            values["reg_number"] = next_number[series[i]]
            next_number[series[i]] += 1
            flagged = list(record.possible_duplicate_of)
            if values["identifier_key"] is not None:
                earlier = same.setdefault((values["identifier_key"], values["identifier_year"]), [])
                for _at, doc_id in sorted(earlier):
                    if doc_id != record.doc_id and doc_id not in flagged:
                        flagged.append(doc_id)
                earlier.append((registered_at, record.doc_id))
            values["possible_duplicate_of"] = flagged
            created[i] = RegistrationResult(
                year=year, number=values["reg_number"], registered_at=registered_at,
                book=values["book"], doc_id=record.doc_id, possible_duplicate_of=flagged,
                created=True,
            )
        if rows:
            conn.execute(insert(documents), rows)
        results = []
        for i, record in enumerate(records):
            if i in created:
                results.append(created[i])
            elif record.sha256 in known:
                results.append(_result(known[record.sha256], created=False))
            else:  # the same bytes twice in the group: the second gets the first's number
                first = created[first_of[record.sha256]]
                results.append(first.model_copy(update={"created": False}))
        return results

    def _ensure_counter(self, conn: Connection, year: int, direction: str, book: str) -> None:
        conn.execute(
            self._insert(counters)
            .values(year=year, direction=direction, book=book, last=0)
            .on_conflict_do_nothing(index_elements=["year", "direction", "book"])
        )

    def _take_numbers(
        self, conn: Connection, year: int, direction: str, book: str, count: int
    ) -> int:
        """Take the next ``count`` numbers of the series; returns the last one taken."""
        self._ensure_counter(conn, year, direction, book)
        bump = (
            update(counters)
            .where(counters.c.year == year, counters.c.direction == direction,
                   counters.c.book == book)
            .values(last=counters.c.last + count)
            .returning(counters.c.last)
        )
        return int(conn.execute(bump).scalar_one())

    def _raise_counter(self, conn: Connection, registration: Registration, direction: str) -> None:
        """Make sure the counter is at least ``registration``'s number (after restoring)."""
        year, book = registration.year, registration.book
        self._ensure_counter(conn, year, direction, book)
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

    # -- looking documents up ----------------------------------------------

    @staticmethod
    def _by_sha256(conn: Connection, sha256: str) -> RegisteredDocument | None:
        row = conn.execute(select(documents).where(documents.c.sha256 == sha256)).first()
        return document_from_row(row) if row is not None else None

    @staticmethod
    def _by_sha256s(conn: Connection, sha256s: list[str]) -> dict[str, RegisteredDocument]:
        wanted = list(dict.fromkeys(sha256s))
        found = {}
        for start in range(0, len(wanted), _CHUNK):
            query = select(documents).where(documents.c.sha256.in_(wanted[start:start + _CHUNK]))
            for row in conn.execute(query):
                document = document_from_row(row)
                found[document.sha256] = document
        return found

    @staticmethod
    def _same_identifiers(
        conn: Connection, keys: set[tuple[str, int]]
    ) -> dict[tuple[str, int], list[tuple[datetime, str]]]:
        """(registered_at, doc_id) of the documents already registered with each identifier."""
        found: dict[tuple[str, int], list[tuple[datetime, str]]] = {}
        names = sorted({key for key, _year in keys})
        for start in range(0, len(names), _CHUNK):
            query = select(
                documents.c.identifier_key, documents.c.identifier_year,
                documents.c.registered_at, documents.c.doc_id,
            ).where(documents.c.identifier_key.in_(names[start:start + _CHUNK]))
            for key, year, at, doc_id in conn.execute(query):
                if (key, year) in keys:
                    found.setdefault((key, year), []).append((at, doc_id))
        return found

    @staticmethod
    def _same_identifier(
        conn: Connection, key: str, year: int, exclude_doc_id: str | None
    ) -> list[str]:
        query = (
            select(documents.c.doc_id)
            .where(documents.c.identifier_key == key, documents.c.identifier_year == year)
            .order_by(documents.c.registered_at, documents.c.doc_id)
        )
        if exclude_doc_id is not None:
            query = query.where(documents.c.doc_id != exclude_doc_id)
        return list(conn.execute(query).scalars())

    def find_by_sha256(self, sha256: str) -> RegisteredDocument | None:
        """The registered document with these exact bytes, or None."""
        with unavailable_on_db_errors("looking up a document"), self._read() as conn:
            return self._by_sha256(conn, sha256)

    def registered_among(self, sha256s: Iterable[str]) -> set[str]:
        """Which of these SHA-256 belong to registered documents (one query per 500)."""
        wanted = list(dict.fromkeys(sha256s))
        found: set[str] = set()
        with unavailable_on_db_errors("looking up documents"), self._read() as conn:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                query = select(documents.c.sha256).where(documents.c.sha256.in_(chunk))
                found.update(conn.execute(query).scalars())
        return found

    def get_document(self, doc_id: str) -> RegisteredDocument | None:
        """The registered document ``doc_id``, or None."""
        query = select(documents).where(documents.c.doc_id == doc_id)
        with unavailable_on_db_errors("looking up a document"), self._read() as conn:
            row = conn.execute(query).first()
        return document_from_row(row) if row is not None else None

    def find_same_identifier(
        self,
        number_symbol: str | None,
        issuing_body: str | None,
        year: int,
        exclude_doc_id: str | None = None,
    ) -> list[str]:
        """Doc ids already registered with this number+symbol+issuer in ``year``.

        ``year`` is the document's issue year (its registration year when the
        issue date is unknown).  Empty when either part is unknown.
        """
        key = identifier_key(number_symbol, issuing_body)
        if key is None:
            return []
        with unavailable_on_db_errors("looking up an identifier"), self._read() as conn:
            return self._same_identifier(conn, key, year, exclude_doc_id)

    def add_duplicate_event(self, doc_id: str, event: DuplicateEvent) -> None:
        """The bytes of ``doc_id`` arrived again: count it and log a ``duplicate`` event."""
        with unavailable_on_db_errors("recording a duplicate"), self._write() as conn:
            sha256 = conn.execute(
                select(documents.c.sha256).where(documents.c.doc_id == doc_id)
            ).scalar_one_or_none()
            if sha256 is None:
                raise NotFound(f"document {doc_id} is not registered")
            conn.execute(
                update(documents)
                .where(documents.c.doc_id == doc_id)
                .values(duplicates_received=documents.c.duplicates_received + 1)
            )
            conn.execute(
                insert(events),
                {
                    "sha256": sha256,
                    "event": LedgerEvent.DUPLICATE.value,
                    "original_name": event.original_name,
                    "direction": event.direction,
                    "folder": event.folder,
                    "at": event.received_at,
                    "detail": None,
                    "doc_id": doc_id,
                },
            )

    # -- marking after registration -----------------------------------------

    def change_secrecy(
        self,
        doc_id: str,
        secrecy: int,
        *,
        by: str,
        reason: str,
        at: datetime | None = None,
        before_commit: Callable[[SecrecyMove], None] | None = None,
    ) -> SecrecyMove:
        """Set the secrecy rank (0 open, 1..3) of a registered document, moving books if needed.

        Marking an ordinary document secret (or unmarking a secret one) gives
        it the next number of the other book in the year of ``at``; its old
        number is not given back (the counter never goes down).  Changing
        between secret levels keeps the number.  The document goes back to
        "pending" for the index and a ``secrecy_changed`` ledger event records
        who, when, why, and the old and new mark and number.  ``before_commit``
        runs inside the transaction (e.g. to rewrite the record JSON): if it
        raises, nothing changes.  ``NotFound`` for an unknown ``doc_id``.
        """
        if not 0 <= secrecy < len(SECRECY_LEVELS):
            raise UsageError(f"secrecy rank must be 0..{len(SECRECY_LEVELS) - 1}, not {secrecy}")
        if not by.strip() or not reason.strip():
            raise UsageError("a secrecy change needs who made it and why")
        moment = _aware(at or self._clock(), "time of the change")
        with unavailable_on_db_errors("changing secrecy"), self._write() as conn:
            query = select(documents).where(documents.c.doc_id == doc_id)
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            row = conn.execute(query).first()
            if row is None:
                raise NotFound(f"document {doc_id} is not registered")
            doc = document_from_row(row)
            new = doc.registration
            book = book_for_secrecy(secrecy)
            if book != doc.book:
                year = self.year_of(moment)
                number = self._take_numbers(conn, year, doc.direction, book, 1)
                new = Registration(year=year, number=number, registered_at=moment, book=book)
            move = SecrecyMove(doc_id=doc_id, at=moment, by=by, reason=reason,
                               old_secrecy=doc.secrecy, new_secrecy=secrecy,
                               old=doc.registration, new=new)
            conn.execute(
                update(documents).where(documents.c.doc_id == doc_id).values(
                    book=new.book, reg_year=new.year, reg_number=new.number,
                    registered_at=new.registered_at, secrecy=secrecy,
                    index_state=INDEX_PENDING)
            )
            conn.execute(insert(events), {
                "sha256": doc.sha256,
                "event": LedgerEvent.SECRECY_CHANGED.value,
                "original_name": doc.original_name,
                "direction": doc.direction,
                "folder": doc.folder,
                "at": moment,
                "detail": {
                    "by": by, "reason": reason,
                    "old_secrecy": SECRECY_LEVELS[doc.secrecy],
                    "new_secrecy": SECRECY_LEVELS[secrecy],
                    "old_number": move.old.label, "new_number": move.new.label,
                },
                "doc_id": doc_id,
            })
            if before_commit is not None:
                before_commit(move)
        return move

    # -- corrections and the review queue -----------------------------------

    def update_description(
        self, doc_id: str, rewrite: Callable[[], DocumentRecord]
    ) -> DocumentRecord:
        """Rewrite a registered document's record and bring its row in line, together.

        ``rewrite`` runs inside the transaction with the row locked (so two
        corrections of one document queue up): it reads the record, changes
        it, writes it to the store and returns it.  The row then takes the
        record's description columns and review flag and goes back to
        "pending" for the index.  If ``rewrite`` raises, nothing changes here.
        Numbers, book and secrecy are untouched (``change_secrecy`` moves those).
        ``NotFound`` for an unknown ``doc_id``.
        """
        with unavailable_on_db_errors("correcting a document"), self._write() as conn:
            query = select(documents.c.reg_year).where(documents.c.doc_id == doc_id)
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            year = conn.execute(query).scalar_one_or_none()
            if year is None:
                raise NotFound(f"document {doc_id} is not registered")
            record = rewrite()
            conn.execute(
                update(documents).where(documents.c.doc_id == doc_id).values(
                    **description_values(record, year, self.review_confidence),
                    index_state=INDEX_PENDING)
            )
        return record

    def review_of(self, record: DocumentRecord) -> dict[str, Any]:
        """The review flag columns for ``record`` under this register's threshold."""
        return review_values(record, self.review_confidence)

    def set_review_flags(self, flags: Iterable[tuple[str, dict[str, Any]]]) -> int:
        """Store ``(doc_id, review_of(record))`` pairs (after a reindex); how many rows matched."""
        changed = 0
        pending = list(flags)
        for start in range(0, len(pending), _CHUNK):
            with unavailable_on_db_errors("updating review flags"), self._write() as conn:
                for doc_id, values in pending[start:start + _CHUNK]:
                    changed += conn.execute(
                        update(documents).where(documents.c.doc_id == doc_id).values(**values)
                    ).rowcount
        return changed

    def needing_review(
        self,
        *,
        max_secrecy: int,
        among: Sequence[str] | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> ReviewPage:
        """Documents whose key fields need a person's check, newest received first.

        Only documents of secrecy rank ``max_secrecy`` or below, and, when
        ``among`` is given, only those doc ids (a clerk's own uploads); the
        total counts exactly those.  ``limit=0`` gives the total alone.
        """
        wanted = (documents.c.needs_review == 1) & (documents.c.secrecy <= max_secrecy)
        newest = (documents.c.received_at.desc(), documents.c.doc_id.desc())
        with unavailable_on_db_errors("listing documents to review"), self._read() as conn:
            if among is None:
                total = conn.execute(select(func.count()).where(wanted)).scalar_one()
                if limit <= 0:
                    return ReviewPage(total, [])
                rows = conn.execute(select(documents).where(wanted).order_by(*newest)
                                    .offset(offset).limit(limit)).all()
                return ReviewPage(total, [document_from_row(r) for r in rows])
            ids = list(dict.fromkeys(among))
            found: list[tuple[datetime, str]] = []
            for start in range(0, len(ids), _CHUNK):
                query = select(documents.c.received_at, documents.c.doc_id).where(
                    wanted, documents.c.doc_id.in_(ids[start:start + _CHUNK]))
                found += [(at, doc_id) for at, doc_id in conn.execute(query)]
            found.sort(reverse=True)
            page = [doc_id for _at, doc_id in found[offset:offset + max(0, limit)]]
            rows = conn.execute(select(documents).where(documents.c.doc_id.in_(page))
                                .order_by(*newest)).all() if page else []
        return ReviewPage(len(found), [document_from_row(r) for r in rows])

    # -- index state -------------------------------------------------------

    def _set_index_state(self, doc_ids: Iterable[str], state: str) -> int:
        ids = list(dict.fromkeys(doc_ids))
        changed = 0
        with unavailable_on_db_errors("updating index state"), self._write() as conn:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                result = conn.execute(
                    update(documents).where(documents.c.doc_id.in_(chunk)).values(index_state=state)
                )
                changed += result.rowcount
        return changed

    def mark_indexed(self, doc_ids: Iterable[str]) -> int:
        """Mark documents as present in the search index; returns how many rows matched."""
        return self._set_index_state(doc_ids, INDEX_DONE)

    def mark_index_pending(self, doc_ids: Iterable[str]) -> int:
        """Mark documents as waiting for the search index; returns how many rows matched."""
        return self._set_index_state(doc_ids, INDEX_PENDING)

    def pending_index(self, limit: int | None = None) -> list[str]:
        """Doc ids waiting for the index, oldest registration first."""
        query = (
            select(documents.c.doc_id)
            .where(documents.c.index_state == INDEX_PENDING)
            .order_by(documents.c.registered_at, documents.c.doc_id)
        )
        if limit is not None:
            query = query.limit(limit)
        with unavailable_on_db_errors("listing pending documents"), self._read() as conn:
            return list(conn.execute(query).scalars())

    def iter_documents(self) -> Iterator[DocumentRef]:
        """Every registered document (doc_id, record_key, sha256), in doc_id order.

        Read in pages so no transaction stays open while the caller works.
        """
        after = ""
        while True:
            query = (
                select(documents.c.doc_id, documents.c.record_key, documents.c.sha256)
                .where(documents.c.doc_id > after)
                .order_by(documents.c.doc_id)
                .limit(_CHUNK)
            )
            with unavailable_on_db_errors("listing documents"), self._read() as conn:
                page = [DocumentRef(*row) for row in conn.execute(query)]
            yield from page
            if len(page) < _CHUNK:
                return
            after = page[-1].doc_id

    # -- the book and reports ----------------------------------------------

    def register_book(self, year: int, direction: str, book: str = "ordinary") -> list[BookRow]:
        """The Decree 30 register book of ``direction`` for ``year``, by number.

        ``book="secret"`` gives the secret book (sổ đăng ký văn bản mật), for
        cleared officers only; the ordinary book shows nothing of it, not
        even a duplicate warning pointing at a secret document.
        """
        _check_direction(direction)
        _check_book(book)
        query = (
            select(documents)
            .where(documents.c.reg_year == year, documents.c.direction == direction,
                   documents.c.book == book)
            .order_by(documents.c.reg_number)
        )
        with unavailable_on_db_errors("reading the register book"), self._read() as conn:
            rows = conn.execute(query).all()
            numbers = self._numbers_of(conn, rows, include_secret=book == "secret")
        return [book_row(document_from_row(r), self.tz, numbers) for r in rows]

    @staticmethod
    def _numbers_of(
        conn: Connection, rows: Sequence[Row[Any]], *, include_secret: bool
    ) -> dict[str, str]:
        """Register labels ("12/2026", "3/2026-M") of the documents the rows are flagged against."""
        wanted = {d for r in rows for d in (r._mapping["possible_duplicate_of"] or [])}
        if not wanted:
            return {}
        query = select(documents.c.doc_id, documents.c.reg_number, documents.c.reg_year,
                       documents.c.book).where(documents.c.doc_id.in_(sorted(wanted)))
        if not include_secret:
            query = query.where(documents.c.book == "ordinary")
        return {d: register_label(n, y, b) for d, n, y, b in conn.execute(query)}

    def document_rows(self, received_from: date, received_to: date) -> list[dict[str, Any]]:
        """Documents received between the two dates (inclusive, local time), for reports.

        Each dict: doc_id, direction, doc_type, issuing_body, folder,
        received_at (aware, UTC), year, number, book, secrecy (0..3), index_state.
        """
        start = datetime.combine(received_from, time.min, self.tz)
        end = datetime.combine(received_to + timedelta(days=1), time.min, self.tz)
        query = (
            select(
                documents.c.doc_id,
                documents.c.direction,
                documents.c.doc_type,
                documents.c.issuing_body,
                documents.c.folder,
                documents.c.received_at,
                documents.c.reg_year.label("year"),
                documents.c.reg_number.label("number"),
                documents.c.book,
                documents.c.secrecy,
                documents.c.index_state,
            )
            .where(documents.c.received_at >= start, documents.c.received_at < end)
            .order_by(documents.c.received_at, documents.c.doc_id)
        )
        with unavailable_on_db_errors("reading documents for a report"), self._read() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def stats(self) -> dict[str, int]:
        """Counts for a status page: documents by direction and index state, events by kind."""
        out: dict[str, int] = {"documents": 0, "possible_duplicates": 0}
        out.update({d: 0 for d in DIRECTIONS})
        out.update({f"index_{s}": 0 for s in (INDEX_PENDING, INDEX_DONE)})
        out.update({f"events_{e.value}": 0 for e in LedgerEvent})
        by_state = select(documents.c.direction, documents.c.index_state, func.count()).group_by(
            documents.c.direction, documents.c.index_state
        )
        by_event = select(events.c.event, func.count()).group_by(events.c.event)
        with unavailable_on_db_errors("counting"), self._read() as conn:
            for direction, state, count in conn.execute(by_state):
                out["documents"] += count
                out[direction] += count
                out[f"index_{state}"] = out.get(f"index_{state}", 0) + count
            # JSON lists are not comparable the same way on both backends:
            # count the non-empty ones here.
            lists = conn.execute(select(documents.c.possible_duplicate_of)).scalars()
            out["possible_duplicates"] = sum(1 for value in lists if value)
            for kind, count in conn.execute(by_event):
                out[f"events_{kind}"] = count
        return out

    # -- disaster recovery -------------------------------------------------

    def rebuild_from_records(self, records: Iterable[DocumentRecord]) -> int:
        """Restore document rows, with their existing numbers, from the JSON records.

        Rows are inserted or overwritten by doc_id, in the book each record's
        registration names, and marked pending for the index; the counters of
        both books are raised so new numbers continue after the restored ones,
        and after every number a record ever held (a document moved between
        books keeps its old number in ``secrecy_changes``: it is never reused).
        Records without a registration are skipped.  Raises ``RegisterConflict``
        if a record's number belongs to another document of the same book.
        Returns how many documents were restored.
        """
        restored = 0
        batch: list[DocumentRecord] = []
        for record in records:
            if record.registration is None:
                continue
            batch.append(record)
            if len(batch) >= _CHUNK:
                restored += self._restore(batch)
                batch = []
        if batch:
            restored += self._restore(batch)
        return restored

    def _restore(self, batch: list[DocumentRecord]) -> int:
        try:
            with unavailable_on_db_errors("restoring documents"), self._write() as conn:
                for record in batch:
                    assert record.registration is not None
                    values = document_values(
                        record, record.registration, record.possible_duplicate_of, INDEX_PENDING,
                        self.review_confidence,
                    )
                    conn.execute(documents.delete().where(documents.c.doc_id == record.doc_id))
                    conn.execute(insert(documents), values)
                    held = [record.registration]
                    for change in record.secrecy_changes:
                        held += [change.old_registration, change.new_registration]
                    for registration in held:
                        self._raise_counter(conn, registration, record.direction)
        except IntegrityError as exc:
            raise RegisterConflict(f"records disagree on numbers or bytes: {exc.orig}") from exc
        return len(batch)


def _result(doc: RegisteredDocument, *, created: bool) -> RegistrationResult:
    return RegistrationResult(
        year=doc.year,
        number=doc.number,
        registered_at=doc.registered_at,
        book=doc.book,
        doc_id=doc.doc_id,
        possible_duplicate_of=doc.possible_duplicate_of,
        created=created,
    )
