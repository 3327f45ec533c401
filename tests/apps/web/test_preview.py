"""The preview pane shows every format: PDF, images, TIFF pages, DOCX and text, renditions."""

from __future__ import annotations

import html
import io
import re
import shutil
from collections.abc import Iterator

import docx
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw, ImageFont

from apps.web import create_app
from apps.web.accounts import Accounts, Role
from apps.web.fonts import FONT_DIR
from apps.web.preview import rendition_key
from ingest.backends import open_backends
from ingest.indexing import load_record
from ingest.pipeline import ingest_once
from kernel.settings import Settings, load_settings
from search.model import SearchQuery
from tests.apps.web.conftest import PASSWORD, Archive, login

pytestmark = pytest.mark.slow
LINES = ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "Số: 12/UBND-VP", "V/v kiểm kê kho lưu trữ")


def scanned_page(number: int) -> Image.Image:
    """A white A5-ish page with big Vietnamese lines, like a clean scan."""
    page = Image.new("L", (1200, 900), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), 44)
    for row, line in enumerate((*LINES, f"Trang {number}")):
        draw.text((60, 80 + row * 90), line, fill=0, font=font)
    return page


@pytest.fixture(scope="module")
def scan_archive(
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, TestClient,
                                                                    dict[str, str]]]:
    """A small archive of a two-page TIFF and a PNG, through the real pipeline (OCR)."""
    root = tmp_path_factory.mktemp("scans")
    settings = load_settings(data_dir=root / "var", quiet_seconds=0, web_secret_key="k",
                             ocr_languages=["vie"], workers=1)
    incoming = settings.inbox_location / "incoming"
    incoming.mkdir(parents=True)
    first, second = scanned_page(1), scanned_page(2)
    first.save(incoming / "ban-quet.tiff", save_all=True, append_images=[second],
               compression="tiff_lzw")
    scanned_page(3).save(incoming / "anh-chup.png")
    word = docx.Document()
    for line in (*LINES, "", "Kính gửi: Các phòng chuyên môn", "    1. Kiểm kê hồ sơ năm 2024;"):
        word.add_paragraph(line)
    word.save(str(incoming / "cong-van.docx"))
    backends = open_backends(settings)
    ingest_once(settings, backends, wait=False)
    accounts = Accounts.open(settings.register_location)
    accounts.add_user("archivist1", PASSWORD, Role.ARCHIVIST, 0)
    found = backends.index.search(SearchQuery(page_size=10, facets=(), highlight=False))
    by_name = {h.document.original_name: h.doc_id for h in found.hits}
    app = create_app(settings, backends)
    yield settings, login(app, "archivist1"), by_name
    accounts.close()
    backends.close()


@pytest.fixture(scope="module")
def scans(scan_archive: tuple[Settings, TestClient, dict[str, str]],
          ) -> tuple[TestClient, dict[str, str]]:
    _settings, client, by_name = scan_archive
    return client, by_name


def test_tiff_pages_are_png_images_rendered_by_the_server(
        scans: tuple[TestClient, dict[str, str]]) -> None:
    client, by_name = scans
    doc_id = by_name["ban-quet.tiff"]
    page = client.get(f"/documents/{doc_id}").text
    sources = re.findall(r'<img class="preview-img" src="([^"]+)"', page)
    assert sources == [f"/documents/{doc_id}/pages/1.png", f"/documents/{doc_id}/pages/2.png"]
    for number, src in enumerate(sources, start=1):
        answer = client.get(src)
        assert answer.status_code == 200 and answer.headers["content-type"] == "image/png"
        with Image.open(io.BytesIO(answer.content)) as png:
            assert png.format == "PNG" and png.size == (1200, 900)
            expected = scanned_page(number)
            assert list(png.convert("L").getdata()) == list(expected.getdata())
    assert client.get(f"/documents/{doc_id}/pages/3.png").status_code == 404
    assert client.get(f"/documents/{doc_id}/pages/x.png").status_code == 404


def test_png_shows_as_the_original_image(scans: tuple[TestClient, dict[str, str]]) -> None:
    client, by_name = scans
    doc_id = by_name["anh-chup.png"]
    page = client.get(f"/documents/{doc_id}").text
    src = f"/documents/{doc_id}/original?inline=true"
    assert f'<img class="preview-img" src="{src}"' in page
    answer = client.get(src)
    assert answer.headers["content-type"] == "image/png"
    assert answer.headers["content-disposition"].startswith("inline")
    # Not a TIFF: no rendered pages.
    assert client.get(f"/documents/{doc_id}/pages/1.png").status_code == 404


@pytest.fixture(scope="module")
def archivist(archive: Archive) -> TestClient:
    return login(create_app(archive.settings, archive.backends), "officer3")


