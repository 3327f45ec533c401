"""The real stack, run for real on one machine: Airflow on Celery, PostgreSQL, Redis, S3.

``tests/servers/native_stack.py`` starts what docker-compose.yml runs (less
Elasticsearch: the index is SQLite here), natively on loopback ports: two
Celery workers with one process slot each.  Everything is driven through
Airflow's REST API, as a person or another system would: no ``dags test``.

1. 200 mixed files (text PDFs, DOCX, scans, a TIFF, hostile files) are
   dropped in the inbox; ``docket_ingest``, ``docket_index`` and
   ``docket_monthly_report`` are triggered and waited for.  Every file is in
   S3 with its SHA-256 (the object read back) or quarantined with a reason
   file; register numbers run 1..n in PostgreSQL; both workers ran tasks; the
   report counts what the register holds.
2. 100 more files; the worker of a running lane is killed with SIGKILL (its whole process group,
   as when a machine dies) while it processes them.  The files are taken up
   (by the task's retry or a later run), none lost, none numbered twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.servers.native_stack import NativeStack, missing_programs

MISSING = missing_programs()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1200),
    pytest.mark.skipif(bool(MISSING), reason=f"not installed: {', '.join(MISSING)}"),
]

# Ingest is CPU-bound on 2 shared cores; these bound the waits, not the expected times.
RUN_TIMEOUT = 480.0
# A task whose worker died is failed by the scheduler after this long without a
# heartbeat (Airflow's default is 300 s), then retried after the DAG's retry delay.
HEARTBEAT_TIMEOUT = "40"
# Run 1 holds 200 files: the demo's documents (a few scans), the hostile set, and these.
FIRST_BORN_DIGITAL = 152  # + the 48 chosen demo documents and hostile files = 200


def _docket_env() -> dict[str, str]:
    """Docket's settings for the test: small groups so two workers share the work
    (``ingest_lanes`` unset: the claim asks the workers for their slots)."""
    return {
        "DOCKET_QUIET_SECONDS": "0",
        "DOCKET_WORKERS": "1",  # one sandbox process per worker: each worker is one core
        "DOCKET_OCR_LANGUAGES": '["vie", "eng"]',  # OCR accuracy is not the question here
        "DOCKET_BATCH_SIZE": "8",
    }


@pytest.fixture(scope="module")
def stack() -> Iterator[NativeStack]:
    # Not under pytest's tmp root: PostgreSQL runs as another user and must reach it.
    # DOCKET_STACK_KEEP=1 keeps the folder (logs, inbox, data) after the test.
    base = Path(tempfile.mkdtemp(prefix="docket-stack-"))
    os.chmod(base, 0o755)
    stack = NativeStack(base, docket_env={
        **_docket_env(),
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": HEARTBEAT_TIMEOUT,
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
    })
    started = time.monotonic()
    stack.start()
    print(f"stack up in {time.monotonic() - started:.0f}s: {stack.api_url} (logs {base}/logs)")
    try:
        for dag_id in ("docket_ingest", "docket_index", "docket_monthly_report"):
            stack.unpause(dag_id)
        # Unpausing starts the latest scheduled run at once: let it finish on an
        # empty inbox so the runs below are the ones that take the files.
        _wait_until_idle(stack, "docket_ingest")
        yield stack
    finally:
        stack.stop()
        if os.environ.get("DOCKET_STACK_KEEP"):
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def first_files(stack: NativeStack) -> dict[Path, str]:
    """Run 1's files, dropped in the inbox: inbox-relative path -> SHA-256."""
    return _drop(stack, _first_set(stack.base / "samples-1"))


