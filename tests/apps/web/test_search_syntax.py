"""The search box's operators through the web app, and the syntax help beside it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from apps.web import create_app
from tests.apps.web.conftest import Archive, login

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def archivist(archive: Archive) -> TestClient:
    return login(create_app(archive.settings, archive.backends), "archivist1")


def _found(client: TestClient, text: str) -> set[str]:
    answer = client.get("/api/search", params={"q": text, "page_size": 100})
    assert answer.status_code == 200, answer.text
    return {hit["doc_id"] for hit in answer.json()["hits"]}


def test_the_search_page_explains_the_syntax_in_both_languages(archivist: TestClient) -> None:
    page = archivist.get("/", params={"lang": "vi"})
    assert '<details class="syntax-help">' in page.text
    assert "Cách gõ từ khóa" in page.text and "lụt OR bão" in page.text
    english = archivist.get("/", params={"lang": "en"})
    assert "How to search" in english.text and "Diacritics are optional" in english.text
    archivist.get("/", params={"lang": "vi"})  # ?lang= sticks: back to Vietnamese


def test_operators_work_through_the_api(archivist: TestClient) -> None:
    either = _found(archivist, "quyet OR dinh")
    assert either and either == _found(archivist, "quyet") | _found(archivist, "dinh")
    assert _found(archivist, "quyet*") >= _found(archivist, "quyet")
    assert not _found(archivist, "quyet -quyet")
    assert _found(archivist, "-quyet") == _found(archivist, "") - _found(archivist, "quyet")


@pytest.mark.parametrize("text", ['"', "-", "*", "NEAR(a, 2)", "title:", "AND OR NOT", "(("])
def test_hostile_text_is_an_ordinary_page(archivist: TestClient, text: str) -> None:
    assert archivist.get("/", params={"q": text}).status_code == 200
    assert archivist.get("/api/search", params={"q": text}).status_code == 200
