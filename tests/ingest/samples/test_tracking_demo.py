"""The demo's tracking step on a real register: routed by the samples' folders, one overdue."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ingest.backends import open_backends
from ingest.pipeline import Outcome, ingest_once
from ingest.samples import generate_samples, stage_into_inbox
from ingest.samples.tracking import DAYS_LATE, DEMO_UNITS, stage_demo_tracking
from ingest.tracking.assignments import Status
from ingest.tracking.setup import tracking_setup
from ingest.tracking_service import digest_for
from kernel.settings import load_settings


def test_the_demo_routes_by_folder_and_shows_one_overdue(tmp_path: Path) -> None:
    generate_samples(tmp_path / "samples", profile="bench", born_digital=10, scanned_pages=0)
    settings = load_settings(data_dir=tmp_path / "var", quiet_seconds=0.0,
                             tracking_units=DEMO_UNITS)
    stage_into_inbox(tmp_path / "samples", settings.inbox_location)
    in_unit_folders = [p for p in (settings.inbox_location / "incoming").glob("*/*")
                       if p.is_file()]
    setup = tracking_setup(settings)
    with open_backends(settings) as backends:
        report = ingest_once(settings, backends, wait=False)
        assert report.count(Outcome.ARCHIVED) == 10, report.files
        today = datetime.now(backends.register.tz).date()
        done = stage_demo_tracking(backends, setup, today)
        assert sum(done.routed.values()) == len(in_unit_folders) > 0
        assert done.handled is not None and done.handled.assignment.status is Status.DONE
        assert done.overdue is not None and done.overdue.assignment.deadline < today
        digest = digest_for(backends, setup, today, max_secrecy=0)
        assert [(late.assignment.doc_id, late.working_days) for late in digest.overdue] == [
            (done.overdue.assignment.doc_id, DAYS_LATE)]
