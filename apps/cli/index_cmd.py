"""``docket index``: index the documents still waiting for the search index."""

from __future__ import annotations

import argparse

from apps.cli import Command
from apps.cli.context import command_context
from ingest.backends import open_backends
from ingest.indexing import index_pending
from kernel.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--optimize", action="store_true",
                        help="then merge the index for faster searches (after bulk loads; "
                        "minutes at a million documents, searches keep working)")


def run(args: argparse.Namespace) -> int:
    ctx = command_context(args)
    with open_backends(ctx.settings) as backends:
        backends.index.count()  # a damaged index is said in one line, not as "0 waiting"
        report = index_pending(backends)
        if args.optimize and not report.unavailable:
            backends.index.optimize()
    ctx.console.print(ctx.t("index_pending_done", count=report.indexed,
                            pending=report.still_pending))
    if report.unavailable:
        ctx.console.print(ctx.t("index_unavailable"))
        ctx.console.print(f"  {ctx.t('detail')}: {report.unavailable}")
        return ExitCode.TEMPFAIL
    return ExitCode.OK


COMMAND = Command("index", "đánh chỉ mục các văn bản đang chờ (index waiting documents)",
                  configure, run)
