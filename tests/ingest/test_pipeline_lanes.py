"""Lanes through the real pipeline: they split the pool, a lane stops when its time
is spent and leaves the rest to the next run, and a lane killed with SIGKILL is
taken back by the next run (at once on the embedded default; a lease later on
the stack, its heartbeat stopped) with nothing lost or numbered twice."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ingest.backends import open_backends
from ingest.inbox import WORK_DIR
from ingest.lanes import count_files_below, pool_chunks, pooled_files
from ingest.pipeline import Outcome, RunReport, claim_ready_files, ingest_once, run_lane, run_lanes
from ingest.pipeline.claiming import chunk_sizes
from kernel.settings import Settings, load_settings
from tests.ingest.test_pipeline import make_settings, stage
from tests.ingest.test_pipeline_crash import (
    assert_whole_and_numbered_once,
    born_digital,
    kill_when,
    work_files,
)

ROOT = Path(__file__).resolve().parents[2]


def test_two_lanes_split_the_pool(demo_samples: Path, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, batch_size=2)
    staged = stage(born_digital(demo_samples, 8), demo_samples, settings.inbox_location)
    claim = claim_ready_files(settings, wait=False)
    assert (claim.lanes, claim.pooled) == (2, 8)  # ingest_lanes, by default 2
    reports: list[RunReport] = []
    start = threading.Barrier(2)

    def lane() -> None:
        start.wait()
        reports.append(run_lane(settings, backends))

    with open_backends(settings) as backends:
        lanes = [threading.Thread(target=lane) for _ in range(2)]
        for thread in lanes:
            thread.start()
        for thread in lanes:
            thread.join()
    assert sorted(len(r.files) for r in reports)[0] > 0, "both lanes took chunks"
    assert sum(r.count(Outcome.ARCHIVED) for r in reports) == len(staged)
    assert all(r.left == 0 for r in reports)
    assert_whole_and_numbered_once(settings, staged)


def test_never_more_lanes_than_the_pool_needs(demo_samples: Path, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, batch_size=20, ingest_lanes=4)
    stage(born_digital(demo_samples, 3), demo_samples, settings.inbox_location)
    assert claim_ready_files(settings, wait=False).lanes == 1
    assert claim_ready_files(settings, wait=False).lanes == 1  # the same pool, not claimed twice
    empty = make_settings(tmp_path / "empty")
    assert claim_ready_files(empty, wait=False).lanes == 0


def test_a_claim_cuts_whole_rounds_of_even_chunks(demo_samples: Path, tmp_path: Path) -> None:
    # 5 files in chunks of at most 2 were 2, 2 and 1: with two lanes, the lane
    # that took the last chunk worked on alone.  Now two rounds of two chunks.
    settings = make_settings(tmp_path, batch_size=2, ingest_lanes=2)
    stage(born_digital(demo_samples, 5), demo_samples, settings.inbox_location)
    claim = claim_ready_files(settings, wait=False)
    work_root = settings.inbox_location / WORK_DIR
    assert (claim.lanes, claim.pooled) == (2, 5)
    assert sorted(count_files_below(chunk) for chunk in pool_chunks(work_root)) == [1, 1, 1, 2]


@pytest.mark.parametrize(("files", "batch_size", "lanes", "sizes"), [
    (50, 20, 2, [13, 13, 12, 12]),  # 50 scans: 25 pages a lane, not 30 and 20
    # A backlog: big chunks first (fewer chunks, each with its own transactions
    # and flushes), its last two rounds cut as a small claim is, so lanes end together.
    (1000, 20, 2, [58] * 8 + [57] * 8 + [20] * 4),
    (200, 20, 2, [60, 60, 20, 20, 20, 20]),
    (199, 20, 2, [20] * 9 + [19]),  # not a round of big chunks more than the last rounds
    (12, 3, 1, [3, 3, 3, 3]),
    (41, 20, 3, [14, 14, 13]),
    (3, 20, 4, [3]),  # one chunk's worth stays one chunk, for one lane
    (0, 20, 2, []),
])
def test_chunk_sizes(files: int, batch_size: int, lanes: int, sizes: list[int]) -> None:
    assert chunk_sizes(files, batch_size, lanes) == sizes


def test_a_lane_whose_time_is_spent_leaves_the_rest_for_the_next_run(
    demo_samples: Path, tmp_path: Path
) -> None:
    # A lane takes a chunk only while its time lasts: with almost none, one chunk
    # (always one, however slow its start).
    settings = make_settings(tmp_path, batch_size=2, ingest_lanes=1, lane_seconds=0.001)
    staged = stage(born_digital(demo_samples, 6), demo_samples, settings.inbox_location)
    with open_backends(settings) as backends:
        first = ingest_once(settings, backends, wait=False)
        assert first.count(Outcome.ARCHIVED) == 2
        assert first.left == 4 and first.summary()["left_for_next_run"] == 4
        assert pooled_files(settings.inbox_location / WORK_DIR) == 4
        runs = 1
        while first.left:  # the next run starts at once while the pool is not empty
            first = ingest_once(settings, backends, wait=False)
            runs += 1
    assert runs == 3
    assert_whole_and_numbered_once(settings, staged)


LEASED_LANE = """
import sys
from pathlib import Path
from ingest.backends import open_backends
from ingest.pipeline import claim_ready_files, run_lane
from kernel.settings import load_settings

