"""The monthly report on a small register: counts, comparisons and the three files."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ingest.backends import Backends, open_backends
from ingest.errors import UsageError
from ingest.reports import Month, build_monthly_report, publish_monthly_report, report_key
from ingest.settings import Settings
from tests.ingest.register.records import make_record

CV, QD, TT = "Công văn", "Quyết định", "Tờ trình"
UBND, BO = "UBND tỉnh Hà Giang", "Bộ Tài chính"

# (received_at UTC, direction, doc_type, issuing_body, folder)
DOCUMENTS = [
    *[(datetime(2024, 3, d, 3, tzinfo=UTC), "incoming", CV, UBND, "phong-noi-vu")
      for d in (4, 5, 6)],
    (datetime(2024, 3, 20, 9, tzinfo=UTC), "incoming", QD, None, "van-thu"),
    # 01:00 on March 1st in Hà Nội: a March document although it is still February in UTC.
    (datetime(2024, 2, 29, 18, tzinfo=UTC), "incoming", QD, BO, "van-thu"),
    (datetime(2024, 3, 11, 2, tzinfo=UTC), "outgoing", TT, UBND, "van-phong"),
    *[(datetime(2024, 2, d, 2, tzinfo=UTC), "incoming", CV, BO, "phong-noi-vu") for d in (1, 2)],
    (datetime(2024, 1, 15, 2, tzinfo=UTC), "incoming", QD, BO, "van-thu"),
    *[(datetime(2023, 3, d, 2, tzinfo=UTC), "incoming", CV, UBND, "van-thu") for d in (1, 2, 3, 4)],
    (datetime(2023, 2, 10, 2, tzinfo=UTC), "outgoing", TT, UBND, "van-phong"),
    (datetime(2024, 4, 2, 2, tzinfo=UTC), "incoming", CV, UBND, "van-thu"),  # after the month
]


@pytest.fixture
def archive(tmp_path: Path) -> tuple[Settings, Backends]:
    settings = Settings(root=tmp_path, data_dir=tmp_path / "var")
    backends = open_backends(settings)
    for n, (received_at, direction, doc_type, body, folder) in enumerate(DOCUMENTS):
        metadata = {"doc_type": doc_type} | ({"issuing_body": body} if body else {})
        record = make_record(f"report document {n}", direction, folder=folder,
                             received_at=received_at, **metadata)
        backends.register.register_document(record, at=received_at)
    yield settings, backends
    backends.close()


def test_totals_compare_previous_month_last_year_and_year_to_date(archive) -> None:
    _settings, backends = archive
    report = build_monthly_report(backends.register, Month(2024, 3))
    incoming, outgoing = report.totals["incoming"], report.totals["outgoing"]
    assert (incoming.current, incoming.previous, incoming.last_year, incoming.year_to_date) == (
        5, 2, 4, 8)
    assert (outgoing.current, outgoing.previous, outgoing.last_year, outgoing.year_to_date) == (
        1, 0, 0, 1)
    assert report.summary() == {"incoming": 5, "incoming_ytd": 8, "outgoing": 1,
                                "outgoing_ytd": 1}


def test_breakdowns_by_type_body_and_department(archive) -> None:
    _settings, backends = archive
    report = build_monthly_report(backends.register, Month(2024, 3))
    by_type = {r.value: r.counts for r in report.breakdown("doc_type", "incoming")}
    assert by_type[CV].current == 3 and by_type[CV].previous == 2 and by_type[CV].last_year == 4
    assert by_type[QD].current == 2 and by_type[QD].year_to_date == 3
    bodies = [(r.value, r.counts.current) for r in report.breakdown("issuing_body", "incoming")]
    assert bodies == [(UBND, 3), (BO, 1), ("", 1)]  # "not stated" comes last
    folders = {r.value: r.counts.current for r in report.breakdown("folder", "incoming")}
    assert folders == {"phong-noi-vu": 3, "van-thu": 2}
    trend = dict(report.trend)
    assert len(report.trend) == 13 and report.trend[-1][0] == Month(2024, 3)
    assert trend[Month(2023, 3)] == {"incoming": 4, "outgoing": 0}


def test_publish_writes_csv_xlsx_and_html_locally_and_to_the_store(archive) -> None:
    settings, backends = archive
    published = publish_monthly_report(settings, backends, Month(2024, 3))

    folder = settings.reports_path / "2024-03"
    assert sorted(p.name for p in folder.iterdir()) == [
        "bao-cao-2024-03.csv", "bao-cao-2024-03.html", "bao-cao-2024-03.xlsx"]
    assert published.keys == [report_key(Month(2024, 3), s) for s in ("csv", "xlsx", "html")]
    for path, key in zip(published.files, published.keys, strict=True):
        assert backends.store.get_bytes(key) == path.read_bytes()

    rows = list(csv.reader(io.StringIO((folder / "bao-cao-2024-03.csv").read_text("utf-8-sig"))))
    assert rows[0][:4] == ["Mục", "Chiều", "Giá trị", "Tháng 2024-03"]
    assert ["Tổng hợp", "Văn bản đến", "Tổng số", "5", "2", "4", "8", "3"] in rows
    assert ["Theo loại văn bản", "Văn bản đi", TT, "1", "0", "0", "1", "1"] in rows

    workbook = load_workbook(folder / "bao-cao-2024-03.xlsx")
    assert workbook.sheetnames == ["Tổng hợp", "Theo loại văn bản", "Theo cơ quan ban hành",
                                   "Theo đơn vị nhận"]
    assert ["Văn bản đến", "Tổng số", 5, 2, 4, 8, 3] in [
        list(r) for r in workbook["Tổng hợp"].iter_rows(values_only=True)]

    page = (folder / "bao-cao-2024-03.html").read_text("utf-8")
    assert "<svg" in page and "Báo cáo thống kê văn bản tháng 2024-03" in page
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert "Hà Giang" in page


def test_rerun_replaces_the_files_with_the_same_figures(archive) -> None:
    settings, backends = archive
    first = publish_monthly_report(settings, backends, Month(2024, 3))
    csv_before = first.files[0].read_bytes()
    second = publish_monthly_report(settings, backends, Month(2024, 3), language="en")
    again = publish_monthly_report(settings, backends, Month(2024, 3))
    assert second.files == first.files
    assert again.files[0].read_bytes() == csv_before
    assert len(list((settings.reports_path / "2024-03").iterdir())) == 3


def test_months() -> None:
    assert Month.parse("2024-03").shifted(-3) == Month(2023, 12)
    assert Month(2024, 2).last_day.day == 29
    start = datetime(2024, 2, 29, 17, tzinfo=UTC)  # 2024-03-01 00:00 in Hà Nội
    end = datetime(2024, 3, 31, 17, tzinfo=UTC)
    assert Month.of_interval(start, end, "Asia/Ho_Chi_Minh") == Month(2024, 3)
    for bad in ("2024-13", "March", "2024-3"):
        with pytest.raises(UsageError):
            Month.parse(bad)
