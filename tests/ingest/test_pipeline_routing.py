"""Routing by the inbox folder: a registered incoming document is pre-assigned to its unit."""

from __future__ import annotations

from pathlib import Path

from ingest.backends import open_backends
from ingest.pipeline import Outcome, ingest_once
from ingest.tracking.assignments import Role, Status
from ingest.tracking.routing import ROUTER
from ingest.tracking.setup import tracking_setup
from kernel.settings import Settings, load_settings

LETTER = ("ỦY BAN NHÂN DÂN TỈNH HÀ NAM\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
          "Độc lập - Tự do - Hạnh phúc\nSố: {n}/UBND-VX\nV/v báo cáo số liệu quý I\n"
          "Đề nghị Sở Tài chính báo cáo số liệu trước ngày 15.\n")
UNITS = [{"code": "so-tai-chinh", "name": "Sở Tài chính", "members": ["lan.nguyen"]},
         {"code": "van-phong", "name": "Văn phòng UBND", "folder": "Văn phòng"}]


def settings_for(tmp_path: Path) -> Settings:
    return load_settings(data_dir=tmp_path / "var", quiet_seconds=0.0, tracking_units=UNITS)


def drop(settings: Settings, relative: str, number: int) -> None:
    path = settings.inbox_location / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(LETTER.format(n=number), encoding="utf-8")


def test_a_file_in_a_units_folder_is_assigned_with_the_default_deadline(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    drop(settings, "incoming/so-tai-chinh/2026/cv-45.txt", 45)
    drop(settings, "incoming/Văn phòng/cv-46.txt", 46)
    drop(settings, "incoming/cv-47.txt", 47)  # no unit folder
    drop(settings, "incoming/so-xay-dung/cv-48.txt", 48)  # no such unit
    drop(settings, "outgoing/so-tai-chinh/cv-49.txt", 49)  # outgoing: never routed
    with open_backends(settings) as backends:
        report = ingest_once(settings, backends, wait=False)
        assert report.count(Outcome.ARCHIVED) == 5, report.files
        doc_of = {f.original_name: f.doc_id for f in report.files}
        register = backends.register
        routed = {t.assignment.doc_id: t for t in register.open_assignments(max_secrecy=0)}
        assert set(routed) == {doc_of["cv-45.txt"], doc_of["cv-46.txt"]}
        finance = routed[doc_of["cv-45.txt"]]
        assert (finance.assignment.unit, finance.assignment.role, finance.assignment.status,
                finance.assigned_by) == ("so-tai-chinh", Role.LEAD, Status.WAITING, ROUTER)
        day = finance.assigned_at.astimezone(register.tz).date()
        assert finance.assignment.deadline == tracking_setup(settings).default_deadline(
            day, None)
        assert routed[doc_of["cv-46.txt"]].assignment.unit == "van-phong"


def test_without_units_nothing_is_routed(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "var", quiet_seconds=0.0)
    drop(settings, "incoming/so-tai-chinh/cv-45.txt", 45)
    with open_backends(settings) as backends:
        ingest_once(settings, backends, wait=False)
        assert backends.register.open_assignments(max_secrecy=3) == []
