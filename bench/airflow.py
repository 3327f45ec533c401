"""What Airflow adds per document over the plain library pipeline.

Ingests the same born-digital samples twice, each into a fresh data folder:
once with ``ingest_once`` in this process, once with ``airflow dags test
docket_ingest`` under a temporary Airflow home (its database set up before the
clock starts).  Prints seconds per document for each and the overhead.

    .venv/bin/python bench/airflow.py [--documents 1000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Run as a script, this folder comes first on sys.path, and its bench modules
# (ingest.py, airflow.py) would shadow the packages of the same names.
sys.path[:] = [str(REPO)] + [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
AIRFLOW = Path(sys.executable).with_name("airflow")


def stage(samples: Path, data_dir: Path) -> None:
    from ingest.samples import stage_into_inbox

    stage_into_inbox(samples, data_dir / "inbox")


def run_library(samples: Path, data_dir: Path) -> tuple[float, int]:
    from ingest.backends import open_backends
    from ingest.pipeline import ingest_once
    from ingest.settings import Settings

    stage(samples, data_dir)
    settings = Settings(root=data_dir, data_dir=data_dir, quiet_seconds=0)
    start = time.perf_counter()
    with open_backends(settings) as backends:
        report = ingest_once(settings, backends, wait=False)
    return time.perf_counter() - start, report.summary()["archived"]


def airflow_env(home: Path, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "DOCKET_"))}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        "DOCKET_DATA_DIR": str(data_dir),
        "DOCKET_QUIET_SECONDS": "0",
    })
    return env


def run_airflow(samples: Path, data_dir: Path, home: Path) -> tuple[float, int]:
    from ingest.backends import open_backends
    from ingest.settings import Settings

    env = airflow_env(home, data_dir)
    for step in (("db", "migrate"), ("dags", "reserialize")):
        subprocess.run([str(AIRFLOW), *step], env=env, check=True, capture_output=True)
    stage(samples, data_dir)
    start = time.perf_counter()
    subprocess.run([str(AIRFLOW), "dags", "test", "docket_ingest"], env=env, check=True,
                   capture_output=True)
    elapsed = time.perf_counter() - start
    settings = Settings(root=data_dir, data_dir=data_dir)
    with open_backends(settings) as backends:
        archived = sum(1 for _ in backends.register.iter_documents())
    return elapsed, archived


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args()
    from ingest.samples import generate_samples

    work = Path(tempfile.mkdtemp(prefix="docket-bench-airflow-"))
    try:
        samples = work / "samples"
        generate_samples(samples, profile="bench", born_digital=args.documents, scanned_pages=0)
        plain, plain_n = run_library(samples, work / "plain")
        flow, flow_n = run_airflow(samples, work / "airflow", work / "airflow-home")
        per_plain, per_flow = plain / max(1, plain_n), flow / max(1, flow_n)
        print(f"documents: {plain_n} (library) / {flow_n} (airflow)")
        print(f"library ingest_once:  {plain:8.1f} s  {per_plain * 1000:7.1f} ms/document")
        print(f"airflow dags test:    {flow:8.1f} s  {per_flow * 1000:7.1f} ms/document")
        overhead = (per_flow - per_plain) / per_plain * 100 if per_plain else float("nan")
        print(f"airflow overhead:     {overhead:+.1f}% per document (target < 20%)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
