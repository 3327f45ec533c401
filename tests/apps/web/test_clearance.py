"""Every count a user sees covers only what that user may open (issue 16, failures 1 and 2).

Through the real app over the real archive of ``conftest.py`` (documents of
every secrecy level 0..3), with the monthly report published by the same
function the ``docket report`` command and the monthly DAG call.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from apps.web import create_app
from apps.web.accounts import Accounts
from ingest.backends import open_backends
from ingest.pipeline import ingest_once
from ingest.reports import Month, publish_monthly_report
from ingest.secrecy import change_secrecy
from kernel.settings import load_settings
from tests.apps.web.conftest import PASSWORD, USERS, Archive
from tests.apps.web.test_api import MAX_SECRECY, login
from tests.ingest.test_secrecy import cong_van

pytestmark = pytest.mark.slow
READERS = ("archivist1", "officer1", "officer2", "officer3", "admin1")
LEVEL_NAMES = ("thuong", "mat", "toi-mat", "tuyet-mat")
SCOPE_WORDS = {0: "không gồm văn bản mật", 1: "độ MẬT", 2: "độ TỐI MẬT", 3: "độ TUYỆT MẬT"}


@pytest.fixture(scope="module")
def month(archive: Archive) -> Month:
    """The month the archive's documents arrived in, with its report published."""
    month = Month.containing(datetime.now(UTC), archive.settings.timezone)
    publish_monthly_report(archive.settings, archive.backends, month)
    return month


@pytest.fixture(scope="module")
def clients(archive: Archive, month: Month) -> Iterator[dict[str, TestClient]]:
    app = create_app(archive.settings, archive.backends)
    yield {name: login(app, name) for name in (*READERS, "clerk1")}


def report_csv(client: TestClient, month: Month) -> list[list[str]]:
    """The CSV report of ``month`` the user is offered on /api/reports (exactly one)."""
    offered = [r for r in client.get("/api/reports").json()
               if r["month"] == str(month) and r["format"] == "csv"]
    assert len(offered) == 1, offered
    answer = client.get(offered[0]["url"])
    assert answer.status_code == 200
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


def current_figures(rows: list[list[str]], section: str, direction: str) -> dict[str, int]:
    """value -> this month's count, for one section and direction of the report."""
    return {r[2]: int(r[3]) for r in rows
            if len(r) > 3 and r[0] == section and r[1] == direction and r[3].isdigit()}


def exported(client: TestClient, **params: str) -> list[list[str]]:
    data = client.get("/api/export.csv", params=params).content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(data)))[1:]


@pytest.mark.parametrize("username", READERS)
def test_report_counts_agree_with_every_other_count_the_user_sees(
    archive: Archive, clients: dict[str, TestClient], month: Month, username: str
) -> None:
    """Failure 1: the report an uncleared archivist downloads counted secret documents."""
    client = clients[username]
    rows = report_csv(client, month)
    totals = {d: current_figures(rows, "Tổng hợp", label)["Tổng số"]
              for d, label in (("incoming", "Văn bản đến"), ("outgoing", "Văn bản đi"))}
    counts = client.get("/api/counts").json()
    assert totals == {"incoming": counts["incoming"], "outgoing": counts["outgoing"]}
    found = client.get("/api/search", params={"page_size": 100}).json()
    assert found["total"] == sum(totals.values())
    by_direction = {f["value"]: f["count"] for f in found["facets"]["direction"]}
    assert {d: n for d, n in totals.items() if n} == by_direction
    this_month = [m for m in counts["monthly"] if m["month"] == str(month)]
    assert [(m["incoming"], m["outgoing"]) for m in this_month] == [
        (totals["incoming"], totals["outgoing"])]
    export = exported(client)
    assert len(export) == sum(totals.values())
    # No issuer the user cannot see is named, none they can see is missing.
    issuers = {value for label in ("Văn bản đến", "Văn bản đi")
               for value, n in current_figures(rows, "Theo cơ quan ban hành", label).items()
               if n and value != "(không xác định)"}
    assert issuers == {f["value"] for f in found["facets"]["issuing_body"]}
    assert issuers == {row[5] for row in export if row[5]}
    # The header says which clearance the file is for.
    level = MAX_SECRECY[username]
    assert SCOPE_WORDS[level] in " ".join(" ".join(r) for r in rows[:3])


@pytest.mark.parametrize("username", READERS)
def test_chart_of_the_report_page_agrees(clients: dict[str, TestClient], month: Month,
                                         username: str) -> None:
    client = clients[username]
    offered = [r for r in client.get("/api/reports").json()
               if r["month"] == str(month) and r["format"] == "html"]
    assert len(offered) == 1
    page = client.get(offered[0]["url"]).text
    counts = client.get("/api/counts").json()
    bars = dict(re.findall(r"<title>(Văn bản (?:đến|đi)) " + str(month) + r": (\d+)</title>",
                           page))
    assert bars == {"Văn bản đến": str(counts["incoming"]), "Văn bản đi": str(counts["outgoing"])}
    assert SCOPE_WORDS[MAX_SECRECY[username]] in page
    listed = client.get("/reports").text
    assert offered[0]["url"] in listed
    # The chart of the /reports page (drawn from the index) shows the same bars.
    slash = f"{month.month:02d}/{month.year}"
    web_bars = re.findall(r"<title>[^<]+ " + slash + r": (\d+)</title>", listed)
    assert web_bars == [bars["Văn bản đến"], bars["Văn bản đi"]]


