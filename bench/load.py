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

An existing index (``--index``, e.g. the one ``bench/search.py --docs 1000000
--keep DIR`` left) is copied into the archive folder instead of building one:
the server may write to its own copy, never to the original.

The simulated users are lean on purpose (``--client raw``, the default): one
asyncio loop, one kept-alive HTTP/1.1 connection per user, requests written
and answers read as bytes, each timed from its first byte sent to the last
byte of its answer received.  A real office's clients are other machines;
here every CPU second the generator takes is taken from the server, so it is
kept small and printed.  ``--client httpx`` runs the former generator (one
thread and one ``httpx.Client`` per user) for comparison.

Bounded: at most 200 users x 100 requests, a time limit (``--seconds``),
loopback only.  Nothing is written inside the repository.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from urllib.parse import quote, urlsplit

_ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _ROOT / "bench"]
sys.path.insert(0, str(_ROOT))

import httpx  # noqa: E402

MAX_USERS, MAX_REQUESTS = 200, 100
PASSWORD = "mật-khẩu-thử-tải-1"
_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length: *(\d+)", re.IGNORECASE)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding: *chunked", re.IGNORECASE)
WORDS = ["lũ", "viên chức", "ngân sách", "sạt", "tham nhũng", "giải ngân", "hạn hán"]


