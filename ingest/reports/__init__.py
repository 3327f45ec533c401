"""Reports built from the register: the monthly statistics report.

``build_monthly_report(register, month)`` counts; ``publish_monthly_report``
writes CSV, XLSX and a self-contained HTML page to the reports folder and the
object store.  The ``docket report`` command and the ``docket_monthly_report``
DAG both call ``publish_monthly_report``.
"""

from __future__ import annotations

from ingest.reports.monthly import (
    DIMENSIONS,
    BreakdownRow,
    Comparison,
    Month,
    MonthlyReport,
    build_monthly_report,
)
from ingest.reports.publish import FORMATS, PublishedReport, publish_monthly_report, report_key

__all__ = [
    "DIMENSIONS",
    "FORMATS",
    "BreakdownRow",
    "Comparison",
    "Month",
    "MonthlyReport",
    "PublishedReport",
    "build_monthly_report",
    "publish_monthly_report",
    "report_key",
]
