"""Scale-out on the real stack: the same scanned pages through one Celery worker, then two.

Each worker has one process slot and Docket's sandbox pool one process
(``DOCKET_WORKERS=1``), so each worker stands for a one-core machine.  Both
runs start a fresh native stack (``tests/servers/native_stack.py``: PostgreSQL,
Redis, SeaweedFS S3, Airflow 3.1 on the CeleryExecutor), drop the same scanned
PDFs in the inbox, trigger ``docket_ingest`` through Airflow's REST API and
wait until every file is archived or quarantined (the DAG re-triggers itself
while files are left, as a lane stops after ``lane_seconds``).  ``ingest_lanes``
is left unset, so the claim starts one lane per worker slot.  Lanes take chunks
of ``batch_size`` files: with fewer pages than two chunks the second worker has
nothing to take.

Printed, in one run: pages per minute with one worker and with two, the
speed-up beside its ideal (2.0x; target >= 1.8x), and how the lanes split the
work (files archived per worker, from the ``process`` task instances' hostnames
and their XCom summaries).  The floor a worker cannot beat, raw Tesseract on
one page in one process, is measured in the same run and printed per page;
so is the machine's ceiling for the speed-up: the same four pages read by one
raw Tesseract process, then by two at once (A B A B), which is what two
one-core workers can get from the shared caches and memory of this machine.
While files wait, the benchmark asks Airflow's API whether runs go on only every
15 s (each call costs the API server CPU the workers' OCR shares).

This machine has 2 cores: the Airflow processes themselves (scheduler, API
server, dag-processor) share them with the two workers, so the ideal is not
reachable here; the figure says how close the lanes come.

    .venv/bin/python bench/scale.py [--pages 200] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cputree import CpuMeter  # noqa: E402
from tests.servers.native_stack import NativeStack, missing_programs  # noqa: E402

RUN_TIMEOUT = 4 * 3600.0
ASK_EVERY = 15.0  # seconds between REST calls while files are still waiting


@dataclass
class ScaleRun:
    workers: int
    seconds: float
    archived: int
    per_worker: Counter[str]
    runs: int


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


def commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                           capture_output=True, text=True, check=False)
    return found.stdout.strip() or "unknown"


def make_scans(folder: Path, pages: int) -> int:
    """``pages`` scanned pages as PDFs (no born-digital ones); how many files."""
    from ingest.samples import generate_samples

    generate_samples(folder, seed=7, profile="bench", born_digital=0, scanned_pages=pages)
    return sum(1 for p in folder.rglob("*.pdf") if p.is_file())


def files_waiting(stack: NativeStack) -> int:
    waiting = 0
    for top in ("incoming", "outgoing", ".docket/work"):
        root = stack.inbox / top
        if root.is_dir():
            waiting += sum(1 for p in root.rglob("*") if p.is_file()
                           and not p.name.startswith("."))
    return waiting


def wait_idle(stack: NativeStack, deadline: float) -> None:
    while stack.active_runs("docket_ingest"):
        if time.monotonic() > deadline:
            raise TimeoutError("docket_ingest still running")
        time.sleep(2.0)


def split(stack: NativeStack) -> tuple[Counter[str], int]:
    """Files archived per worker over every run, and how many runs had a lane."""
    per_worker: Counter[str] = Counter()
    worked: set[str] = set()
    runs = stack.api("GET", "/dags/docket_ingest/dagRuns", params={"limit": 100})["dag_runs"]
    for run in runs:
        for ti in stack.task_instances("docket_ingest", run["dag_run_id"]):
            if ti["task_id"] != "process" or ti["state"] != "success" or not ti["hostname"]:
                continue
            worked.add(run["dag_run_id"])
            entry = stack.api(
                "GET", f"/dags/docket_ingest/dagRuns/{run['dag_run_id']}/taskInstances/process"
                       "/xcomEntries/return_value",
                params={"deserialize": "true", "map_index": ti["map_index"]})
            summary = entry["value"] if isinstance(entry["value"], dict) else {}
            per_worker[ti["hostname"]] += int(summary.get("archived", 0))
            print(f"    run {run['dag_run_id'][:32]} lane {ti['map_index']} on {ti['hostname']}: "
                  f"{summary.get('archived', 0)} archived, {ti.get('start_date')} to "
                  f"{ti.get('end_date')} ({ti.get('duration')} s)", flush=True)
    return per_worker, len(worked)


def run_with(workers: int, scans: Path, base: Path, sample_cpu: bool = False) -> ScaleRun:
    from ingest.samples import stage_into_inbox

    # ingest_lanes unset: the claim asks the workers for their slots (one each).
    env = {"DOCKET_QUIET_SECONDS": "0", "DOCKET_WORKERS": "1"}
    with NativeStack(base, workers=workers, docket_env=env) as stack:
        stack.unpause("docket_ingest")
        wait_idle(stack, time.monotonic() + 600)  # the scheduled run on an empty inbox
        staged = stage_into_inbox(scans, stack.inbox)
        meter = CpuMeter(os.getpid(), *postmaster(base), sampling=sample_cpu).start()
        started = time.monotonic()
        deadline = started + RUN_TIMEOUT
        stack.trigger("docket_ingest")
        asked = started
        while True:  # the DAG re-triggers itself while files are left
            time.sleep(1.0)  # (every 5 s added 2.5 s to each run on average)
            # While files wait the runs go on: ask Airflow's API (CPU the workers'
            # OCR shares) only now and then, and every second once none is left.
            if files_waiting(stack) and time.monotonic() - asked < ASK_EVERY:
                continue
            asked = time.monotonic()
            if not stack.active_runs("docket_ingest"):
                if not files_waiting(stack):
                    break
                stack.trigger("docket_ingest")  # a run that ended with files left
            if time.monotonic() > deadline:
                raise TimeoutError(f"{files_waiting(stack)} files still waiting")
        seconds = time.monotonic() - started
        meter.stop()
        per_worker, runs = split(stack)
        print(f"  {workers} worker(s): {staged} files in {seconds:.0f} s over {runs} runs; "
              f"archived per worker {dict(per_worker)}; {load()}", flush=True)
        if sample_cpu:
            print(f"    CPU {meter.total:.0f} s ({meter.total / seconds:.2f} cores): " + ", ".join(
                f"{label} {spent:.1f}" for label, spent in meter.by_label().items()
                if abs(spent) >= 0.05), flush=True)
        return ScaleRun(workers, seconds, sum(per_worker.values()), per_worker, runs)


def postmaster(base: Path) -> list[int]:
    """PostgreSQL's server process (``pg_ctl`` starts it outside this process's tree)."""
    found = sorted(base.glob("**/postmaster.pid"))
    return [int(found[0].read_text().split()[0])] if found else []


def page_images(scans: Path, folder: Path, count: int) -> list[Path]:
    """The first ``count`` scanned pages rendered at 300 dpi, as Docket's OCR reads them."""
    import pypdfium2

    images: list[Path] = []
    for pdf_path in sorted(scans.rglob("*.pdf")):
        pdf = pypdfium2.PdfDocument(pdf_path)
        for page in pdf:
            if len(images) == count:
                break
            image = folder / f"page{len(images)}.png"
            page.render(scale=300 / 72).to_pil().save(image)
            images.append(image)
        pdf.close()
        if len(images) == count:
            break
    return images


