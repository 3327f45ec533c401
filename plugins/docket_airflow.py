"""What every Docket task shares: settings, backends, and how errors become retries.

DAG files import this module at top level for the asset and default
arguments, so it imports nothing heavy itself: Docket's libraries are imported
inside the functions, which run only in a task.

``docket_errors`` is the one place where Docket's errors turn into Airflow's
retry behaviour (through ``kernel.errors.is_retryable``): a transient error
(store, register or index down) is raised as it is, so Airflow retries it with
exponential backoff; anything that a retry cannot fix fails the task at once
with ``AirflowFailException``.  A permanent error about one *file* never
reaches here: the pipeline has already quarantined that file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airflow.exceptions import AirflowFailException
from airflow.sdk import Asset, AssetAlias

if TYPE_CHECKING:
    from ingest.backends import Backends
    from kernel.settings import Settings

# Published by docket_ingest when documents were added; docket_index listens.
ARCHIVE = Asset(name="docket_archive", uri="docket://archive")
# docket_ingest's ``finish`` announces ARCHIVE through this alias, and only when
# documents were added: an asset named as a task's outlet is announced on every
# success, and a skipped task would not run the decision to run again.
ARCHIVE_ADDED = AssetAlias(name="docket_archive_added")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TAGS_BASE = ["docket"]
START_DATE = datetime(2024, 1, 1, tzinfo=UTC)
# What the sandbox's fork server imports for its workers (the library names the modules).
SANDBOX_PRELOAD = ("ingest.preload",)

# Retries are for transient failures (a server down); AirflowFailException
# skips them.  The backoff doubles from one minute up to half an hour.
DEFAULT_ARGS: dict[str, Any] = {
    "owner": "docket",
    "retries": 4,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
}


def dag_defaults(*tags: str, retries: int | None = None) -> dict[str, Any]:
    """The ``@dag`` arguments every Docket DAG shares; a DAG adds its id, schedule and doc.

    Tagged ``docket`` and ``tags``; one run at a time, no catch-up of missed
    runs; ``DEFAULT_ARGS`` for its tasks, with ``retries`` where it differs.
    """
    default_args = DEFAULT_ARGS if retries is None else {**DEFAULT_ARGS, "retries": retries}
    return {"start_date": START_DATE, "catchup": False, "max_active_runs": 1,
            "default_args": default_args, "tags": [*TAGS_BASE, *tags]}


def task_settings() -> Settings:
    """Docket's settings for a task: ``$DOCKET_CONFIG``, else the project's config file.

    ``DOCKET_*`` variables override the file, as on the command line.
    """
    from kernel.settings import CONFIG_ENV, load_settings

    if os.environ.get(CONFIG_ENV):
        return load_settings(Path(os.environ[CONFIG_ENV]))
    config = PROJECT_ROOT / "config" / "docket.toml"
    return load_settings(config if config.is_file() else None)


def start_sandbox_server() -> None:
    """Start the sandbox's fork server with Docket's analysis, not Airflow's command.

    multiprocessing's fork server imports the parent's ``__main__`` before it
    forks a worker; in a task that is the ``airflow`` command, i.e. all of
    Airflow (seconds, and Airflow's memory inside every worker's address-space
    limit).  Each ``process`` task (a lane) is a process of its own and starts
    its own server, which imports what the workers need (``ingest.preload``,
    as ``docket ingest`` does) once, and the workers of every chunk fork with
    it loaded.  It is started first thing in the task, before the task imports
    the pipeline and opens its backends, so the server's imports (~0.45 s of
    CPU) can run on another core meanwhile; with two lanes starting at once on
    two cores it measured no faster than after them (docs/airflow.md).
    """
    from ingest.sandbox import start_fork_server

    allow_sandbox_children()
    start_fork_server(SANDBOX_PRELOAD)


def allow_sandbox_children() -> None:
    """Let a task on a Celery worker start the sandbox's worker processes.

    Celery's prefork pool runs tasks in pool processes that billiard (Celery's
    fork of ``multiprocessing``) registers as the standard library's current
    process: daemonic, with billiard's own authentication key.  Airflow's task
    process is forked from one and inherits both, so ``multiprocessing``
    refuses it children ("daemonic processes are not allowed to have
    children") and cannot hand its key to a forkserver child ("Pickling an
    AuthenticationString object is disallowed"): every batch failed at its
    first file on the CeleryExecutor (found by tests/stack/test_celery_stack.py).
    The task process is no pool process: its supervisor waits for it and the
    sandbox stops its own workers.  So its process record loses the daemon
    flag and gets its key as the standard library's type (``multiprocessing``
    has no public call for either; a new process copies both from this
    record).  Elsewhere (LocalExecutor, ``dags test``) nothing changes.
    """
    from multiprocessing import process

    current = process.current_process()
    if isinstance(current, process.BaseProcess) and not current.daemon:
        return
    config = current._config  # type: ignore[attr-defined]
    config.pop("daemon", None)
    config["authkey"] = process.AuthenticationString(bytes(current.authkey))  # type: ignore[attr-defined]


@contextmanager
def docket_errors() -> Iterator[None]:
    """Map Docket's errors to Airflow's: transient ones retry, the rest fail at once."""
    from kernel.errors import DocketError, is_retryable

    try:
        yield
    except Exception as exc:
        if is_retryable(exc):
            raise
        message = exc.message if isinstance(exc, DocketError) else f"{type(exc).__name__}: {exc}"
        raise AirflowFailException(message) from exc


@contextmanager
def task_backends(settings: Settings) -> Iterator[Backends]:
    """The store and index from the Airflow connections (or settings), the register.

    The index is opened on first use (``ingest.backends.DeferredIndex``): an
    index that is down does not stop the ingest, which archives and registers
    anyway and leaves the documents waiting for ``docket_index``; a task that
    needs the index gets ``IndexUnavailable`` from its first call and is retried.
    """
    from docket_hooks import DocketIndexHook, DocketStoreHook

    from ingest.backends import DeferredIndex, open_backends

    store = DocketStoreHook(settings).get_conn()
    index = DeferredIndex(DocketIndexHook(settings).get_conn)
    with open_backends(settings, store=store, index=index) as backends:
        yield backends


def lanes_for(settings: Settings) -> int | None:
    """The lanes a claim may start: ``ingest_lanes`` when set; else, on the
    CeleryExecutor, the process slots of the workers that answer (asked at each
    claim, so a worker added or gone counts from the next run); else None, the
    library's default."""
    if settings.ingest_lanes:
        return settings.ingest_lanes
    from airflow.configuration import conf

    if "celery" not in conf.get("core", "executor", fallback="").lower():
        return None
    try:
        from airflow.providers.celery.executors.celery_executor_utils import app

        stats = app.control.inspect(timeout=2.0).stats() or {}
    except Exception as exc:  # the broker unreachable: the claim still runs
        print(f"Celery workers did not say their slots ({exc}); default lanes")
        return None
    slots = sum(int(worker.get("pool", {}).get("max-concurrency", 0))
                for worker in stats.values())
    print(f"Celery workers: {len(stats)} answering with {slots} process slots")
    return slots or None


