"""Every DAG loads, is tagged, retries where it should, and is cheap to parse."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.dags.conftest import DAGS, airflow_environment

EXPECTED = {"docket_ingest", "docket_index", "docket_monthly_report", "docket_fixity",
            "docket_reindex", "docket_index_optimize", "docket_deadlines"}
# Modules a DAG file must not pull in at parse time: the scheduler re-parses
# DAG files every few seconds, and these are slow to import or do I/O.
HEAVY = ("ingest", "search", "pdfplumber", "pypdfium2", "pytesseract", "openpyxl", "docx",
         "minio", "elasticsearch", "PIL", "numpy", "langdetect")


@pytest.fixture(scope="module")
def dagbag_report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Load the DagBag in a fresh interpreter, as the scheduler would."""
    home = tmp_path_factory.mktemp("dagbag-home")
    script = f"""
import json, sys
from airflow.models.dagbag import DagBag
bag = DagBag(dag_folder={str(DAGS)!r}, include_examples=False)
out = {{"errors": {{k: str(v) for k, v in bag.import_errors.items()}}, "dags": {{}}}}
for dag_id, dag in bag.dags.items():
    out["dags"][dag_id] = {{
        "tags": sorted(dag.tags),
        "retries": {{t.task_id: t.retries for t in dag.tasks}},
        "max_active_runs": dag.max_active_runs,
        "catchup": dag.catchup,
        "schedule": type(dag.timetable).__name__,
    }}
out["heavy"] = sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})
print("REPORT" + json.dumps(out))
"""
    env = airflow_environment(home)
    result = subprocess.run([sys.executable, "-c", script], env=env, text=True,
                            capture_output=True, timeout=300, check=False)
    line = next((x for x in result.stdout.splitlines() if x.startswith("REPORT")), None)
    assert line is not None, result.stderr[-4000:]
    return json.loads(line[len("REPORT"):])


def test_every_dag_imports_without_errors(dagbag_report: dict) -> None:
    assert dagbag_report["errors"] == {}
    assert set(dagbag_report["dags"]) == EXPECTED


def test_every_dag_is_tagged_and_retries(dagbag_report: dict) -> None:
    for dag_id, dag in dagbag_report["dags"].items():
        assert "docket" in dag["tags"], dag_id
        assert all(r >= 1 for r in dag["retries"].values()), (dag_id, dag["retries"])
        assert dag["catchup"] is False, dag_id
        assert dag["max_active_runs"] == 1, dag_id


def test_schedules(dagbag_report: dict) -> None:
    dags = dagbag_report["dags"]
    assert dags["docket_index"]["schedule"] == "AssetOrTimeSchedule"
    assert dags["docket_monthly_report"]["schedule"] == "CronDataIntervalTimetable"
    assert dags["docket_reindex"]["schedule"] == "NullTimetable"
    assert dags["docket_deadlines"]["schedule"] == "CronTriggerTimetable"
    assert set(dags["docket_ingest"]["retries"]) == {"claim", "process", "finish", "run_again"}


def test_no_heavy_imports_at_parse_time(dagbag_report: dict) -> None:
    assert dagbag_report["heavy"] == []
