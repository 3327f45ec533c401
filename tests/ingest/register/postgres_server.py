"""A real PostgreSQL server for tests, started with ``initdb`` and ``pg_ctl``.

The cluster lives in a fresh temporary folder and listens only on a unix
socket in that folder, so parallel runs cannot clash.  PostgreSQL refuses to
run as root: when the tests run as root the folder is handed to ``nobody`` and
the programs run through ``runuser``.  The binaries come from PATH or from
Debian's ``/usr/lib/postgresql/<version>/bin`` (apt package ``postgresql``).

Nothing here skips: if the server cannot start, the error says why.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

SUPERUSER = "docket"
_UNPRIVILEGED = "nobody"


def postgres_bin(name: str) -> str:
    """The path of PostgreSQL program ``name`` (``initdb``, ``pg_ctl``)."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if versions:
        return str(versions[-1])
    raise RuntimeError(
        f"PostgreSQL program {name!r} not found on PATH or in /usr/lib/postgresql/*/bin; "
        "install it with: apt-get install -y postgresql"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class PostgresServer:
    """A running cluster: the socket folder and port to reach it."""

    socket_dir: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return (
            f"postgresql+psycopg://{SUPERUSER}@/{database}"
            f"?host={self.socket_dir}&port={self.port}"
        )

    @contextmanager
    def database(self) -> Iterator[str]:
        """A new empty database for one test; yields its URL, drops it afterwards."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            yield self.url(name)
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            admin.dispose()


def _run(command: list[str], as_user: list[str]) -> None:
    result = subprocess.run(as_user + command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )


@contextmanager
def running_postgres(base: Path | None = None) -> Iterator[PostgresServer]:
    """Start a throwaway PostgreSQL cluster; stop it and delete its files on exit.

    ``base`` is the (new, empty) folder to keep it in; a temporary one by default.
    """
    initdb, pg_ctl = postgres_bin("initdb"), postgres_bin("pg_ctl")
    if base is None:
        base = Path(tempfile.mkdtemp(prefix="docket-pg-"))
    else:
        base.mkdir(parents=True)
    as_user: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam(_UNPRIVILEGED)
        os.chown(base, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", _UNPRIVILEGED, "--"]
    data, log, port = base / "data", base / "server.log", _free_port()
    started = False
    try:
        _run(
            [initdb, "-D", str(data), "-U", SUPERUSER, "-A", "trust"]
            + ["-E", "UTF8", "--no-locale", "--no-sync"],
            as_user,
        )
        # Socket only, no TCP; fsync off: durability is not what these tests test.
        options = f"-p {port} -k {base} -c listen_addresses='' -c fsync=off"
        try:
            start = [pg_ctl, "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", options]
            _run([*start, "start"], as_user)
        except RuntimeError as exc:
            server_log = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"{exc}\nserver log:\n{server_log}") from exc
        started = True
        yield PostgresServer(socket_dir=base, port=port)
    finally:
        if started:
            _run([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], as_user)
        shutil.rmtree(base, ignore_errors=True)
