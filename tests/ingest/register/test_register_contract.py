"""The register contract, run on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ingest.register import LedgerEntry, LedgerEvent, Register, RegisterConflict
from ingest.register.engine import open_engine
from kernel.errors import NotFound
from kernel.model import DuplicateEvent
from tests.ingest.register.records import make_record

IN_2026 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
IN_2025 = datetime(2025, 6, 1, 2, 0, tzinfo=UTC)


def test_numbers_start_at_one_per_year_and_direction(register: Register) -> None:
    got = [
        register.register_document(make_record("in-a"), at=IN_2026),
        register.register_document(make_record("out-a", "outgoing"), at=IN_2026),
        register.register_document(make_record("in-b"), at=IN_2026),
        register.register_document(make_record("in-old"), at=IN_2025),
        register.register_document(make_record("in-c"), at=IN_2026),
        register.register_document(make_record("out-b", "outgoing"), at=IN_2026),
    ]
    assert [(r.year, r.number) for r in got] == [
        (2026, 1), (2026, 1), (2026, 2), (2025, 1), (2026, 3), (2026, 2),
    ]
    assert all(r.created for r in got)
    assert got[0].label == "1/2026"
    assert got[0].registration.model_dump() == {
        "year": 2026, "number": 1, "registered_at": IN_2026, "book": "ordinary",
    }


def test_registering_the_same_bytes_again_returns_the_existing_number(register: Register) -> None:
    first = register.register_document(make_record("same"), at=IN_2026)
    again = register.register_document(make_record("same", folder="elsewhere"), at=IN_2026)
    assert again.created is False
    assert (again.doc_id, again.year, again.number) == (first.doc_id, 2026, 1)
    assert again.registered_at == first.registered_at
    # The retry consumed nothing: the next document is number 2.
    assert register.register_document(make_record("next"), at=IN_2026).number == 2


def test_a_failure_before_commit_does_not_use_up_the_number(register: Register) -> None:
    register.register_document(make_record("one"), at=IN_2026)
    seen = []

    with pytest.raises(OSError, match="disk full"), \
            register.registering([make_record("two")], at=IN_2026) as results:
        seen += results
        raise OSError("disk full while writing the record")
    assert [r.number for r in seen] == [2]  # the number was taken inside the transaction...
    assert register.find_by_sha256(make_record("two").sha256) is None
    # ...and given back: the retry and the next document get 2 and 3, no gap.
    assert register.register_document(make_record("two"), at=IN_2026).number == 2
    assert register.register_document(make_record("three"), at=IN_2026).number == 3


def test_what_the_block_writes_is_done_before_the_numbers_commit(register: Register,
                                                                 register_url: str) -> None:
    """The numbers are not visible to anyone until the ``with`` block has ended."""
    register.register_document(make_record("one"), at=IN_2026)
    other = Register(open_engine(register_url), "Asia/Ho_Chi_Minh")
    try:
        with register.registering([make_record("two")], at=IN_2026) as results:
            assert [r.number for r in results] == [2]
            assert other.find_by_sha256(make_record("two").sha256) is None
        assert other.find_by_sha256(make_record("two").sha256) is not None
    finally:
        other.close()


def archived(seed: str) -> LedgerEntry:
    record = make_record(seed)
    return LedgerEntry(sha256=record.sha256, event=LedgerEvent.ARCHIVED, at=IN_2026,
                       original_name=record.original_name, direction=record.direction,
                       doc_id=record.doc_id)


def test_a_group_is_numbered_in_order_in_one_transaction(register: Register) -> None:
    register.register_document(make_record("before"), at=IN_2026)
    seeds = ["g1", "g2", "before", "g3", "g1"]  # bytes already registered, and twice in the group
    results = register.register_documents([make_record(s) for s in seeds], at=IN_2026,
                                          ledger=[archived("g1"), archived("g2")])
    assert [(r.number, r.created) for r in results] == [
        (2, True), (3, True), (1, False), (4, True), (2, False),
    ]
    assert [e.event for e in register.events_for(make_record("g1").sha256)] == [
        LedgerEvent.ARCHIVED,
    ]
    assert register.register_document(make_record("after"), at=IN_2026).number == 5


def test_a_group_failing_before_commit_registers_nothing(register: Register) -> None:
    register.register_document(make_record("one"), at=IN_2026)

    with pytest.raises(OSError, match="unreachable"), \
            register.registering([make_record("two"), make_record("three")], at=IN_2026,
                                 ledger=[archived("two")]):
        raise OSError("store unreachable while writing the records")
    assert register.find_by_sha256(make_record("two").sha256) is None
    assert register.events_for(make_record("two").sha256) == []
    again = register.register_documents([make_record("two"), make_record("three")], at=IN_2026)
    assert [r.number for r in again] == [2, 3]


def test_a_group_flags_identifiers_registered_before_and_within_it(register: Register) -> None:
    meta = {"number_symbol": "15/CV-SNV", "issuing_body": "SỞ NỘI VỤ", "issue_date": "2026-01-05"}
    before = register.register_document(make_record("cv-0", **meta), at=IN_2026)
    group = register.register_documents(
        [make_record("cv-1", **meta), make_record("other", "outgoing"),
         make_record("cv-2", **{**meta, "number_symbol": "15 / cv-snv"})],
        at=IN_2026,
    )
    assert [(r.number, r.created) for r in group] == [(2, True), (1, True), (3, True)]
    assert group[0].possible_duplicate_of == [before.doc_id]
    assert group[1].possible_duplicate_of == []
    assert set(group[2].possible_duplicate_of) == {before.doc_id, group[0].doc_id}
    stored = register.get_document(group[2].doc_id)
    assert stored is not None and stored.possible_duplicate_of == group[2].possible_duplicate_of


def test_registered_among_names_the_known_bytes(register: Register) -> None:
    register.register_document(make_record("known"), at=IN_2026)
    asked = [make_record(seed).sha256 for seed in ("new", "known", "other", "known")]
    assert register.registered_among(asked) == {make_record("known").sha256}
    assert register.registered_among([]) == set()


def test_events_are_logged_in_bulk(register: Register) -> None:
    register.log_events([archived("a"), archived("b")])
    register.log_events([])
    assert [e.doc_id for e in register.events_for(make_record("b").sha256)] == [
        make_record("b").doc_id,
    ]
    with pytest.raises(ValueError):
        register.log_events([archived("c").model_copy(update={"at": datetime(2026, 1, 1)})])


def test_year_is_the_calendar_year_in_vietnam(register: Register) -> None:
    before = register.register_document(
        make_record("a"), at=datetime(2025, 12, 31, 16, 59, 59, tzinfo=UTC)
    )
    after = register.register_document(
        make_record("b"), at=datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    )
    evening = register.register_document(
        make_record("c"), at=datetime(2025, 12, 31, 18, 0, tzinfo=UTC)
    )
    assert (before.year, before.number) == (2025, 1)
    assert (after.year, after.number) == (2026, 1)
    assert (evening.year, evening.number) == (2026, 2)


def test_year_follows_the_configured_time_zone(register_url: str) -> None:
    reg = Register(open_engine(register_url), "UTC")
    reg.create_schema()
    try:
        result = reg.register_document(make_record("x"), at=datetime(2025, 12, 31, 18, tzinfo=UTC))
        assert result.year == 2025
    finally:
        reg.close()


def test_create_schema_is_idempotent(register: Register) -> None:
    register.register_document(make_record("kept"), at=IN_2026)
    register.create_schema()
    assert register.find_by_sha256(make_record("kept").sha256) is not None


def test_same_number_symbol_and_issuer_is_registered_but_flagged(register: Register) -> None:
    meta = {"number_symbol": "2284/QĐ-UBND", "issuing_body": "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
            "issue_date": "2025-11-25"}
    first = register.register_document(make_record("scan-1", **meta), at=IN_2026)
    # The same identifier written differently (spacing, case) by another scan.
    second = register.register_document(
        make_record("scan-2", number_symbol="2284 / qđ-ubnd",
                    issuing_body="Ủy ban nhân dân  tỉnh Lâm Đồng", issue_date="2025-11-25"),
        at=IN_2026,
    )
    other_year = register.register_document(
        make_record("scan-3", **{**meta, "issue_date": "2024-01-05"}), at=IN_2026
    )
    other_issuer = register.register_document(
        make_record("scan-4", **{**meta, "issuing_body": "UBND TỈNH ĐẮK LẮK"}), at=IN_2026
    )
    assert first.possible_duplicate_of == []
    assert second.created and second.number == 2
    assert second.possible_duplicate_of == [first.doc_id]
    assert other_year.possible_duplicate_of == []
    assert other_issuer.possible_duplicate_of == []
    stored = register.get_document(second.doc_id)
    assert stored is not None and stored.possible_duplicate_of == [first.doc_id]
    assert register.find_same_identifier(
        "2284/QĐ-UBND", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", 2025, exclude_doc_id=second.doc_id
    ) == [first.doc_id]
    assert register.find_same_identifier("2284/QĐ-UBND", None, 2025) == []
    assert register.stats()["possible_duplicates"] == 1


def test_documents_keep_the_book_columns(register: Register) -> None:
    record = make_record(
        "qd", folder="phong-noi-vu", received_at=datetime(2026, 3, 1, 20, tzinfo=UTC),
        number_symbol="15/QĐ-UBND", issuing_body="UBND HUYỆN A", issue_date="2026-02-27",
        doc_type="Quyết định", subject="Về việc thành lập Tổ công tác",
        signer_name="Nguyễn Văn B", recipients=["Như Điều 3", "Lưu: VT"],
    )
    result = register.register_document(record, at=IN_2026)
    doc = register.get_document(result.doc_id)
    assert doc is not None
    assert doc.model_dump(exclude={"registered_at", "received_at"}) == {
        "doc_id": record.doc_id, "sha256": record.sha256, "direction": "incoming",
        "book": "ordinary", "secrecy": 0, "year": 2026, "number": 1, "original_name": "qd.pdf",
        "number_symbol": "15/QĐ-UBND", "issuing_body": "UBND HUYỆN A",
        "issue_date": date(2026, 2, 27), "doc_type": "Quyết định",
        "subject": "Về việc thành lập Tổ công tác", "signer": "Nguyễn Văn B",
        "recipients": "Như Điều 3; Lưu: VT", "folder": "phong-noi-vu",
        "record_key": record.record_key, "index_state": "pending",
        "possible_duplicate_of": [], "duplicates_received": 0, "review_fields": {},
    }
    assert doc.received_at == datetime(2026, 3, 1, 20, tzinfo=UTC)
    assert doc.registered_at == IN_2026
    assert register.get_document("0" * 16) is None


def test_ledger_events_are_kept_in_order(register: Register) -> None:
    sha = make_record("bad").sha256
    register.log_event(sha, "claimed", original_name="bad.pdf", direction="incoming",
                       folder="vp", at=datetime(2026, 1, 2, 3, tzinfo=UTC))
    register.log_event(sha, LedgerEvent.QUARANTINED, original_name="bad.pdf",
                       direction="incoming", folder="vp",
                       detail={"reason": "encrypted", "step": "identify", "message": "pw"})
    entries = register.events_for(sha)
    assert [e.event for e in entries] == [LedgerEvent.CLAIMED, LedgerEvent.QUARANTINED]
    assert entries[0].at == datetime(2026, 1, 2, 3, tzinfo=UTC)
    assert entries[0].detail is None and entries[0].folder == "vp"
    assert entries[1].detail == {"reason": "encrypted", "step": "identify", "message": "pw"}
    assert register.events_for("f" * 64) == []
    with pytest.raises(ValueError):
        register.log_event(sha, "eaten", original_name="bad.pdf", direction="incoming")
    stats = register.stats()
    assert stats["events_claimed"] == 1 and stats["events_quarantined"] == 1


def test_duplicate_arrivals_are_counted_and_logged(register: Register) -> None:
    result = register.register_document(make_record("dup"), at=IN_2026)
    when = datetime(2026, 3, 5, 1, tzinfo=UTC)
    event = DuplicateEvent(original_name="copy of dup.pdf", folder="vp", direction="incoming",
                           received_at=when)
    register.add_duplicate_event(result.doc_id, event)
    register.add_duplicate_event(result.doc_id, event)
    doc = register.get_document(result.doc_id)
    assert doc is not None and doc.duplicates_received == 2
    entries = register.events_for(make_record("dup").sha256)
    assert [(e.event, e.doc_id, e.original_name, e.at) for e in entries] == [
        (LedgerEvent.DUPLICATE, result.doc_id, "copy of dup.pdf", when)
    ] * 2
    with pytest.raises(NotFound):
        register.add_duplicate_event("0" * 16, event)


def test_index_state_pending_then_indexed(register: Register) -> None:
    ids = [
        register.register_document(make_record(f"d{i}"), at=datetime(2026, 1, 1 + i, tzinfo=UTC))
        .doc_id
        for i in range(4)
    ]
    assert register.pending_index() == ids
    assert register.pending_index(limit=2) == ids[:2]
    assert register.mark_indexed(ids[:3] + ["unknown"]) == 3
    assert register.pending_index() == ids[3:]
    assert register.mark_index_pending([ids[0]]) == 1
    assert register.pending_index() == [ids[0], ids[3]]
    stats = register.stats()
    assert (stats["index_pending"], stats["index_indexed"]) == (2, 2)
    assert register.mark_indexed([]) == 0


def test_iter_documents_lists_every_document(register: Register) -> None:
    records = [make_record(f"it{i}", "outgoing" if i % 2 else "incoming") for i in range(5)]
    for record in records:
        register.register_document(record, at=IN_2026)
    listed = list(register.iter_documents())
    assert sorted(listed) == sorted((r.doc_id, r.record_key, r.sha256) for r in records)


def test_document_rows_cover_local_dates(register: Register) -> None:
    # 2026-02-28T17:30Z is already 1 March in Vietnam.
    times = {
        "feb": datetime(2026, 2, 28, 16, 0, tzinfo=UTC),
        "mar-early": datetime(2026, 2, 28, 17, 30, tzinfo=UTC),
        "mar-late": datetime(2026, 3, 31, 16, 59, tzinfo=UTC),
        "apr": datetime(2026, 3, 31, 17, 0, tzinfo=UTC),
    }
    for seed, when in times.items():
        register.register_document(
            make_record(seed, folder="vp", received_at=when, doc_type="Công văn",
                        issuing_body="BỘ NỘI VỤ"),
            at=when,
        )
    rows = register.document_rows(date(2026, 3, 1), date(2026, 3, 31))
    assert [r["received_at"] for r in rows] == [times["mar-early"], times["mar-late"]]
    assert rows[0]["direction"] == "incoming" and rows[0]["doc_type"] == "Công văn"
    assert rows[0]["issuing_body"] == "BỘ NỘI VỤ" and rows[0]["folder"] == "vp"
    assert {"doc_id", "year", "number", "book", "secrecy", "index_state"} <= set(rows[0])


def test_stats_count_documents_by_direction(register: Register) -> None:
    register.register_document(make_record("i1"), at=IN_2026)
    register.register_document(make_record("o1", "outgoing"), at=IN_2026)
    register.register_document(make_record("o2", "outgoing"), at=IN_2026)
    stats = register.stats()
    assert (stats["documents"], stats["incoming"], stats["outgoing"]) == (3, 1, 2)


def test_rebuild_from_records_restores_numbers(register: Register, register_url: str) -> None:
    records = []
    for i, direction in enumerate(["incoming", "outgoing", "incoming", "incoming"]):
        record = make_record(f"r{i}", direction, number_symbol=f"{i}/CV", issuing_body="SỞ A")
        result = register.register_document(record, at=IN_2026)
        records.append(record.model_copy(update={"registration": result.registration}))
    unregistered = make_record("never")
    register.mark_indexed([r.doc_id for r in records])

    # Disaster: the tables are lost.  The records in the store are not.
    with register.engine.begin() as conn:
        for table in ("documents", "counters", "events"):
            conn.exec_driver_sql(f"DELETE FROM {table}")
    assert register.rebuild_from_records([*records, unregistered]) == 4
    for record in records:
        doc = register.get_document(record.doc_id)
        assert doc is not None and record.registration is not None
        assert (doc.year, doc.number) == (record.registration.year, record.registration.number)
        assert doc.number_symbol == record.meta("number_symbol")
    assert register.find_by_sha256(unregistered.sha256) is None
    assert sorted(register.pending_index()) == sorted(r.doc_id for r in records)
    # New numbers continue after the restored ones.
    assert register.register_document(make_record("new-in"), at=IN_2026).number == 4
    assert register.register_document(make_record("new-out", "outgoing"), at=IN_2026).number == 2
    # Restoring again is harmless; a record claiming another's number is refused.
    assert register.rebuild_from_records(records) == 4
    thief = make_record("thief", registration=records[0].registration)
    with pytest.raises(RegisterConflict):
        register.rebuild_from_records([thief])
