"""Units from the settings file, and routing by the inbox subfolder."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ingest.tracking.units import Unit, load_units, parse_units, units_from
from kernel.errors import ConfigError

ROOT = Path(__file__).resolve().parents[3]

UNITS = """\
data_dir = "var"

[[tracking.units]]
code = "so-tai-chinh"
name = "Sở Tài chính"
members = ["lan.nguyen", "minh.tran"]

[[tracking.units]]
code = "van-phong"
name = "Văn phòng UBND"
members = ["minh.tran"]
folder = "Văn phòng"
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    # The project's own settings file, with units added at its end.
    base = (ROOT / "config" / "docket.toml").read_text(encoding="utf-8")
    path = tmp_path / "docket.toml"
    path.write_text(base + "\n" + UNITS.split("\n", 1)[1], encoding="utf-8")
    return path


def test_units_load_from_the_settings_file(config: Path) -> None:
    units = load_units(config)
    finance = units.get("so-tai-chinh")
    assert finance == Unit("so-tai-chinh", "Sở Tài chính",
                           frozenset({"lan.nguyen", "minh.tran"}))
    assert [u.code for u in units.of_member("minh.tran")] == ["so-tai-chinh", "van-phong"]
    assert units.get("nowhere") is None


@pytest.mark.parametrize(("path", "code"), [
    ("incoming/so-tai-chinh/cv-45.pdf", "so-tai-chinh"),
    ("incoming/so-tai-chinh/2026/thang-12/cv-45.pdf", "so-tai-chinh"),
    ("incoming/SO-TAI-CHINH/cv-45.pdf", "so-tai-chinh"),
    ("processed/incoming/so-tai-chinh/cv-45.pdf", "so-tai-chinh"),
    ("incoming/Văn phòng/giay-moi.pdf", "van-phong"),
    (unicodedata.normalize("NFD", "incoming/Văn phòng/giay-moi.pdf"), "van-phong"),
    (Path("incoming") / "so-tai-chinh" / "a.pdf", "so-tai-chinh"),
    ("incoming/cv-45.pdf", None),
    ("incoming/so-tai-chinh", None),
    ("outgoing/so-tai-chinh/cv-46.pdf", None),
    ("incoming/so-xay-dung/cv-47.pdf", None),
    ("incoming/van-phong/cv-48.pdf", None),  # its folder is "Văn phòng", not its code
])
def test_the_subfolder_of_incoming_routes_to_a_unit(path: str, code: str | None) -> None:
    routed = parse_units(UNITS).route(path)
    assert (routed.code if routed else None) == code


def test_a_settings_file_without_units_has_none() -> None:
    assert parse_units((ROOT / "config" / "docket.toml").read_text(encoding="utf-8")).units == ()
    assert parse_units('[docket]\n[[docket.tracking.units]]\ncode = "a"\nname = "A"\n').get("a")


@pytest.mark.parametrize(("text", "line", "words"), [
    ('[[tracking.units]]\ncode = "Sở Tài chính"\nname = "x"\n', 2, "lower-case ascii"),
    ('[[tracking.units]]\ncode = "stc"\n', 2, "needs a name"),
    ('[[tracking.units]]\ncode = "stc"\nname = "x"\nmembers = "lan"\n', 2, "list of user"),
    ('[[tracking.units]]\ncode = "stc"\nname = "x"\nmember = ["lan"]\n', 2, "unknown keys"),
    ('[[tracking.units]]\ncode = "stc"\nname = "x"\nfolder = "a/b"\n', 2, "one folder"),
    ('[[tracking.units]]\ncode = "stc"\nname = "x"\nemails = "a@b.vn"\n', 2, "addresses"),
    ('[[tracking.units]]\ncode = "stc"\nname = "x"\nemails = ["stc at b.vn"]\n', 2,
     "addresses"),
    ('[[tracking.units]\ncode = "stc"\n', 1, "line 1"),
])
def test_a_wrong_unit_is_refused_naming_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_units(text, "docket.toml")
    assert f"line {line}" in caught.value.message and words in caught.value.message


def test_a_unit_may_name_the_addresses_its_digest_goes_to() -> None:
    text = UNITS + 'emails = ["vanphong@hanam.gov.vn", " ubnd@hanam.gov.vn "]\n'
    units = parse_units(text)
    assert units.get("van-phong").emails == ("vanphong@hanam.gov.vn", "ubnd@hanam.gov.vn")
    assert units.get("so-tai-chinh").emails == ()


def test_two_units_cannot_share_a_code_or_a_folder() -> None:
    with pytest.raises(ConfigError, match="share the code stc"):
        units_from([Unit("stc", "A"), Unit("stc", "B", folder="b")])
    with pytest.raises(ConfigError, match="share the folder"):
        units_from([Unit("stc", "A"), Unit("snv", "B", folder="STC")])
