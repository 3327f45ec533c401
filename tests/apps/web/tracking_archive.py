"""An archive for the tracking tests: units with members, incoming documents (one MẬT) and
an outgoing reply, uploaded by a clerk through the app and registered by the real pipeline."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apps.web.accounts import Accounts, Role
from ingest.backends import Backends, open_backends
from ingest.pipeline import ingest_once
from kernel.settings import Settings, load_settings
from tests.apps.web.conftest import PASSWORD, csrf_of, login

UNITS = [
    {"code": "phong-tai-chinh", "name": "Phòng Tài chính - Kế hoạch",
     "members": ["lan.nguyen", "hoa.le"]},
    {"code": "phong-noi-vu", "name": "Phòng Nội vụ", "members": ["minh.tran"]},
]
# (username, role, clearance): lan and minh read open documents only, hoa is cleared (MẬT).
TRACKING_USERS = (
    ("clerk1", Role.CLERK, 0),
    ("lan.nguyen", Role.ARCHIVIST, 0),
    ("minh.tran", Role.ARCHIVIST, 0),
    ("hoa.le", Role.OFFICER, 1),
    ("archivist1", Role.ARCHIVIST, 0),
    ("admin1", Role.ADMIN, 0),
    # Overseers when the settings name them (tracking_overseers); giam.doc reads open
    # documents only, pho.giam.doc is cleared (MẬT).
    ("giam.doc", Role.ARCHIVIST, 0),
    ("pho.giam.doc", Role.OFFICER, 1),
)


def incoming_text(number: int, subject: str, mark: str = "") -> str:
    """A Công văn of the Ủy ban nhân dân xã to the district, ``mark`` on its own line."""
    return (
        "ỦY BAN NHÂN DÂN\nXÃ TÂN HỘI\n"
        f"Số: {number}/UBND-VP\n{mark}\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        f"Tân Hội, ngày {number} tháng 3 năm 2025\n"
        f"V/v {subject}\nKính gửi: Ủy ban nhân dân huyện Đức Trọng\n"
        f"Ủy ban nhân dân xã Tân Hội đề nghị Ủy ban nhân dân huyện xem xét, {subject}.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nCHỦ TỊCH\nNguyễn Văn An\n"
    )


REPLY = (
    "ỦY BAN NHÂN DÂN\nHUYỆN ĐỨC TRỌNG\nSố: 210/UBND-TCKH\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Đức Trọng, ngày 20 tháng 3 năm 2025\n"
    "V/v kinh phí sửa chữa trường tiểu học\nKính gửi: Ủy ban nhân dân xã Tân Hội\n"
    "Phúc đáp Công văn số 5/UBND-VP ngày 05/3/2025 của Ủy ban nhân dân xã Tân Hội về "
    "kinh phí sửa chữa trường tiểu học, Ủy ban nhân dân huyện có ý kiến như sau: "
    "thống nhất bố trí kinh phí từ nguồn dự phòng ngân sách huyện năm 2025.\n"
    "Nơi nhận:\n- Như trên;\n- Lưu: VT, TCKH.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Văn Bình\n"
)

# name -> (direction, text), uploaded in this order by clerk1.
FILES = {
    "kinh-phi.txt": ("incoming", incoming_text(5, "kinh phí sửa chữa trường tiểu học")),
    "bien-che.txt": ("incoming", incoming_text(6, "bổ sung biên chế công chức xã")),
    "dat-dai.txt": ("incoming", incoming_text(7, "giao đất xây dựng nhà văn hóa thôn")),
    "mat-kho.txt": ("incoming", incoming_text(8, "phương án bảo vệ kho vật tư", "MẬT")),
    "duong-xa.txt": ("incoming", incoming_text(9, "nâng cấp đường giao thông liên xã")),
    "phuc-dap.txt": ("outgoing", REPLY),
}


@dataclass
class TrackingArchive:
    settings: Settings
    backends: Backends
    accounts: Accounts
    ids: dict[str, str]  # file name -> doc id


def build_tracking_archive(root: Path, **extra: Any) -> TrackingArchive:
    """``FILES`` uploaded by clerk1 through the app, then registered; ``extra`` settings."""
    from apps.web import create_app

    settings = load_settings(data_dir=root / "var", quiet_seconds=0, web_secret_key="test-key",
                             workers=1, tracking_units=UNITS, **extra)
    backends = open_backends(settings)
    accounts = Accounts.open(settings.register_location)
    for username, role, clearance in TRACKING_USERS:
        accounts.add_user(username, PASSWORD, role, clearance)
    client = login(create_app(settings, backends), "clerk1")
    ids = {}
    for name, (direction, text) in FILES.items():
        answer = client.post("/upload", data={"direction": direction,
                                              "csrf_token": csrf_of(client)},
                             files={"file": (name, text.encode("utf-8"), "text/plain")})
        assert answer.status_code == 201, answer.text
        ids[name] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    ingest_once(settings, backends, wait=False)
    for doc_id in ids.values():
        assert backends.register.get_document(doc_id) is not None
    return TrackingArchive(settings, backends, accounts, ids)