def _bench_search() -> ModuleType:
    """``bench/search.py`` (its synthetic documents), loaded by path: ``search`` is the package."""
    spec = importlib.util.spec_from_file_location("bench_search", _ROOT / "bench" / "search.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_archive(data_dir: Path, docs: int, users: int, index_from: Path | None) -> None:
    """Users and an index of ``docs`` synthetic documents under ``data_dir``, or a copy
    of the index ``index_from``."""
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
    if index_from is not None:
        copy_index(index_from, settings.index_location)
        return
    index = SqliteIndex(settings.index_location)
    bench = _bench_search()
    bench.index_all(index, docs)
    index.optimize()
    index.close()


def copy_index(source: Path, target: Path) -> None:
    """A consistent copy of ``source`` (read-only: its write-ahead log included)."""
    began = time.perf_counter()
    reading = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    writing = sqlite3.connect(target)
    try:
        reading.backup(writing, pages=65536)
    finally:
        writing.close()
        reading.close()
    print(f"copied {source} in {time.perf_counter() - began:,.0f} s", flush=True)


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


def requests_of(n: int, user: int = 0, vocabulary: list[str] | None = None
                ) -> list[tuple[str, str]]:
    """A user's ``n`` requests: search API, search page, home page, in turn.

    The searches ask ``WORDS`` in turn (the same few for every user), or, given a
    ``vocabulary``, two of its words chosen by user and request: nearly every
    search then asks what no one asked before (nothing the server keeps helps).
    """
    kinds = []
    for i in range(n):
        if vocabulary is None:
            text = WORDS[i % len(WORDS)]
        else:
            first = (user * 31 + i * 7) % len(vocabulary)
            second = (first + 1 + (user * 17 + i * 3) % (len(vocabulary) - 1)) % len(vocabulary)
            text = f"{vocabulary[first]} {vocabulary[second]}"
        word = quote(text)
        kinds.append(
            [("search API", f"/api/search?q={word}"), ("search page", f"/?q={word}"),
             ("home page", "/")][i % 3]  # fmt: skip
        )
    return kinds


def topic_words() -> list[str]:
    """The words of ``bench/search.py``'s topics, each in many documents."""
    words = {w for topic in _bench_search().TOPICS for w in topic.split() if len(w) > 1}
    return sorted(words - {"và", "số"})


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


class Tally:
    """Latencies by kind of request, and the errors, of every user."""

    def __init__(self) -> None:
        self.timings: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def add(self, kind: str, began: float, problem: str | None) -> None:
        elapsed = (time.perf_counter() - began) * 1000
        with self.lock:
            self.timings.setdefault(kind, []).append(elapsed)
            if problem is not None:
                self.errors.append(problem)


def load_httpx(clients: list[httpx.Client], requests: int, deadline: float,
               tally: Tally, vocabulary: list[str] | None) -> None:
    """The former generator: a thread and an ``httpx.Client`` per user."""
    start_gate = threading.Barrier(len(clients))

    def user(n: int) -> None:
        client = clients[n]
        start_gate.wait()
        for kind, path in requests_of(requests, n, vocabulary):
            if time.monotonic() > deadline:
                tally.errors.append("time limit")
                return
            began = time.perf_counter()
            try:
                status = client.get(path).status_code
                problem = None if status == 200 else f"{kind}: HTTP {status}"
            except httpx.HTTPError as error:
                problem = f"{kind}: {error!r}"
            tally.add(kind, began, problem)

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        list(pool.map(user, range(len(clients))))


async def _read_answer(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 answer to its last byte; its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = _CONTENT_LENGTH.search(head)
    if length is not None:
        await reader.readexactly(int(length.group(1)))
    elif _CHUNKED.search(head):
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")  # no trailers: the blank line ending the body
    return status


async def _raw_user(address: tuple[str, int], cookie: str, asked: list[tuple[str, str]],
                    deadline: float, start: asyncio.Event, tally: Tally) -> None:
    reader, writer = await asyncio.open_connection(*address)
    host = f"{address[0]}:{address[1]}"
    try:
        await start.wait()
        for kind, path in asked:
            if time.monotonic() > deadline:
                tally.errors.append("time limit")
                return
            began = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n"
                         "Accept-Encoding: identity\r\n\r\n".encode("ascii"))
            try:
                status = await _read_answer(reader)
                problem = None if status == 200 else f"{kind}: HTTP {status}"
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                tally.add(kind, began, f"{kind}: {error!r}")
                return
            tally.add(kind, began, problem)
    finally:
        writer.close()


def load_raw(address: tuple[str, int], cookies: list[str], requests: int, deadline: float,
             tally: Tally, vocabulary: list[str] | None) -> None:
    """Every user on one asyncio loop, each on its own kept-alive connection."""

    async def everyone() -> None:
        start = asyncio.Event()
        users = [asyncio.ensure_future(_raw_user(
            address, cookie, requests_of(requests, n, vocabulary), deadline, start, tally))
            for n, cookie in enumerate(cookies)]  # fmt: skip
        await asyncio.sleep(0.5)  # every connection open before the first request
        start.set()
        await asyncio.gather(*users)

    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        runner.run(everyone())


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def run_load(url: str, users: int, requests: int, seconds: float, server_pid: int,
             client: str, vocabulary: list[str] | None) -> None:
    clients = [sign_in(url, f"archivist{n:03d}") for n in range(users)]
    cookies = ["; ".join(f"{k}={v}" for k, v in c.cookies.items()) for c in clients]
    print(f"{users} users signed in: load starts", flush=True)
    if client == "raw":
        for each in clients:
            each.close()
    tally = Tally()
    deadline = time.monotonic() + seconds
    served_before = server_cpu(server_pid)
    cpu_before, began = time.process_time(), time.perf_counter()
    if client == "raw":
        parts = urlsplit(url)
        load_raw((parts.hostname or "127.0.0.1", parts.port or 80), cookies, requests,
                 deadline, tally, vocabulary)
    else:
        load_httpx(clients, requests, deadline, tally, vocabulary)
    wall = time.perf_counter() - began
    cpu = time.process_time() - cpu_before
    served = server_cpu(server_pid) - served_before
    if client != "raw":
        for each in clients:
            each.close()
    report(tally, wall, cpu, served, client)


def report(tally: Tally, wall: float, cpu: float, served: float, client: str) -> None:
    every = [t for values in tally.timings.values() for t in values]
    print(f"{'requests':14} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in [*sorted(tally.timings.items()), ("all", every)]:
        print(f"{kind:14} {len(values):6} {statistics.median(values):8.0f}"
              f" {_p95(values):8.0f} {max(values):8.0f}")  # fmt: skip
    errors = tally.errors
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"throughput: {len(every) / wall:,.1f} requests/s over {wall:,.1f} s")
    print(f"load generator ({client}) CPU: {cpu:,.1f} s = {cpu / wall:.0%} of one core,"
          f" {cpu * 1000 / max(1, len(every)):,.2f} ms a request")
    print(f"server CPU: {served:,.1f} s = {served * 1000 / max(1, len(every)):,.2f} ms"
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
    parser.add_argument("--index", type=Path, help="copy this index file (e.g. one left by"
                        " bench/search.py --keep) instead of building --docs documents")
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw",
                        help="the simulated users: asyncio over raw HTTP/1.1, or httpx threads")
    parser.add_argument("--queries", choices=("same", "distinct"), default="same",
                        help="the same 7 words for every user, or two topic words each time")
    args = parser.parse_args()
    if not (0 < args.users <= MAX_USERS and 0 < args.requests <= MAX_REQUESTS):
        raise SystemExit(f"at most {MAX_USERS} users x {MAX_REQUESTS} requests")
    bench = _bench_search()
    print(bench.describe_machine())
    print(f"load average before: {bench.load_average()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="docket-load-") as tmp:
        data_dir = args.keep or Path(tmp)
        if not (data_dir / ".bench-load-ready").exists():
            source = args.index or f"{args.docs:,} documents"
            print(f"building an archive of {source} in {data_dir} ...", flush=True)
            data_dir.mkdir(parents=True, exist_ok=True)
            build_archive(data_dir, args.docs, MAX_USERS, args.index)
            (data_dir / ".bench-load-ready").write_text(str(source))
        print(f"archive: {(data_dir / '.bench-load-ready').read_text()}", flush=True)
        port = free_port()
        server = serve(data_dir, port, args.workers)
        try:
            print(f"docket serve --workers {args.workers} on 127.0.0.1:{port}: {args.users} users"
                  f" x {args.requests} requests", flush=True)  # fmt: skip
            run_load(f"http://127.0.0.1:{port}", args.users, args.requests, args.seconds,
                     server.pid, args.client,
                     topic_words() if args.queries == "distinct" else None)
        finally:
            server.terminate()
            server.wait(30)
    print(f"load average after: {bench.load_average()}")


if __name__ == "__main__":
    main()
