"""What Airflow adds per document over the plain library pipeline.

Ingests the same born-digital samples, each time into a fresh data folder:

* with ``ingest_once`` in this process, once before and once after the Airflow
  run (the machine is shared, so the mean of the two brackets the Airflow run);
* under a real scheduler: ``airflow standalone`` (scheduler, LocalExecutor,
  API server, DAG processor, triggerer) in a temporary Airflow home, the run
  started with ``airflow dags trigger``, as an office's deployment runs it;
* with ``airflow dags test docket_ingest`` in another temporary home (its
  database migrated and the DAGs serialized before any clock starts).

Airflow's time is printed three ways, because they answer different questions:

* the whole ``airflow dags test`` command, as a wall clock: includes the
  one-off start-up of the command (Python and Airflow imports, plugins, parsing
  the DAG folder, the DB session) that a long-running scheduler pays once,
  not per run and not per document;
* the DAG run itself, from Airflow's metadata database: claim, the mapped
  ``process`` tasks, finish, and the scheduling between them.  Under the
  scheduler it runs from the trigger (``queued_at``) to the run's end.
  **The target (< 15 % per document) is judged on the scheduler's run**: it is
  how Docket runs in production; ``dags test`` is a debugging command that
  builds a new in-process Execution API application for every task instance
  (~3 s each, measured with py-spy), which no deployment pays;
* the fixed cost of a run, measured by an extra ``dags test`` on an empty
  inbox before the real one, so it is printed, not hidden.
* the floor: under the same scheduler, ``docket_bench_floor``
  (``bench/floor_dag.py``) runs the same shape as the measured run (claim, as
  many mapped ``process`` tasks, as many side by side, finish) with tasks
  that do nothing.  It is what Airflow itself costs for that many task
  instances, whatever Docket does inside them, and it is printed against the
  library's time and the 15 % the target leaves.

Python bytecode: this machine sets ``PYTHONDONTWRITEBYTECODE=1`` and the
virtualenv was installed without ``.pyc`` files, so every new Python process
(each ``airflow`` command, each sandbox worker) compiles every module it
imports from source: ~24 s of an ``airflow dags test`` under load.  A normal
install has the bytecode, so by default both sides of the benchmark use a
bytecode cache outside the virtualenv (``PYTHONPYCACHEPREFIX``), warmed before
the clocks start; ``--no-bytecode-cache`` measures the machine as it is.

    .venv/bin/python bench/airflow.py [--documents 1000] [--batch-size N] [--skip-dags-test]
    .venv/bin/python bench/airflow.py --documents 0 --scanned-pages 50 --skip-dags-test
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Run as a script, this folder comes first on sys.path, and its bench modules
# (ingest.py, airflow.py) would shadow the packages of the same names.
sys.path[:] = [str(REPO)] + [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
AIRFLOW = Path(sys.executable).with_name("airflow")
DAG_ID = "docket_ingest"
FLOOR_DAG_ID = "docket_bench_floor"
PYCACHE = Path(tempfile.gettempdir()) / "docket-bench-pycache"

from bench.cputree import CpuMeter, tree_cpu  # noqa: E402  (after the path is set)

IDLE_SECONDS = 10.0  # Airflow's processes watched idle, for their CPU a second
SAMPLE_CPU = False  # --cpu: CPU seconds by process (the sampling slows a short run)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} (1/5 min)"


def use_bytecode_cache(folder: Path) -> None:
    """Cache bytecode in ``folder``, here and in every child process."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder)
    sys.dont_write_bytecode = False
    sys.pycache_prefix = str(folder)


def stage(samples: Path, data_dir: Path) -> None:
    from ingest.samples import stage_into_inbox

    stage_into_inbox(samples, data_dir / "inbox")


def count_archived(data_dir: Path) -> int:
    from ingest.backends import open_backends
    from kernel.settings import Settings

    with open_backends(Settings(root=data_dir, data_dir=data_dir)) as backends:
        return sum(1 for _ in backends.register.iter_documents())


