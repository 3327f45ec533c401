"""Write the monthly report to the reports folder and to the object store."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ingest.backends import Backends
from ingest.reports.monthly import Month, MonthlyReport, build_monthly_report
from ingest.reports.page import render_html
from ingest.reports.tables import render_csv, render_xlsx
from ingest.settings import Settings

Renderer = Callable[[MonthlyReport, str], bytes]

# Suffix -> (renderer, content type).  A new format is one more entry.
FORMATS: dict[str, tuple[Renderer, str]] = {
    "csv": (render_csv, "text/csv; charset=utf-8"),
    "xlsx": (render_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "html": (render_html, "text/html; charset=utf-8"),
}


@dataclass
class PublishedReport:
    report: MonthlyReport
    files: list[Path] = field(default_factory=list)  # in the local reports folder
    keys: list[str] = field(default_factory=list)  # in the object store


def report_name(month: Month, suffix: str) -> str:
    """``bao-cao-2024-03.csv``: ASCII, so it is a valid object key everywhere."""
    return f"bao-cao-{month}.{suffix}"


def report_key(month: Month, suffix: str) -> str:
    return f"reports/{month}/{report_name(month, suffix)}"


def publish_monthly_report(
    settings: Settings,
    backends: Backends,
    month: Month,
    *,
    language: str | None = None,
    now: datetime | None = None,
) -> PublishedReport:
    """Count ``month`` from the register and write CSV, XLSX and HTML.

    Files go to ``settings.reports_path/YYYY-MM/`` and to the store under
    ``reports/YYYY-MM/``, replacing an earlier run's: the figures are the same,
    so a re-run is harmless.
    """
    language = language or settings.ui_language
    report = build_monthly_report(backends.register, month, now=now)
    folder = settings.reports_path / str(month)
    folder.mkdir(parents=True, exist_ok=True)
    published = PublishedReport(report=report)
    for suffix, (render, content_type) in FORMATS.items():
        data = render(report, language)
        path = folder / report_name(month, suffix)
        _write_atomic(path, data)
        published.files.append(path)
        key = report_key(month, suffix)
        backends.store.put_bytes(key, data, content_type)
        published.keys.append(key)
    return published


def _write_atomic(path: Path, data: bytes) -> None:
    """Readers never see half a report: write beside it, then rename over it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
