"""docket_bench_floor: Airflow's own cost for the shape of a ``docket_ingest`` run.

``bench/airflow.py`` copies this file, with Docket's DAGs, into the
benchmark's DAG folder and triggers it with ``{"tasks": N}``: ``claim``, ``N``
mapped ``process`` tasks that do nothing, ``publish``, with the same limit on
``process`` tasks side by side as ``docket_ingest``.  What the run takes is
what the scheduler, the executor and the task runner cost for that many task
instances, with no Docket work at all: the floor under any batch size.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from airflow.sdk import dag, get_current_context, task

SIDE_BY_SIDE = int(os.environ.get("DOCKET_BENCH_FLOOR_SIDE_BY_SIDE", "1"))


@dag(dag_id="docket_bench_floor", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=UTC),
     catchup=False, max_active_runs=1, tags=["docket", "bench"])
def docket_bench_floor() -> None:
    @task
    def claim() -> list[int]:
        return list(range(int(get_current_context()["dag_run"].conf.get("tasks", 1))))

    @task(max_active_tis_per_dagrun=SIDE_BY_SIDE)
    def process(batch: int) -> int:
        return batch

    @task
    def publish(done: list[int]) -> int:
        return len(list(done))

    publish(process.expand(batch=claim()))


docket_bench_floor()
