"""docket_ingest: take complete files from the watched folders into the archive.

``claim`` takes back the files of lanes whose holder is gone, moves the files
that stopped changing into the claimed pool and returns the lanes to start:
``ingest_lanes`` (set it to the Celery worker slots), never more than the
pool needs.  Each mapped ``process`` task is a lane: it takes files from the
pool a chunk (at most ``batch_size`` files; whole rounds of even chunks for
the lanes) at a time into a folder of its own and
works until the pool is empty or ``lane_seconds`` are spent; its folder is
leased for a minute and a heartbeat renews the lease while it works, so the
files of a lane whose worker died are taken back by the next run a minute
later.  ``finish`` runs after the lanes whatever became of them: it announces
the ``docket://archive`` asset only when documents were added (which wakes
``docket_index``), and starts the next run at once (``run_again``) when lanes
left files in the pool.  XCom carries lane numbers and counts, never file
contents.

A backlog of 10,000 files is a few dozen lane-runs of a few minutes each, each
retryable on its own: Airflow's cost per task instance (about half a CPU
second) is paid a few times per run, not once per 50 files.  Scans and
born-digital files mix without planning: a lane that drew slow files takes
fewer chunks.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sdk import dag, task
from docket_airflow import ARCHIVE_ADDED, dag_defaults

DAG_ID = "docket_ingest"


@dag(
    dag_id=DAG_ID,
    schedule=timedelta(minutes=5),
    doc_md=__doc__,
    **dag_defaults("ingest"),
)
def docket_ingest() -> None:
    @task
    def claim() -> list[int]:
        """Claim every complete file into the pool; the lanes to start for it."""
        from docket_airflow import docket_errors, lanes_for, task_settings

        from ingest.pipeline import claim_ready_files

        with docket_errors():
            settings = task_settings()
            claim = claim_ready_files(settings, lanes=lanes_for(settings))
        print(f"{claim.pooled} files in the pool for {claim.lanes} lanes "
              f"({claim.recovered} taken back from earlier runs); {claim.held} files "
              f"held by a live lane; {claim.settling} files still being written")
        return list(range(claim.lanes))

    @task
    def process(lane: int) -> dict[str, int]:
        """One lane: files from the pool until it is empty or the lane's time is spent."""
        from docket_airflow import run_ingest_lane

        return run_ingest_lane(lane)

    @task.short_circuit(trigger_rule="all_done", outlets=[ARCHIVE_ADDED])
    def finish(summaries: list[dict[str, int]], lanes: list[int] | None,
               outlet_events: Any = None) -> bool:
        """Announce the documents added; True (run again at once) when files are left."""
        from docket_airflow import finish_ingest

        return finish_ingest(summaries, lanes, outlet_events)

    lanes: Any = claim()
    summaries: Any = process.expand(lane=lanes)
    # Queued behind this run (one run at a time), it starts as soon as this one ends.
    finish(summaries, lanes) >> TriggerDagRunOperator(task_id="run_again",
                                                      trigger_dag_id=DAG_ID)


docket_ingest()
