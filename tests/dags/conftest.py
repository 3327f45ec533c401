"""An Airflow home for the session: a temporary folder, SQLite, Docket's DAGs and plugins."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "dags"
PLUGINS = REPO / "plugins"
AIRFLOW = Path(sys.executable).with_name("airflow")


def airflow_environment(home: Path) -> dict[str, str]:
    """The environment of an Airflow that knows only Docket's DAGs."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AIRFLOW", "DOCKET_"))}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PLUGINS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        "PATH": f"{AIRFLOW.parent}{os.pathsep}{os.environ.get('PATH', '')}",
    })
    return env


@dataclass
class AirflowHome:
    home: Path
    env: dict[str, str]

    def run(self, *args: str, extra_env: dict[str, str] | None = None,
            timeout: float = 400) -> subprocess.CompletedProcess[str]:
        """``airflow ARGS`` in this home; output kept for the assertion message."""
        env = {**self.env, **(extra_env or {})}
        return subprocess.run([str(AIRFLOW), *args], env=env, cwd=self.home, text=True,
                              capture_output=True, timeout=timeout, check=False)


@pytest.fixture(scope="session")
def airflow_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AirflowHome]:
    """``airflow db migrate`` and ``dags reserialize`` once for the whole session."""
    home = tmp_path_factory.mktemp("airflow-home")
    airflow = AirflowHome(home, airflow_environment(home))
    for step in (("db", "migrate"), ("dags", "reserialize")):
        result = airflow.run(*step)
        assert result.returncode == 0, f"airflow {' '.join(step)}:\n{result.stderr[-4000:]}"
    yield airflow
    shutil.rmtree(home, ignore_errors=True)
