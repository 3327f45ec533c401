"""Saved searches per user, page size, and the received-date, folder and reference filters."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from apps.web import create_app
from tests.apps.web.conftest import Archive, csrf_of, login

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def clients(archive: Archive) -> Iterator[dict[str, TestClient]]:
    app = create_app(archive.settings, archive.backends)
    yield {name: login(app, name) for name in ("archivist1", "officer3")}


def hits(page: str) -> int:
    return len(re.findall(r'<li class="hit">', page))


def test_a_saved_search_is_the_users_own_and_can_be_deleted(
        clients: dict[str, TestClient]) -> None:
    owner, other = clients["archivist1"], clients["officer3"]
    answer = owner.post("/searches", data={"name": "Quyết định đến", "csrf_token": csrf_of(owner),
                                           "query": "q=quyet&direction=incoming&page=3"},
                        follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/?q=quyet&direction=incoming"  # no page number
    page = owner.get("/").text
    link = re.search(r'<a href="/\?([^"]+)">Quyết định đến</a>', page)
    assert link is not None and link.group(1) == "q=quyet&amp;direction=incoming"
    assert "Quyết định đến" not in other.get("/").text
    form = re.search(r'action="/searches/(\d+)/delete"', page)
    assert form is not None
    search_id = form.group(1)
    # Another user cannot delete it.
    other.post(f"/searches/{search_id}/delete", data={"csrf_token": csrf_of(other)})
    assert "Quyết định đến" in owner.get("/").text
    owner.post(f"/searches/{search_id}/delete", data={"csrf_token": csrf_of(owner)})
    assert "Quyết định đến" not in owner.get("/").text


def test_saving_needs_the_csrf_token_and_a_valid_query(clients: dict[str, TestClient]) -> None:
    owner = clients["archivist1"]
    assert owner.post("/searches", data={"name": "x", "query": "q=a"}).status_code == 403
    bad = owner.post("/searches", data={"name": "x", "query": "issued_from=hôm-qua",
                                        "csrf_token": csrf_of(owner)})
    assert bad.status_code == 400 and "không phải là ngày" in bad.text


def test_page_size_and_the_new_filters(archive: Archive, clients: dict[str, TestClient]) -> None:
    client = clients["officer3"]
    everything = client.get("/api/search", params={"page_size": 100}).json()["total"]
    assert hits(client.get("/", params={"page_size": 10}).text) == min(10, everything)
    page = client.get("/").text
    for name in ("received_from", "received_to", "folder", "reference", "page_size"):
        assert f'name="{name}"' in page
    received = client.get("/", params={"received_from": "2000-01-01",
                                       "received_to": "2000-12-31"}).text
    assert hits(received) == 0 and 'value="2000-01-01"' in received
    folder = client.get("/", params={"folder": "khong-co-phong-nay"}).text
    assert hits(folder) == 0 and 'value="khong-co-phong-nay"' in folder
    english = client.get("/", params={"lang": "en"}).text
    assert "Received from" in english and "Results per page" in english
    client.get("/login", params={"lang": "vi"})