def run_library(samples: Path, data_dir: Path, batch_size: int | None) -> tuple[float, float]:
    """Seconds for ``ingest_once`` over the staged samples (imports done before the clock),
    and the CPU seconds of this process and its children (sandbox workers, Tesseract).

    The sandbox's fork server of an earlier run is stopped first: each run starts
    its own, as ``docket ingest`` and every Airflow lane do (~0.45 CPU s).
    """
    from multiprocessing import forkserver

    from ingest.backends import open_backends
    from ingest.pipeline import ingest_once
    from kernel.settings import Settings

    stage(samples, data_dir)
    extra = {"batch_size": batch_size} if batch_size else {}
    settings = Settings(root=data_dir, data_dir=data_dir, quiet_seconds=0, **extra)
    forkserver._forkserver._stop()  # type: ignore[attr-defined]
    cpu = tree_cpu(os.getpid())
    start = time.perf_counter()
    with open_backends(settings) as backends:
        ingest_once(settings, backends, wait=False)
    return time.perf_counter() - start, tree_cpu(os.getpid()) - cpu


def airflow_env(home: Path, data_dir: Path, batch_size: int | None,
                dags: Path = REPO / "dags") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "DOCKET_"))}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        "DOCKET_DATA_DIR": str(data_dir),
        "DOCKET_QUIET_SECONDS": "0",
    })
    if batch_size:
        env["DOCKET_BATCH_SIZE"] = str(batch_size)
    return env


@dataclass
class DagRunTiming:
    """One DAG run as Airflow's metadata database recorded it."""

    seconds: float  # the run's start to end
    tasks: dict[str, list[float]] = field(default_factory=dict)  # task_id -> durations

    @property
    def in_tasks(self) -> float:
        return sum(sum(d) for d in self.tasks.values())


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def last_dag_run(home: Path, run_kind: str = "", dag_id: str = DAG_ID) -> DagRunTiming:
    """The timing of the newest run of ``dag_id`` in ``home``'s SQLite database.

    ``run_kind``: ``manual`` or ``scheduled`` to pick the newest run of that
    kind (a scheduler may queue its own run while a triggered one works).
    """
    db = sqlite3.connect(home / "airflow.db")
    try:
        run_id, queued, started, ended = db.execute(
            "SELECT run_id, queued_at, start_date, end_date FROM dag_run "
            "WHERE dag_id = ? AND run_id LIKE ? ORDER BY id DESC LIMIT 1",
            (dag_id, f"{run_kind}%")).fetchone()
        rows = db.execute(
            "SELECT task_id, start_date, end_date FROM task_instance "
            "WHERE dag_id = ? AND run_id = ?", (dag_id, run_id)).fetchall()
    finally:
        db.close()
    tasks: dict[str, list[float]] = defaultdict(list)
    first, last = _when(started), _when(ended)
    if run_kind == "manual" and queued:
        first = _when(queued)  # a triggered run: from the trigger, pick-up included
    for task_id, task_start, task_end in rows:
        if task_start and task_end:
            tasks[task_id].append((_when(task_end) - _when(task_start)).total_seconds())
            first = min(first, _when(task_start))
    # dags test stamps the run's start date before its set-up; the first task
    # start is where the run's work begins, and the earlier of the two is used.
    return DagRunTiming((last - first).total_seconds(), dict(tasks))


def _run_state(home: Path, run_kind: str, dag_id: str) -> str | None:
    db = sqlite3.connect(home / "airflow.db")
    try:
        row = db.execute("SELECT state FROM dag_run WHERE dag_id = ? AND run_id LIKE ? "
                         "ORDER BY id DESC LIMIT 1", (dag_id, f"{run_kind}%")).fetchone()
    except sqlite3.OperationalError:  # the scheduler holds a write lock: ask again
        return None
    finally:
        db.close()
    return row[0] if row else None


