"""docket_monthly_report: the monthly statistics report, on the 1st for the month before.

The month is the run's data interval, so re-running a past run (or triggering
one with a logical date in the following month) rebuilds that month's report;
the figures come from the register and the files are replaced, so a re-run is
harmless.  Writes CSV, XLSX and HTML to ``reports/YYYY-MM/`` in the object
store and to the local reports folder, once per clearance level (the general
report counts no secret document; the web serves each user their level's).
The XCom summary is the general report's, so the Airflow UI shows no secret count.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task
from airflow.timetables.interval import CronDataIntervalTimetable
from docket_airflow import dag_defaults

REPORT_TIMEZONE = "Asia/Ho_Chi_Minh"


@dag(
    dag_id="docket_monthly_report",
    # A data-interval timetable: the run at 00:00 on April 1st covers March.
    schedule=CronDataIntervalTimetable("0 0 1 * *", timezone=REPORT_TIMEZONE),
    doc_md=__doc__,
    **dag_defaults("report"),
)
def docket_monthly_report() -> None:
    @task
    def write_report(data_interval_start: datetime | None = None,
                     data_interval_end: datetime | None = None) -> dict[str, object]:
        """Count the interval's month from the register; write the files of every level."""
        from docket_airflow import docket_errors, task_backends, task_settings

        from ingest.reports import Month, publish_monthly_report

        assert data_interval_start is not None and data_interval_end is not None
        with docket_errors():
            settings = task_settings()
            month = Month.of_interval(data_interval_start, data_interval_end, settings.timezone)
            with task_backends(settings) as backends:
                published = publish_monthly_report(settings, backends, month)
        for path in published.files:
            print(f"wrote {path}")
        return {"month": str(month), **published.report.summary(), "keys": published.keys}

    write_report()


docket_monthly_report()
