"""Document tracking in a real headless Chromium against a real uvicorn server: a clerk
assigns, the unit's member finds it in their list and marks it handled with the answering
outgoing document, and the month's report counts it as handled on time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from ingest.reports.monthly import Month
from ingest.reports.publish import publish_monthly_report
from tests.apps.web.conftest import PASSWORD
from tests.apps.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, playwright_api, serve
from tests.apps.web.test_interface import axe_source
from tests.apps.web.tracking_archive import TrackingArchive, build_tracking_archive

pytestmark = pytest.mark.slow
FINANCE = "phong-tai-chinh"


@pytest.fixture(scope="module")
def tracking_server(tmp_path_factory: pytest.TempPathFactory
                    ) -> Iterator[tuple[str, TrackingArchive]]:
    built = build_tracking_archive(tmp_path_factory.mktemp("tracking-browser"))
    for port in serve(built.settings):
        yield f"http://127.0.0.1:{port}", built
    built.accounts.close()
    built.backends.close()


def _signed_in(browser: Any, server: str, username: str, violations: list[str]) -> Any:
    """A page of a fresh browser context (its own cookies) signed in as ``username``."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.goto(f"{server}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/")
    return page


def _serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings on ``page`` (as test_interface.py runs it)."""
    source = axe_source()
    assert source is not None, "axe-core not found: ./run install brings it"
    page.evaluate(source + "\n;0")
    found: list[str] = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
    }""")
    return found


def test_assign_handle_and_count_on_time(tracking_server: tuple[str, TrackingArchive]):
    server, built = tracking_server
    doc_id, reply = built.ids["kinh-phi.txt"], built.ids["phuc-dap.txt"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    violations: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)

        # The clerk routes the document to the finance unit, within 3 working days.
        clerk = _signed_in(browser, server, "clerk1", violations)
        clerk.goto(f"{server}/documents/{doc_id}")
        assert _serious_violations(clerk) == []
        clerk.select_option("#assign-unit", FINANCE)
        clerk.check("#kind-days")
        clerk.fill("#assign-days", "3")
        clerk.fill("#assign-instruction", "Tham mưu văn bản trả lời xã")
        clerk.click("#assign-submit")
        clerk.wait_for_url("**tracked=assign**")
        assert clerk.locator("#tracking-notice").inner_text() == "Đã giao xử lý."
        assert clerk.locator("#assignments tbody tr").count() == 1
        clerk.screenshot(path=str(ARTIFACTS / "tracking-assigned.png"), full_page=True)

        # The unit's member finds it in their work list...
        lan = _signed_in(browser, server, "lan.nguyen", violations)
        lan.click("#nav-tracking")
        lan.wait_for_url(f"{server}/tracking")
        row = lan.locator(f'tr.work-item[data-doc="{doc_id}"]')
        assert row.count() == 1 and "chờ xử lý" in row.inner_text()
        lan.screenshot(path=str(ARTIFACTS / "tracking-work-list.png"), full_page=True)
        assert _serious_violations(lan) == []
        row.locator("a").click()
        lan.wait_for_url(f"**/documents/{doc_id}**")
        # ...starts, and marks it handled with the proposed answering outgoing document.
        lan.click(f"#start-{FINANCE}")
        lan.wait_for_url("**tracked=start**")
        assert "đang xử lý" in lan.locator("#assignments .status").inner_text()
        assert _serious_violations(lan) == []
        proposal = lan.locator(f'input[name=answered_by][value="{reply}"]')
        assert "210/UBND-TCKH" in lan.locator(f"#act-{FINANCE} fieldset").inner_text()
        lan.fill(f"#note-{FINANCE}", "Đã bố trí kinh phí sửa chữa trường")
        proposal.check()
        lan.click(f"#handled-{FINANCE}")
        lan.wait_for_url("**tracked=handled**")
        assert "đã xử lý" in lan.locator("#assignments .status").inner_text()
        assert lan.locator(f'#assignments a[href="/documents/{reply}"]').count() == 1
        lan.screenshot(path=str(ARTIFACTS / "tracking-handled.png"), full_page=True)
        # The search page finds it by its unit and status (from the register, not the index).
        lan.goto(f"{server}/")
        lan.select_option("#search-unit", FINANCE)
        lan.select_option("#search-status", "done")
        lan.click("#filter-form button[type=submit]")
        lan.wait_for_url("**status=done**")
        assert lan.locator("ol.hits li.hit").count() == 1
        assert lan.locator(f'ol.hits a[href="/documents/{doc_id}"]').count() == 1
        lan.screenshot(path=str(ARTIFACTS / "tracking-search.png"), full_page=True)
        assert _serious_violations(lan) == []
        lan.goto(f"{server}/tracking")
        assert lan.locator(f'tr.work-item[data-doc="{doc_id}"]').count() == 0
        lan.goto(f"{server}/tracking/register?lang=en")
        assert lan.locator("#book-title").inner_text() == "INCOMING DOCUMENTS TRACKING REGISTER"
        assert "on time" in lan.locator("#tracking-book tbody tr").first.inner_text()
        assert _serious_violations(lan) == []

        # The month's report (as the docket_monthly_report DAG publishes it) counts it.
        month = Month.containing(datetime.now(UTC), built.settings.timezone)
        publish_monthly_report(built.settings, built.backends, month)
        lan.goto(f"{server}/reports/{month}")
        frame = lan.frame_locator("#report-frame")
        line = frame.locator("tr", has_text="Phòng Tài chính - Kế hoạch")
        # received, on time, late, still open, overdue
        assert line.locator("td").all_inner_texts()[1:] == ["1", "1", "0", "0", "0"]
        lan.screenshot(path=str(ARTIFACTS / "tracking-report.png"), full_page=True)
        assert violations == []
        browser.close()
