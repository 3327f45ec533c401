"""The reports pages: a month's HTML report styled under the CSP, the year view, the history."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from apps.web import create_app
from ingest.reports import Month, publish_monthly_report
from tests.apps.web.conftest import Archive, login

pytestmark = pytest.mark.slow
LEVEL_WORD = {"archivist1": "thuong", "officer1": "mat", "officer3": "tuyet-mat"}


@pytest.fixture(scope="module")
def month(archive: Archive) -> Month:
    month = Month.containing(datetime.now(UTC), archive.settings.timezone)
    publish_monthly_report(archive.settings, archive.backends, month)
    return month


@pytest.fixture(scope="module")
def clients(archive: Archive, month: Month) -> Iterator[dict[str, TestClient]]:
    app = create_app(archive.settings, archive.backends)
    yield {name: login(app, name) for name in (*LEVEL_WORD, "clerk1")}


@pytest.mark.parametrize("username", list(LEVEL_WORD))
def test_the_html_report_is_allowed_its_own_style_and_nothing_else_inline(
        clients: dict[str, TestClient], month: Month, username: str) -> None:
    answer = clients[username].get(
        f"/api/reports/{month}/bao-cao-{month}-{LEVEL_WORD[username]}.html")
    assert answer.status_code == 200
    csp = answer.headers["content-security-policy"]
    styles = re.findall(rb"<style>(.*?)</style>", answer.content, re.DOTALL)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0]).digest()).decode()
    style_src = next(d for d in csp.split("; ") if d.startswith("style-src "))
    assert style_src == f"style-src 'self' 'sha256-{digest}'"
    assert "'unsafe-inline'" not in csp and "default-src 'self'" in csp
    # Every other page keeps the plain policy.
    assert "sha256" not in clients[username].get("/reports").headers["content-security-policy"]


@pytest.mark.parametrize("username", list(LEVEL_WORD))
def test_the_month_page_frames_the_users_level_only(
        clients: dict[str, TestClient], month: Month, username: str) -> None:
    client = clients[username]
    page = client.get(f"/reports/{month}")
    assert page.status_code == 200
    own = f"bao-cao-{month}-{LEVEL_WORD[username]}"
    assert f'src="/api/reports/{month}/{own}.html"' in page.text
    assert f"/api/reports/{month}/{own}.csv" in page.text
    assert f"/api/reports/{month}/{own}.xlsx" in page.text
    others = set(re.findall(r"bao-cao-\d{4}-\d{2}-([a-z-]+)\.", page.text))
    assert others == {LEVEL_WORD[username]}
    assert 'href="/reports"' in page.text  # navigation kept


def test_a_month_without_report_and_a_clerk_get_the_one_not_found(
        clients: dict[str, TestClient], month: Month) -> None:
    missing = clients["archivist1"].get("/reports/1999-01")
    assert missing.status_code == 404
    assert clients["archivist1"].get("/reports/not-a-month").text == missing.text.replace(
        "1999-01", "not-a-month")
    assert clients["clerk1"].get(f"/reports/{month}").status_code == 404


def test_year_view_has_twelve_months_and_the_history_lists_the_month(
        clients: dict[str, TestClient], month: Month) -> None:
    client = clients["officer3"]
    counts = client.get("/api/counts").json()
    this = next(m for m in counts["monthly"] if m["month"] == str(month))
    page = client.get("/reports", params={"year": str(month.year)}).text
    start = page.index('id="year-table"')
    table = page[start:page.index("</table>", start)]
    headers = re.findall(r'<th scope="col">(\d\d)/(\d{4})</th>', table)
    assert [h[0] for h in headers] == [f"{m:02d}" for m in range(1, 13)]
    found = re.search(r'<th scope="row">đến</th>(.*?)</tr>', table)
    assert found is not None
    incoming_row = found.group(1)
    cells = re.findall(r"<td>(?:<strong>)?(\d+)", incoming_row)
    assert int(cells[month.month - 1]) == this["incoming"]
    assert int(cells[12]) == sum(m["incoming"] for m in counts["monthly"]
                                 if m["month"].startswith(str(month.year)))
    assert f'href="/reports/{month}"' in page
    english = client.get("/reports", params={"lang": "en"}).text
    assert "twelve months" in english and "Published monthly reports" in english
