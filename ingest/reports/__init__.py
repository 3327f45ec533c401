"""Reports built from the register: the monthly statistics report.

``build_monthly_report(register, month, max_secrecy=...)`` counts what one
clearance level may see; ``publish_monthly_report`` writes CSV, XLSX and a
self-contained HTML page for every level to the reports folder and the object
store.  The ``docket report`` command and the ``docket_monthly_report``
DAG both call ``publish_monthly_report``.
"""

from __future__ import annotations

from ingest.reports.monthly import (
    CLEARANCE_LEVELS,
    DIMENSIONS,
    BreakdownRow,
    Comparison,
    Month,
    MonthlyReport,
    build_monthly_report,
)
from ingest.reports.publish import (
    FORMATS,
    LEVEL_NAMES,
    PublishedReport,
    ReportName,
    parse_report_name,
    publish_monthly_report,
    report_key,
    report_name,
)

__all__ = [
    "CLEARANCE_LEVELS",
    "DIMENSIONS",
    "FORMATS",
    "LEVEL_NAMES",
    "BreakdownRow",
    "Comparison",
    "Month",
    "MonthlyReport",
    "PublishedReport",
    "ReportName",
    "build_monthly_report",
    "parse_report_name",
    "publish_monthly_report",
    "report_key",
    "report_name",
]
