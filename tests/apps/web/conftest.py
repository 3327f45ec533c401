"""A small real archive, built once by the real pipeline, and users of every role.

Born-digital demo samples only (no OCR: fast), plus two text documents stamped
"MẬT" and "TUYỆT MẬT" in their header so every secrecy level 0..3 is present
(the demo set already has "MẬT" and "TỐI MẬT" text PDFs).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from apps.web.accounts import Accounts, Role
from ingest.backends import Backends, open_backends
from ingest.pipeline import ingest_once
from ingest.samples import generate_samples, load_truth
from kernel.settings import Settings, load_settings
from search.model import SearchQuery

BORN_DIGITAL = {"text_pdf", "docx", "text"}
PLAIN_DOCUMENTS = 10  # enough for paging and facets, few enough to stay fast
PASSWORD = "mật-khẩu-đủ-dài"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

# (username, role, clearance)
USERS = (
    ("clerk1", Role.CLERK, 0),
    ("archivist1", Role.ARCHIVIST, 0),
    ("officer1", Role.OFFICER, 1),
    ("officer2", Role.OFFICER, 2),
    ("officer3", Role.OFFICER, 3),
    ("admin1", Role.ADMIN, 0),
)

STAMPED = {
    "mat-kho-vat-tu.txt": "MẬT",
    "tuyet-mat-phuong-an.txt": "TUYỆT MẬT",
}


def stamped_text(mark: str, number: int) -> str:
    """A short Công văn with ``mark`` stamped alone on a header line."""
    return (
        "UỶ BAN NHÂN DÂN TỈNH LÂM ĐỒNG\n"
        "SỞ NỘI VỤ\n"
        f"Số: {number}/SNV-VP\n"
        f"{mark}\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        f"Lâm Đồng, ngày 0{number} tháng 3 năm 2025\n"
        "V/v bảo vệ bí mật nhà nước về phương án kho vật tư\n"
        "Kính gửi: Các phòng chuyên môn\n"
        "Sở Nội vụ đề nghị các phòng thực hiện nghiêm quy định về bảo vệ bí mật nhà nước "
        "đối với phương án kho vật tư dự phòng năm 2025.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"
        "GIÁM ĐỐC\nNguyễn Văn Bình\n"
    )


@dataclass
class Archive:
    settings: Settings
    backends: Backends
    accounts: Accounts
    by_secrecy: dict[int, list[str]] = field(default_factory=dict)  # rank -> doc ids
    originals: dict[str, Path] = field(default_factory=dict)  # doc_id -> sample file


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    root = tmp_path_factory.mktemp("web-archive")
    samples = root / "samples"
    settings = load_settings(data_dir=root / "var", quiet_seconds=0, web_secret_key="test-key",
                             workers=2)
    documents = generate_samples(samples, seed=7)
    staged: list[Path] = []
    plain = 0
    for document in documents:
        truth = load_truth(document)
        if truth["kind"] not in BORN_DIGITAL:
            continue
        if not truth["metadata"].get("secrecy"):
            plain += 1
            if plain > PLAIN_DOCUMENTS:
                continue
        target = settings.inbox_location / document.relative_to(samples)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(document, target)
        staged.append(document)
    for number, (name, mark) in enumerate(STAMPED.items(), start=3):
        target = settings.inbox_location / "incoming" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(stamped_text(mark, number), encoding="utf-8")
        staged.append(target)
    # Originals leave the inbox once archived: keep copies to compare downloads with.
    kept = root / "kept"
    kept.mkdir()
    staged = [Path(shutil.copy2(p, kept / f"{i}-{p.name}")) for i, p in enumerate(staged)]
    originals = {hashlib.sha256(p.read_bytes()).hexdigest()[:16]: p for p in staged}
    backends = open_backends(settings)
    ingest_once(settings, backends, wait=False)
    accounts = Accounts.open(settings.register_location)
    for username, role, clearance in USERS:
        accounts.add_user(username, PASSWORD, role, clearance)
    found = backends.index.search(SearchQuery(page_size=1000, facets=(), highlight=False))
    built = Archive(settings, backends, accounts)
    for hit in found.hits:
        built.by_secrecy.setdefault(hit.document.secrecy, []).append(hit.doc_id)
    built.originals = originals
    yield built
    accounts.close()
    backends.close()


@pytest.fixture(autouse=True)
def fresh_login_throttle(request: pytest.FixtureRequest) -> None:
    """Each test starts with no counted sign-in failures in the shared archive.

    The throttle's counts live in the accounts database every worker shares, so
    the session's archive would carry one test's deliberate failures into the next.
    """
    if "archive" in request.fixturenames:
        request.getfixturevalue("archive").accounts.clear_login_failures()


def login(app: FastAPI, username: str, password: str = PASSWORD,
          client: TestClient | None = None) -> TestClient:
    """A client signed in as ``username`` through the login form."""
    client = client if client is not None else TestClient(app)
    page = client.get("/login")
    token = CSRF.search(page.text).group(1)
    answer = client.post("/login", data={"username": username, "password": password,
                                         "csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client


def csrf_of(client: TestClient) -> str:
    """The CSRF token of ``client``'s session, read from a page as a browser would."""
    return CSRF.search(client.get("/upload").text).group(1)


