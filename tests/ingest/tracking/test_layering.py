"""The tracking library stays below the applications, and speaks both languages."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from kernel.i18n import MESSAGES

PACKAGE = Path(__file__).resolve().parents[3] / "ingest" / "tracking"
ALLOWED = ("kernel", "ingest.tracking", "ingest.describe")
# The operations on the backends sit on the register, the store and the audit chain.
SERVICE = "service.py"
SERVICE_ALLOWED = (*ALLOWED, "ingest.audit", "ingest.backends", "ingest.indexing",
                   "ingest.register")


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_tracking_rules_import_only_the_kernel_the_describer_and_the_standard_library() -> None:
    for path in PACKAGE.glob("*.py"):
        allowed = SERVICE_ALLOWED if path.name == SERVICE else ALLOWED
        for name in imported(path):
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or name.startswith(allowed), (path, name)


def test_every_tracking_message_has_vietnamese_and_english() -> None:
    keys = [key for key in MESSAGES if key.startswith("tracking_")]
    assert len(keys) >= 9
    for key in keys:
        assert MESSAGES[key]["vi"] and MESSAGES[key]["en"], key
