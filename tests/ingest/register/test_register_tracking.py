"""Document tracking in the register, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from ingest.register import Register
from ingest.register.engine import open_engine
from ingest.tracking.assignments import (
    Role,
    Status,
    TrackingRefused,
    assign,
    complete,
    deadline_digest,
    return_to_clerk,
    start,
)
from kernel.errors import NotFound
from tests.ingest.register.records import make_record

HANOI = timezone(timedelta(hours=7))
AT = datetime(2026, 3, 2, 9, 0, tzinfo=HANOI)
REGISTERED = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
CLEARED, UNCLEARED = 3, 0


def registered(register: Register, seed: str, direction: str = "incoming", **meta: str) -> str:
    return register.register_document(make_record(seed, direction, **meta),
                                      at=REGISTERED).doc_id


def assigned(register: Register, doc_id: str, unit: str, deadline: date,
             role: Role = Role.LEAD) -> int:
    [new_id] = register.add_assignments([assign(doc_id, unit, deadline, "van.thu", AT,
                                                role=role, instruction="Xem xét, trả lời")])
    return new_id


def test_an_assignment_is_stored_with_its_first_history_entry(register: Register) -> None:
    doc = registered(register, "cv-45", number_symbol="45/UBND-VX", subject="Về việc A")
    lead = assigned(register, doc, "so-tai-chinh", date(2026, 3, 16))
    assigned(register, doc, "so-noi-vu", date(2026, 3, 16), Role.COOPERATING)
    found = register.assignments_of(doc, max_secrecy=UNCLEARED)
    assert [(t.assignment.unit, t.assignment.role, t.assignment.status) for t in found] == [
        ("so-tai-chinh", Role.LEAD, Status.WAITING),
        ("so-noi-vu", Role.COOPERATING, Status.WAITING)]
    first = found[0]
    assert (first.id, first.label, first.number_symbol, first.subject) == (
        lead, "1/2026", "45/UBND-VX", "Về việc A")
    assert first.assignment.instruction == "Xem xét, trả lời"
    assert first.assigned_by == "van.thu" and first.assigned_at == AT
    [entry] = register.assignment_history(lead, max_secrecy=UNCLEARED)
    assert (entry.who, entry.when, entry.old, entry.new) == ("van.thu", AT, None,
                                                             Status.WAITING)


def test_the_status_flow_is_stored_with_every_change_in_history(register: Register) -> None:
    doc = registered(register, "cv-46")
    reply = registered(register, "cv-reply", "outgoing")
    lead = assigned(register, doc, "so-tai-chinh", date(2026, 3, 16))
    with register.changing_assignment(lead, max_secrecy=UNCLEARED) as change:
        change.moved = start(change.current.assignment, "lan.nguyen", AT + timedelta(days=1))
    with register.changing_assignment(lead, max_secrecy=UNCLEARED) as change:
        change.moved = complete(change.current.assignment, "lan.nguyen",
                                AT + timedelta(days=3), "Đã trả lời", answered_by=reply)
    [done] = register.assignments_of(doc, max_secrecy=UNCLEARED)
    assert done.assignment.status is Status.DONE
    assert (done.assignment.result_note, done.assignment.answered_by,
            done.assignment.closed_on) == ("Đã trả lời", reply, date(2026, 3, 5))
    history = register.assignment_history(lead, max_secrecy=UNCLEARED)
    assert [(h.old, h.new, h.who) for h in history] == [
        (None, Status.WAITING, "van.thu"),
        (Status.WAITING, Status.IN_PROGRESS, "lan.nguyen"),
        (Status.IN_PROGRESS, Status.DONE, "lan.nguyen")]
    assert history[-1].answered_by == reply and history[-1].note == "Đã trả lời"


def test_a_refused_move_changes_nothing(register: Register) -> None:
    doc = registered(register, "cv-47")
    lead = assigned(register, doc, "so-tai-chinh", date(2026, 3, 16))
    with register.changing_assignment(lead, max_secrecy=UNCLEARED) as change:
        change.moved = return_to_clerk(change.current.assignment, "lan", AT, "Sai đơn vị")
    with pytest.raises(TrackingRefused), \
            register.changing_assignment(lead, max_secrecy=UNCLEARED) as change:
        change.moved = start(change.current.assignment, "lan", AT)
    [returned] = register.assignments_of(doc, max_secrecy=UNCLEARED)
    assert returned.assignment.status is Status.RETURNED
    assert returned.assignment.returned_reason == "Sai đơn vị"
    assert len(register.assignment_history(lead, max_secrecy=UNCLEARED)) == 2
    # Returned is closed: the unit can be assigned the document again.
    assigned(register, doc, "so-tai-chinh", date(2026, 3, 20))


def test_assigning_is_refused_for_what_cannot_be_handled(register: Register) -> None:
    doc = registered(register, "cv-48")
    outgoing = registered(register, "cv-out", "outgoing")
    assigned(register, doc, "so-tai-chinh", date(2026, 3, 16))
    with pytest.raises(TrackingRefused) as caught:
        assigned(register, doc, "so-tai-chinh", date(2026, 3, 20))
    assert caught.value.key == "tracking_already_assigned"
    with pytest.raises(TrackingRefused) as caught:
        assigned(register, outgoing, "so-tai-chinh", date(2026, 3, 20))
    assert caught.value.key == "tracking_not_incoming"
    with pytest.raises(NotFound):
        assigned(register, "0" * 16, "so-tai-chinh", date(2026, 3, 20))
    with pytest.raises(NotFound), register.changing_assignment(999, max_secrecy=CLEARED):
        pass


def test_a_units_open_list_is_sorted_by_deadline_overdue_first(register: Register) -> None:
    docs = [registered(register, f"cv-{n}") for n in range(4)]
    assigned(register, docs[0], "so-tai-chinh", date(2026, 3, 20))
    assigned(register, docs[1], "so-tai-chinh", date(2026, 3, 2))  # overdue on 10/3
    assigned(register, docs[2], "so-noi-vu", date(2026, 3, 1))
    closed = assigned(register, docs[3], "so-tai-chinh", date(2026, 2, 27))
    with register.changing_assignment(closed, max_secrecy=UNCLEARED) as change:
        change.moved = complete(change.current.assignment, "lan", AT, "Xong")
    mine = register.open_assignments(max_secrecy=UNCLEARED, unit="so-tai-chinh")
    assert [t.assignment.doc_id for t in mine] == [docs[1], docs[0]]
    everyone = register.open_assignments(max_secrecy=UNCLEARED)
    assert [t.assignment.doc_id for t in everyone] == [docs[2], docs[1], docs[0]]
    soon = register.open_assignments(max_secrecy=UNCLEARED, due_by=date(2026, 3, 12))
    digest = deadline_digest([t.assignment for t in soon], date(2026, 3, 10))
    assert [(late.assignment.doc_id, late.working_days) for late in digest.overdue] == [
        (docs[2], 7), (docs[1], 6)]
    assert digest.due_soon == ()
    digest = deadline_digest([t.assignment for t in everyone], date(2026, 3, 18))
    assert [a.doc_id for a in digest.due_soon] == [docs[0]]


def test_assignments_match_by_units_statuses_and_deadline(register: Register) -> None:
    docs = [registered(register, f"cv-m{n}") for n in range(4)]
    secret = registered(register, "cv-m-mat", secrecy="MẬT")
    assigned(register, docs[0], "so-tai-chinh", date(2026, 3, 20))
    assigned(register, docs[1], "so-tai-chinh", date(2026, 3, 2))
    assigned(register, docs[1], "so-noi-vu", date(2026, 3, 2), Role.COOPERATING)
    done = assigned(register, docs[2], "so-noi-vu", date(2026, 2, 27))
    with register.changing_assignment(done, max_secrecy=UNCLEARED) as change:
        change.moved = complete(change.current.assignment, "minh", AT, "Xong")
    assigned(register, secret, "so-tai-chinh", date(2026, 3, 1))

    def found(**wanted: object) -> list[tuple[str, str]]:
        wanted.setdefault("max_secrecy", UNCLEARED)
        return [(t.assignment.doc_id, t.assignment.unit)
                for t in register.assignments_matching(**wanted)]  # type: ignore[arg-type]

    assert found() == [(docs[2], "so-noi-vu"), (docs[1], "so-noi-vu"),
                       (docs[1], "so-tai-chinh"), (docs[0], "so-tai-chinh")]
    assert found(units=["so-noi-vu"]) == [(docs[2], "so-noi-vu"), (docs[1], "so-noi-vu")]
    assert found(statuses=["done"]) == [(docs[2], "so-noi-vu")]
    assert found(units=["so-tai-chinh"], statuses=["waiting", "in_progress"],
                 due_by=date(2026, 3, 9)) == [(docs[1], "so-tai-chinh")]
    assert found(units=[]) == []
    assert found(max_secrecy=1, due_by=date(2026, 3, 1)) == [(docs[2], "so-noi-vu"),
                                                              (secret, "so-tai-chinh")]
    assert secret not in {doc for doc, _ in found()}


def test_a_secret_documents_assignment_is_seen_only_by_the_cleared(register: Register) -> None:
    secret = registered(register, "cv-mat", secrecy="MẬT")
    lead = assigned(register, secret, "so-tai-chinh", date(2026, 3, 16))
    assert register.assignments_of(secret, max_secrecy=UNCLEARED) == []
    assert register.open_assignments(max_secrecy=UNCLEARED) == []
    assert register.assignment_history(lead, max_secrecy=UNCLEARED) == []
    with pytest.raises(NotFound), register.changing_assignment(lead, max_secrecy=UNCLEARED):
        pass
    [seen] = register.open_assignments(max_secrecy=1)
    assert seen.label == "1/2026-M" and seen.secrecy == 1


def test_routing_pre_assigns_only_documents_without_an_assignment(register: Register) -> None:
    routed, taken = registered(register, "cv-routed"), registered(register, "cv-taken")
    assigned(register, taken, "so-noi-vu", date(2026, 3, 16))
    made = [assign(doc, "so-tai-chinh", date(2026, 3, 16), "docket", AT)
            for doc in (routed, taken)]
    assert len(register.pre_assign(made)) == 1
    assert register.pre_assign(made) == []  # a re-run routes nothing twice
    units = {t.assignment.doc_id: t.assignment.unit
             for t in register.open_assignments(max_secrecy=UNCLEARED)}
    assert units == {routed: "so-tai-chinh", taken: "so-noi-vu"}


def test_the_tracking_register_rows_follow_the_arrival_numbers(register: Register) -> None:
    first, second = registered(register, "cv-a"), registered(register, "cv-b")
    registered(register, "cv-unassigned")
    assigned(register, second, "so-noi-vu", date(2026, 3, 16), Role.COOPERATING)
    assigned(register, second, "so-tai-chinh", date(2026, 3, 16))
    assigned(register, first, "so-xay-dung", date(2026, 3, 12))
    rows = register.assignments_registered(2026, max_secrecy=UNCLEARED)
    assert [(t.label, t.assignment.unit) for t in rows] == [
        ("1/2026", "so-xay-dung"), ("2/2026", "so-tai-chinh"), ("2/2026", "so-noi-vu")]
    assert register.assignments_registered(2025, max_secrecy=UNCLEARED) == []


def test_a_register_from_before_tracking_gains_its_tables(register_url: str) -> None:
    from tests.ingest.register.test_register_secret_book import _legacy_database

    doc_ids = _legacy_database(register_url)
    register = Register(open_engine(register_url), "Asia/Ho_Chi_Minh")
    try:
        register.create_schema()
        assert register.open_assignments(max_secrecy=CLEARED) == []
        assigned(register, doc_ids[0], "so-tai-chinh", date(2026, 3, 16))
        [found] = register.assignments_of(doc_ids[0], max_secrecy=UNCLEARED)
        assert found.label == "1/2026"
    finally:
        register.close()
