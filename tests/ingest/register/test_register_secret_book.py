"""The secret book: part of the register contract, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest.register import LedgerEvent, Register, RegisterConflict, format_register_book
from ingest.register.columns import document_values
from ingest.register.engine import open_engine
from ingest.register.schema import INDEX_PENDING
from kernel.errors import NotFound, UsageError
from kernel.model import Registration, SecrecyChange
from tests.ingest.register import legacy_schema
from tests.ingest.register.records import make_record

IN_2026 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
LATER = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)
IN_2027 = datetime(2027, 2, 1, 3, 0, tzinfo=UTC)


def numbered(register: Register, seed: str, direction: str = "incoming", at: datetime = IN_2026,
             **metadata: str):
    return register.register_document(make_record(seed, direction, **metadata), at=at)


def test_secret_documents_are_numbered_in_their_own_book(register: Register) -> None:
    got = [
        numbered(register, "open-1"),
        numbered(register, "mat-1", secrecy="MẬT"),
        numbered(register, "open-2"),
        numbered(register, "toi-mat-1", secrecy="TỐI MẬT"),
        numbered(register, "out-mat", "outgoing", secrecy="TUYỆT MẬT"),
        numbered(register, "out-open", "outgoing"),
        numbered(register, "open-3"),
        numbered(register, "mat-2025", at=datetime(2025, 5, 1, tzinfo=UTC), secrecy="MẬT"),
    ]
    assert [(r.book, r.year, r.number, r.label) for r in got] == [
        ("ordinary", 2026, 1, "1/2026"), ("secret", 2026, 1, "1/2026-M"),
        ("ordinary", 2026, 2, "2/2026"), ("secret", 2026, 2, "2/2026-M"),
        ("secret", 2026, 1, "1/2026-M"), ("ordinary", 2026, 1, "1/2026"),
        ("ordinary", 2026, 3, "3/2026"), ("secret", 2025, 1, "1/2025-M"),
    ]
    assert got[1].registration.book == "secret"
    stored = register.get_document(got[3].doc_id)
    assert stored is not None and (stored.book, stored.secrecy) == ("secret", 2)


def test_a_group_numbers_each_book_in_order(register: Register) -> None:
    records = [make_record(s, secrecy=m) if m else make_record(s)
               for s, m in (("a", ""), ("b", "MẬT"), ("c", ""), ("d", "TUYỆT MẬT"), ("b", "MẬT"))]
    results = register.register_documents(records, at=IN_2026)
    assert [(r.label, r.created) for r in results] == [
        ("1/2026", True), ("1/2026-M", True), ("2/2026", True), ("2/2026-M", True),
        ("1/2026-M", False),
    ]


def test_the_ordinary_book_shows_nothing_of_the_secret_one(register: Register) -> None:
    meta = {"number_symbol": "15/CV-SNV", "issuing_body": "SỞ NỘI VỤ", "issue_date": "2026-01-05"}
    secret = numbered(register, "secret-first", secrecy="MẬT", **meta)
    ordinary = numbered(register, "open-same-identifier", **meta)
    assert ordinary.possible_duplicate_of == [secret.doc_id]  # the register itself knows
    book = register.register_book(2026, "incoming")
    assert [(r.doc_id, r.number, r.possible_duplicate_of) for r in book] == [
        (ordinary.doc_id, 1, [])]
    text = format_register_book(book, "incoming")
    assert "SỞ NỘI VỤ" in text and "-M" not in text and "Độ mật" not in text
    secret_book = register.register_book(2026, "incoming", "secret")
    assert [(r.doc_id, r.number, r.secrecy) for r in secret_book] == [(secret.doc_id, 1, 1)]
    printed = format_register_book(secret_book, "incoming", "vi", "secret")
    assert printed.startswith("SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐẾN — Năm 2026")
    assert "Độ mật" in printed and "MẬT" in printed
    assert "INCOMING SECRET DOCUMENTS REGISTER" in format_register_book(
        secret_book, "incoming", "en", "secret")
    with pytest.raises(ValueError):
        register.register_book(2026, "incoming", "hidden")


def test_marking_moves_a_document_to_the_secret_book_and_never_reuses_its_number(
    register: Register,
) -> None:
    first = numbered(register, "one")
    second = numbered(register, "two")
    numbered(register, "old-secret", secrecy="MẬT")
    move = register.change_secrecy(second.doc_id, 1, by="trưởng phòng", reason="Công văn 12/CV",
                                   at=LATER)
    assert move.moved
    assert (move.old.label, move.new.label) == ("2/2026", "2/2026-M")
    assert move.new.registered_at == LATER
    doc = register.get_document(second.doc_id)
    assert doc is not None and (doc.book, doc.number, doc.secrecy) == ("secret", 2, 1)
    assert doc.index_state == INDEX_PENDING
    # Number 2 of the ordinary book stays used: the next document gets 3.
    assert numbered(register, "three").label == "3/2026"
    assert [r.doc_id for r in register.register_book(2026, "incoming")] == [
        first.doc_id, numbered(register, "three").doc_id]
    # Between secret levels the number stays; unmarking gives a new ordinary one.
    assert not register.change_secrecy(second.doc_id, 3, by="a", reason="b", at=LATER).moved
    back = register.change_secrecy(second.doc_id, 0, by="giám đốc", reason="giải mật",
                                   at=IN_2027)
    assert (back.old.label, back.new.label) == ("2/2026-M", "1/2027")
    assert numbered(register, "mat-2026", secrecy="MẬT").label == "3/2026-M"
    events = [e for e in register.events_for(make_record("two").sha256)
              if e.event is LedgerEvent.SECRECY_CHANGED]
    assert [e.detail for e in events] == [
        {"by": "trưởng phòng", "reason": "Công văn 12/CV", "old_secrecy": "",
         "new_secrecy": "MẬT", "old_number": "2/2026", "new_number": "2/2026-M"},
        {"by": "a", "reason": "b", "old_secrecy": "MẬT", "new_secrecy": "TUYỆT MẬT",
         "old_number": "2/2026-M", "new_number": "2/2026-M"},
        {"by": "giám đốc", "reason": "giải mật", "old_secrecy": "TUYỆT MẬT",
         "new_secrecy": "", "old_number": "2/2026-M", "new_number": "1/2027"},
    ]
    assert [e.at for e in events] == [LATER, LATER, IN_2027]


def test_a_secrecy_change_failing_before_commit_changes_nothing(register: Register) -> None:
    doc = numbered(register, "kept")

    with pytest.raises(OSError), \
            register.changing_secrecy(doc.doc_id, 2, by="x", reason="y", at=LATER) as move:
        assert move.moved  # handed over inside the transaction: the record is written here
        raise OSError("store unreachable")
    stored = register.get_document(doc.doc_id)
    assert stored is not None and (stored.book, stored.number, stored.secrecy) == (
        "ordinary", 1, 0)
    assert register.events_for(make_record("kept").sha256) == []
    assert numbered(register, "secret", secrecy="MẬT").label == "1/2026-M"  # none used up
    with pytest.raises(NotFound):
        register.change_secrecy("0" * 16, 1, by="x", reason="y")
    with pytest.raises(UsageError):
        register.change_secrecy(doc.doc_id, 4, by="x", reason="y")
    with pytest.raises(UsageError):
        register.change_secrecy(doc.doc_id, 1, by=" ", reason="y")


def test_document_rows_carry_book_and_secrecy(register: Register) -> None:
    numbered(register, "open")
    numbered(register, "toi-mat", secrecy="TỐI MẬT")
    rows = register.document_rows(datetime(2020, 1, 1).date(), datetime(2030, 1, 1).date())
    assert sorted((r["book"], r["secrecy"]) for r in rows) == [("ordinary", 0), ("secret", 2)]


def test_rebuild_restores_both_books_and_skips_every_number_ever_held(register: Register) -> None:
    records = []
    for seed, mark in (("r-open", ""), ("r-mat", "MẬT"), ("r-moved", ""), ("r-open-2", "")):
        record = make_record(seed, secrecy=mark) if mark else make_record(seed)
        result = register.register_document(record, at=IN_2026)
        records.append(record.model_copy(update={"registration": result.registration}))
    # r-moved (ordinary 2) is marked MẬT: secret 2; its record keeps the old number.
    move = register.change_secrecy(records[2].doc_id, 1, by="x", reason="y", at=LATER)
    moved = records[2].model_copy(update={
        "registration": move.new,
        "secrecy_changes": [SecrecyChange(at=LATER, by="x", reason="y", old_secrecy="",
                                          new_secrecy="MẬT", old_registration=move.old,
                                          new_registration=move.new)],
    })
    moved.metadata = {**make_record("r-mat", secrecy="MẬT").metadata}
    records[2] = moved
    # Leave out r-open-2 (ordinary 3): no live document then holds ordinary 2,
    # only r-moved's history does.
    kept = records[:3]
    with register.engine.begin() as conn:
        for table in ("documents", "counters", "events"):
            conn.exec_driver_sql(f"DELETE FROM {table}")
    assert register.rebuild_from_records(kept) == 3
    assert [(r.number, r.book) for r in register.register_book(2026, "incoming")] == [
        (1, "ordinary")]
    assert [r.number for r in register.register_book(2026, "incoming", "secret")] == [1, 2]
    # Ordinary 2 was held by the moved document: it is not given again.
    assert numbered(register, "after-open").label == "3/2026"
    assert numbered(register, "after-secret", secrecy="MẬT").label == "3/2026-M"
    # The same number in the two books is no conflict; twice in one book is.
    thief = make_record("thief", secrecy="MẬT", registration=records[1].registration)
    with pytest.raises(RegisterConflict):
        register.rebuild_from_records([thief])


def _legacy_database(url: str) -> list[str]:
    """A register as an older Docket left it: two incoming, one outgoing document."""
    engine = open_engine(url)
    try:
        with engine.begin() as conn:
            legacy_schema.metadata.create_all(conn)
            doc_ids = []
            for number, (seed, direction) in enumerate(
                (("legacy-1", "incoming"), ("legacy-2", "incoming"), ("legacy-out", "outgoing")),
            ):
                record = make_record(seed, direction, secrecy="MẬT" if seed == "legacy-2" else "")
                old_number = 1 if direction == "outgoing" else number + 1
                values = document_values(
                    record, Registration(year=2026, number=old_number, registered_at=IN_2026),
                    [], INDEX_PENDING)
                for later in ("book", "secrecy", "needs_review", "review_fields"):
                    del values[later]
                conn.execute(legacy_schema.documents.insert(), values)
                doc_ids.append(record.doc_id)
            conn.execute(legacy_schema.counters.insert(), [
                {"year": 2026, "direction": "incoming", "last": 2},
                {"year": 2026, "direction": "outgoing", "last": 1},
            ])
    finally:
        engine.dispose()
    return doc_ids


def test_a_register_created_by_the_older_schema_is_upgraded_in_place(register_url: str) -> None:
    doc_ids = _legacy_database(register_url)
    register = Register(open_engine(register_url), "Asia/Ho_Chi_Minh")
    try:
        register.create_schema()
        register.create_schema()  # a second worker finds it done
        book = register.register_book(2026, "incoming")
        assert [(r.doc_id, r.number, r.book) for r in book] == [
            (doc_ids[0], 1, "ordinary"), (doc_ids[1], 2, "ordinary")]
        assert numbered(register, "new-open").label == "3/2026"
        assert numbered(register, "new-secret", secrecy="MẬT").label == "1/2026-M"
        assert numbered(register, "new-out", "outgoing").label == "2/2026"
        # The old database's marked document can be moved into the secret book.
        move = register.change_secrecy(doc_ids[1], 1, by="admin", reason="upgrade", at=LATER)
        assert (move.old.label, move.new.label) == ("2/2026", "2/2026-M")
        assert register.find_by_sha256(make_record("legacy-1").sha256) is not None
        assert register.stats()["documents"] == 6
    finally:
        register.close()