def docs_of(archive: Archive, mime: str) -> list[str]:
    """The ids of the archive's documents of ``mime``, in a stable order."""
    found = []
    for doc_id in sorted(d for ids in archive.by_secrecy.values() for d in ids):
        if load_record(archive.backends, doc_id).mime == mime:
            found.append(doc_id)
    assert found, (mime, sorted({load_record(archive.backends, d).mime for ids in archive.by_secrecy.values() for d in ids}))  # noqa: E501
    return found


def doc_of(archive: Archive, mime: str) -> str:
    return docs_of(archive, mime)[0]


def shown_text(page: str) -> str:
    block = re.search(r'<pre class="text layout" id="preview-text" tabindex="0">(.*?)</pre>',
                      page, re.DOTALL)
    assert block is not None
    return html.unescape(block.group(1))


def test_text_shows_the_extracted_text_with_its_layout(archive: Archive,
                                                       archivist: TestClient) -> None:
    doc_id = doc_of(archive, "text/plain")
    page = archivist.get(f"/documents/{doc_id}").text
    text = archivist.get(f"/api/documents/{doc_id}").json()["text"]
    assert shown_text(page) == text and "\n" in text  # line breaks kept
    assert "<iframe" not in page.split('id="preview"')[1].split("</section>")[0]


def test_docx_shows_the_extracted_text_with_its_layout(
        scans: tuple[TestClient, dict[str, str]]) -> None:
    client, by_name = scans
    doc_id = by_name["cong-van.docx"]
    page = client.get(f"/documents/{doc_id}").text
    shown = shown_text(page)
    assert shown == client.get(f"/api/documents/{doc_id}").json()["text"]
    assert "Số: 12/UBND-VP\n" in shown and "1. Kiểm kê hồ sơ năm 2024;" in shown


def test_a_pdf_previews_in_the_browser_viewer(archive: Archive, archivist: TestClient) -> None:
    doc_id = doc_of(archive, "application/pdf")
    page = archivist.get(f"/documents/{doc_id}").text
    assert f'<iframe class="preview" src="/documents/{doc_id}/original?inline=true"' in page


def test_a_rendition_replaces_the_text_when_it_exists(archive: Archive,
                                                      archivist: TestClient) -> None:
    doc_id = docs_of(archive, "text/plain")[-1]  # the first keeps showing its text
    sha = archivist.get(f"/api/documents/{doc_id}").json()["record"]["sha256"]
    sample = next(p for p in archive.originals.values() if p.suffix == ".pdf")
    assert rendition_key(sha) == f"renditions/{sha[:2]}/{sha}.pdf"
    archive.backends.store.put_bytes(rendition_key(sha), sample.read_bytes(), "application/pdf")
    page = archivist.get(f"/documents/{doc_id}").text
    assert f'<iframe class="preview" src="/documents/{doc_id}/rendition"' in page
    answer = archivist.get(f"/documents/{doc_id}/rendition")
    assert answer.status_code == 200 and answer.content == sample.read_bytes()
    assert answer.headers["content-type"] == "application/pdf"


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_tiff_and_image_previews_show_in_a_real_browser(
        scan_archive: tuple[Settings, TestClient, dict[str, str]], width: str,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Headless Chromium loads every page image under the app's CSP, in both languages."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    from tests.apps.web.test_browser import ARGS, CHROMIUM, serve
    from tests.apps.web.test_interface import Session

    if shutil.which(CHROMIUM) is None:
        pytest.skip("Debian's chromium package is not installed")
    settings, _client, by_name = scan_archive
    shots = tmp_path_factory.mktemp("preview-shots")
    running = serve(settings)
    port = next(running)
    try:
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            session = Session(browser, f"http://127.0.0.1:{port}", "archivist1", width)
            for lang, heading in (("vi", "Xem trước"), ("en", "Preview")):
                for name, pages in (("ban-quet.tiff", 2), ("anh-chup.png", 1)):
                    page = session.go(f"/documents/{by_name[name]}?lang={lang}")
                    assert heading in page.locator("#preview").inner_text()
                    images = page.locator("#preview img.preview-img")
                    assert images.count() == pages, name
                    for i in range(pages):
                        # decode() waits for the image (a loaded machine serves it late)
                        loaded = images.nth(i).evaluate(
                            "img => img.decode().then(() => img.naturalWidth)")
                        assert loaded == 1200, (name, i, loaded)
                    page.screenshot(path=str(shots / f"{name}-{width}-{lang}.png"), full_page=True)
            assert session.violations == []
            session.close()
            browser.close()
    finally:
        next(running, None)
    print(f"screenshots: {shots}")
