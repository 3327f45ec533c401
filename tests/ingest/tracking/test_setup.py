"""The tracking settings: read once by ``load_settings``, built by ``tracking_setup``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingest.tracking.setup import tracking_setup
from ingest.tracking.units import Unit, parse_units
from kernel.errors import ConfigError
from kernel.settings import load_settings

ROOT = Path(__file__).resolve().parents[3]

TRACKING = """
tracking_days_ordinary = 7
tracking_days_urgent = 2
tracking_holidays_file = "config/holidays.toml"

[[tracking.units]]
code = "so-tai-chinh"
name = "Sở Tài chính"
members = ["lan.nguyen"]

[[tracking.units]]
code = "van-phong"
name = "Văn phòng UBND"
folder = "Văn phòng"
"""

# Only 2027 is in the admin's copy: its 4 January is a day off there.
HOLIDAYS = """
[[year]]
year = 2027
source = "test"
days_off = [{ date = 2027-01-04, name = "Nghỉ thử" }]
"""


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("DOCKET_TRACKING_DAYS_ORDINARY", "DOCKET_TRACKING_UNITS",
                 "DOCKET_TRACKING_DAYS_URGENT", "DOCKET_TRACKING_HOLIDAYS_FILE"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "config").mkdir()
    path = tmp_path / "config" / "docket.toml"
    path.write_text('data_dir = "var"\n' + TRACKING, encoding="utf-8")
    (tmp_path / "config" / "holidays.toml").write_text(HOLIDAYS, encoding="utf-8")
    return path


def test_the_settings_file_configures_policy_calendar_and_units(config: Path) -> None:
    settings = load_settings(config)
    assert settings.tracking_holidays_file == config.parent / "holidays.toml"
    setup = tracking_setup(settings)
    assert (setup.policy.ordinary_days, setup.policy.urgent_days,
            setup.policy.top_urgent_days, setup.policy.due_soon_days) == (7, 2, 1, 2)
    assert setup.units.get("so-tai-chinh") == Unit("so-tai-chinh", "Sở Tài chính",
                                                   frozenset({"lan.nguyen"}))
    assert setup.units.route("incoming/Văn phòng/a.pdf") == setup.unit("van-phong")
    # Friday 1/1/2027, KHẨN: Monday 4 is off in the admin's file, so Tue 5, Wed 6.
    assert setup.default_deadline(date(2027, 1, 1), "KHẨN") == date(2027, 1, 6)


def test_the_defaults_are_the_shipped_calendar_and_no_units() -> None:
    setup = tracking_setup(load_settings(ROOT / "config" / "docket.toml"))
    assert setup.units.units == ()
    assert setup.calendar.covers(2026)
    # Thursday 12/2/2026, ordinary: 10 working days across Tết (14/2-22/2).
    assert setup.default_deadline(date(2026, 2, 12), None) == date(2026, 3, 5)


def test_the_environment_overrides_the_file(config: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKET_TRACKING_DAYS_ORDINARY", "12")
    monkeypatch.setenv("DOCKET_TRACKING_UNITS", '[{"code": "so-noi-vu", "name": "Sở Nội vụ"}]')
    setup = tracking_setup(load_settings(config))
    assert setup.policy.ordinary_days == 12
    assert [u.code for u in setup.units.units] == ["so-noi-vu"]


def test_overseers_are_read_beside_the_units(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCKET_TRACKING_OVERSEERS", raising=False)
    path = tmp_path / "docket.toml"
    # After the top-level keys, like every table; before or after the units.
    text = TRACKING.replace('tracking_holidays_file = "config/holidays.toml"\n', "").replace(
        "[[tracking.units]]", '[tracking]\noverseers = ["giam.doc", "pho.giam.doc"]\n\n'
        "[[tracking.units]]", 1)
    path.write_text(text, encoding="utf-8")
    units = tracking_setup(load_settings(path)).units
    assert units.overseers == {"giam.doc", "pho.giam.doc"}
    assert units.oversees("giam.doc") and not units.oversees("lan.nguyen")
    assert [u.code for u in units.units] == ["so-tai-chinh", "van-phong"]
    assert parse_units(path.read_text(encoding="utf-8")).overseers == units.overseers
    monkeypatch.setenv("DOCKET_TRACKING_OVERSEERS", '["truong.phong"]')
    assert tracking_setup(load_settings(path)).units.overseers == {"truong.phong"}
    monkeypatch.setenv("DOCKET_TRACKING_OVERSEERS", '[""]')
    with pytest.raises(ConfigError, match="overseers are a list of user names"):
        tracking_setup(load_settings(path))
    with pytest.raises(ConfigError, match="line 2: the tracking overseers"):
        parse_units('[tracking]\noverseers = "giam.doc"\n')  # not a list


@pytest.mark.parametrize(("extra", "words"), [
    ('tracking_days_top_urgent = 5\n', "shorten with urgency"),
    ('[[tracking.units]]\ncode = "Sở Y tế"\nname = "x"\n', "lower-case ascii"),
    ('[[tracking.units]]\ncode = "so-tai-chinh"\nname = "again"\n', "two units share the"),
    ('[tracking]\ndays = 3\n', "only [[tracking.units]]"),
    ('[[tracking.units]]\ncode = "so-y-te"\nname = "x"\nmember = ["lan"]\n', "member"),
])
def test_a_wrong_tracking_setting_is_a_config_error(tmp_path: Path, extra: str,
                                                    words: str) -> None:
    path = tmp_path / "docket.toml"
    units = TRACKING.replace('tracking_holidays_file = "config/holidays.toml"\n', "")
    if extra.startswith("tracking_days") or extra.startswith("[tracking]"):
        units = ""
    path.write_text(extra + units if extra.startswith("tracking_days") else units + extra,
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=words.replace("[", r"\[")):
        tracking_setup(load_settings(path))
