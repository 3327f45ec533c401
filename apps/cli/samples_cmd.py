"""``docket samples DIR``: write realistic sample documents with their true metadata."""

from __future__ import annotations

import argparse
from pathlib import Path

from apps.cli import Command
from apps.cli.context import command_context
from kernel.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", type=Path, help="where to write the samples")
    parser.add_argument("--profile", default="demo", choices=("demo", "full", "bench", "legal"),
                        help="demo (about 40 files), full (every type and format), bench, "
                        "legal (laws, decrees, circulars and copies)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--born-digital", type=int, help="bench: number of born-digital files")
    parser.add_argument("--scanned-pages", type=int, help="bench: number of scanned pages")
    parser.add_argument("--to-inbox", action="store_true",
                        help="also copy the documents into the configured inbox")


def run(args: argparse.Namespace) -> int:
    from ingest.samples import generate_samples, stage_into_inbox

    ctx = command_context(args)
    paths = generate_samples(args.directory, seed=args.seed, profile=args.profile,
                             born_digital=args.born_digital, scanned_pages=args.scanned_pages)
    ctx.console.print(ctx.t("samples_written", count=len(paths), path=args.directory))
    if args.to_inbox:
        count = stage_into_inbox(args.directory, ctx.settings.inbox_location)
        ctx.console.print(ctx.t("staged", count=count, path=ctx.settings.inbox_location))
    return ExitCode.OK


COMMAND = Command("samples", "tạo văn bản mẫu (write sample documents)", configure, run)
