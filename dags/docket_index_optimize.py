"""docket_index_optimize: nightly maintenance of the search index.

Documents arrive a few at a time, and SQLite FTS5 keeps each small write as a
segment of its own; searches slow down as segments pile up.  Once a night this
merges them (``SearchIndex.optimize``: minutes at a million documents, searches
keep working, writers wait).  On Elasticsearch it does nothing.
"""

from __future__ import annotations

from airflow.sdk import dag, task
from airflow.timetables.trigger import CronTriggerTimetable
from docket_airflow import dag_defaults


@dag(
    dag_id="docket_index_optimize",
    schedule=CronTriggerTimetable("30 1 * * *", timezone="Asia/Ho_Chi_Minh"),  # 01:30 nightly
    doc_md=__doc__,
    **dag_defaults("index"),
)
def docket_index_optimize() -> None:
    @task
    def optimize() -> None:
        """Merge the index; an unreachable index fails the try, to be retried."""
        from docket_airflow import docket_errors, task_backends, task_settings

        with docket_errors():
            settings = task_settings()
            with task_backends(settings) as backends:
                backends.index.optimize()

    optimize()


docket_index_optimize()
