"""The register book in the web interface: the Decree 30 columns, by month, PDF and XLSX."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from apps.web import create_app
from ingest.register import book_table
from tests.apps.web.conftest import Archive, login

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def clients(archive: Archive) -> Iterator[dict[str, TestClient]]:
    app = create_app(archive.settings, archive.backends)
    yield {name: login(app, name) for name in ("clerk1", "archivist1", "officer1", "officer3")}


@pytest.fixture(scope="module")
def year(archive: Archive) -> int:
    return datetime.now(ZoneInfo(archive.settings.timezone)).year


def table_rows(page: str) -> list[list[str]]:
    body = page[page.index('<table class="register-book"'):]
    body = body[:body.index("</table>")]
    return [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)
            if "<td>" in row]


def test_the_ordinary_incoming_book_has_the_decree_30_columns_and_every_row(
        archive: Archive, clients: dict[str, TestClient], year: int) -> None:
    rows = archive.backends.register.register_book(year, "incoming", "ordinary")
    headings, cells = book_table(rows, "incoming", "vi")
    page = clients["archivist1"].get("/register", params={"year": year}).text
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in page
    assert re.findall(r'<th scope="col">(.*?)</th>', page) == headings
    assert len(table_rows(page)) == len(cells) > 0
    assert headings[:2] == ["Ngày đến", "Số đến"]
    # No secret row, no secret book offered to an uncleared archivist.
    assert "-M" not in page and 'value="secret"' not in page
    english = clients["archivist1"].get("/register", params={"year": year, "lang": "en"}).text
    assert "INCOMING DOCUMENTS REGISTER" in english and "Arrival no." in english


def test_the_month_filter(clients: dict[str, TestClient], year: int, archive: Archive) -> None:
    month = datetime.now(ZoneInfo(archive.settings.timezone)).month
    client = clients["archivist1"]
    whole = table_rows(client.get("/register", params={"year": year}).text)
    this = client.get("/register", params={"year": year, "month": month}).text
    assert len(table_rows(this)) == len(whole)  # the archive arrived this month
    other = 1 if month != 1 else 2
    assert "<table class=\"register-book\"" not in client.get(
        "/register", params={"year": year, "month": other}).text


def test_the_secret_book_only_for_the_cleared_and_only_up_to_their_level(
        archive: Archive, clients: dict[str, TestClient], year: int) -> None:
    secret = archive.backends.register.register_book(year, "incoming", "secret")
    assert {r.secrecy for r in secret} >= {1, 3}
    params: dict[str, str | int] = {"year": year, "book": "secret"}
    refused = clients["archivist1"].get("/register", params=params)
    missing = clients["archivist1"].get("/nowhere")
    assert refused.status_code == 404 == missing.status_code
    assert clients["archivist1"].get("/register/export.pdf", params=params).status_code == 404
    officer1 = clients["officer1"].get("/register", params=params).text
    assert "SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐẾN" in officer1
    rows = table_rows(officer1)
    assert len(rows) == sum(1 for r in secret if r.secrecy <= 1) and "TUYỆT MẬT" not in officer1
    officer3 = table_rows(clients["officer3"].get("/register", params=params).text)
    assert len(officer3) == len(secret)
    assert clients["clerk1"].get("/register").status_code == 404


def test_pdf_export_has_page_numbers_and_a_signature_line(
        clients: dict[str, TestClient], year: int) -> None:
    answer = clients["officer3"].get("/register/export.pdf",
                                     params={"year": year, "direction": "incoming"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(answer.content)) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    pages = len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"Trang {number}/{pages}" in text
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in texts[0]
    assert "THỦ TRƯỞNG CƠ QUAN" in texts[-1] and "(Ký, ghi rõ họ tên, đóng dấu)" in texts[-1]


def test_xlsx_export_has_the_title_and_the_columns(
        archive: Archive, clients: dict[str, TestClient], year: int) -> None:
    answer = clients["archivist1"].get("/register/export.xlsx",
                                       params={"year": year, "direction": "outgoing",
                                               "lang": "en"})
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "OUTGOING DOCUMENTS REGISTER"
    rows = archive.backends.register.register_book(year, "outgoing", "ordinary")
    headings, cells = book_table(rows, "outgoing", "en")
    assert list(values[3]) == headings
    assert len(values) - 4 == len(cells)
