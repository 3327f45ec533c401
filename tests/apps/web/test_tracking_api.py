"""Tracking over the REST API: unit isolation, confidentiality, the badge, the schema."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from apps.web import create_app
from tests.apps.web.conftest import csrf_of, login
from tests.apps.web.tracking_archive import TrackingArchive

FINANCE, HOME = "phong-tai-chinh", "phong-noi-vu"


@pytest.fixture(scope="module")
def app(tracking_archive: TrackingArchive) -> FastAPI:
    return create_app(tracking_archive.settings, tracking_archive.backends)


def _post(client: TestClient, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, json=body, headers={"X-CSRF-Token": csrf_of(client)})


@pytest.fixture(scope="module")
def assigned(app: FastAPI, tracking_archive: TrackingArchive) -> dict[str, str]:
    """Three documents routed by the admin: one to each unit, and the MẬT one, already
    overdue, to the finance unit."""
    ids = tracking_archive.ids
    admin = login(app, "admin1")
    long_ago = (date.today() - timedelta(days=30)).isoformat()
    for name, unit, body in (("bien-che.txt", HOME, {"days": 5}),
                             ("dat-dai.txt", FINANCE, {"days": 5}),
                             ("mat-kho.txt", FINANCE, {"deadline": long_ago})):
        answer = _post(admin, f"/api/documents/{ids[name]}/assignments", {"unit": unit, **body})
        assert answer.status_code == 201, answer.text
        assert answer.json()[0]["status"] == "waiting"
    return ids


def _listed(client: TestClient) -> set[str]:
    answer = client.get("/api/assignments")
    assert answer.status_code == 200, answer.text
    return {a["doc_id"] for a in answer.json()["assignments"]}


def test_a_unit_member_sees_only_their_units_assignments(app: FastAPI,
                                                         assigned: dict[str, str]):
    lan, minh = login(app, "lan.nguyen"), login(app, "minh.tran")
    assert assigned["dat-dai.txt"] in _listed(lan)
    assert assigned["bien-che.txt"] not in _listed(lan)
    assert _listed(minh) >= {assigned["bien-che.txt"]}
    assert assigned["dat-dai.txt"] not in _listed(minh)
    # Another unit's assignment does not exist for them, read or changed.
    assert lan.get(f"/api/documents/{assigned['bien-che.txt']}/assignments").status_code == 404
    assert _post(lan, f"/api/documents/{assigned['bien-che.txt']}/assignments/{HOME}/start"
                 ).status_code == 404
    assert _post(minh, f"/api/documents/{assigned['dat-dai.txt']}/assignments/{FINANCE}/start"
                 ).status_code == 404
    # The clerk who routed it watches it, but only the unit moves it.
    clerk = login(app, "clerk1")
    assert assigned["bien-che.txt"] in _listed(clerk)
    assert _post(clerk, f"/api/documents/{assigned['bien-che.txt']}/assignments/{HOME}/start"
                 ).status_code == 403
    # A reader in no unit has no list at all.
    assert _listed(login(app, "archivist1")) == set()


def test_a_member_moves_their_assignment_and_the_history_says_who(app: FastAPI,
                                                                   assigned: dict[str, str]):
    lan = login(app, "lan.nguyen")
    url = f"/api/documents/{assigned['dat-dai.txt']}/assignments/{FINANCE}"
    started = _post(lan, f"{url}/start")
    assert started.status_code == 200, started.text
    assert started.json()["status"] == "in_progress"
    # The flow refuses a handled without a result note, in Vietnamese by default.
    refused = _post(lan, f"{url}/handled", {"note": " "})
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Cần ghi kết quả xử lý."
    assert refused.json()["reason"] == "tracking_note_needed"
    # The answer must be a registered outgoing document the member may open.
    for wrong in (assigned["bien-che.txt"], assigned["mat-kho.txt"], "0" * 16, "khong-phai-id"):
        refused = _post(lan, f"{url}/handled", {"note": "Đã trả lời", "answered_by": wrong})
        assert refused.json()["reason"] == "tracking_answer_not_outgoing", wrong
    done = _post(lan, f"{url}/handled", {"note": "Đã trình lãnh đạo phê duyệt"})
    assert done.status_code == 200, done.text
    body = done.json()
    assert (body["status"], body["result_note"]) == ("done", "Đã trình lãnh đạo phê duyệt")
    assert [(h["who"], h["new_status"]) for h in body["history"]] == [
        ("admin1", "waiting"), ("lan.nguyen", "in_progress"), ("lan.nguyen", "done")]
    # Closed: no further move; the refusal in English when asked so.
    again = lan.post(f"{url}/return?lang=en", json={"reason": "nhầm đơn vị"},
                     headers={"X-CSRF-Token": csrf_of(lan)})
    assert again.status_code == 400
    assert "closed" in again.json()["detail"]


def test_a_secret_assignment_exists_only_for_the_cleared(app: FastAPI,
                                                         assigned: dict[str, str]):
    secret = assigned["mat-kho.txt"]
    lan, hoa = login(app, "lan.nguyen"), login(app, "hoa.le")  # same unit; hoa holds MẬT
    assert secret not in _listed(lan)
    assert lan.get(f"/api/documents/{secret}/assignments").status_code == 404
    moved = _post(lan, f"/api/documents/{secret}/assignments/{FINANCE}/start")
    assert moved.status_code == 404
    assert moved.json() == lan.get("/api/documents/0000000000000000/assignments").json()
    # The cleared member sees it, overdue, and the count of overdue says so.
    answer = hoa.get("/api/assignments?overdue=true")
    assert [a["doc_id"] for a in answer.json()["assignments"]] == [secret]
    assert answer.json()["assignments"][0]["overdue_working_days"] > 0
    assert answer.json()["overdue"] == 1
    assert lan.get("/api/assignments").json()["overdue"] == 0


def test_the_overdue_badge_counts_only_what_the_user_may_see(app: FastAPI,
                                                             assigned: dict[str, str]):
    lan_page = login(app, "lan.nguyen").get("/tracking")
    hoa_page = login(app, "hoa.le").get("/tracking")
    assert 'id="nav-tracking"' in lan_page.text
    assert 'id="overdue-badge"' not in lan_page.text  # the secret overdue one is not counted
    assert '<span aria-hidden="true">1</span>' in hoa_page.text
    assert "1 văn bản quá hạn" in hoa_page.text
    assert assigned["mat-kho.txt"] not in lan_page.text
    # The admin (records office) sees it too; a reader in no unit has no tracking link.
    assert 'id="overdue-badge"' in login(app, "admin1").get("/").text
    assert 'id="nav-tracking"' not in login(app, "archivist1").get("/").text


def test_only_the_records_office_assigns(app: FastAPI, assigned: dict[str, str]):
    lan = login(app, "lan.nguyen")
    url = f"/api/documents/{assigned['duong-xa.txt']}/assignments"
    assert _post(lan, url, {"unit": FINANCE}).status_code == 403
    clerk = login(app, "clerk1")
    assert _post(clerk, url, {"unit": "khong-co"}).json()["reason"] == "tracking_unknown_unit"
    # No CSRF token, no change.
    assert clerk.post(url, json={"unit": FINANCE}).status_code == 403
    # An outgoing document is not assigned; a MẬT one is not found for the clerk.
    out = _post(clerk, f"/api/documents/{assigned['phuc-dap.txt']}/assignments",
                {"unit": FINANCE})
    assert out.json()["reason"] == "tracking_not_incoming"
    assert _post(clerk, f"/api/documents/{assigned['mat-kho.txt']}/assignments",
                 {"unit": HOME}).status_code == 404


def test_the_endpoints_are_in_the_openapi_schema(app: FastAPI):
    paths = login(app, "lan.nguyen").get("/openapi.json").json()["paths"]
    for path in ("/api/assignments", "/api/documents/{doc_id}/assignments",
                 "/api/documents/{doc_id}/assignments/{unit}/start",
                 "/api/documents/{doc_id}/assignments/{unit}/handled",
                 "/api/documents/{doc_id}/assignments/{unit}/return"):
        assert path in paths, path
    assert "post" in paths["/api/documents/{doc_id}/assignments"]


@pytest.fixture(scope="module")
def overseen(tracking_archive: TrackingArchive) -> FastAPI:
    """The same archive with giam.doc (open documents) and pho.giam.doc (MẬT) as overseers."""
    settings = tracking_archive.settings.model_copy(
        update={"tracking_overseers": ["giam.doc", "pho.giam.doc"]})
    return create_app(settings, tracking_archive.backends)


def test_overseers_follow_every_unit_read_only(app: FastAPI, overseen: FastAPI,
                                               assigned: dict[str, str]):
    home, finance = assigned["bien-che.txt"], assigned["dat-dai.txt"]
    secret = assigned["mat-kho.txt"]
    director, deputy = login(overseen, "giam.doc"), login(overseen, "pho.giam.doc")
    # The other tests move the finance one along; the HOME one stays waiting.
    assert home in _listed(director) and secret not in _listed(director)
    assert {home, secret} <= _listed(deputy)
    assert deputy.get("/api/assignments?overdue=true").json()["overdue"] == 1
    for doc_id, unit in ((home, HOME), (finance, FINANCE)):
        seen = director.get(f"/api/documents/{doc_id}/assignments").json()
        assert {a["unit"] for a in seen} == {unit}
    assert director.get(f"/api/documents/{secret}/assignments").status_code == 404
    assert deputy.get(f"/api/documents/{secret}/assignments").status_code == 200
    # Read-only: no assigning, no moving, for any unit.
    assert _post(director, f"/api/documents/{assigned['duong-xa.txt']}/assignments",
                 {"unit": HOME}).status_code == 403
    for doc_id, unit in ((home, HOME), (finance, FINANCE)):
        for action, body in (("start", None), ("handled", {"note": "x"}),
                             ("return", {"reason": "x"})):
            moved = _post(director, f"/api/documents/{doc_id}/assignments/{unit}/{action}",
                          body)
            # 403 for the open one; the finance one may be closed already (400).
            assert moved.status_code in ((403,) if unit == HOME else (403, 400)), moved.text
    panel = director.get(f"/documents/{home}").text
    assert 'id="tracking"' in panel and 'id="assign-form"' not in panel
    assert f'action="/documents/{home}/tracking/' not in panel  # no move form
    # The work list offers every unit, the badge counts what they may see.
    page = director.get("/tracking")
    assert page.status_code == 200
    assert f'value="{HOME}"' in page.text and f'value="{FINANCE}"' in page.text
    assert 'id="nav-tracking"' in director.get("/").text
    # Without the setting, the same account has no list at all.
    assert _listed(login(app, "giam.doc")) == set()
    assert login(app, "giam.doc").get("/tracking").status_code == 404


def test_a_leader_assigns_as_the_records_office_does(tracking_archive: TrackingArchive,
                                                    assigned: dict[str, str]):
    # Decree 30: the office's leader directs a document to a unit.  giam.doc is an
    # officer in no unit; as a leader they may assign (an unknown unit is refused as
    # it is for a clerk, not forbidden; nothing is changed for the other tests).
    settings = tracking_archive.settings.model_copy(update={"tracking_leaders": ["giam.doc"]})
    director = login(create_app(settings, tracking_archive.backends), "giam.doc")
    doc_id = assigned["duong-xa.txt"]
    refused = _post(director, f"/api/documents/{doc_id}/assignments", {"unit": "khong-co"})
    assert refused.status_code == 400 and refused.json()["reason"] == "tracking_unknown_unit"
    assert 'id="assign-form"' in director.get(f"/documents/{doc_id}").text
    page = director.get("/tracking")
    assert f'value="{HOME}"' in page.text and f'value="{FINANCE}"' in page.text
    # Not a leader: the same account may not assign.
    plain = login(create_app(tracking_archive.settings, tracking_archive.backends), "giam.doc")
    assert _post(plain, f"/api/documents/{doc_id}/assignments",
                 {"unit": "khong-co"}).status_code == 403