# -- an archive for the review queue and the correction form ------------------------

REVIEW_USERS = (
    ("clerk1", Role.CLERK, 0),
    ("clerk2", Role.CLERK, 0),
    ("archivist1", Role.ARCHIVIST, 0),
    ("officer3", Role.OFFICER, 3),
    ("admin1", Role.ADMIN, 0),
)


def review_text(number: int, *, mark: str = "", signer: bool = True,
                dated: bool = True) -> str:
    """A short Công văn; without ``signer`` or ``dated`` a key field is missing."""
    return (
        "UỶ BAN NHÂN DÂN TỈNH LÂM ĐỒNG\nSỞ NỘI VỤ\n"
        f"Số: {number}/SNV-VP\n{mark}\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        + (f"Lâm Đồng, ngày {number} tháng 3 năm 2025\n" if dated else "")
        + f"V/v kế hoạch công tác số {number}\nKính gửi: Các phòng chuyên môn\n"
        "Sở Nội vụ đề nghị các phòng thực hiện kế hoạch công tác năm 2025.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nGIÁM ĐỐC\n"
        + ("Nguyễn Văn Bình\n" if signer else "")
    )


# name -> (uploader, text); uploaded in this order through the real upload form.
REVIEW_FILES = {
    "du.txt": ("clerk1", review_text(1)),  # complete: not to check
    "khong-ky.txt": ("clerk1", review_text(2, signer=False)),  # signer missing
    "khong-ngay.txt": ("clerk1", review_text(3, dated=False)),  # date missing
    "mat-khong-ky.txt": ("clerk1", review_text(4, mark="MẬT", signer=False)),  # secret
    "cua-clerk2.txt": ("clerk2", review_text(5, signer=False)),  # someone else's
}


@dataclass
class ReviewArchive:
    settings: Settings
    backends: Backends
    accounts: Accounts
    ids: dict[str, str]  # file name -> doc id


def build_review_archive(root: Path) -> ReviewArchive:
    """The files of ``REVIEW_FILES`` uploaded by their clerks through the app, then ingested."""
    from apps.web import create_app

    settings = load_settings(data_dir=root / "var", quiet_seconds=0, web_secret_key="test-key",
                             workers=1)
    backends = open_backends(settings)
    accounts = Accounts.open(settings.register_location)
    for username, role, clearance in REVIEW_USERS:
        accounts.add_user(username, PASSWORD, role, clearance)
    app = create_app(settings, backends)
    clients = {name: login(app, name) for name in ("clerk1", "clerk2")}
    ids = {}
    for name, (uploader, text) in REVIEW_FILES.items():
        client = clients[uploader]
        answer = client.post("/upload", data={"direction": "incoming", "csrf_token":
                                              csrf_of(client)},
                             files={"file": (name, text.encode("utf-8"), "text/plain")})
        assert answer.status_code == 201, answer.text
        ids[name] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        # One run per file: arrival order is upload order, newest last.
        ingest_once(settings, backends, wait=False)
    return ReviewArchive(settings, backends, accounts, ids)


# -- an archive for document tracking (units, members, a MẬT document, a reply) -----

@pytest.fixture(scope="session")
def tracking_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """``tests.apps.web.tracking_archive``'s archive, built once per session."""
    from tests.apps.web.tracking_archive import build_tracking_archive

    built = build_tracking_archive(tmp_path_factory.mktemp("tracking"))
    yield built
    built.accounts.close()
    built.backends.close()