settings = load_settings(data_dir=Path(sys.argv[1]), quiet_seconds=0.0, batch_size=2,
                         file_timeout_seconds=120.0)
claim_ready_files(settings, wait=False)
with open_backends(settings) as backends:
    run_lane(settings, backends, lease_seconds=float(sys.argv[2]))
"""


@pytest.mark.slow
@pytest.mark.parametrize("lease", [None, 3.0], ids=["embedded-lock", "stack-lease"])
def test_a_lane_killed_mid_work_is_taken_back_by_the_next_run(
    lease: float | None, demo_samples: Path, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, batch_size=2, ingest_lanes=1)
    staged = stage(born_digital(demo_samples, 10), demo_samples, settings.inbox_location)
    script = LEASED_LANE if lease is not None else LEASED_LANE.replace(
        "lease_seconds=float(sys.argv[2])", "lease_seconds=None")
    process = subprocess.Popen([sys.executable, "-c", script, str(settings.data_dir),
                                str(lease)], cwd=ROOT, text=True, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    processed = settings.inbox_location / "processed"

    def in_lane() -> int:
        return len([p for p in work_files(settings) if "/lane-" in p.as_posix()])

    def mid_work() -> bool:
        """Some files done, some in its lane folder."""
        try:
            return (processed.exists() and in_lane() > 0
                    and any(p.is_file() for p in processed.rglob("*")))
        except FileNotFoundError:  # a folder went while being walked
            return False

    kill_when(process, mid_work)
    assert process.returncode == -signal.SIGKILL
    in_lane_when_killed = in_lane()
    in_pool = pooled_files(settings.inbox_location / WORK_DIR)
    assert in_lane_when_killed > 0, "killed with files in its lane"
    killed_at = time.monotonic()

    with open_backends(settings) as backends:
        report = ingest_once(settings, backends, wait=False)
        if lease is not None:
            # Another machine's lane looks the same: held until its lease runs out.
            assert report.held == in_lane_when_killed and report.recovered == in_pool
            time.sleep(max(0.0, killed_at + lease - time.monotonic()) + 0.2)
            report = ingest_once(settings, backends, wait=False)
            in_pool = 0
    assert report.recovered == in_lane_when_killed + in_pool and report.held == 0
    assert_whole_and_numbered_once(settings, staged)


def test_lanes_run_side_by_side_with_load_settings(demo_samples: Path, tmp_path: Path) -> None:
    settings: Settings = load_settings(data_dir=tmp_path / "var", quiet_seconds=0.0,
                                       batch_size=3)
    staged = stage(born_digital(demo_samples, 9), demo_samples, settings.inbox_location)
    with open_backends(settings) as backends:
        claim = claim_ready_files(settings, wait=False)
        report = run_lanes(settings, backends, claim.lanes)
    assert report.count(Outcome.ARCHIVED) == len(staged) and report.left == 0
    assert_whole_and_numbered_once(settings, staged)
