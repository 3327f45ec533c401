"""Sessions that end (issue 16, failure 4): logout, password, role, disabling, timeouts.

Each test signs in its own user, so ending that user's sessions touches no
other test's clients; the accounts commands run as the real ``docket`` script.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from apps.web import create_app
from apps.web.accounts import Role
from apps.web.sessions import COOKIE
from tests.apps.web.conftest import PASSWORD, Archive, csrf_of, login

pytestmark = pytest.mark.slow
DOCKET = Path(sys.executable).with_name("docket")


@pytest.fixture(scope="module")
def app(archive: Archive) -> FastAPI:
    return create_app(archive.settings, archive.backends)


def new_user(archive: Archive, username: str, role: Role = Role.ARCHIVIST,
             clearance: int = 0) -> str:
    archive.accounts.add_user(username, PASSWORD, role, clearance)
    return username


def replay(app: FastAPI, cookie: str) -> TestClient:
    """A client that presents a cookie saved earlier (as an attacker who copied it would)."""
    client = TestClient(app)
    client.cookies.set(COOKIE, cookie)
    return client


def docket(archive: Archive, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOCKET_DATA_DIR": str(archive.settings.data_dir)}
    return subprocess.run([str(DOCKET), "--lang", "en", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)


def test_logout_ends_the_saved_cookie_and_every_other_session(app: FastAPI,
                                                              archive: Archive) -> None:
    name = new_user(archive, "sess-logout")
    first, second = login(app, name), login(app, name)
    saved = first.cookies[COOKIE]
    assert replay(app, saved).get("/api/me").status_code == 200
    out = first.post("/logout", data={"csrf_token": csrf_of(first)}, follow_redirects=False)
    assert out.status_code == 303
    assert replay(app, saved).get("/api/me").status_code == 401
    assert first.get("/api/me").status_code == 401
    assert second.get("/api/me").status_code == 401
    assert login(app, name).get("/api/me").status_code == 200  # and signing in again works


def test_docket_users_passwd_ends_every_session(app: FastAPI, archive: Archive) -> None:
    name = new_user(archive, "sess-passwd")
    client = login(app, name)
    saved = client.cookies[COOKIE]
    done = docket(archive, "users", "passwd", name, "--password-stdin",
                  stdin="một-mật-khẩu-mới\n")
    assert done.returncode == 0, done.stderr
    assert replay(app, saved).get("/api/me").status_code == 401
    assert client.get("/api/me").status_code == 401
    assert login(app, name, "một-mật-khẩu-mới").get("/api/me").status_code == 200


def test_role_or_clearance_change_and_disabling_end_every_session(app: FastAPI,
                                                                  archive: Archive) -> None:
    name = new_user(archive, "sess-role", Role.OFFICER, 2)
    client = login(app, name)
    assert client.get("/api/me").json()["max_secrecy"] == 2
    done = docket(archive, "users", "role", name, "--role", "officer", "--clearance", "1")
    assert done.returncode == 0, done.stderr
    assert client.get("/api/me").status_code == 401
    client = login(app, name)
    assert client.get("/api/me").json()["max_secrecy"] == 1
    done = docket(archive, "users", "disable", name)
    assert done.returncode == 0, done.stderr
    assert client.get("/api/me").status_code == 401
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    again = client.post("/login", data={"username": name, "password": PASSWORD,
                                        "csrf_token": token})
    assert again.status_code == 401


def test_an_idle_session_ends(archive: Archive) -> None:
    settings = archive.settings.model_copy(update={"web_session_idle_minutes": 1.5 / 60})
    app = create_app(settings, archive.backends)
    client = login(app, new_user(archive, "sess-idle"))
    for _ in range(3):  # kept alive by use, past the idle limit in total
        time.sleep(0.75)
        assert client.get("/api/me").status_code == 200
    time.sleep(2)
    assert client.get("/api/me").status_code == 401


def test_a_session_ends_after_the_absolute_limit_even_when_in_use(archive: Archive) -> None:
    settings = archive.settings.model_copy(update={"web_session_max_hours": 2 / 3600})
    app = create_app(settings, archive.backends)
    client = login(app, new_user(archive, "sess-absolute"))
    codes = []
    for _ in range(6):
        codes.append(client.get("/api/me").status_code)
        time.sleep(0.5)
    assert codes[0] == 200 and codes[-1] == 401


def test_a_forged_or_foreign_cookie_is_no_session(app: FastAPI, archive: Archive) -> None:
    client = login(app, new_user(archive, "sess-forged"))
    cookie = client.cookies[COOKIE]
    assert replay(app, cookie[:-2] + "xx").get("/api/me").status_code == 401
    other = create_app(archive.settings.model_copy(update={"web_secret_key": "another-key"}),
                       archive.backends)
    assert replay(other, cookie).get("/api/me").status_code == 401


def test_a_session_database_that_fails_answers_503_and_keeps_the_cookie(
    archive: Archive, tmp_path: Path
) -> None:
    settings = archive.settings.model_copy(
        update={"register_url": f"sqlite:///{tmp_path / 'accounts.sqlite'}"})
    app = create_app(settings, archive.backends)
    app.state.web.accounts.add_user("sess-db", PASSWORD, Role.ARCHIVIST)
    client = login(app, "sess-db")
    with app.state.web.accounts.engine.begin() as conn:  # the table is gone: reads fail
        conn.exec_driver_sql("DROP TABLE web_sessions")
    answer = client.get("/api/me")
    assert answer.status_code == 503
    assert answer.json() == {"detail": "Hệ thống tạm thời chưa sẵn sàng; vui lòng thử lại sau "
                                       "ít phút."}
    assert "set-cookie" not in answer.headers
    assert answer.headers["content-security-policy"]
