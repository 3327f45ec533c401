"""For a user not cleared for it, nothing tells whether a secret document exists.

Four archives are built by the real pipeline from the same documents, in the
same order: a reference archive without any secret document, and for each
secrecy level L (MẬT, TỐI MẬT, TUYỆT MẬT) one archive where a document stamped
at level L arrives between two groups of ordinary documents (so a number taken
from the ordinary sequence, or a count, would show).  Then, for every user
whose clearance is below L, every GET route of the application (the OpenAPI
schema's and the pages'), with the secret document's id wherever a route takes
one and with queries aimed at its words, its body and the number order, must
answer the same in both archives: status, the headers that carry meaning, and
the body (XLSX compared cell by cell).  Only what differs between any two
builds is masked: times, CSRF tokens and the archives' folders.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from pprint import pformat
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from starlette.routing import Mount, Route

from apps.web import create_app
from apps.web.accounts import Accounts, Role
from ingest.backends import Backends, open_backends
from ingest.pipeline import ingest_once
from ingest.reports import Month, publish_monthly_report
from kernel.settings import Settings, load_settings

pytestmark = pytest.mark.slow

PASSWORD = "mật-khẩu-đủ-dài"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
LEVELS = {1: "MẬT", 2: "TỐI MẬT", 3: "TUYỆT MẬT"}
# (username, role, clearance, the highest secrecy rank the user may open)
USERS = (
    ("clerk1", Role.CLERK, 0, 0),
    ("archivist1", Role.ARCHIVIST, 0, 0),
    ("officer1", Role.OFFICER, 1, 1),
    ("officer2", Role.OFFICER, 2, 2),
)
SECRET_WORD = "khovattu"  # printed only in the secret documents
SECRET_BODY = "BỘ CHỈ HUY QUÂN SỰ TỈNH"  # an issuing body only secret documents carry
UNSIGNED = (1, 4)  # ordinary documents without a signer's name: they wait for review
UPLOADER = "clerk1"  # every file is recorded as this clerk's upload, the secret one too

# Ordinary documents: several bodies and types, so facets and sorts have something to show.
ORDINARY = (
    ("UỶ BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "UBND-VX", "V/v triển khai tiêm chủng mở rộng năm 2025"),
    ("SỞ TÀI CHÍNH", "STC-NS", "V/v hướng dẫn lập dự toán ngân sách năm 2026"),
    ("SỞ NỘI VỤ", "SNV-TCBC", "V/v báo cáo số lượng cán bộ, công chức cấp xã"),
    ("SỞ Y TẾ", "SYT-NVY", "V/v tăng cường phòng chống dịch sốt xuất huyết"),
    ("UỶ BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "UBND-KT", "V/v đôn đốc giải ngân vốn đầu tư công"),
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "SGDĐT-VP", "V/v tổ chức kỳ thi chọn học sinh giỏi cấp tỉnh"),
)


def cong_van(body: str, symbol: str, number: int, subject: str, mark: str | None,
             text: str, signer: bool = True) -> str:
    """A short Công văn as a text file; ``mark`` is stamped alone on a header line.

    Without ``signer`` the signature block has no name: a key field is missing
    and the document waits in the review queue.
    """
    stamp = f"{mark}\n" if mark else ""
    return (
        f"{body}\n"
        f"Số: {number}/{symbol}\n"
        f"{stamp}"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        f"Lâm Đồng, ngày {10 + number % 15} tháng 3 năm 2025\n"
        f"{subject}\n"
        "Kính gửi: Các cơ quan, đơn vị trực thuộc\n"
        f"{text}\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"
        "GIÁM ĐỐC\n" + ("Nguyễn Văn Bình\n" if signer else "")
    )


def ordinary_files(first: int, last: int) -> dict[str, str]:
    return {
        f"cong-van-{i}.txt": cong_van(body, symbol, 100 + i, subject, None,
                                      f"Đề nghị các đơn vị thực hiện nội dung số {i} đúng hạn.",
                                      signer=i not in UNSIGNED)
        for i, (body, symbol, subject) in enumerate(ORDINARY[first:last], start=first)
    }


def secret_file(level: int) -> tuple[str, str]:
    """The secret document: its signer's name missing, so it needs review too."""
    name = f"mat-{level}.txt"
    text = cong_van(SECRET_BODY, "BCH-TM", 7 + level, f"V/v phương án {SECRET_WORD} dự phòng",
                    LEVELS[level], f"Phương án {SECRET_WORD} được giữ bí mật nhà nước.",
                    signer=False)
    return name, text


