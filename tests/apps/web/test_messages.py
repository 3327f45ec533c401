"""Vietnamese first in every message a user reads; the API docs behind login, no CDN."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from apps.web import create_app
from tests.apps.web.conftest import Archive, csrf_of, login

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app(archive: Archive) -> FastAPI:
    return create_app(archive.settings, archive.backends)


@pytest.fixture(scope="module")
def archivist(app: FastAPI) -> TestClient:
    return login(app, "archivist1")


def test_csrf_failure_is_vietnamese_first_with_the_navigation(app: FastAPI,
                                                              archivist: TestClient) -> None:
    anonymous = TestClient(app).post("/login", data={"username": "a", "password": "b"})
    assert anonymous.status_code == 403
    assert "Phiên làm việc đã hết hạn hoặc không hợp lệ" in anonymous.text
    assert "CSRF token" not in anonymous.text
    english = TestClient(app).post("/login?lang=en", data={"username": "a", "password": "b"})
    assert "reload the page" in english.text
    signed_in = archivist.post("/logout", data={"csrf_token": "forged"})
    assert signed_in.status_code == 403
    assert "archivist1" in signed_in.text and 'href="/reports"' in signed_in.text
    api = archivist.post("/api/upload", files={"file": ("a.txt", b"x")},
                         data={"direction": "incoming"})
    assert api.status_code == 403 and "Phiên làm việc" in api.json()["detail"]


def test_validation_and_unknown_routes_speak_the_interface_language(
    archivist: TestClient,
) -> None:
    bad = archivist.get("/api/search", params={"page": "abc"})
    assert bad.status_code == 400 and "không phải là số" in bad.json()["detail"]
    assert "not a number" in archivist.get("/api/search", params={"page": "abc",
                                                                   "lang": "en"}).json()["detail"]
    archivist.get("/login", params={"lang": "vi"})  # ?lang= sticks (a cookie): back to Vietnamese
    invalid = archivist.post("/api/upload", headers={"x-csrf-token": csrf_of(archivist)})
    assert invalid.status_code == 422
    assert "thiếu" in invalid.json()["detail"] and "Field required" not in invalid.text
    unknown = archivist.get("/api/no-such-route")
    assert unknown.status_code == 404 and unknown.json() == {"detail": "Không tìm thấy."}
    page = archivist.get("/no-such-page")
    assert page.status_code == 404 and "Không tìm thấy." in page.text and "archivist1" in page.text


def test_api_docs_and_schema_are_behind_login_and_local(app: FastAPI,
                                                        archivist: TestClient) -> None:
    anonymous = TestClient(app)
    assert anonymous.get("/openapi.json").status_code == 401
    assert anonymous.get("/docs", follow_redirects=False).status_code == 303
    assert anonymous.get("/redoc").status_code == 404
    schema = archivist.get("/openapi.json")
    assert schema.status_code == 200 and "/api/search" in schema.json()["paths"]
    docs = archivist.get("/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.text.lower() and "http" not in docs.text.split("<body", 1)[1]
    csp = docs.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    for asset in ("/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"):
        assert archivist.get(asset).status_code == 200


def test_upload_refusals_speak_the_interface_language(app: FastAPI) -> None:
    clerk = login(app, "clerk1")
    token = csrf_of(clerk)
    empty = clerk.post("/upload", data={"direction": "incoming", "csrf_token": token},
                       files={"file": ("rỗng.txt", b"", "text/plain")})
    assert empty.status_code == 400 and "Tệp rỗng." in empty.text
    api = clerk.post("/api/upload", data={"direction": "incoming", "folder": "../x"},
                     files={"file": ("a.txt", b"x", "text/plain")},
                     headers={"x-csrf-token": token})
    assert api.status_code == 400 and "chỉ gồm chữ, số" in api.json()["detail"]