def run_ingest_lane(lane: int) -> dict[str, int]:
    """One lane of ``docket_ingest``: its folder leased, the lease renewed by a
    heartbeat while it works; its counts by outcome."""
    start_sandbox_server()  # before the imports below: see its docstring
    from ingest.lanes import LANE_LEASE_SECONDS
    from ingest.pipeline import run_lane

    with docket_errors():
        settings = task_settings()
        with task_backends(settings) as backends:
            report = run_lane(settings, backends, lease_seconds=LANE_LEASE_SECONDS)
    print(f"lane {lane}: {report.summary()}")
    if report.index.unavailable:
        print(f"search index unavailable, docket_index will catch up: "
              f"{report.index.unavailable}")
    return report.summary()


def finish_ingest(summaries: Sequence[dict[str, int]] | None, lanes: Sequence[int] | None,
                  outlet_events: Any) -> bool:
    """After the lanes, whatever became of them: the archive asset announced when
    documents were added (a lane that failed does not hide what the others
    archived); True (run again at once) when files are left in the pool.

    ``summaries``: what the lanes that succeeded returned; ``lanes``: what the
    claim started (None if it failed); ``outlet_events``: the task's, where the
    event is added through ``ARCHIVE_ADDED``.  When every lane reported, the
    pool they left is the smallest count they saw at their end (only a claim
    adds to it); otherwise (a failed lane gave its chunks back) it is counted.
    """
    # One request for all the lanes' values (iterating Airflow's lazy sequence asks per lane).
    reported = list(summaries[:]) if summaries is not None else []
    added = sum(summary.get("archived", 0) for summary in reported)
    if added:
        outlet_events[ARCHIVE_ADDED].add(ARCHIVE, extra={"added": added})
    print(f"{added} documents added" + (f": {ARCHIVE.uri} announced" if added else ""))
    if lanes is None or len(reported) < len(lanes):
        return files_left_in_pool() > 0
    left = min((summary.get("left_for_next_run", 0) for summary in reported), default=0)
    print(f"{left} files left in the pool" + (": the next run starts now" if left else ""))
    return left > 0


def files_left_in_pool() -> int:
    """The claimed files no lane has taken yet (lanes whose time ran out left them)."""
    from ingest.inbox import WORK_DIR
    from ingest.lanes import pooled_files

    left = pooled_files(task_settings().inbox_location / WORK_DIR)
    print(f"{left} files left in the pool" + (": the next run starts now" if left else ""))
    return left
