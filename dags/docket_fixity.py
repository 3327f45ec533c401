"""docket_fixity: weekly, re-read archived originals and check their SHA-256.

Each run checks one of ``fixity_slices`` slices of the archive (all of it with
the default of 1), taking turns week by week.  Missing objects and checksum
mismatches fail the task with the list of them; nothing is repaired: a
mismatch is evidence for a person to examine.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task
from airflow.timetables.trigger import CronTriggerTimetable
from docket_airflow import dag_defaults


@dag(
    dag_id="docket_fixity",
    schedule=CronTriggerTimetable("0 2 * * 0", timezone="Asia/Ho_Chi_Minh"),  # Sunday 02:00
    doc_md=__doc__,
    **dag_defaults("fixity"),
)
def docket_fixity() -> None:
    @task
    def check_fixity(logical_date: datetime | None = None) -> dict[str, int]:
        """Check this week's slice; a damaged archive fails without retries."""
        from datetime import UTC

        from airflow.exceptions import AirflowFailException
        from docket_airflow import docket_errors, task_backends, task_settings

        from ingest.fixity import check_fixity, slice_for

        with docket_errors():
            settings = task_settings()
            slices = settings.fixity_slices
            turn = slice_for(logical_date or datetime.now(UTC), slices)
            with task_backends(settings) as backends:
                report = check_fixity(backends, slice_index=turn, slice_count=slices)
        print(f"slice {turn + 1}/{slices}: {report.summary()}")
        if not report.ok:
            lines = "\n".join(problem.line() for problem in report.problems)
            # Retrying cannot fix damage: fail at once, with the list.
            raise AirflowFailException(
                f"fixity check failed for {len(report.problems)} documents:\n{lines}")
        return report.summary()

    check_fixity()


docket_fixity()
