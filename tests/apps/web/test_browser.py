"""The pages in a real headless Chromium (Debian's ``chromium``) against a real uvicorn server."""

from __future__ import annotations

import hashlib
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from apps.web import create_app
from kernel.settings import Settings, load_settings
from tests.apps.web.conftest import PASSWORD, Archive, ReviewArchive, build_review_archive

pytestmark = pytest.mark.slow
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "web"

playwright_api = pytest.importorskip("playwright.sync_api")
if shutil.which(CHROMIUM) is None:
    pytest.skip("Debian's chromium package is not installed", allow_module_level=True)


def serve(settings: Settings) -> Iterator[int]:
    """A real uvicorn server on a free loopback port for the app of ``settings``."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(settings)  # its own backends, like `docket serve`
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield port
    running.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def server(archive: Archive) -> Iterator[str]:
    for port in serve(archive.settings):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def lan_server(archive: Archive) -> Iterator[str]:
    """The archive with the settings an office starts with: only the data folder and a key."""
    settings = load_settings(data_dir=archive.settings.data_dir, web_secret_key="test-key")
    for port in serve(settings):
        yield f"http://docket.lan:{port}"


def test_archivist_journey(server: str, archive: Archive, tmp_path: Path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1200, "height": 900}, accept_downloads=True)
        page.goto(f"{server}/")
        assert "/login" in page.url
        page.fill("input[name=username]", "officer3")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{server}/")

        page.fill("input[name=q]", "quyết định")
        page.click(".searchbox button")
        with_marks = page.locator(".hit").count()
        assert with_marks > 0 and page.locator(".hit mark").count() > 0
        page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
        page.fill("input[name=q]", "quyet dinh")
        page.click(".searchbox button")
        assert page.locator(".hit").count() == with_marks

        page.select_option("select[name=direction]", "incoming")
        page.click(".filters button")
        assert "direction=incoming" in page.url
        assert all("đến" in b for b in page.locator(".hit .badge").all_inner_texts())

        page.goto(f"{server}/?q=kho+vat+tu")
        page.click(".hit .title >> nth=0")
        assert "/documents/" in page.url
        assert page.locator(".fields").is_visible()
        page.screenshot(path=str(ARTIFACTS / "document.png"), full_page=True)
        doc_id = page.url.rsplit("/", 1)[1].split("?")[0]
        with page.expect_download() as info:
            page.click("#download")
        saved = tmp_path / "original"
        info.value.save_as(saved)
        original = archive.originals[doc_id]
        digest = hashlib.sha256(saved.read_bytes()).hexdigest()
        assert digest == hashlib.sha256(original.read_bytes()).hexdigest()

        page.goto(f"{server}/reports")
        assert page.locator("svg.chart rect").count() > 2
        page.screenshot(path=str(ARTIFACTS / "reports.png"), full_page=True)

        narrow = browser.new_page(viewport={"width": 380, "height": 800})
        narrow.context.add_cookies(page.context.cookies())
        narrow.goto(f"{server}/?q=c%C3%B4ng+v%C4%83n&lang=en")
        narrow.screenshot(path=str(ARTIFACTS / "search-narrow-en.png"), full_page=True)
        assert "Search" in narrow.content()
        browser.close()


def test_login_over_plain_http_on_a_lan_host_name(lan_server: str):
    # Chromium trusts 127.0.0.1 as if it were HTTPS; a LAN name it does not.
    args = [*ARGS, "--host-resolver-rules=MAP docket.lan 127.0.0.1"]
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
        page = browser.new_page()
        page.goto(f"{lan_server}/")
        assert "/login" in page.url
        page.fill("input[name=username]", "archivist1")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{lan_server}/")
        assert "archivist1" in page.locator(".who").inner_text()
        browser.close()


def test_api_docs_render_without_a_cdn_under_the_csp(server: str):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page()
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url)
                if not r.url.startswith(server) and not r.url.startswith("data:") else None)
        violations: list[str] = []
        page.on("console", lambda m: violations.append(m.text)
                if "Content Security Policy" in m.text else None)
        page.goto(f"{server}/docs")
        assert "/login" in page.url  # behind login
        page.fill("input[name=username]", "archivist1")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{server}/docs")
        page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
        assert page.locator(".swagger-ui .opblock").count() > 5
        page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=False)
        assert outside == [] and violations == []
        browser.close()


@pytest.fixture(scope="module")
def review_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ReviewArchive]]:
    """A server over the review archive of conftest.py (uploads by two clerks, one MẬT)."""
    built = build_review_archive(tmp_path_factory.mktemp("review-browser"))
    for port in serve(built.settings):
        yield f"http://127.0.0.1:{port}", built
    built.accounts.close()
    built.backends.close()


def _sign_in(page: Any, server: str, username: str) -> None:
    page.goto(f"{server}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/")


def test_a_clerk_reviews_in_vietnamese_and_english(review_server: tuple[str, ReviewArchive]):
    server, built = review_server
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        violations: list[str] = []
        page.on("console", lambda m: violations.append(m.text)
                if "Content Security Policy" in m.text else None)
        _sign_in(page, server, "clerk1")
        assert page.locator("#review-count").inner_text() == "Cần kiểm tra: 2 văn bản"
        page.click("#review-count")
        page.wait_for_url(f"{server}/review")
        assert page.locator(".review-item").count() == 2
        page.screenshot(path=str(ARTIFACTS / "review-queue.png"), full_page=True)

        # The newest: its date is missing. A wrong date is refused in Vietnamese...
        page.click(".review-item a >> nth=0")
        assert page.locator("#correction").is_visible()
        assert page.locator("#field-issue_date.doubtful").is_visible()
        page.fill("#c-issue_date", "31/02/2025")
        page.click("#correction-save")
        assert "không phải là ngày" in page.locator("#correction .error").inner_text()
        # ...then a right one saved, and it leaves the queue.
        page.fill("#c-issue_date", "03/03/2025")
        page.click("#correction-save")
        page.wait_for_url("**/documents/*saved=1*")
        assert page.locator("#correction .ok").inner_text() == "Đã lưu."
        assert page.locator(".correction-history tbody tr").count() == 1
        page.screenshot(path=str(ARTIFACTS / "correction.png"), full_page=True)
        # The form stands beside the document (here a text file: its text), not over it.
        box, beside = page.locator("#correction").bounding_box(), page.locator(
            "pre.text").bounding_box()
        assert box is not None and beside is not None
        assert beside["x"] + beside["width"] <= box["x"]
        assert beside["y"] < box["y"] + box["height"]
        page.goto(f"{server}/review")
        assert page.locator(".review-item").count() == 1

        # In English: confirm the other document's missing signer as it is.
        page.goto(f"{server}/review?lang=en")
        assert page.locator("h1").inner_text().startswith("To check")
        assert "Signed by: missing" in page.locator(".review-item").inner_text()
        page.click(".review-item a >> nth=0")
        assert page.locator("#correction h2").inner_text() == "Check and correct"
        page.check("#field-signer_name input[name=confirm]")
        page.click("#correction-save")
        page.wait_for_url("**/documents/*saved=1*")
        assert page.locator("#correction .ok").inner_text() == "Saved."
        page.goto(f"{server}/review")
        assert page.locator("#review-empty").inner_text() == "Nothing to check."
        page.screenshot(path=str(ARTIFACTS / "review-empty-en.png"), full_page=True)

        # Raising the secrecy of a complete document: it leaves the clerk's sight.
        doc_id = built.ids["du.txt"]
        page.goto(f"{server}/documents/{doc_id}?lang=vi")
        page.select_option("#c-secrecy", "MẬT")
        page.fill("#c-reason", "Quyết định 12/QĐ-SNV")
        page.click("#correction-save")
        page.wait_for_url(f"{server}/review?moved=1")
        assert "sổ văn bản mật" in page.locator(".ok").inner_text()
        assert page.goto(f"{server}/documents/{doc_id}").status == 404
        assert violations == []
        browser.close()
