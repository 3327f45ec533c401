"""Tracking operations on real backends (the embedded default): register, store, audit chain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from ingest.audit import AuditFilter, AuditLog
from ingest.backends import Backends, open_backends
from ingest.pipeline import Outcome, ingest_once
from ingest.secrecy import change_secrecy
from ingest.tracking.assignments import Role, Status, TrackingRefused
from ingest.tracking.setup import TrackingSetup, tracking_setup
from ingest.tracking_service import (
    ASSIGN_ACTION,
    TRACK_ACTION,
    Actor,
    assign_document,
    digest_for,
    handling_deadline,
    mark_handled,
    return_assignment,
    start_handling,
)
from kernel.errors import NotFound
from kernel.settings import load_settings

HANOI = timezone(timedelta(hours=7))
LETTER = ("ỦY BAN NHÂN DÂN TỈNH HÀ NAM\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
          "Độc lập - Tự do - Hạnh phúc\nSố: {n}/UBND-VX\nV/v báo cáo số liệu quý I\n"
          "Đề nghị các đơn vị báo cáo số liệu.\n")
UNITS = [{"code": "so-tai-chinh", "name": "Sở Tài chính", "members": ["lan.nguyen"]},
         {"code": "so-noi-vu", "name": "Sở Nội vụ", "members": ["minh.tran"]}]
CLERK = Actor("van.thu", max_secrecy=0)


@dataclass
class Office:
    backends: Backends
    audit: AuditLog
    setup: TrackingSetup
    docs: dict[str, str]  # file name -> doc id


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    settings = load_settings(data_dir=tmp_path / "var", quiet_seconds=0.0, tracking_units=UNITS)
    for n, relative in enumerate(("incoming/cv-45.txt", "incoming/cv-46.txt",
                                  "outgoing/tra-loi.txt"), 45):
        path = settings.inbox_location / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(LETTER.format(n=n), encoding="utf-8")
    with open_backends(settings) as backends:
        report = ingest_once(settings, backends, wait=False)
        assert report.count(Outcome.ARCHIVED) == 3, report.files
        audit = AuditLog(backends.register.engine)
        audit.create_schema()
        yield Office(backends, audit, tracking_setup(settings),
                     {f.original_name: f.doc_id or "" for f in report.files})


def test_assigning_stores_lead_and_cooperating_units_and_audits_each(office: Office) -> None:
    doc = office.docs["cv-45.txt"]
    today = datetime.now(HANOI).date()
    deadline = handling_deadline(office.backends, office.setup, doc, today=today)
    assert deadline > today  # an ordinary document: 10 working days after registration
    made = assign_document(office.backends, office.audit, office.setup, doc, "so-tai-chinh",
                           CLERK, cooperating=["so-noi-vu"], deadline=deadline,
                           instruction="Chủ trì tham mưu trả lời")
    assert [(t.assignment.unit, t.assignment.role) for t in made] == [
        ("so-tai-chinh", Role.LEAD), ("so-noi-vu", Role.COOPERATING)]
    entries = office.audit.entries(AuditFilter(doc_id=doc, action=ASSIGN_ACTION))
    assert sorted(e.detail.split(" ")[0] for e in entries) == ["so-noi-vu", "so-tai-chinh"]
    assert all(e.username == "van.thu" for e in entries)


def test_a_unit_starts_and_handles_with_the_answering_outgoing_document(office: Office) -> None:
    doc, reply = office.docs["cv-45.txt"], office.docs["tra-loi.txt"]
    assign_document(office.backends, office.audit, office.setup, doc, "so-tai-chinh", CLERK,
                    deadline=date(2099, 1, 2))
    member = Actor("lan.nguyen", max_secrecy=0, as_member=True)
    started = start_handling(office.backends, office.audit, office.setup, doc, None, member)
    assert started.assignment.status is Status.IN_PROGRESS
    done = mark_handled(office.backends, office.audit, office.setup, doc, "so-tai-chinh",
                        member, "Đã có văn bản trả lời", answered_by=reply)
    assert (done.assignment.status, done.assignment.answered_by) == (Status.DONE, reply)
    history = office.backends.register.assignment_history(done.id, max_secrecy=0)
    assert [h.new for h in history] == [Status.WAITING, Status.IN_PROGRESS, Status.DONE]
    changes = office.audit.entries(AuditFilter(doc_id=doc, action=TRACK_ACTION))
    assert [e.detail.split(":")[1].strip() for e in reversed(changes)] == [
        "waiting -> in_progress", "in_progress -> done (trả lời bằng " + reply + ")"]
    assert office.audit.verify().ok


def test_what_a_unit_member_or_a_clerk_may_not_do(office: Office) -> None:
    doc = office.docs["cv-46.txt"]
    with pytest.raises(TrackingRefused) as caught:
        assign_document(office.backends, office.audit, office.setup, doc, "so-xay-dung", CLERK,
                        deadline=date(2099, 1, 2))
    assert caught.value.key == "tracking_unknown_unit"
    with pytest.raises(TrackingRefused):  # an outgoing document is not assigned
        assign_document(office.backends, office.audit, office.setup,
                        office.docs["tra-loi.txt"], "so-tai-chinh", CLERK,
                        deadline=date(2099, 1, 2))
    assign_document(office.backends, office.audit, office.setup, doc, "so-tai-chinh", CLERK,
                    deadline=date(2099, 1, 2))
    outsider = Actor("minh.tran", max_secrecy=0, as_member=True)
    with pytest.raises(TrackingRefused) as caught:
        start_handling(office.backends, office.audit, office.setup, doc, None, outsider)
    assert caught.value.key == "tracking_not_member"
    with pytest.raises(TrackingRefused) as caught:  # an incoming document does not answer
        mark_handled(office.backends, office.audit, office.setup, doc, None, CLERK, "x",
                     answered_by=office.docs["cv-45.txt"])
    assert caught.value.key == "tracking_answer_not_outgoing"
    returned = return_assignment(office.backends, office.audit, office.setup, doc, None,
                                 CLERK, "Không thuộc thẩm quyền")
    assert returned.assignment.returned_reason == "Không thuộc thẩm quyền"
    assert office.audit.count(AuditFilter(doc_id=doc, action=TRACK_ACTION)) == 1


def test_a_secret_documents_assignment_is_for_the_cleared_only(office: Office) -> None:
    doc = office.docs["cv-46.txt"]
    change_secrecy(office.backends, doc, "MẬT", by="admin", reason="QĐ 1/QĐ-UBND")
    with pytest.raises(NotFound):
        assign_document(office.backends, office.audit, office.setup, doc, "so-tai-chinh",
                        CLERK, deadline=date(2099, 1, 2))
    cleared = Actor("truong.phong", max_secrecy=1)
    assign_document(office.backends, office.audit, office.setup, doc, "so-tai-chinh", cleared,
                    deadline=date(2099, 1, 2))
    with pytest.raises(TrackingRefused):  # for the uncleared it has no assignment at all
        start_handling(office.backends, office.audit, office.setup, doc, None, CLERK)
    assert start_handling(office.backends, office.audit, office.setup, doc, None,
                          cleared).assignment.status is Status.IN_PROGRESS


def test_the_digest_tells_overdue_and_due_soon(office: Office) -> None:
    late, soon = office.docs["cv-45.txt"], office.docs["cv-46.txt"]
    assign_document(office.backends, office.audit, office.setup, late, "so-tai-chinh", CLERK,
                    deadline=date(2026, 3, 2))
    assign_document(office.backends, office.audit, office.setup, soon, "so-noi-vu", CLERK,
                    deadline=date(2026, 3, 11))
    digest = digest_for(office.backends, office.setup, date(2026, 3, 10), max_secrecy=0)
    assert [(x.assignment.doc_id, x.working_days) for x in digest.overdue] == [(late, 6)]
    assert [a.doc_id for a in digest.due_soon] == [soon]
    assert digest.units == ["so-noi-vu", "so-tai-chinh"]
