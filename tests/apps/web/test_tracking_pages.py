"""The tracking forms on the document page, the work list and the tracking register."""

from __future__ import annotations

import io
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from apps.web import create_app
from tests.apps.web.conftest import CSRF, Archive, login
from tests.apps.web.tracking_archive import TrackingArchive

FINANCE, HOME = "phong-tai-chinh", "phong-noi-vu"


@pytest.fixture(scope="module")
def app(tracking_archive: TrackingArchive) -> FastAPI:
    return create_app(tracking_archive.settings, tracking_archive.backends)


def _form(client: TestClient, doc_id: str, action: str, **fields: object) -> object:
    page = client.get(f"/documents/{doc_id}")
    token = CSRF.search(page.text).group(1)
    return client.post(f"/documents/{doc_id}/{action}", data={"csrf_token": token, **fields},
                       follow_redirects=False)


def _panel(html: str) -> str:
    found = re.search(r'<section class="tracking card" id="tracking".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_the_clerk_assigns_from_the_document_page(app: FastAPI,
                                                  tracking_archive: TrackingArchive):
    doc_id = tracking_archive.ids["duong-xa.txt"]
    clerk = login(app, "clerk1")
    panel = _panel(clerk.get(f"/documents/{doc_id}").text)
    assert "Chưa được giao" in panel or "chưa được giao" in panel
    assert 'id="assign-form"' in panel and "<legend>Hạn xử lý</legend>" in panel
    # A date deadline without its date is refused in the panel, nothing stored.
    refused = _form(clerk, doc_id, "assign", unit=FINANCE, deadline_kind="date", deadline="")
    assert refused.status_code == 400
    assert "không phải là ngày" in _panel(refused.text)
    answer = _form(clerk, doc_id, "assign", unit=FINANCE, cooperating=[HOME, FINANCE],
                   deadline_kind="days", days="2", instruction="Khảo sát, đề xuất phương án")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/documents/{doc_id}?tracked=assign#tracking"
    panel = _panel(clerk.get(answer.headers["location"]).text)
    assert "Đã giao xử lý." in panel
    assert panel.count('class="assignment status-waiting') == 2  # lead and cooperating
    assert "Khảo sát, đề xuất phương án" in panel
    # The same unit again, while it holds the document open: refused, said in Vietnamese.
    again = _form(clerk, doc_id, "assign", unit=FINANCE)
    assert again.status_code == 400
    assert "đã giao cho đơn vị" in _panel(again.text)


def test_a_reader_may_not_assign(app: FastAPI, tracking_archive: TrackingArchive):
    doc_id = tracking_archive.ids["duong-xa.txt"]
    lan = login(app, "lan.nguyen")
    assert 'id="assign-form"' not in lan.get(f"/documents/{doc_id}").text
    assert _form(lan, doc_id, "assign", unit=FINANCE).status_code == 403


