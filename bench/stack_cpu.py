"""The native stack's own CPU and hand-over times, A B A B in one stack.

One stack (``tests/servers/native_stack.py``) is started; for each round the
Airflow processes (API server, scheduler, dag-processor, Celery workers) are
restarted, while PostgreSQL, Redis and SeaweedFS keep running: A is Airflow's
Celery workers as they come (``quiet=False``), B the stack's
(``QUIET_WORKER_FLAGS``); with ``--extra KEY=VALUE`` A is the stack as set and B
the same with those settings.  Each round prints, by process:

* CPU seconds over ``--idle`` seconds with nothing to do (after ``--settle``);
* CPU seconds over ``--runs`` ``docket_ingest`` runs on an empty inbox, one after
  the other, and each run's wall time from its trigger (``queued_at``) to its end:
  claim, publish and ``again``, the hand-overs and nothing else.

    .venv/bin/python bench/stack_cpu.py [--rounds 2] [--idle 60] [--runs 3]
    .venv/bin/python bench/stack_cpu.py --rounds 1 --runs 6 \
        --extra AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME=0.5
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cputree import CpuMeter  # noqa: E402
from bench.scale import load, postmaster, wait_idle  # noqa: E402
from tests.servers.native_stack import NativeStack, missing_programs  # noqa: E402


def restart_airflow(stack: NativeStack, settings: dict[str, str]) -> None:
    """Stop the Airflow processes and start them again with ``settings`` over the stack's."""
    for name in sorted(stack.services):
        if name != "redis":
            stack.services.pop(name).stop()
    base = {k: v for k, v in BASE_ENV.items() if k not in settings}
    stack._env = {**base, **settings}  # noqa: SLF001
    stack._start_airflow()  # noqa: SLF001


BASE_ENV: dict[str, str] = {}


def cpu_line(meter: CpuMeter, seconds: float) -> str:
    parts = ", ".join(f"{label} {spent:.1f}" for label, spent in meter.by_label().items()
                      if abs(spent) >= 0.05)
    return f"CPU {meter.total:.1f} s ({meter.total / seconds:.3f} cores): {parts}"


def run_seconds(stack: NativeStack, run_id: str) -> float:
    run = stack.api("GET", f"/dags/docket_ingest/dagRuns/{run_id}")
    return (datetime.fromisoformat(run["end_date"])
            - datetime.fromisoformat(run["queued_at"])).total_seconds()


def one_round(stack: NativeStack, label: str, settings: dict[str, str] | None,
              args: argparse.Namespace, roots: list[int]) -> None:
    if settings is not None:
        restart_airflow(stack, settings)
    stack.unpause("docket_ingest")
    wait_idle(stack, time.monotonic() + 300)
    # A first run outside the figures: the API server's first execution-API calls
    # after its start cost it ~2.5 CPU s.  Paused while idle: no scheduled run.
    stack.wait_for_run("docket_ingest", stack.trigger("docket_ingest"), timeout=300)
    stack.api("PATCH", "/dags/docket_ingest", json={"is_paused": True})
    time.sleep(args.settle)
    meter = CpuMeter(*roots).start()
    time.sleep(args.idle)
    meter.stop()
    stack.unpause("docket_ingest")
    time.sleep(3.0)  # a scheduled run that fell due while paused starts now
    wait_idle(stack, time.monotonic() + 300)
    print(f"{label}: idle {args.idle:.0f} s, {load()}\n  {cpu_line(meter, args.idle)}", flush=True)
    meter, started, walls = CpuMeter(*roots).start(), time.monotonic(), []
    for _ in range(args.runs):
        run_id = stack.trigger("docket_ingest")
        state = stack.wait_for_run("docket_ingest", run_id, timeout=300)
        walls.append(run_seconds(stack, run_id))
        if state != "success":
            print(f"  run {run_id}: {state}")
    meter.stop()
    spent = time.monotonic() - started
    print(f"{label}: {args.runs} empty runs, {', '.join(f'{w:.1f}' for w in walls)} s "
          f"(trigger to end), {load()}\n  {cpu_line(meter, spent)}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="A B pairs (default 2)")
    parser.add_argument("--idle", type=float, default=60.0)
    parser.add_argument("--settle", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--extra", action="append", default=[], metavar="KEY=VALUE",
                        help="compare the quiet stack with these settings added instead")
    args = parser.parse_args()
    if missing := missing_programs():
        sys.exit(f"missing: {', '.join(missing)}")
    with tempfile.TemporaryDirectory(prefix="docket-stack-cpu-") as scratch:
        base = Path(scratch)
        os.chmod(base, 0o755)  # PostgreSQL runs as another user and must reach its folder
        extra = dict(item.split("=", 1) for item in args.extra)
        with NativeStack(base, docket_env={"DOCKET_QUIET_SECONDS": "0"},
                         quiet=bool(extra)) as stack:
            roots = [os.getpid(), *postmaster(base)]
            BASE_ENV.update(stack.env)
            a, b = ((("as set", {}), (" ".join(args.extra), extra))
                    if extra else (("defaults", {}), ("quiet workers", {})))
            for number in range(args.rounds * 2):  # A, B, A, B...
                label, settings = (a, b)[number % 2]
                stack.quiet = bool(extra) or number % 2 == 1
                one_round(stack, label, settings if number else None, args, roots)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
