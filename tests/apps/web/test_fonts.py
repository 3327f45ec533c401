"""Every text of the app in a font with the Vietnamese letters, served by the app itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from apps.web import create_app
from apps.web.fonts import FACES, FONT_DIR
from tests.apps.web.conftest import Archive

pytestmark = pytest.mark.slow
STYLE = Path(__file__).resolve().parents[3] / "apps" / "web" / "static" / "style.css"


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


VIETNAMESE = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
FACE_RULE = re.compile(r'@font-face \{ font-family: "([^"]+)"; src: url\("/fonts/([^"]+)"\)'
                       r'[^}]*?font-weight: ([^;]+);([^}]*)\}')
RANGE = re.compile(r"unicode-range: ([^;]+);")


def ranges(text: str | None) -> list[tuple[int, int]]:
    if not text:
        return [(0, 0x10FFFF)]
    out = []
    for part in text.split(","):
        low, _, high = part.strip().removeprefix("U+").partition("-")
        out.append((int(low, 16), int(high or low, 16)))
    return out


def test_every_vietnamese_letter_has_a_glyph_in_each_family_and_weight():
    from fontTools.ttLib import TTFont

    faces = [(family, file, weight, m.group(1) if (m := RANGE.search(rest)) else None)
             for family, file, weight, rest in FACE_RULE.findall(STYLE.read_text("utf-8"))]
    assert {f[0] for f in faces} == {"Docket Sans", "Docket Mono"}
    cmaps = {name: TTFont(FONT_DIR / name).getBestCmap() for name in FACES}
    for family in ("Docket Sans", "Docket Mono"):
        for weight in ("400", "600 800"):
            chosen = [(file, ranges(r)) for fam, file, w, r in faces
                      if fam == family and w == weight]
            assert chosen, (family, weight)
            for letter in VIETNAMESE + VIETNAMESE.upper():
                code = ord(letter)
                face = next(file for file, rs in chosen
                            if any(lo <= code <= hi for lo, hi in rs))
                assert code in cmaps[face], (family, weight, letter, face)


def test_each_face_is_served_before_login(client: TestClient):
    for name in FACES:
        answer = client.get(f"/fonts/{name}")
        assert answer.status_code == 200, name
        assert answer.headers["content-type"] == "font/ttf"
        assert answer.content == (FONT_DIR / name).read_bytes()


def test_other_files_are_not_served(client: TestClient):
    for name in ("DejaVuSerif.ttf", "..%2F..%2Fetc%2Fpasswd", "style.css"):
        assert client.get(f"/fonts/{name}").status_code == 404
