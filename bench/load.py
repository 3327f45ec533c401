"""Many archivists at once against ``docket serve``, on this machine only.

    .venv/bin/python bench/load.py --docs 500 --users 50 --requests 20
    .venv/bin/python bench/load.py --docs 100000 --workers 2

Builds an archive in a temporary folder (a user per simulated archivist, an
index of N synthetic documents from ``bench/search.py``), starts
``docket serve --workers W`` on a loopback port, signs every user in, then has
each send its requests one after another, as fast as answered: the search API,
the search page and the home page (the first page: no query, the filter
panel) in turn.  Prints p50/p95/max latency per kind and overall, errors,
requests per second, the load generator's own CPU (it shares the machine
with the server: its share is taken from the server's) and the server's CPU
per request (all its worker processes: the figure a loaded machine changes least).

Bounded: at most 200 users x 100 requests, a time limit (``--seconds``),
loopback only.  Nothing is written inside the repository.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

_ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _ROOT / "bench"]
sys.path.insert(0, str(_ROOT))

import httpx  # noqa: E402

MAX_USERS, MAX_REQUESTS = 200, 100
PASSWORD = "mật-khẩu-thử-tải-1"
WORDS = ["lũ", "viên chức", "ngân sách", "sạt", "tham nhũng", "giải ngân", "hạn hán"]


def _bench_search() -> ModuleType:
    """``bench/search.py`` (its synthetic documents), loaded by path: ``search`` is the package."""
    spec = importlib.util.spec_from_file_location("bench_search", _ROOT / "bench" / "search.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_archive(data_dir: Path, docs: int, users: int) -> None:
    """Users and an index of ``docs`` synthetic documents under ``data_dir``."""
    from apps.web.accounts import Accounts, Role
    from kernel.settings import load_settings
    from search.sqlite_index import SqliteIndex

    settings = load_settings(None, data_dir=data_dir)
    accounts = Accounts.open(settings.register_location)
    for n in range(users):
        # Most staff see open documents only; a few are cleared officers.
        role = Role.OFFICER if n % 5 == 0 else Role.ARCHIVIST
        accounts.add_user(f"archivist{n:03d}", PASSWORD, role, clearance=2 if n % 5 == 0 else 0)
    accounts.close()
    index = SqliteIndex(settings.index_location)
    bench = _bench_search()
    bench.index_all(index, docs)
    index.optimize()
    index.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(data_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    docket = Path(sys.executable).with_name("docket")
    env = {**os.environ, "DOCKET_DATA_DIR": str(data_dir), "DOCKET_WEB_SECRET_KEY": "bench-load"}
    command = [str(docket), "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers)]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("docket serve did not answer within 120 s")


def sign_in(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/login", data={"username": username, "password": PASSWORD,
                                         "csrf_token": token})  # fmt: skip
    if answer.status_code != 303 or answer.headers.get("location", "").startswith("/login"):
        raise SystemExit(f"cannot sign {username} in: {answer.status_code}")
    return client


def requests_of(n: int) -> list[tuple[str, str]]:
    """A user's ``n`` requests: search API, search page, home page, in turn."""
    kinds = []
    for i in range(n):
        word = WORDS[i % len(WORDS)]
        kinds.append(
            [("search API", f"/api/search?q={word}"), ("search page", f"/?q={word}"),
             ("home page", "/")][i % 3]  # fmt: skip
        )
    return kinds


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) of process ``pid`` and its children still running."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def run_load(url: str, users: int, requests: int, seconds: float, server_pid: int) -> None:
    clients = [sign_in(url, f"archivist{n:03d}") for n in range(users)]
    timings: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    start_gate = threading.Barrier(users)

    def user(client: httpx.Client) -> None:
        start_gate.wait()
        for kind, path in requests_of(requests):
            if time.monotonic() > deadline:
                with lock:
                    errors.append("time limit")
                return
            began = time.perf_counter()
            try:
                answer = client.get(path)
                ok = answer.status_code == 200
                problem = f"{kind}: HTTP {answer.status_code}"
            except httpx.HTTPError as error:
                ok, problem = False, f"{kind}: {error!r}"
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                timings.setdefault(kind, []).append(elapsed)
                if not ok:
                    errors.append(problem)

    served_before = server_cpu(server_pid)
    cpu_before, began = time.process_time(), time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        list(pool.map(user, clients))
    wall = time.perf_counter() - began
    cpu = time.process_time() - cpu_before
    served = server_cpu(server_pid) - served_before
    for client in clients:
        client.close()
    every = [t for values in timings.values() for t in values]
    print(f"{'requests':14} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in [*sorted(timings.items()), ("all", every)]:
        print(f"{kind:14} {len(values):6} {statistics.median(values):8.0f}"
              f" {_p95(values):8.0f} {max(values):8.0f}")  # fmt: skip
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"throughput: {len(every) / wall:,.1f} requests/s over {wall:,.1f} s")
    print(f"load generator CPU: {cpu:,.1f} s = {cpu / wall:.0%} of one core")
    print(f"server CPU: {served:,.1f} s = {served * 1000 / max(1, len(every)):,.1f} ms"
          " a request")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="per user")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seconds", type=float, default=300, help="time limit of the load")
    parser.add_argument("--keep", type=Path, help="archive folder to create or reuse")
    args = parser.parse_args()
    if not (0 < args.users <= MAX_USERS and 0 < args.requests <= MAX_REQUESTS):
        raise SystemExit(f"at most {MAX_USERS} users x {MAX_REQUESTS} requests")
    bench = _bench_search()
    print(bench.describe_machine())
    print(f"load average before: {bench.load_average()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="docket-load-") as tmp:
        data_dir = args.keep or Path(tmp)
        if not (data_dir / ".bench-load-ready").exists():
            print(f"building an archive of {args.docs:,} documents in {data_dir} ...", flush=True)
            build_archive(data_dir, args.docs, MAX_USERS)
            (data_dir / ".bench-load-ready").write_text(str(args.docs))
        port = free_port()
        server = serve(data_dir, port, args.workers)
        try:
            print(f"docket serve --workers {args.workers} on 127.0.0.1:{port}: {args.users} users"
                  f" x {args.requests} requests", flush=True)  # fmt: skip
            run_load(f"http://127.0.0.1:{port}", args.users, args.requests, args.seconds,
                     server.pid)
        finally:
            server.terminate()
            server.wait(30)
    print(f"load average after: {bench.load_average()}")


if __name__ == "__main__":
    main()
