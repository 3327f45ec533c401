"""Login throttling that holds (issue 16, failure 5), and cookies that fit the deployment.

Through the ASGI app with chosen socket addresses, and through a real
``docket serve`` process, where X-Forwarded-For arrives as an attacker sends it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from apps.web import create_app
from apps.web.accounts import Role
from apps.web.sessions import COOKIE
from tests.apps.web.conftest import CSRF, PASSWORD, Archive

pytestmark = pytest.mark.slow
DOCKET = Path(sys.executable).with_name("docket")


def client_from(app: FastAPI, address: str, https: bool = False) -> TestClient:
    base = "https://docket.lan" if https else "http://docket.lan"
    return TestClient(app, base_url=base, client=(address, 40000))


def try_login(client: TestClient, username: str, password: str = "sai mật khẩu",
              headers: dict[str, str] | None = None) -> httpx.Response:
    token = CSRF.search(client.get("/login").text).group(1)
    return client.post("/login", headers=headers, follow_redirects=False,
                       data={"username": username, "password": password, "csrf_token": token})


@pytest.fixture
def app(archive: Archive) -> FastAPI:
    """A fresh app (fresh throttle) per test."""
    return create_app(archive.settings, archive.backends)


def test_one_account_is_limited_across_many_addresses(app: FastAPI, archive: Archive) -> None:
    archive.accounts.add_user("throttle-target", PASSWORD, Role.ARCHIVIST)
    codes = [try_login(client_from(app, f"10.1.0.{i}"), "throttle-target").status_code
             for i in range(1, 9)]
    assert codes == [401] * 5 + [429] * 3
    # Even the right password waits: the lock is on the account, not on the guesser.
    locked = try_login(client_from(app, "10.1.0.99"), "throttle-target", PASSWORD)
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    assert "Tài khoản tạm khóa" in locked.text and "thử lại sau" in locked.text.lower()
    english = client_from(app, "10.1.0.98")
    english.get("/login", params={"lang": "en"})
    assert "try again after" in try_login(english, "throttle-target").text.lower()


def test_one_address_is_limited_across_many_user_names(app: FastAPI) -> None:
    sprayer = client_from(app, "10.2.0.1")
    codes = [try_login(sprayer, f"spray-{i}").status_code for i in range(25)]
    assert codes.count(401) == 20 and codes[20:] == [429] * 5
    assert try_login(client_from(app, "10.2.0.2"), "spray-1").status_code == 401


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(
    app: FastAPI, archive: Archive
) -> None:
    client = client_from(app, "10.3.0.1")
    codes = [try_login(client, f"xff-{i}", headers={"x-forwarded-for": f"198.51.100.{i}"})
             .status_code for i in range(22)]
    assert codes[-1] == 429  # one socket address, whatever the header says
    trusting = create_app(archive.settings.model_copy(
        update={"web_trusted_proxies": ["10.4.0.0/24"]}), archive.backends)
    proxy = client_from(trusting, "10.4.0.7")
    codes = [try_login(proxy, f"xff-{i}", headers={"x-forwarded-for": f"198.51.100.{i}"})
             .status_code for i in range(22)]
    assert codes == [401] * 22  # each client behind the proxy counted on its own
    codes = [try_login(proxy, f"xff-{i}", headers={"x-forwarded-for": "203.0.113.5, 10.4.0.8"})
             .status_code for i in range(22)]
    assert codes[-1] == 429  # the client the proxy names, not the proxy itself


def test_every_login_is_in_the_audit_log(app: FastAPI, archive: Archive) -> None:
    archive.accounts.add_user("throttle-audit", PASSWORD, Role.ARCHIVIST)
    try_login(client_from(app, "10.5.0.1"), "throttle-audit")
    try_login(client_from(app, "10.5.0.2"), "throttle-audit", PASSWORD)
    try_login(client_from(app, "10.5.0.3"), "no-such-user")
    entries = [(e.username, e.action, e.detail) for e in archive.accounts.audit_entries()]
    assert ("throttle-audit", "login_failed", "10.5.0.1") in entries
    assert ("throttle-audit", "login", "10.5.0.2") in entries
    assert ("no-such-user", "login_failed", "10.5.0.3") in entries


def test_the_session_cookie_is_secure_only_over_https(app: FastAPI, archive: Archive) -> None:
    def cookie_of(answer: httpx.Response) -> str:
        return next(v for k, v in answer.headers.multi_items()
                    if k == "set-cookie" and v.startswith(COOKIE))

    over_http = client_from(app, "10.6.0.1").get("/login")
    assert "secure" not in cookie_of(over_http).lower()
    over_https = client_from(app, "10.6.0.1", https=True).get("/login")
    assert "secure" in cookie_of(over_https).lower()
    said = {"x-forwarded-proto": "https"}
    untrusted = client_from(app, "10.6.0.1").get("/login", headers=said)
    assert "secure" not in cookie_of(untrusted).lower()
    trusting = create_app(archive.settings.model_copy(
        update={"web_trusted_proxies": ["10.6.0.1"]}), archive.backends)
    behind_proxy = client_from(trusting, "10.6.0.1").get("/login", headers=said)
    assert "secure" in cookie_of(behind_proxy).lower()


@pytest.fixture
def served(archive: Archive, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``docket serve`` on all interfaces over the archive, as an operator starts it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DOCKET_DATA_DIR": str(archive.settings.data_dir)}
    env.pop("DOCKET_WEB_SECRET_KEY", None)  # workers must agree on a key of their own
    # Several worker processes: guesses and sessions land on any of them.
    command = [str(DOCKET), "--lang", "en", "serve", "--host", "0.0.0.0", "--port", str(port),
               "--workers", "3"]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/login", timeout=2)
            break
        except httpx.TransportError:
            time.sleep(0.2)
    yield url, process
    process.terminate()
    process.wait(10)


def test_docket_serve_counts_guesses_by_socket_and_warns_without_tls(
    served: tuple[str, subprocess.Popen[str]], archive: Archive
) -> None:
    url, process = served
    archive.accounts.add_user("throttle-serve", PASSWORD, Role.ARCHIVIST)
    codes = []
    with httpx.Client(base_url=url) as client:
        for i in range(12):
            token = CSRF.search(client.get("/login").text).group(1)
            codes.append(client.post("/login", headers={"x-forwarded-for": f"192.0.2.{i}"},
                                     data={"username": "throttle-serve", "password": "sai",
                                           "csrf_token": token}).status_code)
    assert codes == [401] * 5 + [429] * 7
    process.terminate()
    _, errors = process.communicate(timeout=10)
    assert "without TLS" in errors and "docs/reverse-proxy.md" in errors


def test_guesses_sent_at_once_to_docket_serve_stop_at_the_limit(
    served: tuple[str, subprocess.Popen[str]], archive: Archive
) -> None:
    url, _ = served
    archive.accounts.add_user("throttle-burst", PASSWORD, Role.ARCHIVIST)
    with httpx.Client(base_url=url, timeout=60) as client:
        token = CSRF.search(client.get("/login").text).group(1)
        form = {"username": "throttle-burst", "password": "sai", "csrf_token": token}
        with ThreadPoolExecutor(max_workers=20) as pool:
            codes = list(pool.map(lambda _: client.post("/login", data=form).status_code,
                                  range(20)))
    assert sorted(codes) == [401] * 5 + [429] * 15


def test_a_session_holds_on_every_worker_of_docket_serve(
    served: tuple[str, subprocess.Popen[str]], archive: Archive
) -> None:
    url, _ = served
    archive.accounts.add_user("many-workers", PASSWORD, Role.ARCHIVIST)
    with httpx.Client(base_url=url, timeout=60) as client:
        token = CSRF.search(client.get("/login").text).group(1)
        signed_in = client.post("/login", data={"username": "many-workers",
                                                "password": PASSWORD, "csrf_token": token})
        assert signed_in.status_code in (200, 303)
        # Sent at once, the requests are answered by different processes.
        with ThreadPoolExecutor(max_workers=12) as pool:
            answers = list(pool.map(lambda _: client.get("/?q=lụt", follow_redirects=False),
                                    range(36)))
    assert [a.status_code for a in answers] == [200] * 36
