"""Many files at once; duplicates announced before registration, never of a hidden document."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from apps.web import create_app
from tests.apps.web.conftest import Archive, csrf_of, login

pytestmark = pytest.mark.slow
NEVER_SEEN = "f" * 64


@pytest.fixture(scope="module")
def clients(archive: Archive) -> Iterator[dict[str, TestClient]]:
    app = create_app(archive.settings, archive.backends)
    yield {name: login(app, name) for name in ("clerk1", "admin1", "officer3")}


def check(client: TestClient, sha256: str, name: str = "a.pdf") -> dict[str, object]:
    answer = client.post("/api/upload/check", json={"files": [{"sha256": sha256, "name": name}]},
                         headers={"x-csrf-token": csrf_of(client)})
    assert answer.status_code == 200, answer.text
    (one,) = answer.json()
    return dict(one)


def sha_of(archive: Archive, secrecy: int) -> str:
    doc_id = archive.by_secrecy[secrecy][0]
    return hashlib.sha256(archive.originals[doc_id].read_bytes()).hexdigest()


def test_a_registered_document_the_user_may_open_is_announced_with_its_number(
        archive: Archive, clients: dict[str, TestClient]) -> None:
    answer = check(clients["admin1"], sha_of(archive, 3), "ban-sao.txt")
    assert answer["duplicate"] == "registered"
    assert "ban-sao.txt: văn bản này đã được đăng ký (" in str(answer["message"])
    assert str(answer["url"]).startswith("/documents/")


@pytest.mark.parametrize("secrecy", [0, 3])
def test_a_document_the_clerk_may_not_open_answers_as_a_new_file(
        archive: Archive, clients: dict[str, TestClient], secrecy: int) -> None:
    clerk = clients["clerk1"]  # uploaded none of the archive's documents
    hidden = check(clerk, sha_of(archive, secrecy))
    new = check(clerk, NEVER_SEEN)
    assert {**hidden, "sha256": ""} == {**new, "sha256": ""}
    assert hidden["duplicate"] is None


def test_the_same_file_twice_is_announced_as_waiting_and_the_form_takes_many(
        archive: Archive, clients: dict[str, TestClient]) -> None:
    clerk = clients["clerk1"]
    data = "Tờ trình số 9/TTr-VP về kiểm kê\n".encode()
    sha = hashlib.sha256(data).hexdigest()
    assert check(clerk, sha)["duplicate"] is None
    page = clerk.post("/upload", data={"direction": "incoming", "folder": "van-thu",
                                       "csrf_token": csrf_of(clerk)},
                      files=[("file", ("to-trinh.txt", data, "text/plain")),
                             ("file", ("khac.txt", "Khác\n".encode(), "text/plain"))])
    assert page.status_code == 201
    assert "to-trinh.txt" in page.text and "khac.txt" in page.text
    folder = archive.settings.inbox_location / "incoming" / "van-thu"
    assert (folder / "to-trinh.txt").read_bytes() == data and (folder / "khac.txt").exists()
    waiting = check(clerk, sha, "to-trinh.txt")
    assert waiting["duplicate"] == "waiting"
    assert waiting["message"] == "to-trinh.txt: tệp này đang chờ trong hộp thư."
    again = clerk.post("/api/upload", data={"direction": "incoming", "folder": "van-thu"},
                       files={"file": ("to-trinh.txt", data, "text/plain")},
                       headers={"x-csrf-token": csrf_of(clerk), "accept-language": "en"},
                       params={"lang": "en"})
    assert again.status_code == 201
    assert again.json()["duplicate"] == "waiting"
    assert "already waiting in the inbox" in again.json()["message"]
    clerk.get("/login", params={"lang": "vi"})


def test_the_check_needs_the_csrf_token_and_an_uploader(clients: dict[str, TestClient]) -> None:
    body = {"files": [{"sha256": NEVER_SEEN, "name": "a"}]}
    assert clients["clerk1"].post("/api/upload/check", json=body).status_code == 403
    officer = clients["officer3"]
    assert officer.post("/api/upload/check", json=body,
                        headers={"x-csrf-token": csrf_of(officer)}).status_code == 403
