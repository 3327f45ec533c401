"""describe() over the project's generated samples, against their truth JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingest.describe import describe
from ingest.extract import extract_content
from ingest.samples import load_truth
from kernel.text import normalize_text

BORN_DIGITAL = ("text_pdf", "docx", "text")
KEY_FIELDS = ("number_symbol", "issue_date", "doc_type", "issuing_body")


def _documents(folder: Path, kinds: tuple[str, ...]) -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.endswith(".json"):
            truth = load_truth(path)
            if truth["kind"] in kinds:
                found.append((path, truth))
    return found


def _mismatches(path: Path, truth: dict[str, Any], fields: tuple[str, ...] | None = None):
    described = describe(extract_content(path))
    wrong = []
    for name, expected in truth["metadata"].items():
        if fields is not None and name not in fields:
            continue
        got = described[name].value if name in described else None
        if isinstance(expected, str):
            expected = normalize_text(expected)
        if got != expected:
            wrong.append(f"{truth['file']} {name}: expected {expected!r}, got {got!r}")
    return wrong


def test_born_digital_samples_match_their_truth(demo_samples: Path) -> None:
    documents = _documents(demo_samples, BORN_DIGITAL)
    assert len(documents) >= 20
    wrong = [line for path, truth in documents for line in _mismatches(path, truth)]
    assert wrong == []


def test_nothing_is_reported_that_the_truth_does_not_have(demo_samples: Path) -> None:
    extra = []
    for path, truth in _documents(demo_samples, ("text_pdf",)):
        described = describe(extract_content(path))
        for name in ("secrecy", "urgency", "circulation", "parent_body", "number_year"):
            if name in described and name not in truth["metadata"]:
                extra.append(f"{truth['file']} {name}: {described[name].value!r}")
    assert extra == []


@pytest.mark.slow
def test_a_scanned_letter_gives_its_key_fields(demo_samples: Path) -> None:
    scans = [
        (path, truth)
        for path, truth in _documents(demo_samples, ("scan_pdf",))
        if truth["pages"] == 1 and not (truth.get("scan") or {}).get("rotation")
    ]
    path, truth = scans[0]
    assert _mismatches(path, truth, KEY_FIELDS) == []