def doc_id_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Built:
    settings: Settings
    backends: Backends
    accounts: Accounts
    app: FastAPI


def _drop(settings: Settings, files: dict[str, str], dropped: list[tuple[str, str, Path]]
          ) -> None:
    for name, text in files.items():
        target = settings.inbox_location / "incoming" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        dropped.append((name, hashlib.sha256(text.encode("utf-8")).hexdigest(), target))


def build(root: Path, secret_level: int | None) -> Built:
    settings = load_settings(data_dir=root / "var", quiet_seconds=0, web_secret_key="test-key",
                             workers=1)
    backends = open_backends(settings)
    dropped: list[tuple[str, str, Path]] = []
    # Ordinary documents, then (maybe) the secret one, then more ordinary ones: three runs,
    # so arrival order and register numbers are those of the office.
    _drop(settings, ordinary_files(0, 3), dropped)
    ingest_once(settings, backends, wait=False)
    if secret_level is not None:
        name, text = secret_file(secret_level)
        _drop(settings, {name: text}, dropped)
        ingest_once(settings, backends, wait=False)
    _drop(settings, ordinary_files(3, len(ORDINARY)), dropped)
    ingest_once(settings, backends, wait=False)
    publish_monthly_report(settings, backends, this_month(settings))
    accounts = Accounts.open(settings.register_location)
    for username, role, clearance, _ in USERS:
        accounts.add_user(username, PASSWORD, role, clearance)
    # As if the clerk had uploaded them all: the clerk's lists, counts and review
    # queue then have something to show, and the secret document is theirs too.
    for name, sha256, path in dropped:
        accounts.record_upload(UPLOADER, sha256, name, "incoming", "", str(path))
    return Built(settings, backends, accounts, create_app(settings, backends))


def this_month(settings: Settings) -> Month:
    return Month.containing(datetime.now(ZoneInfo(settings.timezone)), settings.timezone)


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int | None, Built]]:
    built = {level: build(tmp_path_factory.mktemp(f"conf-{level}"), level)
             for level in (None, *LEVELS)}
    yield built
    for one in built.values():
        one.accounts.close()
        one.backends.close()


