"""The inbox page: waiting, processing and quarantined files, each user only their own."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from apps.web import create_app
from apps.web.accounts import Accounts, Role
from ingest.inbox import Inbox
from ingest.lanes import LaneFolder
from kernel.errors import QuarantineReason
from kernel.settings import load_settings
from tests.apps.web.conftest import PASSWORD, csrf_of, login

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TestClient]]:
    """Two clerks upload through the page; the pipeline's own Inbox claims and quarantines."""
    settings = load_settings(data_dir=tmp_path_factory.mktemp("inbox") / "var",
                             web_secret_key="k")
    accounts = Accounts.open(settings.register_location)
    for name, role in (("clerk1", Role.CLERK), ("clerk2", Role.CLERK), ("admin1", Role.ADMIN)):
        accounts.add_user(name, PASSWORD, role, 0)
    app = create_app(settings)
    clients = {name: login(app, name) for name in ("clerk1", "clerk2", "admin1")}
    for client, name, folder in ((clients["clerk1"], "cho-xu-ly.txt", "van-thu"),
                                 (clients["clerk1"], "dang-xu-ly.txt", ""),
                                 (clients["clerk1"], "hong.pdf", ""),
                                 (clients["clerk2"], "bi-mat-cua-nguoi-khac.txt", "")):
        answer = client.post("/upload", data={"direction": "incoming", "folder": folder,
                                              "csrf_token": csrf_of(client)},
                             files={"file": (name, f"Nội dung {name}".encode())})
        assert answer.status_code == 201, answer.text
    inbox = Inbox(settings.inbox_location)
    batch = inbox.new_batch()
    found = {c.path.name: c for c in inbox.scan()}
    inbox.claim(found["dang-xu-ly.txt"], batch)
    broken = inbox.claim(found["hong.pdf"], batch)
    assert broken is not None
    sha = hashlib.sha256("Nội dung hong.pdf".encode()).hexdigest()
    inbox.quarantine(broken, QuarantineReason.CORRUPT, "pdf: no trailer", step="extract",
                     sha256=sha)
    yield clients
    accounts.close()


def section(page: str, name: str) -> str:
    start = page.index(f'id="{name}"')
    return page[start:page.index("</section>", start)]


def test_a_clerk_sees_their_files_in_each_state_with_the_reason_in_their_language(
        office: dict[str, TestClient]) -> None:
    page = office["clerk1"].get("/inbox").text
    assert 'data-refresh="15"' in page and 'src="/static/ui.js"' in page
    assert "cho-xu-ly.txt" in section(page, "waiting") and "van-thu" in section(page, "waiting")
    assert "dang-xu-ly.txt" in section(page, "processing")
    quarantined = section(page, "quarantined")
    assert "hong.pdf" in quarantined and "Tệp bị hỏng hoặc không đọc được" in quarantined
    assert "no trailer" not in quarantined  # the technical message is for the admin
    english = office["clerk1"].get("/inbox", params={"lang": "en"}).text
    assert "The file is damaged or cannot be read" in english and "Being processed" in english
    assert "bi-mat-cua-nguoi-khac" not in page  # another clerk's file


def test_the_admin_sees_every_file_and_the_message(office: dict[str, TestClient]) -> None:
    page = office["admin1"].get("/inbox").text
    for name in ("cho-xu-ly.txt", "dang-xu-ly.txt", "hong.pdf", "bi-mat-cua-nguoi-khac.txt"):
        assert name in page
    assert "pdf: no trailer" in section(page, "quarantined")


def test_the_other_clerk_sees_only_theirs(office: dict[str, TestClient]) -> None:
    page = office["clerk2"].get("/inbox").text
    assert "bi-mat-cua-nguoi-khac.txt" in section(page, "waiting")
    assert "hong.pdf" not in page and "dang-xu-ly" not in page


def test_files_in_the_pool_and_in_a_lane_show_as_being_processed(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """A claim puts files in the pool in chunks; a lane takes a chunk into its own folder."""
    settings = load_settings(data_dir=tmp_path_factory.mktemp("lanes") / "var",
                             web_secret_key="k")
    accounts = Accounts.open(settings.register_location)
    accounts.add_user("admin1", PASSWORD, Role.ADMIN, 0)
    client = login(create_app(settings), "admin1")
    for name in ("trong-lan.txt", "trong-kho.txt", "dang-nhan.txt", "cho.txt"):
        answer = client.post("/upload", data={"direction": "incoming", "folder": "",
                                              "csrf_token": csrf_of(client)},
                             files={"file": (name, f"Nội dung {name}".encode())})
        assert answer.status_code == 201, answer.text
    inbox = Inbox(settings.inbox_location)
    found = {c.path.name: c for c in inbox.scan()}
    for name in ("trong-lan.txt", "trong-kho.txt"):  # one chunk each, into the pool
        batch = inbox.new_batch()
        inbox.claim(found[name], batch)
        inbox.publish_batch(batch)
    filling = inbox.new_batch()  # a claim still filling its chunk
    inbox.claim(found["dang-nhan.txt"], filling)
    with LaneFolder(inbox.work_root) as lane:
        taken = lane.take_chunk()
        assert taken is not None and lane.path in taken.parents
        in_lane = next(p.name for p in taken.rglob("*.txt"))
        page = client.get("/inbox").text
    processing = section(page, "processing")
    for name in ("trong-lan.txt", "trong-kho.txt", "dang-nhan.txt"):
        assert name in processing, name
    assert in_lane in processing and "cho.txt" in section(page, "waiting")
    assert "cho.txt" not in processing
    accounts.close()
