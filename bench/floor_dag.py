"""docket_bench_floor: Airflow's own cost for the shape of a ``docket_ingest`` run.

``bench/airflow.py`` copies this file, with Docket's DAGs, into the
benchmark's DAG folder and triggers it with ``{"tasks": N}``: ``claim``, ``N``
mapped ``process`` tasks (lanes) that do nothing, and ``finish``, which
announces an asset (through an alias, as ``docket_ingest`` announces its
archive) and skips ``run_again``, as ``docket_ingest`` runs when its lanes
empty the pool.  What the run takes is what the scheduler, the executor and the
task runner cost for that many task instances, with no Docket work at all.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sdk import Asset, AssetAlias, dag, get_current_context, task

SIDE_BY_SIDE = int(os.environ.get("DOCKET_BENCH_FLOOR_SIDE_BY_SIDE", "2"))
DONE = Asset(name="docket_bench_floor_done", uri="docket://bench-floor-done")
DONE_ALIAS = AssetAlias(name="docket_bench_floor_done_alias")


@dag(dag_id="docket_bench_floor", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=UTC),
     catchup=False, max_active_runs=1, tags=["docket", "bench"])
def docket_bench_floor() -> None:
    @task
    def claim() -> list[int]:
        return list(range(int(get_current_context()["dag_run"].conf.get("tasks", 1))))

    @task(max_active_tis_per_dagrun=SIDE_BY_SIDE)
    def process(lane: int) -> int:
        return lane

    @task.short_circuit(trigger_rule="all_done", outlets=[DONE_ALIAS])
    def finish(done: list[int], lanes: list[int]) -> bool:
        get_current_context()["outlet_events"][DONE_ALIAS].add(
            DONE, extra={"lanes": len(list(done[:]))})
        return False

    lanes = claim()
    done = process.expand(lane=lanes)
    finish(done, lanes) >> TriggerDagRunOperator(  # type: ignore[arg-type]
        task_id="run_again", trigger_dag_id="docket_bench_floor")


docket_bench_floor()