def raw_tesseract(images: list[Path], side_by_side: int) -> float:
    """Seconds for ``side_by_side`` processes at once, each reading every image in turn."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    script = "; ".join(f"tesseract {image} - -l vie >/dev/null 2>&1" for image in images)
    started = time.monotonic()
    running = [subprocess.Popen(["sh", "-c", script], env=env) for _ in range(side_by_side)]
    for process in running:
        process.wait()
    return time.monotonic() - started


@dataclass
class Ceiling:
    """What the machine gives raw Tesseract: one process, then two at once."""

    per_page: float
    speedup: float


def tesseract_ceiling(scans: Path, pages: int = 4) -> Ceiling:
    """Raw single-thread Tesseract on the same pages, alone then two at once (A B A B).

    Two one-core workers on this machine cannot beat what two bare Tesseract
    processes get from its cores and caches: that is the speed-up's ceiling.
    """
    with tempfile.TemporaryDirectory() as scratch:
        images = page_images(scans, Path(scratch), pages)
        runs = [raw_tesseract(images, side_by_side) for side_by_side in (1, 2, 1, 2)]
    one = (runs[0] + runs[2]) / 2
    two = (runs[1] + runs[3]) / 2
    return Ceiling(per_page=one / len(images), speedup=2 * one / two)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200, help="scanned pages (default 200)")
    parser.add_argument("--keep", action="store_true", help="keep the stacks' folders")
    parser.add_argument("--cpu", action="store_true",
                        help="print CPU seconds by process (samples /proc every 0.5 s)")
    args = parser.parse_args()
    missing = missing_programs()
    if missing:
        print(f"bench/scale.py: not installed: {', '.join(missing)} (./run install)")
        return 1
    work = Path(tempfile.mkdtemp(prefix="docket-scale-"))
    os.chmod(work, 0o755)  # PostgreSQL runs as another user and must reach its folder
    try:
        scans = work / "scans"
        files = make_scans(scans, args.pages)
        print(f"bench/scale.py at {commit()}: {args.pages} scanned pages in {files} PDFs; "
              f"{load()}", flush=True)
        ceiling = tesseract_ceiling(scans)
        one = run_with(1, scans, work / "one", args.cpu)
        two = run_with(2, scans, work / "two", args.cpu)
        speedup = one.seconds / two.seconds
        print(f"floor: raw Tesseract {ceiling.per_page:.1f} s a page (one thread, one process); "
              f"two at once on the same pages {ceiling.speedup:.2f}x one (the machine's "
              f"ceiling for two one-core workers)")
        for run in (one, two):
            print(f"{run.workers} worker(s): {60 * args.pages / run.seconds:.1f} pages/min, "
                  f"{run.seconds / args.pages:.1f} s a page; split {dict(run.per_worker)}")
        verdict = "met" if speedup >= 1.8 else "NOT met"
        print(f"speed-up with two workers: {speedup:.2f}x (ideal 2.00x; raw Tesseract "
              f"{ceiling.speedup:.2f}x; target >= 1.8x: {verdict}); {load()}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
