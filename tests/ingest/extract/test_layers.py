"""The extraction package's imports run one way: no cycle, extractors never start OCR.

The imports are read from the source (every ``import`` statement, those inside
functions included), not from ``sys.modules``.  Importing ``a.b.c`` runs
``a/b/__init__.py`` first, so from outside ``a.b`` it counts as importing
``a.b`` too: ``extract/__init__`` importing ``identify``, which imported
``extract.base``, was a cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("ingest", "kernel", "search")
# Readers of one format each: they receive an OCR engine, never import one.
EXTRACTORS = ("pdf", "image", "docx", "docx_package", "text", "scanned", "zones", "textlayer")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imported(path: Path, name: str, known: dict[str, Path]) -> Iterator[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}".rstrip(".")
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target
                yield from (p for p in _packages_run_first(target, name) if p in known)


def _packages_run_first(target: str, importer: str) -> Iterator[str]:
    """The packages whose ``__init__`` importing ``target`` runs, seen from ``importer``."""
    parts = target.split(".")
    for depth in range(1, len(parts)):
        package = ".".join(parts[:depth])
        if importer != package and not importer.startswith(f"{package}."):
            yield package


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports."""
    known = _modules()
    return {name: set(_imported(path, name, known)) for name, path in known.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for child in graph.get(node, ()):
            if child not in index:
                visit(child)
                low[node] = min(low[node], low[child])
            elif child in on_stack:
                low[node] = min(low[node], index[child])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _reachable(graph: dict[str, set[str]], start: list[str]) -> set[str]:
    seen, todo = set(start), list(start)
    while todo:
        for child in graph.get(todo.pop(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def test_no_import_cycle_through_extraction() -> None:
    graph = import_graph()
    extraction = [name for name in graph if name.startswith("ingest.extract")]
    below = _reachable(graph, extraction)
    cycles = _cycles({name: graph[name] & below for name in below})
    assert cycles == []


def test_extraction_imports_nothing_above_it() -> None:
    graph = import_graph()
    below = _reachable(graph, [name for name in graph if name.startswith("ingest.extract")])
    allowed = ("ingest.extract", "ingest.language", "ingest.binarize", "ingest.deskew", "kernel")
    assert sorted(n for n in below if not n.startswith(allowed)) == []


def test_extractors_receive_ocr_and_never_import_it() -> None:
    graph = import_graph()
    for name in EXTRACTORS:
        imported = graph[f"ingest.extract.{name}"]
        assert not imported & {"ingest.extract.ocr", "ingest.extract.tesseract"}, name


def test_tesseract_is_started_only_by_its_adapter() -> None:
    starters = sorted(
        name for name, path in _modules().items()
        if "subprocess" in path.read_text(encoding="utf-8") and "tesseract" in
        path.read_text(encoding="utf-8").lower() and name.startswith("ingest")
    )
    assert starters == ["ingest.extract.tesseract"]
