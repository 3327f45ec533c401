"""The assignment status flow, its history, and what is overdue or due soon."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from ingest.tracking.assignments import (
    Assignment,
    Role,
    Status,
    TrackingRefused,
    assign,
    check_member,
    complete,
    deadline_digest,
    handled_on_time,
    move,
    return_to_clerk,
    start,
    work_list,
)
from ingest.tracking.deadlines import TrackingPolicy
from ingest.tracking.units import Unit

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int = 9, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=HANOI)


def test_the_flow_from_assignment_to_handled_leaves_a_history() -> None:
    assignment, created = assign("in-2026-0451", "so-tai-chinh", date(2026, 12, 15),
                                 "van.thu", at(7), instruction="  Đề nghị Sở Tài chính tham mưu ")
    assert assignment.status is Status.WAITING and assignment.role is Role.LEAD
    assert assignment.instruction == "Đề nghị Sở Tài chính tham mưu"
    assert (created.old, created.new, created.who) == (None, Status.WAITING, "van.thu")

    assignment, started = start(assignment, "lan.nguyen", at(8))
    assignment, handled = complete(assignment, "lan.nguyen", at(10, 16),
                                   "Đã trình UBND tỉnh phương án", answered_by="out-2026-0120")
    history = [created, started, handled]
    assert [(e.old, e.new) for e in history] == [
        (None, Status.WAITING), (Status.WAITING, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.DONE)]
    assert [e.when.day for e in history] == [7, 8, 10]
    assert handled.note == "Đã trình UBND tỉnh phương án"
    assert handled.answered_by == assignment.answered_by == "out-2026-0120"
    assert assignment.closed_on == date(2026, 12, 10)
    assert handled_on_time(assignment) is True


def test_a_reply_closes_a_waiting_assignment_and_late_is_late() -> None:
    assignment = Assignment("in-1", "van-phong", date(2026, 12, 1))
    done, entry = complete(assignment, "minh.tran", at(2), "Phúc đáp bằng Công văn 120/UBND-VP",
                           "out-9")
    assert (entry.old, entry.new) == (Status.WAITING, Status.DONE)
    assert handled_on_time(done) is False
    assert handled_on_time(assignment) is None


def test_returning_needs_a_reason_and_is_final() -> None:
    assignment = Assignment("in-2", "so-tai-chinh", date(2026, 12, 15))
    with pytest.raises(TrackingRefused) as caught:
        return_to_clerk(assignment, "lan.nguyen", at(8), "  ")
    assert caught.value.text("vi") == "Trả lại văn bản cần ghi lý do."
    returned, entry = return_to_clerk(assignment, "lan.nguyen", at(8), "Không thuộc thẩm quyền")
    assert returned.status is Status.RETURNED and returned.answered_by is None
    assert (entry.note, returned.returned_reason) == ("Không thuộc thẩm quyền",) * 2
    with pytest.raises(TrackingRefused) as caught:
        start(returned, "lan.nguyen", at(9))
    assert caught.value.text("vi") == (
        "Việc xử lý đã kết thúc (“trả lại”): không đổi được nữa; cần thì phân công lại.")
    assert "closed (“returned”)" in caught.value.message


@pytest.mark.parametrize(("status", "new", "vi"), [
    (Status.IN_PROGRESS, Status.WAITING,
     "Không thể chuyển văn bản từ “đang xử lý” sang “chờ xử lý”."),
    (Status.IN_PROGRESS, Status.IN_PROGRESS,
     "Không thể chuyển văn bản từ “đang xử lý” sang “đang xử lý”."),
    (Status.WAITING, Status.WAITING, "Không thể chuyển văn bản từ “chờ xử lý” sang “chờ xử lý”."),
    (Status.DONE, Status.IN_PROGRESS,
     "Việc xử lý đã kết thúc (“đã xử lý”): không đổi được nữa; cần thì phân công lại."),
])
def test_illegal_moves_are_refused_in_vietnamese_and_english(
        status: Status, new: Status, vi: str) -> None:
    assignment = Assignment("in-3", "so-tai-chinh", date(2026, 12, 15), status=status)
    with pytest.raises(TrackingRefused) as caught:
        move(assignment, new, "lan.nguyen", at(8), "ghi chú")
    assert caught.value.text("vi") == vi
    assert caught.value.text("en") == caught.value.message and "“" in caught.value.message


def test_handling_needs_a_result_note_and_a_time_zone() -> None:
    assignment = Assignment("in-4", "so-tai-chinh", date(2026, 12, 15))
    with pytest.raises(TrackingRefused, match="result note"):
        complete(assignment, "lan.nguyen", at(8), "")
    with pytest.raises(ValueError, match="time zone"):
        start(assignment, "lan.nguyen", datetime(2026, 12, 8, 9))


def test_only_a_member_may_act_for_a_unit() -> None:
    unit = Unit("so-tai-chinh", "Sở Tài chính", frozenset({"lan.nguyen"}))
    check_member(unit, "lan.nguyen")
    with pytest.raises(TrackingRefused) as caught:
        check_member(unit, "minh.tran")
    assert caught.value.text("vi") == "minh.tran không thuộc đơn vị Sở Tài chính."


def test_the_digest_finds_the_overdue_and_the_due_in_two_working_days() -> None:
    def open_one(doc: str, unit: str, deadline: date, status: Status = Status.WAITING
                 ) -> Assignment:
        return Assignment(doc, unit, deadline, status=status)

    assignments = [
        open_one("a", "stc", date(2026, 8, 21)),                  # Friday before the swap
        open_one("b", "stc", date(2026, 8, 28), Status.IN_PROGRESS),
        open_one("c", "vp", date(2026, 8, 22)),                   # make-up Saturday: today
        open_one("d", "vp", date(2026, 8, 24)),
        open_one("e", "vp", date(2026, 8, 25)),
        open_one("f", "vp", date(2026, 8, 26)),                   # 3 working days ahead
        open_one("g", "stc", date(2026, 8, 20), Status.DONE),
        open_one("h", "stc", date(2026, 8, 20), Status.RETURNED),
    ]
    digest = deadline_digest(assignments, date(2026, 8, 22))  # a make-up working Saturday
    assert [(late.assignment.doc_id, late.working_days) for late in digest.overdue] == [("a", 1)]
    assert [a.doc_id for a in digest.due_soon] == ["c", "d", "e"]
    assert digest.units == ["stc", "vp"]
    assert digest.for_unit("stc").due_soon == ()
    # Across the Quốc khánh break: Friday 28/8 + 2 working days is Thursday 3/9.
    later = deadline_digest(assignments, date(2026, 8, 28))
    assert [a.doc_id for a in later.due_soon] == ["b"]
    assert [(x.assignment.doc_id, x.working_days) for x in later.overdue][:2] == [
        ("a", 6), ("c", 5)]  # the make-up Saturday 22/8 counts for "a"
    wider = deadline_digest(assignments, date(2026, 8, 22), TrackingPolicy(due_soon_days=3))
    assert [a.doc_id for a in wider.due_soon] == ["c", "d", "e", "f"]


def test_a_unit_work_list_puts_the_earliest_deadline_first() -> None:
    assignments = [Assignment("x", "stc", date(2026, 12, 20)),
                   Assignment("y", "stc", date(2026, 12, 1), status=Status.IN_PROGRESS),
                   Assignment("z", "vp", date(2026, 11, 1)),
                   Assignment("w", "stc", date(2026, 11, 1), status=Status.DONE)]
    assert [a.doc_id for a in work_list(assignments, "stc")] == ["y", "x"]
