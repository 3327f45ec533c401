"""``docket fixity``: re-read archived originals and compare their SHA-256."""

from __future__ import annotations

import argparse

from apps.cli import Command
from apps.cli.context import command_context
from ingest.backends import open_backends
from ingest.fixity import check_fixity
from kernel.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--slice", type=int, default=0, help="which slice to check (from 0)")
    parser.add_argument("--slices", type=int, default=1,
                        help="into how many slices to deal the archive (default 1: all)")


def run(args: argparse.Namespace) -> int:
    ctx = command_context(args)
    with open_backends(ctx.settings) as backends:
        report = check_fixity(backends, slice_index=args.slice, slice_count=args.slices)
    for problem in report.problems:
        ctx.console.print(problem.line(), markup=False)
    ctx.console.print(" ".join(f"{k}={v}" for k, v in report.summary().items()))
    return ExitCode.OK if report.ok else ExitCode.DAMAGED


COMMAND = Command("fixity", "kiểm tra tính toàn vẹn bản gốc (check archived originals)",
                  configure, run)
