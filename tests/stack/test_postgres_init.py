"""docker/postgres/initdb/10-create-databases.sh against a real PostgreSQL.

The postgres image runs the script once, as its `postgres` user, with psql
reaching a server on a Unix socket.  Here the same happens against a throwaway
cluster (initdb + pg_ctl from the machine's PostgreSQL), then the roles are
checked by logging in as them over TCP with password authentication.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from tests.stack.stack_files import ROOT

SCRIPT = ROOT / "docker/postgres/initdb/10-create-databases.sh"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("initdb") and shutil.which("pg_ctl") and shutil.which("psql")),
        reason="PostgreSQL server programs (initdb, pg_ctl, psql) not installed",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user() -> list[str]:
    """initdb refuses root: run the server programs as `postgres` when we are root."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no postgres user to run the server")
    return ["runuser", "-u", "postgres", "--"]


class Cluster:
    """A PostgreSQL cluster in a temporary folder, on a Unix socket and 127.0.0.1."""

    def __init__(self, base: Path) -> None:
        self.data = base / "data"
        self.socket_dir = base / "socket"
        self.port = _free_port()
        self.prefix = _as_server_user()

    def run(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.prefix, *args], capture_output=True, text=True, env=env, timeout=120
        )

    def start(self) -> None:
        self.socket_dir.mkdir()
        if self.prefix:
            shutil.chown(self.socket_dir.parent, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        init = self.run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth-local=trust",
            "--auth-host=scram-sha-256", "-E", "UTF8",
        )  # fmt: skip
        assert init.returncode == 0, init.stderr
        options = f"-k {self.socket_dir} -p {self.port} -c listen_addresses=127.0.0.1"
        # -l: the server must not inherit our output pipes, or reading them never ends.
        log = self.socket_dir.parent / "server.log"
        started = self.run(
            "pg_ctl", "-D", str(self.data), "-l", str(log), "-o", options, "-w", "start"
        )
        assert started.returncode == 0, started.stderr

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    # Not under pytest's tmp root: that is private to us, and the server may run
    # as another user.
    base = Path(tempfile.mkdtemp(prefix="docket-pg-"))
    server = Cluster(base)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


def run_script(cluster: Cluster, register_url: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "PGHOST": str(cluster.socket_dir),
        "PGPORT": str(cluster.port),
        "POSTGRES_USER": "postgres",
        "AIRFLOW_DB_USER": "airflow",
        "AIRFLOW_DB_PASSWORD": "airflow-secret",
        "AIRFLOW_DB_NAME": "airflow",
        "DOCKET_REGISTER_URL": register_url,
    }
    return cluster.run("bash", str(SCRIPT), env=env)


def tcp_url(cluster: Cluster, user: str, password: str, database: str) -> str:
    return f"postgresql+psycopg://{user}:{password}@127.0.0.1:{cluster.port}/{database}"


def can_connect(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


def test_creates_separate_databases_each_with_its_owner(cluster: Cluster) -> None:
    url = "postgresql+psycopg://docket:docket-secret@postgres:5432/docket"
    result = run_script(cluster, url)
    assert result.returncode == 0, result.stderr

    docket = tcp_url(cluster, "docket", "docket-secret", "docket")
    airflow = tcp_url(cluster, "airflow", "airflow-secret", "airflow")
    assert can_connect(docket)
    assert can_connect(airflow)
    # Each role reaches its own database only.
    assert not can_connect(tcp_url(cluster, "docket", "docket-secret", "airflow"))
    assert not can_connect(tcp_url(cluster, "airflow", "airflow-secret", "docket"))

    # Docket's register creates its tables itself: the owner may do so.
    engine = create_engine(docket)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE probe (id integer PRIMARY KEY)"))
        owner = connection.execute(
            text("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'docket'")
        ).scalar_one()
        encoding = connection.execute(text("SHOW server_encoding")).scalar_one()
    engine.dispose()
    assert owner == "docket"
    assert encoding == "UTF8"

    # A second run (a restarted container) changes nothing and does not fail.
    again = run_script(cluster, url)
    assert again.returncode == 0, again.stderr


def test_rejects_a_register_url_it_cannot_read(cluster: Cluster) -> None:
    result = run_script(cluster, "sqlite:///var/register.sqlite")
    assert result.returncode != 0
    assert "DOCKET_REGISTER_URL" in result.stderr


def test_refuses_to_share_airflows_database(cluster: Cluster) -> None:
    result = run_script(cluster, "postgresql+psycopg://docket:pw@postgres:5432/airflow")
    assert result.returncode != 0
    assert "separate" in result.stderr
