"""A task process forked from a Celery pool process can start the sandbox's workers.

Celery's prefork pool (billiard) registers its pool processes as the standard
library's current process, daemonic and with billiard's authentication key;
Airflow's supervisor forks the task process from one.  Here the same happens
for real: a billiard pool process forks, and the child starts a forkserver
``multiprocessing`` process, as Docket's sandbox does.  The whole stack, with
real Celery workers, is tests/stack/test_celery_stack.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
billiard = pytest.importorskip("billiard", reason="billiard comes with the celery provider")


def _forget_inherited_forkserver() -> None:
    """Start from a task process's state: no forkserver of this test run's own.

    When an earlier test of the same pytest process ingested (its sandbox
    started a forkserver), a forked child inherits that server's address but is
    not its parent, and its processes fail with ChildProcessError.  A Celery
    pool process has no forkserver, so neither has the task forked from it.
    """
    from multiprocessing import forkserver

    server = forkserver._forkserver  # noqa: SLF001 - the module's one instance
    server._forkserver_address = None  # noqa: SLF001
    server._forkserver_alive_fd = None  # noqa: SLF001
    server._forkserver_pid = None  # noqa: SLF001


def _child_outcome(allow: bool) -> str:
    """In a forked child of this process: start a forkserver process; what happened."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the task process, as Airflow's supervisor forks it
        os.close(read)
        try:
            import multiprocessing

            _forget_inherited_forkserver()
            sys.path.insert(0, str(PLUGINS))
            if allow:
                from docket_airflow import allow_sandbox_children

                allow_sandbox_children()
            child = multiprocessing.get_context("forkserver").Process(target=int)
            child.start()
            child.join()
            outcome = f"exit {child.exitcode}"
        except BaseException as exc:  # reported to the parent, whatever it is
            outcome = f"{type(exc).__name__}: {exc}"
        os.write(write, outcome.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        outcome = pipe.read().decode()
    os.waitpid(pid, 0)
    return outcome


def _in_pool_process(allow: bool) -> str:
    with billiard.Pool(1) as pool:
        return str(pool.apply(_child_outcome, (allow,)))


def test_a_task_forked_from_a_celery_pool_process_starts_sandbox_workers() -> None:
    assert _in_pool_process(allow=True) == "exit 0"


def test_without_it_multiprocessing_refuses_the_children() -> None:
    # Why the call exists: this is what every ingest batch on a Celery worker hit.
    assert "daemonic processes are not allowed to have children" in _in_pool_process(allow=False)
