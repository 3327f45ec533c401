"""The search page's and the search API's tracking filters (unit, status, overdue) on real
documents registered by the pipeline, with the tracking rules: a unit member finds only
their units' documents, the office and the overseers every unit's, and nobody a document
above their clearance, whatever the filters.

"Today" is the app's own (``TrackingDesk.today``, the register's time zone), as in the
other tracking tests: deadlines are set relative to it, one the day before (overdue by a
day), one on the day itself (not overdue yet), others a month before or days after.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from apps.web import create_app
from tests.apps.web.conftest import csrf_of, login
from tests.apps.web.tracking_archive import TrackingArchive, build_tracking_archive

FINANCE, HOME = "phong-tai-chinh", "phong-noi-vu"
OVERSEERS = ["giam.doc", "pho.giam.doc"]
STATUSES = ("", "open", "waiting", "in_progress", "done", "returned")
UNCLEARED = ("lan.nguyen", "minh.tran", "archivist1", "clerk1", "giam.doc")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrackingArchive]:
    built = build_tracking_archive(tmp_path_factory.mktemp("tracking-search"),
                                   tracking_overseers=OVERSEERS)
    yield built
    built.accounts.close()
    built.backends.close()


def _post(client: TestClient, url: str, body: dict[str, Any] | None = None) -> None:
    answer = client.post(url, json=body, headers={"X-CSRF-Token": csrf_of(client)})
    assert answer.status_code in (200, 201), answer.text


@pytest.fixture(scope="module")
def app(archive: TrackingArchive) -> FastAPI:
    """The archive with its documents routed: one overdue by a day (HOME), one due today
    (HOME), one and the MẬT one a month late (FINANCE), one led by FINANCE (in progress)
    with HOME cooperating (handled)."""
    app = create_app(archive.settings, archive.backends)
    today = app.state.tracking.today()
    ids = archive.ids
    admin = login(app, "admin1")
    for name, unit, body in (
            ("bien-che.txt", HOME, {"deadline": (today - timedelta(days=1)).isoformat()}),
            ("duong-xa.txt", HOME, {"deadline": today.isoformat()}),
            ("dat-dai.txt", FINANCE, {"deadline": (today - timedelta(days=30)).isoformat()}),
            ("mat-kho.txt", FINANCE, {"deadline": (today - timedelta(days=30)).isoformat()}),
            ("kinh-phi.txt", FINANCE, {"days": 5, "cooperating": [HOME]})):
        _post(admin, f"/api/documents/{ids[name]}/assignments", {"unit": unit, **body})
    url = f"/api/documents/{ids['kinh-phi.txt']}/assignments"
    _post(login(app, "lan.nguyen"), f"{url}/{FINANCE}/start")
    minh = login(app, "minh.tran")
    _post(minh, f"{url}/{HOME}/start")
    _post(minh, f"{url}/{HOME}/handled", {"note": "Đã phối hợp, gửi ý kiến"})
    return app


def _found(client: TestClient, **params: str) -> set[str]:
    answer = client.get("/api/search", params={"page_size": "100", **params})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] == len(body["hits"]) and body["total_exact"], params
    if body["facets"]:  # a clerk's search (their uploads) has none
        assert sum(v["count"] for v in body["facets"]["direction"]) == body["total"]
    return {hit["doc_id"] for hit in body["hits"]}


def _names(archive: TrackingArchive, *names: str) -> set[str]:
    return {archive.ids[f"{name}.txt"] for name in names}


@pytest.mark.parametrize(("user", "params", "expected"), [
    # A member of the finance unit: its documents only, each filter narrowing them.
    ("lan.nguyen", {"unit": FINANCE}, ("dat-dai", "kinh-phi")),
    ("lan.nguyen", {"status": "open"}, ("dat-dai", "kinh-phi")),
    ("lan.nguyen", {"status": "in_progress"}, ("kinh-phi",)),
    ("lan.nguyen", {"status": "waiting"}, ("dat-dai",)),
    ("lan.nguyen", {"status": "done"}, ()),  # handled by HOME, not by her unit
    ("lan.nguyen", {"overdue": "1"}, ("dat-dai",)),
    ("lan.nguyen", {"overdue": "1", "q": "đất"}, ("dat-dai",)),
    ("lan.nguyen", {"unit": FINANCE, "q": "biên chế"}, ()),
    # Cleared for MẬT, same unit: the secret one too.
    ("hoa.le", {"overdue": "1"}, ("dat-dai", "mat-kho")),
    ("hoa.le", {"unit": FINANCE, "q": "kho vật tư"}, ("mat-kho",)),
    # The other unit: overdue by one day, not on its deadline day.
    ("minh.tran", {"overdue": "true"}, ("bien-che",)),
    ("minh.tran", {"unit": HOME, "status": "open"}, ("bien-che", "duong-xa")),
    ("minh.tran", {"status": "done"}, ("kinh-phi",)),
    ("minh.tran", {"unit": HOME}, ("bien-che", "duong-xa", "kinh-phi")),
    # The records office: every unit, within the clearance (a clerk: open documents).
    ("clerk1", {"overdue": "1"}, ("bien-che", "dat-dai")),
    ("admin1", {"overdue": "on"}, ("bien-che", "dat-dai", "mat-kho")),
    ("admin1", {"unit": FINANCE, "status": "waiting"}, ("dat-dai", "mat-kho")),
    # Overseers: every unit, read-only, within their clearance.
    ("giam.doc", {"overdue": "1"}, ("bien-che", "dat-dai")),
    ("giam.doc", {"unit": FINANCE}, ("dat-dai", "kinh-phi")),
    ("giam.doc", {"status": "done"}, ("kinh-phi",)),
    ("pho.giam.doc", {"overdue": "1"}, ("bien-che", "dat-dai", "mat-kho")),
    # In no unit: nothing by these filters, never everything.
    ("archivist1", {"overdue": "1"}, ()),
    ("archivist1", {"status": "open"}, ()),
])
def test_the_search_api_filters_by_unit_status_and_overdue(
        app: FastAPI, archive: TrackingArchive, user: str, params: dict[str, str],
        expected: tuple[str, ...]):
    assert _found(login(app, user), **params) == _names(archive, *expected)


def test_the_overdue_filter_agrees_with_the_work_list(app: FastAPI):
    for user in ("lan.nguyen", "hoa.le", "minh.tran", "clerk1", "admin1", *OVERSEERS):
        client = login(app, user)
        listed = client.get("/api/assignments", params={"overdue": "true"}).json()
        assert _found(client, overdue="1") == {a["doc_id"] for a in listed["assignments"]}, user


def test_totals_and_facets_are_exact_with_the_filters(app: FastAPI, archive: TrackingArchive):
    body = login(app, "admin1").get("/api/search", params={"unit": FINANCE}).json()
    assert (body["total"], body["total_exact"], body["facets_exact"]) == (3, True, True)
    assert body["facets"]["direction"] == [{"value": "incoming", "count": 3}]
    bodies = {v["value"]: v["count"] for v in body["facets"]["issuing_body"]}
    assert sum(bodies.values()) == 3
    # The same filters narrow a text search and the exports alike.
    lan = login(app, "lan.nguyen")
    csv = lan.get("/api/export.csv", params={"unit": FINANCE}).text
    assert archive.ids["dat-dai.txt"] in csv and archive.ids["kinh-phi.txt"] in csv
    assert archive.ids["bien-che.txt"] not in csv and archive.ids["mat-kho.txt"] not in csv


def test_a_unit_the_user_may_not_choose_is_refused(app: FastAPI):
    lan = login(app, "lan.nguyen")
    refused = lan.get("/api/search", params={"unit": HOME})
    assert refused.status_code == 400
    assert "phong-noi-vu" in refused.json()["detail"]
    assert login(app, "archivist1").get("/api/search", params={"unit": FINANCE}
                                        ).status_code == 400
    assert lan.get("/api/search", params={"status": "lost"}).status_code == 400
    assert lan.get("/api/search", params={"overdue": "maybe"}).status_code == 400
    assert lan.get("/api/search", params={"unit": "x" * 65}).status_code == 400


def test_no_filter_combination_reveals_a_secret_document(app: FastAPI,
                                                         archive: TrackingArchive):
    secret = archive.ids["mat-kho.txt"]
    for user in UNCLEARED:
        client = login(app, user)
        units = ("", FINANCE, HOME)
        for unit, status, overdue, text in itertools.product(units, STATUSES, ("", "1"),
                                                             ("", "kho", "-đất")):
            answer = client.get("/api/search", params={
                "unit": unit, "status": status, "overdue": overdue, "q": text})
            if answer.status_code == 400:  # a unit they may not choose
                assert unit, (user, unit)
                continue
            body = answer.json()
            assert secret not in {hit["doc_id"] for hit in body["hits"]}, (user, unit, status)
            assert "vật tư" not in answer.text, (user, unit, status, overdue, text)
        page = client.get("/", params={"unit": FINANCE, "overdue": "1", "q": "kho"})
        assert secret not in page.text and "vật tư" not in page.text


def _fieldset(html: str) -> str:
    found = re.search(r'<fieldset class="tracking-filters".*?</fieldset>', html, re.S)
    return found.group(0) if found else ""


def test_the_search_page_offers_the_filters_in_vietnamese_first(app: FastAPI,
                                                                archive: TrackingArchive):
    lan = login(app, "lan.nguyen")
    page = lan.get("/", params={"unit": FINANCE, "status": "waiting"})
    assert page.status_code == 200
    filters = _fieldset(page.text)
    assert "<legend>Theo dõi xử lý</legend>" in filters
    assert '<label>Đơn vị' in filters and '<label>Trạng thái' in filters
    assert f'<option value="{FINANCE}" selected>' in filters
    assert HOME not in filters  # not her unit: not offered
    assert '<option value="waiting" selected>Chờ xử lý</option>' in filters
    assert 'id="search-overdue"' in filters and "Chỉ văn bản quá hạn" in filters
    hits = set(re.findall(r'href="/documents/([0-9a-f]{16})"', page.text))
    assert hits == {archive.ids["dat-dai.txt"]}
    assert "1 kết quả" in page.text
    # The pager and the exports keep the filters.
    assert f"unit={FINANCE}" in page.text and "status=waiting" in page.text
    english = _fieldset(lan.get("/", params={"lang": "en"}).text)
    assert "<legend>Handling</legend>" in english and "Overdue only" in english
    # The office and the overseers choose among every unit.
    assert HOME in _fieldset(login(app, "giam.doc").get("/").text)
    assert HOME in _fieldset(login(app, "clerk1").get("/").text)
    # A reader in no unit sees no tracking filter at all.
    assert _fieldset(login(app, "archivist1").get("/").text) == ""


def test_the_search_page_says_what_is_wrong_with_a_filter(app: FastAPI):
    page = login(app, "minh.tran").get("/", params={"unit": FINANCE, "overdue": "1"})
    assert page.status_code == 400
    assert 'role="alert"' in page.text and FINANCE in page.text


def test_without_units_the_parameters_find_nothing(archive: TrackingArchive):
    bare = create_app(archive.settings.model_copy(update={"tracking_units": [],
                                                          "tracking_overseers": []}),
                      archive.backends)
    admin = login(bare, "admin1")
    assert _fieldset(admin.get("/").text) == ""
    assert _found(admin, overdue="1") == set()
    assert len(_found(admin)) == len(archive.ids)
