"""The daily deadline digests on a real register: files per unit, re-runs, secrecy, e-mail marks.

The day is Wednesday 29/4/2026.  Monday 27/4 was off (Giỗ Tổ fell on Sunday
26/4) and Thursday 30/4 and Friday 1/5 are off, so a deadline of Friday 24/4
is 2 working days late (not 3), and "due within 2 working days" reaches
Tuesday 5/5 (not Friday 1/5): the letter due on Monday 4/5 is due soon.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ingest.audit import AuditLog
from ingest.backends import Backends, open_backends
from ingest.pipeline import Outcome, ingest_once
from ingest.tracking.setup import tracking_setup
from ingest.tracking_digests import (
    digests_to_email,
    load_digest_run,
    publish_deadline_digests,
    record_emailed,
)
from ingest.tracking_service import Actor, assign_document, mark_handled
from kernel.settings import Settings, load_settings
from tests.ingest.test_secrecy import cong_van

DAY = date(2026, 4, 29)
UNITS: list[dict[str, Any]] = [
    {"code": "so-tai-chinh", "name": "Sở Tài chính", "members": ["lan"],
     "emails": ["stc@hanam.gov.vn", "lan@hanam.gov.vn"]},
    {"code": "so-noi-vu", "name": "Sở Nội vụ", "members": ["minh"]}]
CLERK = Actor("van.thu", max_secrecy=0)
CLEARED = Actor("chanh.van.phong", max_secrecy=3)
# name: (number, secrecy mark, unit, deadline)
LETTERS = {"cv-45.txt": (45, "", "so-tai-chinh", date(2026, 4, 24)),  # overdue
           "cv-46.txt": (46, "", "so-tai-chinh", date(2026, 5, 4)),  # due soon, past the holiday
           "cv-47.txt": (47, "", "so-noi-vu", date(2026, 5, 6)),  # beyond the window
           "cv-48.txt": (48, "MẬT", "so-tai-chinh", date(2026, 4, 20)),  # secret, overdue
           "cv-49.txt": (49, "", "so-tai-chinh", date(2026, 4, 23))}  # handled


def prepare_office(settings: Settings) -> dict[str, str]:
    """Ingest ``LETTERS``, assign each, mark cv-49 handled: name -> doc id."""
    for name, (number, mark, _unit, _deadline) in LETTERS.items():
        path = settings.inbox_location / "incoming" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(cong_van(number, mark), encoding="utf-8")
    setup = tracking_setup(settings)
    with open_backends(settings) as backends:
        report = ingest_once(settings, backends, wait=False)
        assert report.count(Outcome.ARCHIVED) == len(LETTERS), report.files
        docs = {f.original_name: f.doc_id or "" for f in report.files}
        audit = AuditLog(backends.register.engine)
        audit.create_schema()
        for name, (_n, mark, unit, deadline) in LETTERS.items():
            assign_document(backends, audit, setup, docs[name], unit,
                            CLEARED if mark else CLERK, deadline=deadline)
        mark_handled(backends, audit, setup, docs["cv-49.txt"], None, CLERK, "Đã trả lời")
    return docs


@pytest.fixture
def office(tmp_path: Path) -> Iterator[tuple[Settings, Backends, dict[str, str]]]:
    settings = load_settings(data_dir=tmp_path / "var", quiet_seconds=0.0, tracking_units=UNITS)
    docs = prepare_office(settings)
    with open_backends(settings) as backends:
        yield settings, backends, docs


def test_each_unit_gets_its_files_with_overdue_and_due_soon(
    office: tuple[Settings, Backends, dict[str, str]],
) -> None:
    settings, backends, docs = office
    run = publish_deadline_digests(settings, backends, DAY)
    folder = settings.digests_location / "2026-04-29"
    assert run.folder == folder
    assert sorted(p.name for p in folder.iterdir()) == [
        "so-noi-vu.json", "so-noi-vu.md", "so-tai-chinh.json", "so-tai-chinh.md"]
    page = (folder / "so-tai-chinh.md").read_text(encoding="utf-8")
    assert page.startswith("# Văn bản đến quá hạn và sắp đến hạn xử lý: Sở Tài chính")
    assert "Ngày 29/04/2026" in page and "Chỉ gồm văn bản thường (không mật)." in page
    assert "## Quá hạn (1)" in page and "| 45/SNV-VP |" in page
    assert "| 24/04/2026 | 2 ngày làm việc |" in page
    assert "## Sắp đến hạn, đến hết ngày 05/05/2026 (1)" in page and "| 46/SNV-VP |" in page
    for absent in ("47/SNV-VP", "48/SNV-VP", "49/SNV-VP"):  # too far, secret, handled
        assert absent not in page
    data = json.loads((folder / "so-tai-chinh.json").read_text(encoding="utf-8"))
    assert [(d["doc_id"], d["overdue_working_days"]) for d in data["overdue"]] == [
        (docs["cv-45.txt"], 2)]
    assert [d["doc_id"] for d in data["due_soon"]] == [docs["cv-46.txt"]]
    assert data["max_secrecy"] == 0
    quiet = (folder / "so-noi-vu.md").read_text(encoding="utf-8")
    assert "Không có văn bản nào quá hạn." in quiet
    assert "Không có văn bản nào sắp đến hạn." in quiet
    assert run.summary() == {"day": "2026-04-29", "folder": str(folder), "units": 2,
                             "overdue": 1, "due_soon": 1}


def test_a_rerun_the_same_day_replaces_and_never_duplicates(
    office: tuple[Settings, Backends, dict[str, str]],
) -> None:
    settings, backends, docs = office
    publish_deadline_digests(settings, backends, DAY)
    setup = tracking_setup(settings)
    mark_handled(backends, AuditLog(backends.register.engine), setup, docs["cv-45.txt"], None,
                 CLERK, "Đã xử lý")
    # A unit that left the settings: its files of the day go with it.
    fewer = settings.model_copy(update={"tracking_units": settings.tracking_units[:1]})
    run = publish_deadline_digests(fewer, backends, DAY)
    folder = run.folder
    assert sorted(p.name for p in folder.iterdir()) == ["so-tai-chinh.json", "so-tai-chinh.md"]
    page = (folder / "so-tai-chinh.md").read_text(encoding="utf-8")
    assert "## Quá hạn (0)" in page and "45/SNV-VP" not in page and "46/SNV-VP" in page
    english = publish_deadline_digests(settings, backends, DAY, language="en")
    assert "## Overdue (0)" in english.written[0].markdown.read_text(encoding="utf-8")


def test_secret_documents_only_when_a_setting_allows_them(
    office: tuple[Settings, Backends, dict[str, str]],
) -> None:
    settings, backends, docs = office
    cleared = settings.model_copy(update={"tracking_digest_max_secrecy": 1})
    run = publish_deadline_digests(cleared, backends, DAY)
    page = run.written[0].markdown.read_text(encoding="utf-8")
    assert "48/SNV-VP" in page and "## Quá hạn (2)" in page
    assert "Gồm cả văn bản mật đến mức MẬT" in page


def test_email_goes_once_per_digest_on_working_days_to_units_with_addresses(
    office: tuple[Settings, Backends, dict[str, str]],
) -> None:
    settings, backends, docs = office
    assert digests_to_email(settings, DAY) == []  # nothing written yet
    publish_deadline_digests(settings, backends, DAY)
    [due] = digests_to_email(settings, DAY)  # so-noi-vu has no address (and nothing to say)
    assert due.recipients == ("stc@hanam.gov.vn", "lan@hanam.gov.vn")
    assert due.subject == "[Docket] Sở Tài chính: 1 văn bản quá hạn, 1 sắp đến hạn (29/04/2026)"
    assert "<td>45/SNV-VP</td>" in due.html
    record_emailed(due)
    assert digests_to_email(settings, DAY) == []  # a re-run sends nothing twice
    publish_deadline_digests(settings, backends, DAY)
    assert digests_to_email(settings, DAY) == []  # the same digest again
    mark_handled(backends, AuditLog(backends.register.engine), tracking_setup(settings),
                 docs["cv-46.txt"], None, CLERK, "Đã xử lý")
    publish_deadline_digests(settings, backends, DAY)
    assert [w.digest.unit.code for w in digests_to_email(settings, DAY)] == ["so-tai-chinh"]
    holiday = date(2026, 5, 1)
    publish_deadline_digests(settings, backends, holiday)
    assert digests_to_email(settings, holiday) == []  # files, but no mail on a day off
    run = load_digest_run(settings, holiday)
    assert run is not None and [w.digest.unit.code for w in run.written] == [
        "so-noi-vu", "so-tai-chinh"]
