"""``docket report 2024-03``: the monthly statistics report for one month, every clearance level.

Writes the general report and one per clearance level (``ingest.reports.publish``);
the table printed here is the general one, safe on any screen.
"""

from __future__ import annotations

import argparse

from rich.table import Table

from apps.cli import Command
from apps.cli.context import command_context
from ingest.backends import open_backends
from ingest.reports import Month, publish_monthly_report
from ingest.reports.labels import label
from ingest.reports.tables import header
from kernel.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("month", type=Month.parse, help="the month, YYYY-MM (e.g. 2024-03)")


def run(args: argparse.Namespace) -> int:
    ctx = command_context(args)
    with open_backends(ctx.settings) as backends:
        published = publish_monthly_report(ctx.settings, backends, args.month,
                                           language=ctx.language)
    report = published.report
    table = Table(title=label("title", ctx.language, month=report.month))
    titles = header(report, ctx.language)
    for title in (titles[1], *titles[3:]):
        table.add_column(title)
    for direction, counts in report.totals.items():
        table.add_row(label(direction, ctx.language),
                      *(str(n) for n in (counts.current, counts.previous, counts.last_year,
                                         counts.year_to_date)), f"{counts.change:+d}")
    ctx.console.print(table)
    for path in published.files:
        ctx.console.print(str(path))
    for key in published.keys:
        ctx.console.print(f"store: {key}")
    return ExitCode.OK


COMMAND = Command("report", "báo cáo thống kê tháng (monthly statistics report)", configure, run)
