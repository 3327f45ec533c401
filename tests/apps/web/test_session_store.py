"""Session records and the login throttle on SQLite and on a real PostgreSQL.

The clock is the seam: the store and the throttle take it as an argument, as
production takes ``time.time`` and ``time.monotonic``, so hours pass in a test
without sleeping.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from apps.web.accounts import Accounts, Role
from apps.web.sessions import LoginThrottle, Session, SessionStore
from tests.ingest.register.postgres_server import PostgresServer, running_postgres

PASSWORD = "mật-khẩu-đủ-dài"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.slow),
]


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with running_postgres() as server:
        yield server


@pytest.fixture(params=BACKENDS)
def accounts(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Accounts]:
    if request.param == "sqlite":
        opened = Accounts.open(f"sqlite:///{tmp_path / 'register.sqlite'}")
        yield opened
        opened.close()
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    with server.database() as url:
        opened = Accounts.open(url)
        yield opened
        opened.close()


def store(accounts: Accounts, clock: Clock) -> SessionStore:
    return SessionStore(accounts, idle_seconds=30 * 60, max_seconds=8 * 3600, clock=clock)


def cookie_of(session: Session) -> Session:
    """What the next request brings back: the id and token, not the user name."""
    return Session(csrf=session.csrf, sid=session.sid)


def test_a_session_lives_while_used_until_the_absolute_limit(accounts: Accounts) -> None:
    clock = Clock()
    sessions = store(accounts, clock)
    accounts.add_user("anna", PASSWORD, Role.ARCHIVIST)
    begun = sessions.begin("anna")
    for _ in range(16):  # used every 29 minutes: 7 h 44 min in all
        clock.now += 29 * 60
        live = sessions.resolve(cookie_of(begun))
        assert live is not None and live.username == "anna" and live.csrf == begun.csrf
    clock.now += 29 * 60  # past 8 h since sign-in
    assert sessions.resolve(cookie_of(begun)) is None


def test_an_unused_session_ends_after_the_idle_limit(accounts: Accounts) -> None:
    clock = Clock()
    sessions = store(accounts, clock)
    accounts.add_user("binh", PASSWORD, Role.ARCHIVIST)
    begun = sessions.begin("binh")
    clock.now += 31 * 60
    assert sessions.resolve(cookie_of(begun)) is None
    clock.now -= 31 * 60  # the row is gone, not merely judged old
    assert sessions.resolve(cookie_of(begun)) is None


@pytest.mark.parametrize("change", ["password", "role", "disable", "end_all"])
def test_account_changes_end_every_session_of_that_user_only(accounts: Accounts,
                                                             change: str) -> None:
    clock = Clock()
    sessions = store(accounts, clock)
    accounts.add_user("chi", PASSWORD, Role.OFFICER, 2)
    accounts.add_user("dung", PASSWORD, Role.ARCHIVIST)
    mine = [sessions.begin("chi") for _ in range(3)]
    theirs = sessions.begin("dung")
    if change == "password":
        accounts.set_password("chi", "mật khẩu mới tinh")
    elif change == "role":
        accounts.set_role("chi", Role.OFFICER, 1)
    elif change == "disable":
        accounts.disable("chi")
    else:
        sessions.end_all("chi")
    assert all(sessions.resolve(cookie_of(s)) is None for s in mine)
    assert sessions.resolve(cookie_of(theirs)) is not None


def test_a_new_sign_in_sweeps_out_sessions_that_are_over(accounts: Accounts) -> None:
    clock = Clock()
    sessions = store(accounts, clock)
    accounts.add_user("em", PASSWORD, Role.ARCHIVIST)
    old = sessions.begin("em")
    clock.now += 9 * 3600
    sessions.begin("em")
    clock.now -= 9 * 3600
    assert sessions.resolve(cookie_of(old)) is None


def test_an_unknown_or_anonymous_cookie(accounts: Accounts) -> None:
    sessions = store(accounts, Clock())
    anonymous = Session(csrf="token")
    assert sessions.resolve(anonymous) is anonymous
    assert sessions.resolve(Session(csrf="token", sid="never-issued")) is None
    assert sessions.resolve(None) is None


def test_the_throttle_counts_per_account_and_per_address(accounts: Accounts) -> None:
    clock = Clock()
    throttle = LoginThrottle(accounts, account_limit=3, address_limit=5, window=600, clock=clock)
    for i in range(3):
        assert throttle.claim("giang", f"10.0.0.{i}") == (0, "")
        clock.now += 10
    # Failures at 0, 10 and 20 s; now 30 s: the first leaves the window at 600 s.
    assert throttle.claim("giang", "10.9.9.9") == (570, "account")
    clock.now += 570
    assert throttle.claim("giang", "10.9.9.9") == (0, "")
    for i in range(5):
        throttle.claim(f"user-{i}", "10.1.1.1")
    assert throttle.claim("someone-else", "10.1.1.1") == (600, "address")


def test_a_success_frees_the_account_not_the_address(accounts: Accounts) -> None:
    throttle = LoginThrottle(accounts, account_limit=3, address_limit=4, window=600, clock=Clock())
    for name in ("a1", "a2", "hoa", "hoa"):
        assert throttle.claim(name, "10.2.2.2") == (0, "")
    throttle.succeeded("hoa", "10.2.2.2")  # the last claim was right
    assert throttle.claim("hoa", "10.3.3.3") == (0, "")  # the account starts again
    assert throttle.claim("a3", "10.2.2.2") == (0, "")  # 3 failures + this one: the 4th
    assert throttle.claim("a4", "10.2.2.2")[1] == "address"


def test_guesses_sent_at_once_are_counted_before_any_is_checked(accounts: Accounts) -> None:
    throttle = LoginThrottle(accounts, account_limit=5, address_limit=100, window=600,
                             clock=Clock())
    allowed = [throttle.claim("khanh", f"10.4.0.{i}")[0] == 0 for i in range(40)]
    assert allowed.count(True) == 5


def test_two_app_processes_share_one_throttle(accounts: Accounts) -> None:
    """Two workers of ``docket serve`` each open the accounts database: one count."""
    url = accounts.engine.url.render_as_string(hide_password=False)
    other = Accounts.open(url)  # another worker's own engine and connections
    try:
        clock = Clock()
        first = LoginThrottle(accounts, account_limit=4, address_limit=100, window=600,
                              clock=clock)
        second = LoginThrottle(other, account_limit=4, address_limit=100, window=600,
                               clock=clock)
        for i in range(4):
            worker = (first, second)[i % 2]
            assert worker.claim("minh", f"10.6.0.{i}") == (0, "")
        assert first.claim("minh", "10.6.1.1") == (600, "account")
        assert second.claim("minh", "10.6.1.2") == (600, "account")
        second.succeeded("minh", "10.6.0.3")  # the right password, on the other worker
        assert first.claim("minh", "10.6.1.3") == (0, "")
    finally:
        other.close()


def test_guesses_sent_at_once_to_two_workers_stop_at_the_limit(accounts: Accounts) -> None:
    from concurrent.futures import ThreadPoolExecutor

    url = accounts.engine.url.render_as_string(hide_password=False)
    others = [Accounts.open(url) for _ in range(3)]
    try:
        throttles = [LoginThrottle(a, account_limit=5, address_limit=100, window=600)
                     for a in (accounts, *others)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda i: throttles[i % 4].claim("lan", f"10.7.0.{i}"),
                                    range(40)))
        assert sum(wait == 0 for wait, _ in answers) == 5
    finally:
        for other in others:
            other.close()
