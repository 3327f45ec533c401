"""The web service's settings: typed, checked when loaded, with the documented defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel.errors import ConfigError
from kernel.settings import load_settings


def test_session_and_throttle_defaults(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert (settings.web_session_idle_minutes, settings.web_session_max_hours) == (30.0, 8.0)
    assert (settings.web_login_account_failures, settings.web_login_address_failures) == (5, 20)
    assert settings.web_trusted_proxies == []
    assert settings.web_tls_certfile is None


def test_trusted_proxies_from_the_environment(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKET_WEB_TRUSTED_PROXIES", '["127.0.0.1", "10.0.5.0/24"]')
    assert load_settings(data_dir=tmp_path).web_trusted_proxies == ["127.0.0.1", "10.0.5.0/24"]


@pytest.mark.parametrize("overrides", [
    {"web_trusted_proxies": ["proxy.lan"]},
    {"web_tls_certfile": "docket.crt"},
    {"web_session_idle_minutes": 0},
    {"web_login_account_failures": 0},
])
def test_wrong_web_settings_are_a_config_error(tmp_path: Path,
                                               overrides: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        load_settings(data_dir=tmp_path, **overrides)
