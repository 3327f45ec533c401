"""Every text of the app in a font with the Vietnamese letters, served by the app itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from search.web import create_app
from search.web.fonts import FACES, FONT_DIR
from tests.search.web.conftest import Archive

pytestmark = pytest.mark.slow
STYLE = Path(__file__).resolve().parents[3] / "search" / "web" / "static" / "style.css"


@pytest.fixture(scope="module")
def client(archive: Archive) -> TestClient:
    return TestClient(create_app(archive.settings, archive.backends))


def test_the_stylesheet_declares_only_fonts_of_this_server_for_body_and_text_block():
    css = STYLE.read_text(encoding="utf-8")
    sources = re.findall(r'src: url\("([^"]+)"\)', css)
    assert sources and all(s.startswith("/fonts/") for s in sources)
    assert {s.removeprefix("/fonts/") for s in sources} == set(FACES)
    assert re.search(r'body \{[^}]*font: [^;]*"Docket Sans"', css)
    assert re.search(r'pre\.text \{[^}]*"Docket Mono"', css)


def test_each_face_is_served_before_login_and_covers_vietnamese(client: TestClient):
    from PIL import ImageFont  # Pillow reads the cmap through FreeType

    for name in FACES:
        answer = client.get(f"/fonts/{name}")
        assert answer.status_code == 200, name
        assert answer.headers["content-type"] == "font/ttf"
        assert answer.content == (FONT_DIR / name).read_bytes()
        face = ImageFont.truetype(str(FONT_DIR / name), 20)
        # Precomposed letters: a glyph of their own, not a fallback box.
        missing = face.getmask("\uffff").getbbox()
        for letter in "ẤầẩẫậếỀểễệốồổỗộớờởỡợứừửữựỳỷỹỵđĐơư":
            assert face.getmask(letter).getbbox() != missing, (name, letter)


def test_other_files_are_not_served(client: TestClient):
    for name in ("DejaVuSerif.ttf", "..%2F..%2Fetc%2Fpasswd", "style.css"):
        assert client.get(f"/fonts/{name}").status_code == 404
