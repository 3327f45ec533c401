"""Issue 22 in a real headless Chromium: every item in Vietnamese and English, 1366 and 390 px.

One browser for the module, a few pages each.  Screenshots go to a temporary
folder (printed at the end) for a person to look at; ``DOCKET_README_SHOTS=1``
also writes the README's images to docs/images/.  The accessibility check
injects axe-core (the copy inside the axe-playwright-python test dependency, else
./node_modules or $AXE_CORE_JS).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from ingest.reports import Month, publish_monthly_report
from tests.apps.web.conftest import PASSWORD, Archive
from tests.apps.web.test_browser import ARGS, CHROMIUM, serve

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}

def _packaged_axe() -> Path:
    """axe-core as shipped inside the axe-playwright-python wheel (a test dependency)."""
    try:
        return Path(str(resources.files("axe_playwright_python") / "axe.min.js"))
    except ModuleNotFoundError:
        return Path("")


AXE = [Path(os.environ.get("AXE_CORE_JS", "")), _packaged_axe(),
       ROOT / "node_modules/axe-core/axe.min.js", Path("/usr/lib/node_modules/axe-core/axe.min.js")]
README_IMAGES = ROOT / "docs" / "images"

playwright_api = pytest.importorskip("playwright.sync_api")
if shutil.which(CHROMIUM) is None:
    pytest.skip("Debian's chromium package is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def server(archive: Archive) -> Iterator[str]:
    publish_monthly_report(archive.settings, archive.backends,
                           Month.containing(datetime.now(UTC), archive.settings.timezone))
    for port in serve(archive.settings):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("interface-screenshots")
    yield folder
    print(f"\nscreenshots: {folder}")  # noqa: T201 - for the person looking


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        running = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield running
        running.close()


class Session:
    """A signed-in browser context at one width, collecting CSP violations."""

    def __init__(self, browser: Any, server: str, username: str, width: str) -> None:
        w, h = WIDTHS[width]
        self.server = server
        self.context = browser.new_context(viewport={"width": w, "height": h})
        self.page = self.context.new_page()
        self.violations: list[str] = []
        self.page.on("console", lambda m: self.violations.append(m.text)
                                  if "Content Security Policy" in m.text else None)
        self.page.goto(f"{server}/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("form button[type=submit]")
        self.page.wait_for_url(f"{server}/")

    def go(self, path: str) -> Any:
        self.page.goto(self.server + path)
        self.page.wait_for_load_state("load")
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module", params=list(WIDTHS))
def officer(request: pytest.FixtureRequest, browser: Any, server: str) -> Iterator[Session]:
    session = Session(browser, server, "officer3", request.param)
    session.width = request.param  # type: ignore[attr-defined]
    yield session
    session.close()


@pytest.fixture(scope="module", params=list(WIDTHS))
def clerk(request: pytest.FixtureRequest, browser: Any, server: str) -> Iterator[Session]:
    session = Session(browser, server, "clerk1", request.param)
    session.width = request.param  # type: ignore[attr-defined]
    yield session
    session.close()


def shot(session: Session, shots: Path, name: str, lang: str) -> None:
    assert session.violations == []  # nothing blocked by the CSP so far
    width = session.width  # type: ignore[attr-defined]
    path = shots / f"{name}-{lang}-{width}.png"
    session.page.screenshot(path=str(path), full_page=True)
    if os.environ.get("DOCKET_README_SHOTS") and lang == "vi" and width == "desktop":
        README_IMAGES.mkdir(parents=True, exist_ok=True)
        target = README_IMAGES / f"{name}.png"
        session.page.screenshot(path=str(target), full_page=False)
        from PIL import Image  # 256 colours: a third of the size, the same to the eye

        with Image.open(target) as image:
            small = image.convert("RGB").quantize(colors=256)
        small.save(target, optimize=True)


def font_of(page: Any, selector: str) -> str:
    return str(page.eval_on_selector(selector, "e => getComputedStyle(e).fontFamily"))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_vietnamese_glyphs_everywhere(officer: Session, shots: Path, lang: str) -> None:
    page = officer.go(f"/?q=s%E1%BB%91&lang={lang}")
    page.click(".hit .title >> nth=0")
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready")
    assert font_of(page, "body").startswith('"Docket Sans"')
    colour = page.eval_on_selector("#download", "e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(29, 78, 216)"  # the whole stylesheet applied, its variables too
    assert font_of(page, "pre.text").startswith('"Docket Mono"')
    for family in ("Docket Sans", "Docket Mono"):
        loaded = page.evaluate(f"""async () => {{
            await document.fonts.load('16px "{family}"', 'Số về');
            return document.fonts.check('16px "{family}"', 'Số về');
        }}""")
        assert loaded, family
    shot(officer, shots, "document", lang)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_monthly_report_is_styled_inside_the_app(officer: Session, shots: Path,
                                                     lang: str) -> None:
    page = officer.go(f"/reports?lang={lang}")
    assert page.locator("svg.chart rect").count() > 2
    assert page.locator("#year-table thead th").count() == 14
    shot(officer, shots, "reports", lang)
    page.click("table.reports-history a >> nth=0")
    page.wait_for_load_state("load")
    frame = page.frame_locator("#report-frame")
    frame.locator("svg").first.wait_for(state="attached")
    margin = frame.locator("body").evaluate("b => getComputedStyle(b).marginTop")
    assert margin != "8px"  # the report's own stylesheet applied (2em), not the default
    assert frame.locator("table").count() > 0
    shot(officer, shots, "report-month", lang)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_preview_and_language_names(officer: Session, shots: Path, lang: str) -> None:
    page = officer.go(f"/?lang={lang}")
    options = page.locator("select[name=language] option").all_text_contents()
    names = {"vi": "Tiếng Việt", "en": "Vietnamese"}[lang]
    assert any(o.startswith(names) for o in options), options
    assert not any(re.match(r"^(vi|cs|no) \(", o) for o in options)
    page = officer.go(f"/?q=ph%C6%B0%C6%A1ng+%C3%A1n&lang={lang}")
    page.click(".hit .title >> nth=0")
    page.wait_for_load_state("load")
    pane = page.locator("#preview")
    assert pane.locator("iframe, img, pre").count() >= 1
    page.locator("#preview-title").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, document.getElementById('preview').offsetTop - 200"
                  " - window.scrollY)")
    shot(officer, shots, "document-preview", lang)


def test_phone_filters_fold_and_navigation_fits(officer: Session, shots: Path) -> None:
    page = officer.go("/?q=quyet&lang=vi")
    nav = page.locator("header.top nav").bounding_box()
    header = page.locator("header.top").bounding_box()
    assert nav is not None and header is not None
    if officer.width == "phone":  # type: ignore[attr-defined]
        assert not page.locator("#filter-form").is_visible()
        first = page.locator(".hit >> nth=0").bounding_box()
        assert first is not None and first["y"] < 420, first
        assert header["height"] < 140
        page.click(".filter-panel > summary")
        assert page.locator("#filter-form").is_visible()
    else:
        assert page.locator("#filter-form").is_visible()
        assert header["height"] < 70
    shot(officer, shots, "search", "vi")
    missing = officer.go("/documents/0123456789abcdef")
    assert missing.locator("header.top nav a[href='/reports']").count() == 1


def axe_source() -> str | None:
    for path in AXE:
        if path.name and path.is_file():
            return path.read_text(encoding="utf-8")
    return None


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_serious_accessibility_violation(officer: Session, lang: str) -> None:
    source = axe_source()
    assert source is not None, "axe-core not found: ./run install brings it (axe-playwright-python)"
    page = officer.go("/?q=quyet&lang=" + lang)
    doc = page.locator(".hit .title >> nth=0").get_attribute("href")
    for path in ("/?q=quyet", doc, "/reports", "/register"):
        page = officer.go(f"{path}{'&' if '?' in str(path) else '?'}lang={lang}")
        page.evaluate(source + "\n;0")  # DevTools' evaluate: the page's CSP does not apply
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => v.id + ': '
                     + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
        }""")
        assert result == [], (path, result)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_register_book_by_month_and_printable(officer: Session, shots: Path, lang: str) -> None:
    page = officer.go(f"/register?lang={lang}")
    title = {"vi": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", "en": "INCOMING DOCUMENTS REGISTER"}[lang]
    assert page.locator("#book-title").inner_text().upper() == title
    rows = page.locator("#register-book tbody tr").count()
    assert rows > 0
    page.select_option("select[name=book]", "secret")
    page.click(".book-choice button")
    page.wait_for_load_state("load")
    assert "book=secret" in page.url and page.locator("#register-book tbody tr").count() > 0
    page = officer.go(f"/register?lang={lang}")
    shot(officer, shots, "register", lang)
    page.emulate_media(media="print")
    try:
        assert not page.locator("header.top").is_visible()
        assert not page.locator(".book-choice").is_visible()
        assert page.locator(".signature").is_visible()
    finally:
        page.emulate_media(media="screen")
    with page.expect_download() as pdf:
        page.click("#book-pdf")
    assert pdf.value.suggested_filename.endswith(".pdf")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_upload_many_with_progress_then_the_inbox(clerk: Session, shots: Path, lang: str,
                                                  tmp_path: Path) -> None:
    width = clerk.width  # type: ignore[attr-defined]
    files = []
    for n in range(3):
        path = tmp_path / f"cong-van-{lang}-{width}-{n}.txt"
        path.write_text(f"Công văn số {n}/{lang}-{width}: kiểm kê kho lưu trữ\n", "utf-8")
        files.append(str(path))
    page = clerk.go(f"/upload?lang={lang}")
    page.set_input_files("#upload-files", files)
    page.fill("input[name=folder]", "van-thu")
    page.click("#upload-form button[type=submit]")
    page.locator(".upload-item.done").nth(2).wait_for()
    bars = page.locator(".upload-item progress")
    assert [bars.nth(i).get_attribute("value") for i in range(3)] == ["100"] * 3
    # The same file again: announced before it is sent, sent only on request.
    page.set_input_files("#upload-files", files[:1])
    page.click("#upload-form button[type=submit]")
    duplicate = page.locator(".upload-item.duplicate")
    duplicate.wait_for()
    words = {"vi": "đang chờ trong hộp thư", "en": "already waiting in the inbox"}[lang]
    assert words in duplicate.inner_text()
    assert duplicate.locator("button").count() == 1
    shot(clerk, shots, "upload", lang)
    page = clerk.go(f"/inbox?lang={lang}")
    waiting = page.locator("#waiting-table").inner_text()
    assert all(Path(f).name in waiting for f in files)
    assert page.locator("#auto-refresh[data-refresh]").count() == 1
    shot(clerk, shots, "inbox", lang)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_saved_search_and_new_filters(officer: Session, lang: str) -> None:
    page = officer.go(f"/?q=quyet&page_size=10&lang={lang}")
    if officer.width == "phone":  # type: ignore[attr-defined]
        page.click(".filter-panel > summary")
    assert page.locator(".hit").count() <= 10
    page.fill(".save-search input[name=name]", f"Quyết {lang} {officer.width}")  # type: ignore[attr-defined]
    page.click(".save-search button")
    page.wait_for_load_state("load")
    if officer.width == "phone":  # type: ignore[attr-defined]
        page.click(".filter-panel > summary")
    link = page.locator(".saved-list a", has_text=f"Quyết {lang}")
    assert link.count() >= 1
    page.fill("input[name=received_from]", "2000-01-01")
    page.fill("input[name=received_to]", "2000-01-31")
    page.click("#filter-form button[type=submit]")
    page.wait_for_load_state("load")
    assert "received_from=2000-01-01" in page.url and page.locator(".hit").count() == 0


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_search_operators_and_their_help(officer: Session, lang: str) -> None:
    """OR widens, a prefix matches, an exclusion narrows; the syntax help opens."""
    def total(query: str) -> int:
        page = officer.go(f"/?{urlencode({'q': query, 'page_size': 100, 'lang': lang})}")
        return page.locator(".hit").count()

    quyet, dinh = total("quyet"), total("dinh")
    assert 0 < max(quyet, dinh) <= total("quyet OR dinh") <= quyet + dinh
    assert total("quy*") >= quyet > 0
    assert total("quyet -dinh") <= quyet
    page = officer.go(f"/?lang={lang}")
    page.click(".syntax-help > summary")
    assert page.locator(".syntax-help code", has_text="lụt OR bão").is_visible()


def test_clerk_pages_have_no_serious_accessibility_violation(clerk: Session) -> None:
    source = axe_source()
    assert source is not None, "axe-core not found: ./run install brings it (axe-playwright-python)"
    for path in ("/upload", "/inbox", "/"):
        page = clerk.go(path)
        page.evaluate(source + "\n;0")
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => v.id);
        }""")
        assert result == [], (path, result)
