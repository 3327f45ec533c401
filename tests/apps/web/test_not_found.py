"""One answer for "not there" and "not yours" (issue 16, failure 3).

A document the user may not open (secret above their clearance, or for a clerk
one they did not upload) must answer exactly like an id that never existed:
same status, same body, same headers, on every route that takes an id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from apps.web import create_app
from tests.apps.web.conftest import Archive, csrf_of, login

pytestmark = pytest.mark.slow
NEVER_EXISTED = "0123456789abcdef"
ROUTES = (
    "/api/documents/{}",
    "/api/documents/{}/original",
    "/api/documents/{}/original?inline=true",
    "/documents/{}",
    "/documents/{}/original",
    "/documents/{}/original?inline=true",
    "/documents/{}/pages/1.png",
    "/documents/{}/rendition",
    "/api/documents/{}/assignments",
)
# Routes that change a document, posted with a valid form and token.
POST_ROUTES = ("/documents/{}/correct",)
# Tracking's changes (issue 21): (route, request arguments, only the records office may).
TRACKING_POSTS = (
    ("/api/documents/{}/assignments", {"json": {"unit": "x"}}, True),
    ("/api/documents/{}/assignments/1/start", {}, False),
    ("/api/documents/{}/assignments/1/handled", {"json": {"note": "x"}}, False),
    ("/api/documents/{}/assignments/1/return", {"json": {"reason": "x"}}, False),
    ("/documents/{}/assign", {"data": {"unit": "x"}}, True),
    ("/documents/{}/tracking/1/start", {"data": {"note": "x"}}, False),
)
# Headers that vary from one response to the next whatever the document.
VOLATILE = {"date", "set-cookie"}


@pytest.fixture(scope="module")
def app(archive: Archive) -> FastAPI:
    return create_app(archive.settings, archive.backends)


@pytest.fixture(scope="module")
def clients(app: FastAPI) -> Iterator[dict[str, TestClient]]:
    yield {name: login(app, name) for name in ("clerk1", "archivist1", "officer1", "officer2")}


def hidden_from(archive: Archive, username: str) -> list[str]:
    """Documents that exist but ``username`` may not open."""
    if username == "clerk1":  # uploaded nothing: every document is someone else's
        return [ids[0] for ids in archive.by_secrecy.values()]
    level = {"archivist1": 0, "officer1": 1, "officer2": 2}[username]
    return [ids[0] for rank, ids in archive.by_secrecy.items() if rank > level]


def fingerprint(answer: httpx.Response, doc_id: str) -> tuple[int, bytes, dict[str, str]]:
    """Status, body and headers, with the requested id (echoed in page links) blanked."""
    headers = {k: v.replace(doc_id, "ID") for k, v in answer.headers.items()
               if k not in VOLATILE}
    return answer.status_code, answer.content.replace(doc_id.encode(), b"ID"), headers


@pytest.mark.parametrize("username", ["clerk1", "archivist1", "officer1", "officer2"])
@pytest.mark.parametrize("route", ROUTES)
def test_a_hidden_document_answers_like_one_that_never_existed(
    archive: Archive, clients: dict[str, TestClient], username: str, route: str
) -> None:
    client = clients[username]
    absent = fingerprint(client.get(route.format(NEVER_EXISTED)), NEVER_EXISTED)
    assert absent[0] == 404
    hidden = hidden_from(archive, username)
    assert hidden
    for doc_id in hidden:
        assert fingerprint(client.get(route.format(doc_id)), doc_id) == absent, doc_id
    # A malformed id is just another id that does not exist.
    assert fingerprint(client.get(route.format("x" * 16)), "x" * 16) == absent


def test_the_not_found_answer_names_no_id_and_speaks_the_interface_language(
    archive: Archive, clients: dict[str, TestClient]
) -> None:
    client = clients["archivist1"]
    secret = archive.by_secrecy[3][0]
    vietnamese = client.get(f"/api/documents/{secret}").json()
    english = client.get(f"/api/documents/{secret}", params={"lang": "en"}).json()
    client.get("/login", params={"lang": "vi"})  # ?lang= sticks (a cookie): back to Vietnamese
    assert vietnamese == {"detail": "Không tìm thấy văn bản."}
    assert english == {"detail": "No such document."}
    page = client.get(f"/documents/{secret}")
    # The id appears only in the language links back to the path that was asked for.
    assert secret not in page.text.replace(f'href="/documents/{secret}?lang=', "")
    assert "Không tìm thấy văn bản." in page.text
    assert 'href="/reports"' in page.text  # the error page keeps the navigation


def test_every_route_that_takes_a_document_id_is_walked_above(app: FastAPI) -> None:
    # Other path parameters (a page number) are walked with the value 1.
    taking_an_id = {re.sub(r"\{(?!doc_id\})\w+\}", "1", route.path) for route in app.routes
                    if "{doc_id}" in getattr(route, "path", "")}
    tracking = (route.replace("/start", "/1") if route.startswith("/documents") else route
                for route, _arguments, _office in TRACKING_POSTS)
    walked = {route.split("?")[0].format("{doc_id}")
              for route in (*ROUTES, *POST_ROUTES, *tracking)}
    assert taking_an_id <= walked, taking_an_id - walked


@pytest.mark.parametrize("username", ["clerk1", "archivist1", "officer1", "officer2"])
@pytest.mark.parametrize("route", POST_ROUTES)
def test_a_correction_of_a_hidden_document_answers_like_one_that_never_existed(
    archive: Archive, clients: dict[str, TestClient], username: str, route: str
) -> None:
    """A clerk gets the not-found answer; who may not correct at all, 403 for any id."""
    client = clients[username]
    form = {"csrf_token": csrf_of(client), "revision": "0", "signer_name": "X"}
    absent = fingerprint(client.post(route.format(NEVER_EXISTED), data=form), NEVER_EXISTED)
    assert absent[0] == (404 if username == "clerk1" else 403)
    for doc_id in hidden_from(archive, username):
        assert fingerprint(client.post(route.format(doc_id), data=form), doc_id) == absent
    assert fingerprint(client.post(route.format("x" * 16), data=form), "x" * 16) == absent


@pytest.mark.parametrize("username", ["clerk1", "archivist1", "officer1", "officer2"])
@pytest.mark.parametrize(("route", "arguments", "office"), TRACKING_POSTS)
def test_tracking_a_hidden_document_answers_like_one_that_never_existed(
    archive: Archive, clients: dict[str, TestClient], username: str, route: str,
    arguments: dict[str, Any], office: bool
) -> None:
    """Assigning is the records office's: 403 for any id to anyone else; every other
    answer about a hidden document is the not-found of an id that never existed."""
    client = clients[username]
    token = csrf_of(client)
    form = arguments.get("data")
    sent = {**arguments, "data": {**form, "csrf_token": token}} if form is not None else {
        **arguments, "headers": {"X-CSRF-Token": token}}

    def answer(doc_id: str) -> tuple[int, bytes, dict[str, str]]:
        return fingerprint(client.post(route.format(doc_id), **sent), doc_id)

    absent = answer(NEVER_EXISTED)
    assert absent[0] == (403 if office and username != "clerk1" else 404)
    for doc_id in hidden_from(archive, username):
        assert answer(doc_id) == absent, doc_id
    assert answer("x" * 16) == absent
