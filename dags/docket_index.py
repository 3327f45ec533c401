"""docket_index: the reconciler between the archive and the search index.

Indexes every registered document the register still marks as waiting for
the index: those whose indexing failed during an ingest (an index outage) and
any left by a crash.  Runs when ``docket_ingest`` announces new documents and
every 30 minutes whatever happens, so an outage heals on its own.
"""

from __future__ import annotations

from airflow.sdk import dag, task
from airflow.timetables.assets import AssetOrTimeSchedule
from airflow.timetables.trigger import CronTriggerTimetable
from docket_airflow import ARCHIVE, dag_defaults


@dag(
    dag_id="docket_index",
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("*/30 * * * *", timezone="UTC"), assets=[ARCHIVE]
    ),
    doc_md=__doc__,
    **dag_defaults("index"),
)
def docket_index() -> None:
    @task
    def index_pending() -> dict[str, int]:
        """Index what is waiting; an unreachable index fails the try, to be retried."""
        from docket_airflow import docket_errors, task_backends, task_settings

        from ingest.indexing import index_pending
        from kernel.errors import IndexUnavailable

        with docket_errors():
            settings = task_settings()
            with task_backends(settings) as backends:
                report = index_pending(backends)
            print(f"indexed {report.indexed}; still waiting {report.still_pending}")
            if report.unavailable:
                raise IndexUnavailable(report.unavailable)
        return {"indexed": report.indexed, "still_pending": report.still_pending}

    index_pending()


docket_index()