def _hostile_expectations() -> dict[Path, str]:
    """Inbox-relative path -> expected outcome of each hostile file (``write_hostile_set``)."""
    from ingest.samples.hostile import write_hostile_set

    scratch = Path(tempfile.mkdtemp(prefix="docket-hostile-"))
    try:
        return {case.path.relative_to(scratch): case.expected
                for case in write_hostile_set(scratch)}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def test_a_mixed_inbox_goes_through_airflow_on_celery(stack: NativeStack,
                                                      first_files: dict[Path, str]) -> None:
    started = time.monotonic()
    ingest = _run(stack, "docket_ingest")
    ingest_seconds = time.monotonic() - started
    _wait_until_idle(stack, "docket_ingest")
    index = _run(stack, "docket_index")
    month_start, month_end = _this_month()
    report = _run(stack, "docket_monthly_report", logical_date=month_start.isoformat(),
                  data_interval_start=month_start.isoformat(),
                  data_interval_end=month_end.isoformat())
    print(f"run 1: {len(first_files)} files ingested in {ingest_seconds:.0f}s")

    assert stack.run_state("docket_ingest", ingest) == "success", _logs_hint(stack)
    assert stack.run_state("docket_index", index) == "success", _logs_hint(stack)
    assert stack.run_state("docket_monthly_report", report) == "success", _logs_hint(stack)

    documents = _register_rows(stack)
    outcomes = _outcomes(stack, first_files, documents)
    hostile = _hostile_expectations()
    expected = {path: hostile.get(path, "archived") for path in first_files}
    assert outcomes == expected
    _check_numbers(documents)
    assert all(row["index_state"] == "indexed" for row in documents), "docket_index left some"

    # ingest_lanes is unset: the claim asked the two one-slot workers for their slots.
    assert stack.xcom("docket_ingest", ingest, "claim") == [0, 1]
    hosts = _worker_hosts(stack, "docket_ingest")
    print(f"run 1: {len(documents)} registered, {len(first_files) - len(documents)} "
          f"quarantined; task instances on {sorted(hosts)}")
    assert {"worker-1", "worker-2"} <= hosts, f"task instances ran on {hosts}"

    summary = stack.xcom("docket_monthly_report", report, "write_report")
    month = month_start.date()
    for direction in ("incoming", "outgoing"):
        in_register = sum(1 for row in documents if row["direction"] == direction
                          and row["secrecy"] == 0 and _month_of(row) == month)
        assert summary[direction] == in_register, (direction, summary)


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(
        stack: NativeStack, first_files: dict[Path, str]) -> None:
    before = {row["sha256"] for row in _register_rows(stack)}
    files = _drop(stack, _second_set(stack.base / "samples-2"))
    started = time.monotonic()
    run_id = stack.trigger("docket_ingest")
    victim = _kill_a_busy_worker(stack, run_id, len(before))
    print(f"killed {victim} {time.monotonic() - started:.0f}s into the run")

    # The killed task is failed by the scheduler (no heartbeat), retried on the
    # surviving worker; whatever a failed run leaves, the next run takes.
    runs = [run_id]
    deadline = time.monotonic() + 2 * RUN_TIMEOUT
    while True:
        stack.wait_for_run("docket_ingest", runs[-1], RUN_TIMEOUT)
        _wait_until_idle(stack, "docket_ingest")
        if not _files_waiting(stack) or time.monotonic() > deadline:
            break
        runs.append(stack.trigger("docket_ingest"))
    print(f"run 2: {len(files)} files with {victim} killed, done in "
          f"{time.monotonic() - started:.0f}s over runs {runs}")

    documents = _register_rows(stack)
    outcomes = _outcomes(stack, files, documents)
    assert outcomes == dict.fromkeys(files, "archived")
    _check_numbers(documents)
    new = {row["sha256"] for row in documents} - before
    assert new <= set(files.values())  # nothing else appeared


# -- the files -------------------------------------------------------------


def _first_set(folder: Path) -> Path:
    """200 files: born-digital PDFs and DOCX, scanned PDFs, a TIFF, hostile files."""
    from ingest.samples import generate_samples, load_truth
    from ingest.samples.hostile import write_hostile_set

    demo = folder / "demo"
    generate_samples(demo, seed=1, profile="demo")
    chosen = folder / "chosen"
    ocr_pages = 0
    for path in sorted(demo.rglob("*")):
        if not path.is_file() or path.name.endswith(".truth.json"):
            continue
        truth = load_truth(path)
        if truth["kind"] not in ("text_pdf", "docx", "text"):
            if ocr_pages >= 6 and truth["kind"] != "tiff":
                continue  # OCR costs ~10 s a page here: a few scans, the TIFF always
            ocr_pages += truth["pages"]
        target = chosen / path.relative_to(demo)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    generate_samples(chosen, seed=11, profile="bench", born_digital=FIRST_BORN_DIGITAL,
                     scanned_pages=0)
    write_hostile_set(chosen)
    return chosen


def _second_set(folder: Path) -> Path:
    """100 new files: 94 born-digital, 6 scanned pages (slow: lanes are caught halfway)."""
    from ingest.samples import generate_samples

    generate_samples(folder, seed=2, profile="bench", born_digital=94, scanned_pages=6)
    return folder


