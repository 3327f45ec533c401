"""docket_ingest: take complete files from the watched folders into the archive.

``claim`` moves the files that stopped changing into batch folders of
``batch_size`` files and returns their paths; ``process`` is mapped over the
batches (a backlog of 10,000 files with ``batch_size = 50`` is 200 task
instances) and runs each through the pipeline; ``publish`` announces the
``docket://archive`` asset only when documents were added, which wakes
``docket_index``.  XCom carries batch paths and counts, never file contents.

Two batches run side by side.  Each spreads its files over every core of its
worker (the sandbox pool), but each also waits on Airflow (start, state
writes, the scheduler's next loop) and on its own start (the pool's fork
server, the backends), and the second batch fills those gaps: 1,000
documents in 50-file batches took 16.5-22.3 s two at a time against
23.8-24.6 s one after another (``bench/airflow.py``); four at a time did no
better (17.3 s), and with 250-file batches two at a time changed nothing.
OCR batches side by side only share the cores.  A deployment with Celery
workers on several machines raises ``max_active_tis_per_dagrun``.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import dag, task
from docket_airflow import ARCHIVE, dag_defaults


@dag(
    dag_id="docket_ingest",
    schedule=timedelta(minutes=5),
    doc_md=__doc__,
    **dag_defaults("ingest"),
)
def docket_ingest() -> None:
    @task
    def claim() -> list[str]:
        """Claim every complete file into batches; the batch folder paths."""
        from docket_airflow import docket_errors, task_settings

        from ingest.pipeline import claim_ready_files

        with docket_errors():
            claim = claim_ready_files(task_settings())
            # Leased to the mapped tasks: no other run takes them while they wait.
            claim.hand_off()
        print(f"claimed {len(claim.batches)} batches ({claim.recovered} files taken back "
              f"from a run that died); {claim.held} files held by a live run; "
              f"{claim.settling} files still being written")
        return [str(path) for path in claim.paths]

    @task(max_active_tis_per_dagrun=2)
    def process(batch_path: str) -> dict[str, int]:
        """Run one batch through the pipeline; its counts by outcome."""
        from pathlib import Path

        from docket_airflow import (
            docket_errors,
            preload_sandbox_workers,
            task_backends,
            task_settings,
        )

        from ingest.pipeline import RunReport, process_batch

        batch = Path(batch_path)
        if not batch.is_dir():
            # A retry after a transient failure: the files went back to the
            # inbox and the next claim takes them again.
            return RunReport().summary()
        preload_sandbox_workers()
        with docket_errors():
            settings = task_settings()
            with task_backends(settings) as backends:
                report = process_batch(settings, backends, batch)
        print(f"batch {batch.name}: {report.summary()}")
        if report.index.unavailable:
            print(f"search index unavailable, docket_index will catch up: "
                  f"{report.index.unavailable}")
        return report.summary()

    @task(outlets=[ARCHIVE])
    def publish(summaries: list[dict[str, int]]) -> int:
        """Emit the archive asset event only when documents were added."""
        from airflow.exceptions import AirflowSkipException
        from airflow.sdk import get_current_context

        added = sum(summary.get("archived", 0) for summary in summaries)
        if not added:
            raise AirflowSkipException("no new documents: no asset event")
        get_current_context()["outlet_events"][ARCHIVE].extra = {"added": added}
        return added

    publish(process.expand(batch_path=claim()))


docket_ingest()