def login(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app)
    token = CSRF.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    answer = client.post("/login", data={"username": username, "password": PASSWORD,
                                         "csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client


# -- what a response says, with only the build-specific parts masked --------------

_MASKS = (
    (re.compile(r'(name="csrf_token" value=")[^"]+'), r"\1<csrf>"),
    (re.compile(r'(csrf[-_]token"? content=")[^"]+'), r"\1<csrf>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"),
     "<time>"),
    (re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}(:\d{2})?"), "<time>"),
    (re.compile(r"\b\d+([.,]\d+)? ?ms\b"), "<ms>"),
)
MEANINGFUL_HEADERS = ("content-type", "content-disposition", "location", "x-total-count",
                      "cache-control", "www-authenticate", "retry-after")


def masked(text: str, roots: tuple[Path, ...]) -> str:
    for root in roots:
        text = text.replace(str(root), "<root>")
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


def answer_of(client: TestClient, path: str, params: dict[str, str], root: Path) -> Any:
    response = client.get(path, params=params, follow_redirects=False)
    headers = {k: masked(response.headers[k], (root,)) for k in MEANINGFUL_HEADERS
               if k in response.headers}
    content_type = response.headers.get("content-type", "")
    body: Any
    if "spreadsheetml" in content_type:
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        body = [[masked(str(v), (root,)) for v in row]
                for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    elif content_type.startswith(("text/", "application/json", "image/svg")):
        body = masked(response.content.decode("utf-8", "replace"), (root,))
    else:
        body = hashlib.sha256(response.content).hexdigest()
    return response.status_code, headers, body


def explain(expected: Any, got: Any) -> str:
    """The first lines where two answers differ (status, headers, then body)."""
    if expected[:2] != got[:2]:
        return f"  without: {expected[:2]}\n  with:    {got[:2]}"
    lines = difflib.unified_diff(pformat(expected[2]).splitlines() if not isinstance(
        expected[2], str) else expected[2].splitlines(), pformat(got[2]).splitlines()
        if not isinstance(got[2], str) else got[2].splitlines(), "without", "with", n=0,
        lineterm="")
    return "\n".join("  " + line[:200] for line in list(lines)[2:12])


# -- every GET route, with the parameters that could give a secret document away --

SEARCH_VARIANTS: tuple[dict[str, str], ...] = (
    {},
    {"q": SECRET_WORD},
    {"q": "phương án"},
    {"issuing_body": SECRET_BODY},
    {"doc_type": "Công văn"},
    {"sort": "number_asc"},
    {"sort": "number_desc"},
    {"sort": "received_desc"},
    {"page_size": "100"},
    {"direction": "incoming", "page_size": "2", "page": "2"},
)


def get_routes(app: FastAPI) -> list[str]:
    paths = []
    for route in app.routes:
        if isinstance(route, Mount):
            continue
        if isinstance(route, APIRoute | Route) and "GET" in (route.methods or ()):
            paths.append(route.path)
    return sorted(set(paths))


def requests_for(path_template: str, doc_id: str, report_names: list[str],
                 month: str) -> list[tuple[str, dict[str, str]]]:
    """Concrete (path, query) pairs for one route template."""
    values: dict[str, list[str]] = {
        "doc_id": [doc_id],
        "fmt": ["csv", "xlsx"],
        "month": [month],
        "name": report_names or ["none.csv"],
        "page": ["1"],  # a TIFF page of the preview
    }
    paths = [path_template]
    for name, options in values.items():
        paths = [p.replace("{" + name + "}", option) for p in paths for option in options]
    if any("{" in p for p in paths):
        raise AssertionError(f"route {path_template}: a path parameter this suite does not fill;"
                             " teach it what to send")
    out: list[tuple[str, dict[str, str]]] = []
    for path in paths:
        variants: tuple[dict[str, str], ...] = ({}, {"q": SECRET_WORD})
        if path in ("/", "/api/search") or "export" in path:
            variants = SEARCH_VARIANTS
        if "{doc_id}" in path_template:
            variants = ({}, {"inline": "true"}, {"lang": "en"})
        if path == "/review":
            variants = ({}, {"page": "2"}, {"lang": "en"})
        out += [(path, v) for v in variants]
    return out


def report_names(clients: list[TestClient]) -> list[str]:
    names: set[str] = set()
    for client in clients:
        listing = client.get("/api/reports")
        if listing.status_code == 200:
            names |= {r["name"] for r in listing.json()}
    return sorted(names)


@pytest.mark.parametrize("level", sorted(LEVELS))
def test_nothing_differs_for_users_not_cleared(archives: dict[int | None, Built], level: int):
    reference, with_secret = archives[None], archives[level]
    name, text = secret_file(level)
    doc_id = doc_id_of(text)
    # The secret document is really there, and a cleared user sees it.
    admin_view = with_secret.backends.register.get_document(doc_id)
    assert admin_view is not None, "the secret document was not registered"
    month = str(this_month(reference.settings))
    routes = get_routes(reference.app)
    assert "/api/documents/{doc_id}" in routes and "/" in routes
    differences: list[str] = []
    checked = 0
    for username, _role, _clearance, max_secrecy in USERS:
        if max_secrecy >= level:
            continue
        ref_client = login(reference.app, username)
        sec_client = login(with_secret.app, username)
        names = report_names([ref_client, sec_client])
        for template in routes:
            if template in ("/login",):
                continue
            for path, params in requests_for(template, doc_id, names, month):
                expected = answer_of(ref_client, path, params, reference.settings.data_dir)
                got = answer_of(sec_client, path, params, with_secret.settings.data_dir)
                checked += 1
                if expected != got:
                    differences.append(f"{username} GET {path} {params}:\n{explain(expected, got)}")
    assert checked > 50
    routes_differing = sorted({d.split(" {")[0] for d in differences})
    assert not differences, (f"{len(differences)} of {checked} answers tell that a "
                             f"{LEVELS[level]} document exists, on "
                             + ", ".join(routes_differing) + "\n" + "\n".join(differences[:15]))


def test_builds_without_secrets_compare_equal(archives: dict[int | None, Built],
                                               tmp_path: Path):
    """The masking is enough: two builds of the same documents answer alike (no false alarm)."""
    again = build(tmp_path, None)
    try:
        reference = archives[None]
        month = str(this_month(reference.settings))
        client_a, client_b = login(reference.app, "archivist1"), login(again.app, "archivist1")
        names = report_names([client_a, client_b])
        for template in get_routes(reference.app):
            if template == "/login":
                continue
            for path, params in requests_for(template, "0123456789abcdef", names, month):
                assert (answer_of(client_a, path, params, reference.settings.data_dir)
                        == answer_of(client_b, path, params, again.settings.data_dir)), path
    finally:
        again.accounts.close()
        again.backends.close()


@pytest.mark.parametrize("level", sorted(LEVELS))
def test_the_review_count_leaves_out_a_secret_document_to_check(
        archives: dict[int | None, Built], level: int) -> None:
    """The secret document needs review and is the clerk's own upload: still not counted."""
    reference, with_secret = archives[None], archives[level]
    doc_id = doc_id_of(secret_file(level)[1])
    waiting = with_secret.backends.register.needing_review(max_secrecy=3)
    assert doc_id in {d.doc_id for d in waiting.documents}
    assert waiting.total == reference.backends.register.needing_review(max_secrecy=3).total + 1
    assert with_secret.accounts.uploaded_by(UPLOADER, doc_id)
    pattern = re.compile(r'id="review-count" href="/review">([^<]+)<')
    seen = []
    for built in (reference, with_secret):
        client = login(built.app, UPLOADER)
        count = pattern.search(client.get("/").text)
        assert count is not None
        queue = client.get("/review")
        seen.append((count.group(1), re.findall(r'data-doc="([0-9a-f]{16})"', queue.text)))
    assert seen[0] == seen[1]
    assert seen[0][0] == f"Cần kiểm tra: {len(UNSIGNED)} văn bản"
    assert doc_id not in seen[1][1]


def test_a_clerk_searches_their_uploads_as_the_index_does(archives: dict[int | None, Built]
                                                          ) -> None:
    """The clerk uploaded every ordinary document: their search (ranking, filters, facets,
    totals) answers as an archivist's does, over their uploads only, and without the secret."""
    built = archives[1]
    clerk, archivist = login(built.app, "clerk1"), login(built.app, "archivist1")
    for params in ({}, {"q": "ngân sách"}, {"issuing_body": "SỞ Y TẾ"},
                   {"q": "văn", "doc_type": "Công văn"}):
        mine = clerk.get("/api/search", params=params).json()
        theirs = archivist.get("/api/search", params=params).json()
        assert mine["total"] == theirs["total"] > 0, params
        assert mine["facets"] == theirs["facets"] and mine["facets"]
        assert [h["doc_id"] for h in mine["hits"]] == [h["doc_id"] for h in theirs["hits"]]
    assert SECRET_WORD not in clerk.get("/api/search", params={"q": SECRET_WORD}).text
