"""The monthly report on a small register: counts, comparisons and the three files."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ingest.backends import Backends, open_backends
from ingest.reports import (
    Month,
    build_monthly_report,
    parse_report_name,
    publish_monthly_report,
    report_key,
    report_name,
)
from kernel.errors import UsageError
from kernel.settings import Settings
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

    folder = settings.reports_location / "2024-03"
    levels = ("thuong", "mat", "toi-mat", "tuyet-mat")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"bao-cao-2024-03-{level}.{suffix}" for level in levels
        for suffix in ("csv", "html", "xlsx"))
    assert published.keys == [report_key(Month(2024, 3), s, level) for level in range(4)
                              for s in ("csv", "xlsx", "html")]
    for path, key in zip(published.files, published.keys, strict=True):
        assert backends.store.get_bytes(key) == path.read_bytes()
        assert parse_report_name(path.name) is not None

    rows = list(csv.reader(io.StringIO(
        (folder / "bao-cao-2024-03-thuong.csv").read_text("utf-8-sig"))))
    assert rows[0] == ["Báo cáo thống kê văn bản tháng 2024-03"]
    assert rows[1][0].startswith("Phạm vi: văn bản thường, không gồm văn bản mật.")
    assert rows[2][:4] == ["Mục", "Chiều", "Giá trị", "Tháng 2024-03"]
    assert ["Tổng hợp", "Văn bản đến", "Tổng số", "5", "2", "4", "8", "3"] in rows
    assert ["Theo loại văn bản", "Văn bản đi", TT, "1", "0", "0", "1", "1"] in rows

    workbook = load_workbook(folder / "bao-cao-2024-03-thuong.xlsx")
    assert workbook.sheetnames == ["Tổng hợp", "Theo loại văn bản", "Theo cơ quan ban hành",
                                   "Theo đơn vị nhận", "Theo dõi giải quyết văn bản đến"]
    assert ["Văn bản đến", "Tổng số", 5, 2, 4, 8, 3] in [
        list(r) for r in workbook["Tổng hợp"].iter_rows(values_only=True)]

    assert workbook["Tổng hợp"]["A2"].value.startswith("Phạm vi: văn bản thường")
    page = (folder / "bao-cao-2024-03-thuong.html").read_text("utf-8")
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
    assert len(list((settings.reports_location / "2024-03").iterdir())) == 12


# (received_at, direction, doc_type, issuing_body, secrecy): secret documents
# of March 2024 and February 2024, from issuers no open document has.
SECRET = [
    (datetime(2024, 3, 7, 3, tzinfo=UTC), "incoming", CV, "CÔNG AN TỈNH", "MẬT"),
    (datetime(2024, 3, 8, 3, tzinfo=UTC), "incoming", QD, "BỘ QUỐC PHÒNG", "TUYỆT MẬT"),
    (datetime(2024, 2, 9, 3, tzinfo=UTC), "outgoing", TT, "BAN CHỈ HUY QUÂN SỰ", "TỐI MẬT"),
]


def test_each_level_counts_only_what_it_may_open_and_the_general_report_shows_no_trace(
    archive,
) -> None:
    settings, backends = archive
    at = datetime(2024, 4, 1, 1, tzinfo=UTC)
    month = Month(2024, 3)
    before = publish_monthly_report(settings, backends, month, now=at)
    folder = settings.reports_location / str(month)
    general = {s: (folder / report_name(month, s)).read_bytes() for s in ("csv", "html")}
    for n, (received_at, direction, doc_type, body, mark) in enumerate(SECRET):
        record = make_record(f"secret document {n}", direction, received_at=received_at,
                             doc_type=doc_type, issuing_body=body, secrecy=mark)
        backends.register.register_document(record, at=received_at)
    after = publish_monthly_report(settings, backends, month, now=at)
    # Level 0: byte for byte the report of a register without the secret documents.
    for suffix, data in general.items():
        assert (folder / report_name(month, suffix)).read_bytes() == data
    assert after.report.summary() == before.report.summary()
    expected = {0: (5, 0, 1, 0), 1: (6, 0, 1, 0), 2: (6, 0, 1, 1), 3: (7, 0, 1, 1)}
    for level, (incoming, _, outgoing, outgoing_previous) in expected.items():
        report = after.by_level[level]
        assert report.max_secrecy == level
        assert report.totals["incoming"].current == incoming
        assert (report.totals["outgoing"].current,
                report.totals["outgoing"].previous) == (outgoing, outgoing_previous)
        bodies = {r.value for r in report.breakdown("issuing_body", "incoming")}
        assert ("CÔNG AN TỈNH" in bodies) == (level >= 1)
        assert ("BỘ QUỐC PHÒNG" in bodies) == (level >= 3)
        page = (folder / report_name(month, "html", level)).read_text("utf-8")
        assert ("BAN CHỈ HUY QUÂN SỰ" in page) == (level >= 2)
        assert f"Văn bản đến {month}: {incoming}</title>" in page
    for level, words in {1: "độ MẬT.", 2: "độ TỐI MẬT.", 3: "độ TUYỆT MẬT."}.items():
        rows = list(csv.reader(io.StringIO(
            (folder / report_name(month, "csv", level)).read_text("utf-8-sig"))))
        assert rows[1][0].endswith(words)


def test_an_older_dockets_report_files_are_removed_when_the_month_is_published(
    archive,
) -> None:
    settings, backends = archive
    folder = settings.reports_location / "2024-03"
    folder.mkdir(parents=True)
    (folder / "bao-cao-2024-03.csv").write_text("counted every document")
    publish_monthly_report(settings, backends, Month(2024, 3))
    assert not (folder / "bao-cao-2024-03.csv").exists()
    assert parse_report_name("bao-cao-2024-03.csv") is None


def test_months() -> None:
    assert Month.parse("2024-03").shifted(-3) == Month(2023, 12)
    assert Month(2024, 2).last_day.day == 29
    start = datetime(2024, 2, 29, 17, tzinfo=UTC)  # 2024-03-01 00:00 in Hà Nội
    end = datetime(2024, 3, 31, 17, tzinfo=UTC)
    assert Month.of_interval(start, end, "Asia/Ho_Chi_Minh") == Month(2024, 3)
    for bad in ("2024-13", "March", "2024-3"):
        with pytest.raises(UsageError):
            Month.parse(bad)


def test_the_tracking_section_counts_by_lead_unit(tmp_path: Path) -> None:
    from datetime import date, timedelta, timezone

    from ingest.reports.tables import render_csv
    from ingest.tracking.assignments import Role, assign, complete

    hanoi = timezone(timedelta(hours=7))
    settings = Settings(root=tmp_path, data_dir=tmp_path / "var")
    with open_backends(settings) as backends:
        register = backends.register
        docs = [register.register_document(
            make_record(f"tracked {n}", received_at=datetime(2026, 3, 2, 2, tzinfo=UTC)),
            at=datetime(2026, 3, 2, 2, tzinfo=UTC)).doc_id for n in range(5)]
        at = datetime(2026, 3, 2, 9, tzinfo=hanoi)
        made = [assign(docs[0], "so-tai-chinh", date(2026, 3, 16), "vt", at),
                assign(docs[1], "so-tai-chinh", date(2026, 3, 5), "vt", at),
                assign(docs[2], "so-tai-chinh", date(2026, 3, 20), "vt", at),
                assign(docs[3], "so-noi-vu", date(2026, 3, 9), "vt", at),
                assign(docs[4], "so-noi-vu", date(2026, 3, 9), "vt", at,
                       role=Role.COOPERATING)]  # a cooperating unit does not count
        ids = register.add_assignments(made)
        for n, closed in ((0, datetime(2026, 3, 13, 10, tzinfo=hanoi)),  # on time
                          (1, datetime(2026, 3, 10, 10, tzinfo=hanoi)),  # late
                          (2, datetime(2026, 4, 2, 10, tzinfo=hanoi))):  # after the month
            with register.changing_assignment(ids[n], max_secrecy=0) as change:
                change.moved = complete(change.current.assignment, "lan", closed, "Xong")
        march = build_monthly_report(register, Month(2026, 3),
                                     unit_names={"so-tai-chinh": "Sở Tài chính"})
        april = build_monthly_report(register, Month(2026, 4))
    assert [(u.unit, u.figures()) for u in march.tracking] == [
        ("so-noi-vu", [1, 0, 0, 1, 1]), ("so-tai-chinh", [3, 1, 1, 1, 1])]  # 20/3 passed, open
    assert [(u.unit, u.figures()) for u in april.tracking] == [
        ("so-noi-vu", [0, 0, 0, 1, 1]), ("so-tai-chinh", [0, 0, 1, 0, 0])]  # closed 2/4: late
    text = render_csv(march, "vi").decode("utf-8-sig")
    assert "Theo dõi giải quyết văn bản đến" in text
    assert "Sở Tài chính,3,1,1,1,1" in text
