"""docket_deadlines: every morning, each unit's digest of overdue and due-soon documents.

For the run's logical date, taken in the register's time zone (``timezone``),
``write_digests`` lists each unit's open assignments that are overdue (with
how many working days late) and those due within ``tracking_due_soon_days``
working days, and writes ``<digests_dir>/<YYYY-MM-DD>/<unit>.md`` and
``.json`` for every configured unit.  ``email_digests`` then sends each unit
with ``emails`` and something to tell its digest, through Airflow's e-mail
configuration, on working days, when that configuration is set (docs/tracking.md);
otherwise it is skipped.

A re-run of the same day replaces the files and sends only what was not sent
yet.  The digests list ordinary documents only (``tracking_digest_max_secrecy``
= 0): the files and mailboxes are read by people nobody cleared.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task
from airflow.timetables.trigger import CronTriggerTimetable
from docket_airflow import dag_defaults


@dag(
    dag_id="docket_deadlines",
    schedule=CronTriggerTimetable("30 6 * * *", timezone="Asia/Ho_Chi_Minh"),  # 06:30 daily
    doc_md=__doc__,
    **dag_defaults("tracking"),
)
def docket_deadlines() -> None:
    @task
    def write_digests(logical_date: datetime | None = None) -> dict[str, object]:
        """Write the day's digest of every unit; the day and the counts for the UI."""
        from datetime import UTC
        from zoneinfo import ZoneInfo

        from docket_airflow import docket_errors, task_backends, task_settings

        from ingest.tracking_digests import publish_deadline_digests

        with docket_errors():
            settings = task_settings()
            moment = logical_date or datetime.now(UTC)
            day = moment.astimezone(ZoneInfo(settings.timezone)).date()
            with task_backends(settings) as backends:
                run = publish_deadline_digests(settings, backends, day)
        for written in run.written:
            print(f"wrote {written.markdown}: {len(written.digest.overdue)} overdue, "
                  f"{len(written.digest.due_soon)} due soon")
        return run.summary()

    @task
    def email_digests(summary: dict[str, object]) -> list[str]:
        """Mail each unit its digest when Airflow's e-mail is configured; else skip."""
        from datetime import date

        from airflow.exceptions import AirflowSkipException
        from docket_airflow import docket_errors, task_settings
        from docket_email import email_configured, email_digests

        if not email_configured():
            raise AirflowSkipException("no e-mail configured in Airflow ([smtp] smtp_host or "
                                       "[email] email_backend): the digests are in files only")
        day = date.fromisoformat(str(summary["day"]))
        # A mail server down or refusing is an OSError (smtplib's errors are): retried.
        with docket_errors():
            sent = email_digests(task_settings(), day)
        print(f"mailed the digests of {len(sent)} units: {', '.join(sent) or '-'}")
        return sent

    email_digests(write_digests())


docket_deadlines()
