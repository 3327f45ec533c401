"""docket_ingest's ``finish``: what it announces, and whether the next run starts at once.

``finish`` runs after the lanes whatever became of them (``all_done``).  The
run itself goes through Airflow in tests/dags/test_end_to_end.py; here the
decision is held against lanes that reported, lanes that did not, and a real
pool, with Airflow's own outlet-event accessors.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.ingest.test_lanes import pool

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "plugins"))
from airflow.sdk.execution_time.context import OutletEventAccessors  # noqa: E402
from docket_airflow import ARCHIVE, ARCHIVE_ADDED, finish_ingest, task_settings  # noqa: E402


def summary(archived: int, left: int) -> dict[str, int]:
    return {"archived": archived, "quarantined": 0, "left_for_next_run": left}


def announced(events: OutletEventAccessors) -> list[tuple[str, dict[str, object]]]:
    return [(event.dest_asset_key.uri, event.extra)
            for event in events[ARCHIVE_ADDED].asset_alias_events]


def test_documents_added_are_announced_once_for_all_lanes() -> None:
    events = OutletEventAccessors()
    again = finish_ingest([summary(30, 0), summary(12, 0)], [0, 1], events)
    assert announced(events) == [(ARCHIVE.uri, {"added": 42})]
    assert again is False


def test_nothing_added_announces_nothing() -> None:
    events = OutletEventAccessors()
    assert finish_ingest([], [], events) is False  # an empty inbox: no lanes at all
    assert finish_ingest([summary(0, 0)], [0], events) is False
    assert announced(events) == []


def test_lanes_whose_time_ran_out_start_the_next_run() -> None:
    # Each lane counted the pool at its end; the last to end saw the fewest.
    events = OutletEventAccessors()
    assert finish_ingest([summary(20, 40), summary(20, 17)], [0, 1], events) is True


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DOCKET_CONFIG", raising=False)
    monkeypatch.setenv("DOCKET_DATA_DIR", str(tmp_path))
    return tmp_path


def test_a_failed_lane_still_lets_the_others_announce_and_the_pool_is_counted(
        data_dir: Path) -> None:
    # Lane 1 failed: no summary, its chunk given back to the pool.
    pool(task_settings().inbox_location, ["a.pdf", "b.pdf"])
    events = OutletEventAccessors()
    assert finish_ingest([summary(7, 0)], [0, 1], events) is True
    assert announced(events) == [(ARCHIVE.uri, {"added": 7})]


def test_a_failed_claim_counts_the_pool(data_dir: Path) -> None:
    events = OutletEventAccessors()
    assert finish_ingest([], None, events) is False
    assert announced(events) == []
