"""The pipeline run through Airflow: ``airflow dags test`` on a few sample files.

One scenario, in order, because each ``dags test`` costs seconds: the ingest
runs while the search index cannot be opened (DOCKET_INDEX_PATH names a
folder), so the documents are archived and registered but not searchable;
``docket_index`` then runs with the index back and makes them searchable;
``docket_monthly_report`` counts them for the month they arrived in.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ingest.backends import open_backends
from ingest.indexing import iter_records
from ingest.reports import Month, report_key, report_name
from ingest.samples import generate_samples, load_truth, stage_into_inbox
from kernel.settings import Settings
from search.model import SearchQuery
from search.sqlite_index import SqliteIndex
from tests.dags.conftest import AirflowHome

pytestmark = pytest.mark.slow

TIMEZONE = "Asia/Ho_Chi_Minh"


class Scenario:
    def __init__(self, airflow: AirflowHome, data_dir: Path) -> None:
        self.airflow = airflow
        self.data_dir = data_dir
        self.env = {"DOCKET_DATA_DIR": str(data_dir), "DOCKET_QUIET_SECONDS": "0",
                    "DOCKET_TIMEZONE": TIMEZONE}
        self.samples = generate_samples(data_dir.parent / "samples", profile="bench",
                                        born_digital=4, scanned_pages=0)
        stage_into_inbox(data_dir.parent / "samples", data_dir / "inbox")
        self.broken_index = data_dir / "index-is-a-folder"
        self.broken_index.mkdir(parents=True)

    def dags_test(self, dag_id: str, *args: str, **env: str) -> str:
        result = self.airflow.run("dags", "test", dag_id, *args, extra_env={**self.env, **env})
        output = result.stdout + result.stderr
        # ``dags test`` exits non-zero when the run fails.
        assert result.returncode == 0, output[-6000:]
        return output

    def settings(self) -> Settings:
        return Settings(root=self.data_dir, data_dir=self.data_dir, timezone=TIMEZONE)


@pytest.fixture(scope="module")
def scenario(airflow_home: AirflowHome, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return Scenario(airflow_home, tmp_path_factory.mktemp("docket") / "var")


def test_ingest_archives_while_the_index_is_down(scenario: Scenario) -> None:
    scenario.dags_test("docket_ingest", DOCKET_INDEX_PATH=str(scenario.broken_index))

    settings = scenario.settings()
    with open_backends(settings) as backends:
        records = list(iter_records(backends))
        assert sorted(r.original_name for r in records) == sorted(p.name for p in scenario.samples)
        for record in records:
            assert backends.store.verify(record.original_key, record.sha256)
        assert len(backends.register.pending_index()) == len(scenario.samples)
        assert backends.index.count() == 0
    left = [p for d in ("incoming", "outgoing") for p in (settings.inbox_location / d).rglob("*")
            if p.is_file()]
    assert left == []  # released from the watched folders

    # Documents were added, so the archive asset was announced to docket_index.
    db = sqlite3.connect(scenario.airflow.home / "airflow.db")
    events = db.execute(
        "SELECT e.extra FROM asset_event e JOIN asset a ON a.id = e.asset_id "
        "WHERE a.name = 'docket_archive'").fetchall()
    db.close()
    assert len(events) == 1 and '"added": 4' in events[0][0]


def test_index_dag_makes_them_searchable(scenario: Scenario) -> None:
    scenario.dags_test("docket_index")

    settings = scenario.settings()
    index = SqliteIndex(settings.index_location)
    try:
        assert index.count() == len(scenario.samples)
        subject = load_truth(scenario.samples[0])["metadata"]["number_symbol"]
        hits = index.search(SearchQuery(text=f'"{subject}"')).hits
        assert any(h.document.original_name == scenario.samples[0].name for h in hits)
    finally:
        index.close()
    with open_backends(settings) as backends:
        assert backends.register.pending_index() == []


def test_monthly_report_counts_the_month(scenario: Scenario) -> None:
    month = Month.containing(datetime.now(UTC), TIMEZONE)
    following = month.shifted(1)
    logical = datetime(following.year, following.month, 1, 0, 0, tzinfo=ZoneInfo(TIMEZONE))
    scenario.dags_test("docket_monthly_report", logical.isoformat())

    settings = scenario.settings()
    folder = settings.reports_location / str(month)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(report_name(month, s, level) for s in ("csv", "html", "xlsx")
                           for level in range(4))
    truths = [load_truth(p) for p in scenario.samples]
    # The general report counts open documents only; the TUYỆT MẬT one counts them all.
    for level, counted in ((0, [t for t in truths if not t["metadata"].get("secrecy")]),
                           (3, truths)):
        text = (folder / report_name(month, "csv", level)).read_text("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        directions = [t["direction"] for t in counted]
        totals = {row[1]: int(row[3]) for row in rows if row and row[0] == "Tổng hợp"}
        assert totals == {"Văn bản đến": directions.count("incoming"),
                          "Văn bản đi": directions.count("outgoing")}
    with open_backends(settings) as backends:
        assert backends.store.stat(report_key(month, "html")) is not None