@pytest.mark.parametrize("username", READERS)
def test_other_levels_reports_are_not_found_like_missing_ones(
    clients: dict[str, TestClient], month: Month, username: str
) -> None:
    client = clients[username]
    level = MAX_SECRECY[username]
    offered = {r["name"] for r in client.get("/api/reports").json()}
    missing = client.get("/api/reports/1999-01/bao-cao-1999-01-thuong.csv")
    assert missing.status_code == 404
    for other, name in enumerate(LEVEL_NAMES):
        for suffix in ("csv", "xlsx", "html"):
            file_name = f"bao-cao-{month}-{name}.{suffix}"
            answer = client.get(f"/api/reports/{month}/{file_name}")
            if other == level:
                assert answer.status_code == 200 and file_name in offered
                continue
            assert file_name not in offered
            assert answer.status_code == 404
            assert answer.json() == {"detail": missing.json()["detail"].replace(
                "bao-cao-1999-01-thuong.csv", file_name)}


def test_clerks_are_offered_no_report(clients: dict[str, TestClient], month: Month) -> None:
    clerk = clients["clerk1"]
    assert clerk.get("/api/reports").json() == []
    answer = clerk.get(f"/api/reports/{month}/bao-cao-{month}-thuong.csv")
    assert answer.status_code == 404


def numbers_by_direction(rows: list[list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(row[1], []).append(row[0])
    return out


def test_ordinary_numbers_run_without_gaps_for_an_uncleared_user(
    archive: Archive, clients: dict[str, TestClient]
) -> None:
    """Failure 2: the gaps in the archivist's numbers placed each secret document."""
    rows = exported(clients["archivist1"], sort="number_asc")
    year = datetime.now(ZoneInfo(archive.settings.timezone)).year
    for direction, labels in numbers_by_direction(rows).items():
        assert labels == [f"{n}/{year}" for n in range(1, len(labels) + 1)], direction


def test_cleared_users_see_two_books_each_without_gaps(
    archive: Archive, clients: dict[str, TestClient]
) -> None:
    rows = exported(clients["officer3"], sort="number_asc")
    assert len(rows) == sum(len(ids) for ids in archive.by_secrecy.values())
    secret_ids = {d for rank, ids in archive.by_secrecy.items() if rank for d in ids}
    for direction, labels in numbers_by_direction(rows).items():
        secret = sorted((label for label in labels if label.endswith("-M")),
                        key=lambda label: int(label.split("/")[0]))
        ordinary = [label for label in labels if not label.endswith("-M")]
        for book in (secret, ordinary):
            numbers = [int(label.split("/")[0]) for label in book]
            assert sorted(numbers) == list(range(1, len(book) + 1)), (direction, book)
    assert {row[-1] for row in rows if row[0].endswith("-M")} == secret_ids


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, str]]]:
    """An app over two documents with the same number and issuer, one of them MẬT,
    and a third marked TỐI MẬT and lifted again after registration."""
    settings = load_settings(data_dir=tmp_path_factory.mktemp("twins") / "var", quiet_seconds=0,
                             web_secret_key="test-key")
    backends = open_backends(settings)
    ids: dict[str, str] = {}
    # The MẬT one first, so the open one registered after it is flagged against it.
    for batch in ({"mat.txt": (7, "MẬT")}, {"thuong.txt": (7, ""), "giai-mat.txt": (8, "")}):
        for name, (number, mark) in batch.items():
            target = settings.inbox_location / "incoming" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(cong_van(number, mark), encoding="utf-8")
        report = ingest_once(settings, backends, wait=False)
        ids.update({f.original_name: f.doc_id or "" for f in report.files})
    change_secrecy(backends, ids["giai-mat.txt"], "TỐI MẬT", by="a", reason="b")
    change_secrecy(backends, ids["giai-mat.txt"], "không", by="c", reason="d")
    accounts = Accounts.open(settings.register_location)
    for username, role, clearance in USERS:
        accounts.add_user(username, PASSWORD, role, clearance)
    yield create_app(settings, backends), ids
    accounts.close()
    backends.close()


def test_a_document_view_points_at_nothing_the_user_may_not_open(
    twins: tuple[Any, dict[str, str]],
) -> None:
    app, ids = twins
    views = {name: login(app, name).get(f"/api/documents/{ids['thuong.txt']}").json()
             for name in ("archivist1", "officer1")}
    assert views["officer1"]["record"]["possible_duplicate_of"] == [ids["mat.txt"]]
    assert views["archivist1"]["record"]["possible_duplicate_of"] == []
    assert ids["mat.txt"] not in str(views["archivist1"])
    lifted = {name: login(app, name).get(f"/api/documents/{ids['giai-mat.txt']}").json()
              for name in ("archivist1", "officer1", "officer2")}
    assert [len(v["record"]["secrecy_changes"]) for v in lifted.values()] == [0, 0, 2]
    assert all(v["register_number"] == lifted["officer2"]["register_number"]
               for v in lifted.values())
    assert "-M" not in str(lifted["archivist1"])