def _wait_for_run(home: Path, run_kind: str, dag_id: str = DAG_ID,
                  timeout: float = 1800) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = _run_state(home, run_kind, dag_id)
        if state in ("success", "failed"):
            if state == "failed":
                sys.exit(f"the {run_kind} {dag_id} run failed: see {home}/logs")
            return
        time.sleep(0.5)
    sys.exit(f"the {run_kind} {dag_id} run did not end within {timeout:.0f} s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Standalone:
    """``airflow standalone`` in its own Airflow home, stopped with its process group."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        port = _free_port()
        self.env = {**env,
                    "PATH": f"{AIRFLOW.parent}{os.pathsep}{env.get('PATH', '')}",
                    "AIRFLOW__API__HOST": "127.0.0.1",
                    "AIRFLOW__API__PORT": str(port),
                    "AIRFLOW__CORE__EXECUTION_API_SERVER_URL":
                        f"http://127.0.0.1:{port}/execution/",
                    "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
                    # as docker-compose.yml and docs/airflow.md deploy it
                    "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.2",
                    "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "300",
                    # A/B of the task supervisor's heartbeat (docs/stack.md): unset, Airflow's 5 s
                    **({"AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL": beat}
                       if (beat := os.environ.get("BENCH_MIN_HEARTBEAT")) else {})}
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Standalone:
        prepare_home(self.env)
        with self.log.open("wb") as out:
            self.process = subprocess.Popen([str(AIRFLOW), "standalone"], env=self.env,
                                            stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        deadline = time.monotonic() + 600
        while b"Airflow is ready" not in self.log.read_bytes():
            if self.process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"airflow standalone did not start: see {self.log}")
            time.sleep(1)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is None:
            return
        for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.process.pid, sig)
                self.process.wait(wait)
                return
            except ProcessLookupError:
                return
            except subprocess.TimeoutExpired:
                continue

    def airflow(self, *args: str) -> None:
        subprocess.run([str(AIRFLOW), *args], env=self.env, check=True, capture_output=True)


def process_side_by_side() -> int:
    """The lanes ``docket_ingest`` runs side by side: ``ingest_lanes`` of the settings."""
    from kernel.settings import DEFAULT_LANES, load_settings

    return load_settings().ingest_lanes or DEFAULT_LANES  # LocalExecutor: no Celery slots


def bench_dags_folder(folder: Path) -> Path:
    """Docket's DAGs and the floor DAG, side by side in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for dag_file in (REPO / "dags").glob("*.py"):
        shutil.copy2(dag_file, folder / dag_file.name)
    shutil.copy2(Path(__file__).with_name("floor_dag.py"), folder / f"{FLOOR_DAG_ID}.py")
    return folder


@dataclass
class SchedulerRuns:
    empty: DagRunTiming  # a scheduled run on an empty inbox: the fixed cost of a run
    run: DagRunTiming  # the triggered run of the samples
    floor: DagRunTiming  # the same shape of run with tasks that do nothing
    side_by_side: int  # process tasks at a time, in both runs
    archived: int
    run_cpu: CpuMeter  # Airflow's whole process tree during the triggered run
    floor_cpu: CpuMeter  # ... during the floor's run
    idle_cpu: float  # ... a second, idle (before the trigger)


def scheduler_runs(samples: Path, work: Path, batch_size: int | None) -> SchedulerRuns:
    """Under a real scheduler: an empty-inbox run, the triggered run, and its floor."""
    home, data_dir = work / "scheduler-home", work / "scheduler"
    env = airflow_env(home, data_dir, batch_size, dags=bench_dags_folder(work / "dags"))
    side_by_side = process_side_by_side()
    env["DOCKET_BENCH_FLOOR_SIDE_BY_SIDE"] = str(side_by_side)
    with Standalone(env, work / "standalone.log") as af:
        af.airflow("dags", "unpause", DAG_ID)  # queues a scheduled run: the inbox is empty
        _wait_for_run(home, "scheduled")
        empty = last_dag_run(home, "scheduled")
        assert af.process is not None
        idle = CpuMeter(af.process.pid, sampling=SAMPLE_CPU).start()
        time.sleep(IDLE_SECONDS)
        idle_cpu = idle.stop().total / IDLE_SECONDS
        stage(samples, data_dir)
        run_cpu = CpuMeter(af.process.pid, sampling=SAMPLE_CPU).start()
        af.airflow("dags", "trigger", DAG_ID)
        _wait_for_run(home, "manual")
        run_cpu.stop()
        run = last_dag_run(home, "manual")
        af.airflow("dags", "unpause", FLOOR_DAG_ID)
        tasks = len(run.tasks.get("process", [])) or 1
        floor_cpu = CpuMeter(af.process.pid, sampling=SAMPLE_CPU).start()
        af.airflow("dags", "trigger", FLOOR_DAG_ID, "--conf", json.dumps({"tasks": tasks}))
        _wait_for_run(home, "manual", FLOOR_DAG_ID)
        floor_cpu.stop()
        floor = last_dag_run(home, "manual", FLOOR_DAG_ID)
    return SchedulerRuns(empty, run, floor, side_by_side, count_archived(data_dir),
                         run_cpu, floor_cpu, idle_cpu)


def dags_test(env: dict[str, str]) -> float:
    """Wall seconds of one ``airflow dags test docket_ingest``."""
    start = time.perf_counter()
    result = subprocess.run([str(AIRFLOW), "dags", "test", DAG_ID], env=env, text=True,
                            capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"airflow dags test failed:\n{(result.stdout + result.stderr)[-4000:]}")
    return elapsed


def prepare_home(env: dict[str, str]) -> None:
    for step in (("db", "migrate"), ("dags", "reserialize")):
        subprocess.run([str(AIRFLOW), *step], env=env, check=True, capture_output=True)


def per_doc(seconds: float, documents: int) -> str:
    return f"{seconds:8.1f} s  {seconds / max(1, documents) * 1000:7.1f} ms/document"


def overhead(label: str, airflow: float, library: float, documents: int) -> str:
    extra = (airflow - library) / max(1, documents) * 1000
    percent = (airflow - library) / library * 100 if library else float("nan")
    return f"  {label:<34} {extra:+7.1f} ms/document  {percent:+7.1f}%"


def print_run(label: str, run: DagRunTiming, library: float, documents: int) -> None:
    print(f"  {label:<32} {per_doc(run.seconds, documents)}")
    for task_id, durations in run.tasks.items():
        print(f"    task {task_id:<10} x{len(durations):<4} {sum(durations):7.1f} s  "
              f"({sum(durations) / len(durations):.2f} s each)")
    mapped = max(1, len(run.tasks.get("process", [])))
    between = run.seconds - run.in_tasks
    print(f"    outside tasks (scheduling, state writes; negative: tasks overlapped) "
          f"{between:+6.1f} s")
    print(f"    inside tasks minus library  {run.in_tasks - library:+6.1f} s  "
          f"({(run.in_tasks - library) / mapped:+.2f} s per lane)")


def print_cpu(runs: SchedulerRuns, library: float, library_cpu: float) -> None:
    """CPU seconds, less at the mercy of the machine's other users than wall seconds.

    The floor run is short: it misses what Airflow's servers spend while a long
    run works (the scheduler's loop, the dag-processor, the triggerer, the API
    server), taken from the cores the OCR needs.  Their idle CPU a second, times
    the library's time, over the cores, is that second floor.
    """
    run, floor = runs.run_cpu, runs.floor_cpu
    extra = run.total - library_cpu
    cores = os.cpu_count() or 1
    idle_share = runs.idle_cpu * library / cores
    print(f"  CPU (this machine is shared: less noisy than wall time): library "
          f"{library_cpu:.1f} s; Airflow's process tree during the DAG run {run.total:.1f} s, "
          f"{extra:+.1f} s ({extra / library_cpu * 100:+.1f}%); during the floor run "
          f"{floor.total:.1f} s")
    print(f"  Airflow's servers idle: {runs.idle_cpu:.2f} CPU s a second; over the library's "
          f"{library:.0f} s on {cores} cores that is {idle_share:.1f} s = "
          f"{idle_share / library * 100:.0f}% of the library's time (a floor the empty-task "
          f"run does not show, for work that keeps every core busy)")
    print("    DAG run by process: " + ", ".join(
        f"{label} {seconds:.1f}" for label, seconds in run.by_label().items()
        if abs(seconds) >= 0.05))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=1000,
                        help="born-digital documents (default 1000)")
    parser.add_argument("--scanned-pages", type=int, default=0,
                        help="scanned pages instead or as well (the scan target: 50 pages, "
                        "overhead < 3%%)")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="DOCKET_BATCH_SIZE for both sides (default: the settings')")
    parser.add_argument("--skip-dags-test", action="store_true",
                        help="measure only the scheduler's run, not ``airflow dags test``")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="compile every module from source in every process, as this "
                        "machine's environment does")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work folder (Airflow's logs, the archives)")
    parser.add_argument("--cpu", action="store_true",
                        help="print CPU seconds by process (samples /proc every 0.5 s, "
                        "which made the lanes of a 10 s born-digital run 1-2 s slower)")
    args = parser.parse_args()
    global SAMPLE_CPU
    SAMPLE_CPU = args.cpu
    if not args.no_bytecode_cache:
        use_bytecode_cache(PYCACHE)
    from ingest.samples import generate_samples

    target = 3 if args.scanned_pages and not args.documents else 15
    work = Path(tempfile.mkdtemp(prefix="docket-bench-airflow-"))
    try:
        samples = work / "samples"
        documents = len(generate_samples(samples, profile="bench", born_digital=args.documents,
                                         scanned_pages=args.scanned_pages))
        # Warm-up: fills the bytecode cache of the library and its sandbox workers.
        generate_samples(work / "warm", profile="bench", born_digital=8, scanned_pages=0)
        run_library(work / "warm", work / "plain-warm", args.batch_size)
        print(f"bytecode: {'compiled from source' if args.no_bytecode_cache else PYCACHE}")
        print(f"start: {load()}")
        libraries = [run_library(samples, work / "plain-1", args.batch_size)]
        print(f"library run 1: {libraries[0][0]:.1f} s, {libraries[0][1]:.1f} CPU s; {load()}",
              flush=True)
        under_scheduler = scheduler_runs(samples, work, args.batch_size)
        tested = None
        if not args.skip_dags_test:
            home, data_dir = work / "airflow-home", work / "airflow"
            env = airflow_env(home, data_dir, args.batch_size)
            prepare_home(env)
            empty_wall = dags_test(env)  # nothing staged yet: the fixed cost of a run
            empty_test = last_dag_run(home)
            stage(samples, data_dir)
            wall = dags_test(env)
            tested = (wall, last_dag_run(home), empty_wall, empty_test, count_archived(data_dir))
        libraries.append(run_library(samples, work / "plain-2", args.batch_size))
        print(f"end:   {load()}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    library = sum(seconds for seconds, _ in libraries) / len(libraries)
    library_cpu = sum(cpu for _, cpu in libraries) / len(libraries)
    runs = ", ".join(f"{s:.1f} s ({cpu:.1f} CPU s)" for s, cpu in libraries)
    print(f"documents: {documents} ({args.documents} born-digital, {args.scanned_pages} "
          f"scanned pages), batch size "
          f"{args.batch_size or 'from settings'}")
    print(f"library ingest_once                {per_doc(library, documents)}  "
          f"({documents / library:.1f} docs/s; mean of {runs})")
    scheduled, floor = under_scheduler.run, under_scheduler.floor
    print(f"under the scheduler (airflow standalone, LocalExecutor): "
          f"{under_scheduler.archived} archived")
    print_run("DAG run, trigger to end", scheduled, library, documents)
    print(f"  fixed cost of a run (empty inbox, scheduled): "
          f"{under_scheduler.empty.seconds:.1f} s")
    print(overhead(f"overhead  <- target < {target}%", scheduled.seconds, library, documents))
    mapped = len(floor.tasks.get("process", []))
    print(f"  floor: the same run with tasks that do nothing (claim, {mapped} process "
          f"lanes, {under_scheduler.side_by_side} side by side, finish)")
    print(f"    trigger to end {floor.seconds:6.1f} s  = {floor.seconds / library * 100:.0f}% "
          f"of the library's time; the target leaves Airflow {target / 100 * library:.1f} s")
    if SAMPLE_CPU:
        print_cpu(under_scheduler, library, library_cpu)
    if tested is not None:
        wall, run, empty_wall, empty_test, archived_test = tested
        print(f"airflow dags test (debugging command): {archived_test} archived")
        print(f"  whole command (wall)             {per_doc(wall, documents)}")
        print_run("DAG run (meta DB)", run, library, documents)
        print(f"  fixed cost (empty inbox): {empty_wall:.1f} s wall, "
              f"{empty_test.seconds:.1f} s DAG run")
        print(overhead("overhead, DAG run", run.seconds, library, documents))
        print(overhead("overhead, whole command", wall, library, documents))
    print("The target is judged on the scheduler's run: that is how an office runs "
          "Docket; dags test builds a new Execution API app for every task instance.")


if __name__ == "__main__":
    main()
