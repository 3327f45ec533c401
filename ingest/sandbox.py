"""Run the per-file analysis in worker processes under time and memory limits.

One bad file must not stall or crash a run: an endless PDF, a decompression
bomb or a crashing native library ends in quarantine with a reason code.
A worker that dies without answering (a crash, or a SIGKILL from outside: an
operator, the machine's out-of-memory killer) may not be the file's fault:
the file is tried once more in a fresh worker before it is quarantined.  The
per-file memory limit is an address-space limit, which never kills: it shows
as a ``MemoryError`` (``too_large``), never as a death.
Each worker is a long-lived process (fast for born-digital files) in its own
process group with an address-space limit; a worker that overruns its time is
killed with its whole group (Tesseract children included) and replaced.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Generic, TypeVar

from ingest.scratch import remove_abandoned, use_scratch_folder
from kernel.errors import ConfigError, DocketError, PermanentError, QuarantineReason

# Tasks in flight per worker: the one it runs and one queued behind it.
TASKS_PER_WORKER = 2
# Times a task is run in all when its worker dies under it.
ATTEMPTS_AFTER_DEATH = 2

T = TypeVar("T")  # the task
R = TypeVar("R")  # its result


@dataclass(frozen=True)
class Failure:
    """Why a task produced no result."""

    reason: QuarantineReason
    message: str
    transient: bool = False  # the environment failed (e.g. a server): retry, don't quarantine
    config: bool = False  # the installation is wrong (e.g. missing OCR language data)
    died: bool = False  # the worker died under the task: worth one more try in a fresh one


@dataclass(frozen=True)
class SandboxLimits:
    timeout_seconds: float
    memory_mb: int
    workers: int
    # Where workers put their temporary files, each in a locked folder of its own
    # (``ingest.scratch``); the sandbox removes those of dead workers.  None: /tmp.
    scratch_dir: Path | None = None


def _worker_main(
    conn: Connection, func: Callable[[Any], Any], memory_mb: int, scratch_dir: Path | None
) -> None:  # pragma: no cover - runs in the child
    os.setsid()  # own process group, so a kill reaches Tesseract children too
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    if scratch_dir is not None:
        use_scratch_folder(scratch_dir)
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            conn.send(("ok", func(task)))
        except PermanentError as exc:
            conn.send(("failed", Failure(exc.reason, exc.message)))
        except DocketError as exc:  # not about the file: the run must stop, not quarantine
            conn.send(("failed", Failure(QuarantineReason.CRASHED, exc.message, transient=True,
                                         config=isinstance(exc, ConfigError))))
        except MemoryError:
            conn.send(("failed", Failure(QuarantineReason.TOO_LARGE,
                                         f"needs more than the {memory_mb} MiB memory limit")))
        except Exception as exc:  # noqa: BLE001 - every other error is reported, not raised
            transient = bool(getattr(exc, "transient", False))
            detail = "".join(traceback.format_exception_only(exc)).strip()
            conn.send(("failed", Failure(QuarantineReason.CORRUPT, detail, transient)))


def start_fork_server(modules: tuple[str, ...]) -> None:
    """Start the fork server the sandbox's workers are forked from, importing ``modules``.

    It starts on its own the first time a ``Sandbox`` starts a worker; started
    first thing instead (``docket ingest`` does), it imports what the workers
    need while the caller imports and claims, on another core.  Does nothing
    if it runs already; the preload of a later ``Sandbox`` is then not used.
    """
    from multiprocessing import forkserver

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(modules))
    with _main_script_hidden(start_fork_server):
        forkserver.ensure_running()


@contextlib.contextmanager
def _main_script_hidden(func: Callable[..., Any]) -> Iterator[None]:
    """Start a worker that does not re-run the parent's main script.

    multiprocessing has every new process run the parent's ``__main__`` file
    (so that functions defined there can be unpickled).  In an Airflow task that
    file is the ``airflow`` command: every worker imported and initialised all
    of Airflow, 5-10 s of CPU each (measured in ``bench/airflow.py``).  A
    function of an importable module needs none of it; one defined in
    ``__main__`` keeps the default.
    """
    main = sys.modules.get("__main__")
    if main is None or func.__module__ == "__main__":
        yield
        return
    # multiprocessing names the main module by its spec (``python -m airflow``)
    # or else by its file (the ``airflow`` console script): hide both.
    hidden: dict[str, Any] = {name: main.__dict__[name] for name in ("__file__", "__spec__")
              if name in main.__dict__}
    main.__spec__ = None
    main.__dict__.pop("__file__", None)
    try:
        yield
    finally:
        main.__dict__.update(hidden)


class _Worker:
    def __init__(self, ctx: Any, func: Callable[[Any], Any], memory_mb: int,
                 scratch_dir: Path | None) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main,
                                   args=(child, func, memory_mb, scratch_dir), daemon=True)
        with _main_script_hidden(func):
            self.process.start()
        child.close()
        # Sent and not yet answered, oldest first: the worker runs the first.
        self.tasks: deque[tuple[Any, Any]] = deque()
        self.deadline = 0.0  # of the first task

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.conn.send(None)
        self.process.join(2)
        if self.process.is_alive():
            self.kill()


class Sandbox(Generic[T, R]):
    """A pool of limited worker processes running ``func`` on tasks.

    ``func`` must be a module-level function (it is sent to the workers).  Tasks
    should be small (a path and limits): up to ``TASKS_PER_WORKER`` are sent ahead.
    """

    def __init__(
        self, func: Callable[[T], R], limits: SandboxLimits, preload: tuple[str, ...] = ()
    ) -> None:
        """``preload``: modules the fork server imports once, so each worker starts warm."""
        self.func = func
        self.limits = limits
        self._ctx = multiprocessing.get_context("forkserver")
        if preload:
            # Replaces the default preload of ``__main__`` (in an Airflow task, all of
            # Airflow); only takes effect if the fork server is not running yet.
            self._ctx.set_forkserver_preload([func.__module__, *preload])
        self._workers: list[_Worker] = []
        if limits.scratch_dir is not None:
            remove_abandoned(limits.scratch_dir)  # what workers of a dead run left

    def __enter__(self) -> Sandbox[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._workers:
            worker.stop()
        self._workers.clear()
        if self.limits.scratch_dir is not None:
            remove_abandoned(self.limits.scratch_dir)  # killed workers' and our own

    def run(self, tasks: Iterable[tuple[Any, T]]) -> Iterator[tuple[Any, R | Failure]]:
        """Yield ``(key, result or Failure)`` for every ``(key, task)``, as they finish."""
        pending = deque(tasks)
        busy: dict[Connection, _Worker] = {}
        deaths: dict[int, int] = {}  # id(task) -> workers that died running it
        while pending or busy:
            # Hand out work before yielding, so the workers keep going while the
            # caller archives the results it was given.
            self._dispatch(pending, busy)
            timeout = max(0.0, min(w.deadline for w in busy.values()) - time.monotonic())
            ready = wait(list(busy) + [w.process.sentinel for w in busy.values()], timeout)
            finished: list[tuple[Any, R | Failure]] = []
            for worker in list(busy.values()):
                outcome = self._collect(worker, ready)
                if outcome is None:
                    continue
                key, task = worker.tasks.popleft()
                if isinstance(outcome, Failure) and outcome.died:
                    deaths[id(task)] = deaths.get(id(task), 0) + 1
                    if deaths[id(task)] < ATTEMPTS_AFTER_DEATH:
                        pending.appendleft((key, task))  # once more, in a fresh worker
                    else:
                        finished.append((key, _after_deaths(outcome, deaths[id(task)])))
                else:
                    finished.append((key, outcome))
                if worker not in self._workers:
                    # Killed or dead: the tasks queued behind never started.
                    pending.extendleft(reversed(worker.tasks))
                    worker.tasks.clear()
                if worker.tasks:
                    worker.deadline = time.monotonic() + self.limits.timeout_seconds
                else:
                    del busy[worker.conn]
            self._dispatch(pending, busy)
            yield from finished

    def _dispatch(self, pending: deque[tuple[Any, T]], busy: dict[Connection, _Worker]) -> None:
        # Every worker gets a first task, then a second one queued behind it: a
        # worker that finishes goes on at once instead of waiting for the parent,
        # which may be archiving a result (measured: workers idle ~15% without).
        for depth in range(1, TASKS_PER_WORKER + 1):
            while pending:
                worker = self._worker_below(depth)
                if worker is None:
                    break
                key, task = pending.popleft()
                if not worker.tasks:
                    worker.deadline = time.monotonic() + self.limits.timeout_seconds
                worker.tasks.append((key, task))
                try:
                    worker.conn.send(task)
                except OSError:  # it died since it was picked: the task never reached it
                    worker.tasks.pop()
                    pending.appendleft((key, task))
                    if not worker.tasks:  # died idle; one that died busy is left to _collect
                        self._drop(worker)
                    continue
                busy[worker.conn] = worker

    def _worker_below(self, depth: int) -> _Worker | None:
        """A live worker with fewer than ``depth`` tasks, started if the pool has room."""
        for worker in self._workers:
            if len(worker.tasks) < depth and worker.process.is_alive():
                return worker
        if len(self._workers) >= self.limits.workers:
            # A worker that died idle is dropped; one that died busy is left to _collect.
            self._workers = [w for w in self._workers if w.tasks or w.process.is_alive()]
            if len(self._workers) >= self.limits.workers:
                return None
        worker = _Worker(self._ctx, self.func, self.limits.memory_mb, self.limits.scratch_dir)
        self._workers.append(worker)
        return worker

    def _collect(self, worker: _Worker, ready: list[Any]) -> R | Failure | None:
        if worker.conn in ready:
            try:
                _status, payload = worker.conn.recv()
            except (EOFError, OSError):
                return self._replace(worker, self._death_failure(worker))
            return payload  # the result, or a Failure when status is "failed"
        if worker.process.sentinel in ready:
            return self._replace(worker, self._death_failure(worker))
        if time.monotonic() >= worker.deadline:
            return self._replace(worker, Failure(
                QuarantineReason.TIMEOUT,
                f"processing took longer than {self.limits.timeout_seconds:g} s",
            ))
        return None

    def _replace(self, worker: _Worker, failure: Failure) -> Failure:
        self._drop(worker)
        return failure

    def _drop(self, worker: _Worker) -> None:
        worker.kill()
        self._workers.remove(worker)

    def _death_failure(self, worker: _Worker) -> Failure:
        """Why a worker ended without answering; the sandbox's own kills are timeouts."""
        worker.process.join(1)
        code = worker.process.exitcode
        if code is not None and code < 0 and -code == signal.SIGKILL:
            # Not the per-file memory limit (that raises MemoryError): someone
            # outside the sandbox, most often the machine's out-of-memory killer.
            return Failure(QuarantineReason.KILLED,
                           "the worker was killed from outside the sandbox (SIGKILL: an "
                           "operator or the machine's out-of-memory killer)", died=True)
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
            return Failure(QuarantineReason.CRASHED, f"the worker died of signal {name}",
                           died=True)
        return Failure(QuarantineReason.CRASHED, f"the worker died (exit code {code})",
                       died=True)


def _after_deaths(failure: Failure, deaths: int) -> Failure:
    return Failure(failure.reason, f"{failure.message}; {deaths} times, each in a fresh worker",
                   died=True)
