"""The review queue and the correction form through the real app, for every role.

Each test module builds its own archive (``build_review_archive``): files
uploaded by two clerks through the upload form and ingested by the real
pipeline, among them a MẬT document that needs review.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from apps.web import create_app
from ingest.indexing import load_record
from search.model import SearchQuery
from tests.apps.web.conftest import (
    REVIEW_USERS,
    ReviewArchive,
    build_review_archive,
    csrf_of,
    login,
)

pytestmark = pytest.mark.slow
ITEM = re.compile(r'class="review-item" data-doc="([0-9a-f]{16})"')
MAIN = re.compile(r"<main[^>]*>.*</main>", re.S)


def main_of(html: str) -> str:
    """The page without its header (whose language links carry the path)."""
    found = MAIN.search(html)
    assert found is not None
    return found.group(0)


@pytest.fixture
def review(tmp_path: Path) -> Iterator[ReviewArchive]:
    built = build_review_archive(tmp_path)
    yield built
    built.accounts.close()
    built.backends.close()


@pytest.fixture
def clients(review: ReviewArchive) -> dict[str, TestClient]:
    app = create_app(review.settings, review.backends)
    return {name: login(app, name) for name, _, _ in REVIEW_USERS}


def listed(client: TestClient, **params: str) -> list[str]:
    page = client.get("/review", params=params)
    assert page.status_code == 200, page.text
    return ITEM.findall(page.text)


def form_of(client: TestClient, doc_id: str, **changes: str | list[str]) -> dict[str, object]:
    """The correction form of ``doc_id`` as the page shows it, with ``changes`` made."""
    page = client.get(f"/documents/{doc_id}").text
    values: dict[str, object] = {
        "csrf_token": csrf_of(client),
        "revision": re.search(r'name="revision" value="(\d+)"', page).group(1),  # type: ignore[union-attr]
    }
    for name in ("number_symbol", "issue_date", "issuing_body", "signer_name",
                 "secrecy_reason"):
        found = re.search(rf'name="{name}" value="([^"]*)"', page)
        values[name] = found.group(1) if found else ""
    values["subject"] = re.search(r'name="subject" rows="4">([^<]*)<', page).group(1)  # type: ignore[union-attr]
    values["doc_type"] = "Công văn"
    values.update(changes)
    return values


def test_each_queue_covers_what_its_user_may_open(review: ReviewArchive,
                                                 clients: dict[str, TestClient]) -> None:
    ids = review.ids
    # A clerk: their own open uploads that need review, newest first; not the
    # MẬT one they uploaded, not another clerk's, not the complete one.
    assert listed(clients["clerk1"]) == [ids["khong-ngay.txt"], ids["khong-ky.txt"]]
    assert listed(clients["clerk2"]) == [ids["cua-clerk2.txt"]]
    assert listed(clients["admin1"]) == [ids["cua-clerk2.txt"], ids["mat-khong-ky.txt"],
                                         ids["khong-ngay.txt"], ids["khong-ky.txt"]]
    for name in ("archivist1", "officer3"):
        assert clients[name].get("/review").status_code == 403
        assert 'id="review-count"' not in clients[name].get("/").text
        assert 'href="/review"' not in clients[name].get("/").text
    # The count on the search page is the queue's.
    counts = {name: re.search(r'id="review-count" href="/review">Cần kiểm tra: (\d+)',
                              clients[name].get("/").text) for name in ("clerk1", "admin1")}
    assert {k: int(v.group(1)) for k, v in counts.items() if v} == {"clerk1": 2, "admin1": 4}
    page = clients["clerk1"].get("/review").text
    assert "Người ký: thiếu" in page and "Ngày ban hành: thiếu" in page
    english = clients["clerk1"].get("/review?lang=en").text
    assert "Signed by: missing" in english and "To check" in english


def test_the_queue_pages(review: ReviewArchive, clients: dict[str, TestClient],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("apps.web.review.PAGE_SIZE", 3)
    admin = clients["admin1"]
    first, second = listed(admin), listed(admin, page="2")
    assert len(first) == 3 and len(second) == 1 and not set(first) & set(second)
    assert 'rel="next"' in admin.get("/review").text
    assert admin.get("/review", params={"page": "0"}).status_code == 422


def test_a_clerk_corrects_and_confirms(review: ReviewArchive,
                                       clients: dict[str, TestClient]) -> None:
    clerk, doc_id = clients["clerk1"], review.ids["khong-ky.txt"]
    page = clerk.get(f"/documents/{doc_id}").text
    assert 'id="correction"' in page and 'class="cfield doubtful" id="field-signer_name"' in page
    answer = clerk.post(f"/documents/{doc_id}/correct",
                        data=form_of(clerk, doc_id, signer_name="Trần Thị Hoa"),
                        follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].endswith("?saved=1")
    shown = clerk.get(answer.headers["location"]).text
    assert "Đã lưu." in shown and "Trần Thị Hoa" in shown
    assert "Lịch sử sửa thông tin" in shown and "clerk1" in shown
    assert doc_id not in listed(clerk)
    record = load_record(review.backends, doc_id)
    assert [(c.field, c.action, c.by) for c in record.corrections] == [
        ("signer_name", "corrected", "clerk1")]
    row = review.backends.register.get_document(doc_id)
    assert row is not None and row.signer == "Trần Thị Hoa"
    assert review.backends.index.search(SearchQuery(text="Trần Thị Hoa")).total == 1
    entries = [(e.username, e.action, e.doc_id, e.detail)
               for e in review.accounts.audit_entries() if e.action == "correct"]
    assert entries == [("clerk1", "correct", doc_id, "corrected: signer_name")]
    # Confirming the missing date as it is (none) takes the other one off the queue.
    other = review.ids["khong-ngay.txt"]
    answer = clerk.post(f"/documents/{other}/correct",
                        data=form_of(clerk, other, confirm=["issue_date"]),
                        follow_redirects=False)
    assert answer.status_code == 303
    assert listed(clerk) == []
    assert [c.action for c in load_record(review.backends, other).corrections] == ["confirmed"]


def test_validation_messages_in_the_interface_language(review: ReviewArchive,
                                                       clients: dict[str, TestClient]) -> None:
    clerk, doc_id = clients["clerk1"], review.ids["khong-ky.txt"]
    bad = form_of(clerk, doc_id, issue_date="31/02/2025", signer_name="Trần Thị Hoa")
    answer = clerk.post(f"/documents/{doc_id}/correct", data=bad)
    assert answer.status_code == 400
    assert "Ngày ban hành: không phải là ngày (dd/mm/yyyy): 31/02/2025" in answer.text
    assert 'value="Trần Thị Hoa"' in answer.text  # what was typed is kept
    answer = clerk.post(f"/documents/{doc_id}/correct?lang=en", data=bad)
    assert "Issue date: not a date (dd/mm/yyyy): 31/02/2025" in answer.text
    nothing = clerk.post(f"/documents/{doc_id}/correct?lang=vi", data=form_of(clerk, doc_id))
    assert nothing.status_code == 400 and "Không có gì thay đổi" in nothing.text
    stale = form_of(clerk, doc_id, signer_name="A", revision="7")
    assert "vừa được người khác sửa" in clerk.post(f"/documents/{doc_id}/correct",
                                                   data=stale).text
    assert load_record(review.backends, doc_id).corrections == []
    no_token = {k: v for k, v in form_of(clerk, doc_id, signer_name="B").items()
                if k != "csrf_token"}
    assert clerk.post(f"/documents/{doc_id}/correct", data=no_token).status_code == 403
    assert load_record(review.backends, doc_id).corrections == []


def test_who_may_correct_what(review: ReviewArchive, clients: dict[str, TestClient]) -> None:
    ids = review.ids
    for name in ("archivist1", "officer3"):
        client = clients[name]
        assert 'id="correction-save"' not in client.get(f"/documents/{ids['du.txt']}").text
        answer = client.post(f"/documents/{ids['du.txt']}/correct",
                             data={**form_of(clients["admin1"], ids["du.txt"],
                                             signer_name="X"), "csrf_token": csrf_of(client)})
        assert answer.status_code == 403
    # A clerk cannot correct another clerk's upload, nor their own MẬT one: not found.
    clerk = clients["clerk1"]
    for name in ("cua-clerk2.txt", "mat-khong-ky.txt"):
        data = {**form_of(clients["admin1"], ids[name], signer_name="X"),
                "csrf_token": csrf_of(clerk)}
        answer = clerk.post(f"/documents/{ids[name]}/correct", data=data)
        missing = clerk.get("/documents/0123456789abcdef")
        assert (answer.status_code, main_of(answer.text)) == (404, main_of(missing.text))
    for name in ids:
        assert load_record(review.backends, ids[name]).corrections == []


def test_secrecy_raised_by_a_clerk_lowered_only_by_an_admin(
        review: ReviewArchive, clients: dict[str, TestClient]) -> None:
    clerk, admin = clients["clerk1"], clients["admin1"]
    doc_id = review.ids["khong-ky.txt"]
    without_reason = clerk.post(f"/documents/{doc_id}/correct",
                                data=form_of(clerk, doc_id, secrecy="MẬT"))
    assert without_reason.status_code == 400 and "cần ghi lý do" in without_reason.text
    answer = clerk.post(f"/documents/{doc_id}/correct",
                        data=form_of(clerk, doc_id, secrecy="MẬT",
                                     secrecy_reason="QĐ 12/QĐ-SNV"), follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/review?moved=1")
    assert "sổ văn bản mật" in clerk.get("/review?moved=1").text
    # The clerk no longer sees it, exactly as a document that does not exist.
    hidden, missing = clerk.get(f"/documents/{doc_id}"), clerk.get("/documents/0123456789abcdef")
    assert (hidden.status_code, main_of(hidden.text)) == (404, main_of(missing.text))
    assert doc_id not in listed(clerk)
    row = review.backends.register.get_document(doc_id)
    assert row is not None and (row.book, row.secrecy) == ("secret", 1)
    assert doc_id in listed(admin)  # still to check, in the secret book now
    audit = [(e.username, e.action, e.detail) for e in review.accounts.audit_entries()
             if e.action == "secrecy"]
    assert audit == [("clerk1", "secrecy", "- -> MẬT: QĐ 12/QĐ-SNV")]
    # Lowering: a clerk cannot even open a MẬT document; an admin lowers it.
    secret = review.ids["mat-khong-ky.txt"]
    assert clerk.post(f"/documents/{secret}/correct",
                      data={**form_of(admin, secret, secrecy=""),
                            "csrf_token": csrf_of(clerk)}).status_code == 404
    answer = admin.post(f"/documents/{doc_id}/correct",
                        data=form_of(admin, doc_id, secrecy="", secrecy_reason="giải mật"),
                        follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/documents/")
    row = review.backends.register.get_document(doc_id)
    assert row is not None and (row.book, row.secrecy) == ("ordinary", 0)
    assert clerk.get(f"/documents/{doc_id}").status_code == 200
    record = load_record(review.backends, doc_id)
    assert [(c.old_secrecy, c.new_secrecy) for c in record.secrecy_changes] == [
        ("", "MẬT"), ("MẬT", "")]


def test_urgency_and_the_secrecy_choices_each_role_is_offered(
        review: ReviewArchive, clients: dict[str, TestClient]) -> None:
    """A clerk only ever sees open documents, so lowering a mark never reaches them; the
    form says who may lower, and an admin's form offers every level on a MẬT document."""
    clerk, doc_id = clients["clerk1"], review.ids["du.txt"]
    answer = clerk.post(f"/documents/{doc_id}/correct",
                        data=form_of(clerk, doc_id, urgency="KHẨN"), follow_redirects=False)
    assert answer.status_code == 303
    assert load_record(review.backends, doc_id).meta("urgency") == "KHẨN"
    assert "Chỉ quản trị viên được hạ độ mật." in clerk.get(f"/documents/{doc_id}").text
    page = clients["admin1"].get(f"/documents/{review.ids['mat-khong-ky.txt']}").text
    assert '<option value="MẬT" selected>' in page and "disabled" not in page
    assert "Chỉ quản trị viên được hạ độ mật." not in page
