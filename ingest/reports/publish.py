"""Write the monthly report, once per clearance level, to the reports folder and the store.

Four sets of files per month, one per level of ``CLEARANCE_LEVELS``, each
counting only what a reader of that level may open::

    bao-cao-2024-03-thuong.csv      general: no secret document at all
    bao-cao-2024-03-mat.csv         cleared for MẬT
    bao-cao-2024-03-toi-mat.csv     cleared for TỐI MẬT
    bao-cao-2024-03-tuyet-mat.csv   cleared for TUYỆT MẬT

(and the same as .xlsx and .html).  Every level is always written, even when
a month has no secret document, so which files exist says nothing either.
Files named the old way (``bao-cao-2024-03.csv``, counting every document)
are removed from the local folder when the month is published again, and the
web serves no file named that way.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ingest.backends import Backends
from ingest.reports.monthly import CLEARANCE_LEVELS, Month, MonthlyReport, build_monthly_report
from ingest.reports.page import render_html
from ingest.reports.tables import render_csv, render_xlsx
from kernel.settings import Settings

Renderer = Callable[[MonthlyReport, str], bytes]

# Suffix -> (renderer, content type).  A new format is one more entry.
FORMATS: dict[str, tuple[Renderer, str]] = {
    "csv": (render_csv, "text/csv; charset=utf-8"),
    "xlsx": (render_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "html": (render_html, "text/html; charset=utf-8"),
}
# Clearance level -> the ASCII word in the file name.
LEVEL_NAMES: dict[int, str] = {0: "thuong", 1: "mat", 2: "toi-mat", 3: "tuyet-mat"}
_LEVELS_RE = "|".join(LEVEL_NAMES.values())
_SUFFIXES_RE = "|".join(FORMATS)
_REPORT_NAME = re.compile(
    rf"bao-cao-(?P<month>\d{{4}}-\d{{2}})-(?P<level>{_LEVELS_RE})\.(?P<suffix>{_SUFFIXES_RE})")
_LEVEL_OF = {name: level for level, name in LEVEL_NAMES.items()}


@dataclass(frozen=True)
class ReportName:
    """What a report's file name says: its month, clearance level and format."""

    month: str  # "2024-03"
    level: int
    suffix: str


@dataclass
class PublishedReport:
    report: MonthlyReport  # the general report (level 0): safe to log and show anyone
    by_level: dict[int, MonthlyReport] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)  # in the local reports folder
    keys: list[str] = field(default_factory=list)  # in the object store


def report_name(month: Month, suffix: str, level: int = 0) -> str:
    """``bao-cao-2024-03-thuong.csv``: ASCII, so it is a valid object key everywhere."""
    return f"bao-cao-{month}-{LEVEL_NAMES[level]}.{suffix}"


def report_key(month: Month, suffix: str, level: int = 0) -> str:
    return f"reports/{month}/{report_name(month, suffix, level)}"


def parse_report_name(name: str) -> ReportName | None:
    """The month, level and format of a report file name; None for any other name."""
    match = _REPORT_NAME.fullmatch(name)
    if match is None:
        return None
    return ReportName(match["month"], _LEVEL_OF[match["level"]], match["suffix"])


def publish_monthly_report(
    settings: Settings,
    backends: Backends,
    month: Month,
    *,
    language: str | None = None,
    now: datetime | None = None,
) -> PublishedReport:
    """Count ``month`` from the register and write CSV, XLSX and HTML for every clearance level.

    Files go to ``settings.reports_location/YYYY-MM/`` and to the store under
    ``reports/YYYY-MM/``, replacing an earlier run's: the figures are the same,
    so a re-run is harmless.
    """
    language = language or settings.ui_language
    folder = settings.reports_location / str(month)
    folder.mkdir(parents=True, exist_ok=True)
    published: PublishedReport | None = None
    names = {unit.code: unit.name for unit in settings.tracking_units}
    for level in CLEARANCE_LEVELS:
        report = build_monthly_report(backends.register, month, max_secrecy=level, now=now,
                                      unit_names=names)
        if published is None:
            published = PublishedReport(report=report)
        published.by_level[level] = report
        for suffix, (render, content_type) in FORMATS.items():
            data = render(report, language)
            path = folder / report_name(month, suffix, level)
            _write_atomic(path, data)
            published.files.append(path)
            key = report_key(month, suffix, level)
            backends.store.put_bytes(key, data, content_type)
            published.keys.append(key)
    for suffix in FORMATS:  # an older Docket's file counted every document: not left lying
        (folder / f"bao-cao-{month}.{suffix}").unlink(missing_ok=True)
    assert published is not None
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