def _drop(stack: NativeStack, samples: Path) -> dict[Path, str]:
    """Copy the documents (not their truth files) into the inbox; path -> SHA-256."""
    from ingest.samples import stage_into_inbox

    dropped: dict[Path, str] = {}
    for path in sorted(samples.rglob("*")):
        relative = path.relative_to(samples)
        if path.is_file() and not path.name.endswith(".truth.json") and \
                relative.parts[0] in ("incoming", "outgoing"):
            dropped[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    assert stage_into_inbox(samples, stack.inbox) == len(dropped)
    return dropped


# -- Airflow ---------------------------------------------------------------


def _run(stack: NativeStack, dag_id: str, **body: Any) -> str:
    run_id = stack.trigger(dag_id, **body)
    stack.wait_for_run(dag_id, run_id, RUN_TIMEOUT)
    return run_id


def _wait_until_idle(stack: NativeStack, dag_id: str) -> None:
    deadline = time.monotonic() + RUN_TIMEOUT
    while stack.active_runs(dag_id):
        assert time.monotonic() < deadline, f"{dag_id} still running"
        time.sleep(2.0)


def _worker_hosts(stack: NativeStack, dag_id: str) -> set[str]:
    hosts = set()
    for run in stack.api("GET", f"/dags/{dag_id}/dagRuns", params={"limit": 100})["dag_runs"]:
        hosts |= {ti["hostname"] for ti in stack.task_instances(dag_id, run["dag_run_id"])
                  if ti["hostname"]}
    return hosts


def _kill_a_busy_worker(stack: NativeStack, run_id: str, registered_before: int) -> str:
    """SIGKILL the worker of a running ``process`` task (a lane) caught halfway.

    Halfway: the register has grown since the run began and every running lane's
    folder (``.docket/work/lane-*``) still holds files, so whichever worker is
    killed leaves work behind that its lane's lease must give back.
    """
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        running = [ti for ti in stack.task_instances("docket_ingest", run_id)
                   if ti["task_id"] == "process" and ti["state"] == "running" and ti["hostname"]]
        lanes = _lane_files(stack)
        if running and len(lanes) == len(running) and min(lanes) >= 2 and \
                len(_register_rows(stack)) > registered_before:
            host = str(running[0]["hostname"])
            stack.services[host].kill()
            print(f"{host} killed; files in the lane folders: {lanes}")
            return host
        time.sleep(0.3)
    raise AssertionError("the run never had every lane busy while files were numbered")


def _lane_files(stack: NativeStack) -> list[int]:
    """For each lane folder now, the files in it (taken by a lane, not yet done)."""
    work = stack.inbox / ".docket" / "work"
    return [sum(1 for path in lane.rglob("*") if path.is_file()
                and not path.name.startswith(".")) for lane in work.glob("lane-*")]


def _logs_hint(stack: NativeStack) -> str:
    return f"see the logs under {stack.base / 'logs'} and {stack.airflow_home / 'logs'}"


# -- what the stack holds ----------------------------------------------------


def _register_rows(stack: NativeStack) -> list[dict[str, Any]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(stack.env["DOCKET_REGISTER_URL"])
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT sha256, direction, book, reg_year, reg_number, secrecy, received_at, "
                "index_state FROM documents")).mappings().all()
    finally:
        engine.dispose()
    return [dict(row) for row in rows]


def _outcomes(stack: NativeStack, files: dict[Path, str],
              documents: list[dict[str, Any]]) -> dict[Path, str]:
    """Each file's fate: "archived" (S3 object read back, same SHA-256) or its quarantine reason.

    A file that is neither fails the test at once.
    """
    from minio import Minio

    from kernel.model import original_key

    env = stack.env
    s3 = Minio(env["DOCKET_S3_ENDPOINT"], access_key=env["DOCKET_S3_ACCESS_KEY"],
               secret_key=env["DOCKET_S3_SECRET_KEY"], secure=False)
    registered = {row["sha256"] for row in documents}
    outcomes: dict[Path, str] = {}
    for relative, sha256 in files.items():
        quarantined = stack.inbox / "quarantine" / relative
        if sha256 in registered:
            response = s3.get_object(env["DOCKET_S3_BUCKET"], original_key(sha256))
            try:
                assert hashlib.sha256(response.read()).hexdigest() == sha256, relative
            finally:
                response.close()
                response.release_conn()
            outcomes[relative] = "archived"
        elif quarantined.is_file():
            reason = quarantined.with_name(quarantined.name + ".reason.json")
            outcomes[relative] = json.loads(reason.read_text(encoding="utf-8"))["reason"]
        else:
            pytest.fail(f"{relative} neither archived nor quarantined; still waiting: "
                        f"{sorted(str(p) for p in _files_waiting(stack))}")
    return outcomes


def _files_waiting(stack: NativeStack) -> list[Path]:
    """Files still in the watched folders or a work folder."""
    waiting = []
    for top in ("incoming", "outgoing", ".docket/work"):
        root = stack.inbox / top
        if root.is_dir():
            waiting += [p for p in root.rglob("*") if p.is_file()
                        and p.name not in (".lock", ".lease", ".lease.tmp")]
    return waiting


def _check_numbers(documents: list[dict[str, Any]]) -> None:
    """In each book of each year and direction, numbers are 1..n: no gap, no repeat."""
    books: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    for row in documents:
        books[(row["reg_year"], row["direction"], row["book"])].append(row["reg_number"])
    for book, numbers in books.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), book


def _this_month() -> tuple[datetime, datetime]:
    zone = ZoneInfo("Asia/Ho_Chi_Minh")  # Settings.timezone's default: the register's months
    start = datetime.now(zone).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def _month_of(row: dict[str, Any]) -> Any:
    """The register-time-zone month a document was received in (how the report buckets)."""
    received: datetime = row["received_at"]
    if received.tzinfo is None:  # stored as UTC
        received = received.replace(tzinfo=UTC)
    return received.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date().replace(day=1)
