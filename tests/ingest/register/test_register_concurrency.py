"""Several worker processes share one register: numbers stay 1..n, no gap, no repeat.

Workers are real processes (spawned, as Airflow's workers are separate
processes) on SQLite and on PostgreSQL.  A worker that dies inside the
registering transaction must not use up a number either.
"""

from __future__ import annotations

import multiprocessing
import os
from datetime import UTC, datetime
from typing import Any

import pytest

from ingest.register import Register
from ingest.register.engine import open_engine
from tests.ingest.register.records import make_record

AT = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)
PER_WORKER = 100
SHARED = 10  # the same files dropped into both workers' batches
WAIT_SECONDS = 300


def _register_batch(url: str, seeds: list[str], start: Any, results: Any) -> None:
    """Worker process: wait for the start signal, then register ``seeds`` one by one."""
    register = Register(open_engine(url), "Asia/Ho_Chi_Minh")
    register.create_schema()
    start.wait()
    got = []
    for seed in seeds:
        result = register.register_document(make_record(seed), at=AT)
        got.append((seed, result.number, result.created))
    register.close()
    results.put(got)


def _die_inside_transaction(url: str) -> None:
    """Worker process: take a number, then die before the commit (a killed worker)."""
    register = Register(open_engine(url), "Asia/Ho_Chi_Minh")
    with register.registering([make_record("doomed")], at=AT):
        os._exit(3)


@pytest.mark.slow
def test_two_workers_at_once_get_every_number_exactly_once(register: Register,
                                                           register_url: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    shared = [f"shared-{i}" for i in range(SHARED)]
    batches = [
        [f"w0-{i}" for i in range(PER_WORKER)] + shared,
        shared[::-1] + [f"w1-{i}" for i in range(PER_WORKER)],
    ]
    workers = [
        ctx.Process(target=_register_batch, args=(register_url, batch, start, results))
        for batch in batches
    ]
    for worker in workers:
        worker.start()
    start.set()
    outputs = [results.get(timeout=WAIT_SECONDS) for _ in workers]
    for worker in workers:
        worker.join(timeout=WAIT_SECONDS)
        assert worker.exitcode == 0

    created = [(seed, number) for out in outputs for seed, number, new in out if new]
    numbers = sorted(number for _, number in created)
    total = 2 * PER_WORKER + SHARED
    assert numbers == list(range(1, total + 1))  # no gap, no repeat
    # A shared file was registered once; the other worker got the same number back.
    by_seed = {}
    for out in outputs:
        for seed, number, _new in out:
            by_seed.setdefault(seed, set()).add(number)
    assert all(len(found) == 1 for found in by_seed.values())
    assert sorted(seed for seed, _ in created if seed.startswith("shared")) == sorted(shared)
    book = register.register_book(2026, "incoming")
    assert [row.number for row in book] == list(range(1, total + 1))


@pytest.mark.slow
def test_a_worker_killed_before_commit_leaves_no_gap(register: Register,
                                                     register_url: str) -> None:
    register.register_document(make_record("first"), at=AT)
    worker = multiprocessing.get_context("spawn").Process(
        target=_die_inside_transaction, args=(register_url,)
    )
    worker.start()
    worker.join(timeout=WAIT_SECONDS)
    assert worker.exitcode == 3
    assert register.find_by_sha256(make_record("doomed").sha256) is None
    assert register.register_document(make_record("second"), at=AT).number == 2
    assert register.register_document(make_record("doomed"), at=AT).number == 3
