"""The admins' audit page and CSV, through the real app on the real archive."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from apps.web import create_app
from ingest.audit import entry_hash
from tests.apps.web.conftest import USERS, Archive
from tests.apps.web.test_api import login

pytestmark = pytest.mark.slow
NOT_ADMINS = [name for name, _, _ in USERS if name != "admin1"]
ROW = re.compile(r"<tr>\s*<td>(\d+)</td>")


@pytest.fixture(scope="module")
def app(archive: Archive):  # noqa: ANN201 - FastAPI
    return create_app(archive.settings, archive.backends)


@pytest.fixture(scope="module")
def admin(app) -> TestClient:  # noqa: ANN001
    return login(app, "admin1")


def _today(archive: Archive) -> str:
    return datetime.now(ZoneInfo(archive.settings.timezone)).date().isoformat()


def _csv(answer) -> list[list[str]]:  # noqa: ANN001 - an httpx response
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


def test_opening_and_downloading_any_document_is_audited_and_shown(
    archive: Archive, app, admin: TestClient  # noqa: ANN001
) -> None:
    archivist = login(app, "archivist1")
    doc_id = archive.by_secrecy[0][0]  # an open document: audited all the same
    assert archivist.get(f"/documents/{doc_id}").status_code == 200
    assert archivist.get(f"/api/documents/{doc_id}/original").status_code == 200
    page = admin.get("/admin/audit", params={"doc": doc_id, "user": "archivist1",
                                             "lang": "vi"})
    assert page.status_code == 200
    assert '<a href="/admin/audit">' in page.text  # the admin's navigation link
    table = page.text.split("<tbody>")[1]
    assert "Xem" in table and "Tải về" in table
    assert table.index("Tải về") < table.index("Xem")  # newest first
    english = admin.get("/admin/audit", params={"doc": doc_id, "lang": "en"})
    assert "Downloaded" in english.text and "Audit log" in english.text
    only_views = admin.get("/admin/audit", params={"doc": doc_id, "action": "view",
                                                   "lang": "vi"})
    assert "Tải về" not in only_views.text.split("<tbody>")[1]


def test_date_range_and_paging(archive: Archive, admin: TestClient) -> None:
    for number in range(57):
        archive.accounts.audit("pager-test", "export", None, f"lượt {number}")
    today = _today(archive)
    first = admin.get("/admin/audit", params={"user": "pager-test", "from": today, "to": today,
                                                "lang": "vi"})
    seqs = [int(s) for s in ROW.findall(first.text)]
    assert len(seqs) == 50 and seqs == sorted(seqs, reverse=True)
    assert "57 mục" in first.text and 'rel="next"' in first.text
    second = admin.get("/admin/audit", params={"user": "pager-test", "page": "2"})
    rest = [int(s) for s in ROW.findall(second.text)]
    assert len(rest) == 7 and max(rest) < min(seqs)
    yesterday = (datetime.fromisoformat(today) - timedelta(days=1)).date().isoformat()
    none = admin.get("/admin/audit", params={"user": "pager-test", "to": yesterday,
                                               "lang": "vi"})
    assert ROW.findall(none.text) == [] and "Không có mục nào." in none.text


def test_csv_has_the_filters_and_the_hashes(archive: Archive, admin: TestClient) -> None:
    archive.accounts.audit("csv-test", "login", None, "127.0.0.1")
    archive.accounts.audit("csv-test", "secrecy", "0123456789abcdef", "=MẬT → TUYỆT MẬT")
    rows = _csv(admin.get("/api/audit.csv", params={"user": "csv-test", "lang": "vi"}))
    assert rows[0][:4] == ["STT", "Thời gian", "Thời gian (UTC)", "Người dùng"]
    assert [r[5] for r in rows[1:]] == ["secrecy", "login"]  # newest first
    assert rows[1][4] == "Đổi độ mật" and rows[1][8] == "'=MẬT → TUYỆT MẬT"  # no formula
    login_row = rows[2]
    seq, at, user, action, detail, prev, digest = (int(login_row[0]), login_row[2],
                                                   login_row[3], login_row[5], login_row[8],
                                                   login_row[9], login_row[10])
    assert entry_hash(seq, datetime.fromisoformat(at), user, action, None, detail,
                      prev) == digest
    english = _csv(admin.get("/api/audit.csv", params={"user": "csv-test", "lang": "en",
                                                       "action": "login"}))
    assert english[0][:2] == ["No.", "Time"] and len(english) == 2
    head = re.search(r'<code id="head">#(\d+):([0-9a-f]{64})</code>',
                     admin.get("/admin/audit").text)
    assert head is not None
    assert archive.accounts.audit_log.verify(anchor=(int(head[1]), head[2])).ok
    exported = next(e for e in archive.accounts.audit_entries(limit=5) if e.action == "export"
                    and e.username == "admin1")
    assert (exported.username, exported.action) == ("admin1", "export")
    assert "audit.csv" in exported.detail
    assert archive.accounts.audit_log.verify().ok


@pytest.mark.parametrize("params", [{"from": "2025-13-01"}, {"from": "2025-03-02",
                                                             "to": "2025-03-01"},
                                    {"page": "0"}, {"user": "x" * 65}])
def test_bad_filters_are_400(admin: TestClient, params: dict[str, str]) -> None:
    assert admin.get("/admin/audit", params=params).status_code == 400
    assert admin.get("/api/audit.csv", params=params).status_code == 400


@pytest.mark.parametrize("username", NOT_ADMINS)
def test_not_admins_get_the_not_found_answer(app, username: str) -> None:  # noqa: ANN001
    client = login(app, username)
    home = client.get("/")
    assert "/admin/audit" not in home.text
    page = client.get("/admin/audit")
    data = client.get("/api/audit.csv")
    missing = client.get("/api/documents/ffffffffffffffff")  # an id that never existed
    assert page.status_code == data.status_code == missing.status_code == 404
    assert data.headers["content-type"] == missing.headers["content-type"]
    assert "STT" not in page.text and "audit" not in data.text.lower()


def test_anonymous_is_sent_to_login(app) -> None:  # noqa: ANN001
    anonymous = TestClient(app)
    assert anonymous.get("/admin/audit", follow_redirects=False).status_code == 303
    assert anonymous.get("/api/audit.csv").status_code == 401