def test_a_member_marks_handled_with_the_proposed_reply(app: FastAPI,
                                                        tracking_archive: TrackingArchive):
    ids = tracking_archive.ids
    doc_id, reply = ids["kinh-phi.txt"], ids["phuc-dap.txt"]
    assert _form(login(app, "clerk1"), doc_id, "assign", unit=FINANCE).status_code == 303
    # Another unit's member sees no panel on the document at all.
    assert _panel(login(app, "minh.tran").get(f"/documents/{doc_id}").text) == ""
    lan = login(app, "lan.nguyen")
    panel = _panel(lan.get(f"/documents/{doc_id}").text)
    # The outgoing document that cites it ("Phúc đáp Công văn số 5/UBND-VP ngày 05/3/2025").
    assert f'name="answered_by" value="{reply}"' in panel
    assert "210/UBND-TCKH" in panel and "khớp số, ký hiệu và ngày" in panel
    assert _form(lan, doc_id, f"tracking/{FINANCE}/start").status_code == 303
    refused = _form(lan, doc_id, f"tracking/{FINANCE}/handled", note="", answered_by=reply)
    assert refused.status_code == 400
    assert 'role="alert"' in _panel(refused.text)
    done = _form(lan, doc_id, f"tracking/{FINANCE}/handled",
                 note="Đã bố trí kinh phí", answered_by=reply)
    assert done.status_code == 303
    panel = _panel(lan.get(done.headers["location"]).text)
    assert "Đã ghi nhận kết quả xử lý." in panel
    assert "đã xử lý" in panel and f'href="/documents/{reply}">210/UBND-TCKH</a>' in panel
    assert 'id="handled-' not in panel  # closed: no more buttons
    # The tracking register prints it, answered by the reply's number, on time.
    book = lan.get("/tracking/register").text
    row = next(r for r in re.findall(r"<tr>.*?</tr>", book, re.S) if "5/UBND-VP" in r)
    assert "210/UBND-TCKH" in row and "đúng hạn" in row and "Đã bố trí kinh phí" in row
    pdf = lan.get("/tracking/register/export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    sheet = load_workbook(io.BytesIO(lan.get("/tracking/register/export.xlsx").content)).active
    assert sheet is not None
    rows = [[str(c or "") for c in r] for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN"
    assert any("5/UBND-VP" in r and "210/UBND-TCKH" in r for r in rows)


def test_a_member_returns_a_document_with_a_reason(app: FastAPI,
                                                   tracking_archive: TrackingArchive):
    doc_id = tracking_archive.ids["dat-dai.txt"]
    minh = login(app, "minh.tran")
    assert _form(login(app, "admin1"), doc_id, "assign", unit=HOME).status_code == 303
    answer = _form(minh, doc_id, f"tracking/{HOME}/return", note="Không thuộc thẩm quyền")
    assert answer.status_code == 303
    panel = _panel(minh.get(f"/documents/{doc_id}?lang=en").text)
    assert "returned" in panel and "Không thuộc thẩm quyền" in panel


def test_the_work_list_filters_and_speaks_english(app: FastAPI,
                                                  tracking_archive: TrackingArchive):
    hoa = login(app, "hoa.le")
    page = hoa.get("/tracking")
    assert page.status_code == 200
    assert "<h1>Văn bản đến đang xử lý</h1>" in page.text and 'id="digest"' in page.text
    assert "<caption" in page.text or 'id="work-empty"' in page.text
    assert hoa.get(f"/tracking?unit={HOME}").status_code == 404  # not hoa's unit
    rows = re.findall(r'data-doc="([0-9a-f]{16})"', hoa.get("/tracking?status=in_progress").text)
    found = tracking_archive.backends.register
    for doc_id in rows:
        statuses = {t.assignment.status.value for t in found.assignments_of(doc_id,
                                                                            max_secrecy=1)}
        assert "in_progress" in statuses
    english = hoa.get("/tracking?lang=en").text
    assert "<h1>Incoming documents in hand</h1>" in english
    assert login(app, "archivist1").get("/tracking").status_code == 404


def test_the_secret_tracking_register_is_for_the_cleared(app: FastAPI):
    assert login(app, "lan.nguyen").get("/tracking/register?book=secret").status_code == 404
    page = login(app, "hoa.le").get("/tracking/register?book=secret")
    assert page.status_code == 200
    assert "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN" in page.text
    assert "<caption" in page.text or "Sổ chưa có văn bản nào" in page.text


def test_without_units_tracking_stays_out_of_sight(archive: Archive):
    """The main test archive configures no unit: no link, no panel, no list."""
    app = create_app(archive.settings, archive.backends)
    admin = login(app, "admin1")
    page = admin.get("/")
    assert 'id="nav-tracking"' not in page.text and "tracking-filters" not in page.text
    doc_id = archive.by_secrecy[0][0]
    assert 'id="tracking"' not in admin.get(f"/documents/{doc_id}").text
    assert admin.get("/tracking").status_code == 404
    assert admin.get("/api/assignments").json()["assignments"] == []
