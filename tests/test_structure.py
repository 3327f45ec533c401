"""Small rooms and Airflow at the edge, read from the source with ``ast``.

Who may import whom inside the project is ``tests/test_layers.py``; this is the
rest of the house rules (README, "How it is built"): no module over 400 lines
and no function over 60 outside tests, bench and sample data, and the
libraries and applications never import Airflow (only ``dags/`` and
``plugins/`` do).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = ("kernel", "search", "ingest", "apps")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Realistic sample documents are data written as code, not logic.
SIZE_EXEMPT = ("ingest/samples/",)


def _sources(tops: tuple[str, ...]) -> list[Path]:
    return [path for top in tops for path in sorted((ROOT / top).rglob("*.py"))]


def _sized_sources() -> list[Path]:
    return [
        path
        for path in _sources((*LIBRARIES, "plugins", "dags"))
        if not path.relative_to(ROOT).as_posix().startswith(SIZE_EXEMPT)
    ]


def test_no_module_over_the_limit() -> None:
    long = {
        path.relative_to(ROOT).as_posix(): n
        for path in _sized_sources()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_over_the_limit() -> None:
    long = {}
    for path in _sized_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT).as_posix()}:{node.name}"] = length
    assert long == {}


def test_libraries_and_applications_never_import_airflow() -> None:
    found = []
    for path in _sources(LIBRARIES):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            found += [
                f"{path.relative_to(ROOT).as_posix()}: {name}"
                for name in names
                if name.split(".")[0] in {"airflow", "docket_airflow", "docket_hooks"}
            ]
    assert found == []
