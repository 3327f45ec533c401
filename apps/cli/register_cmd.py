"""``docket register-book YEAR``: print the register book (sổ đăng ký) of a year.

``--secret`` prints the secret book (sổ đăng ký văn bản mật) instead: for
cleared officers only, as the paper one is kept.  ``--tracking`` prints the
tracking register (sổ theo dõi giải quyết văn bản đến) of the year's incoming
documents assigned for handling (with ``--secret``: those of the secret book).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from apps.cli import Command
from apps.cli.context import CommandContext, command_context
from kernel.errors import ExitCode
from kernel.model import FULL_CLEARANCE


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("year", type=int, help="calendar year, e.g. 2025")
    parser.add_argument("--direction", choices=("incoming", "outgoing"), default="incoming",
                        help="incoming (sổ văn bản đến) or outgoing (sổ văn bản đi)")
    parser.add_argument("--secret", action="store_true",
                        help="the secret book (documents marked MẬT and above)")
    parser.add_argument("--tracking", action="store_true",
                        help="the tracking register (sổ theo dõi giải quyết văn bản đến)")
    parser.add_argument("--csv", type=Path, help="also write the book as CSV to this file")


def run(args: argparse.Namespace) -> int:
    from ingest.register import Register, format_register_book, write_register_book_csv

    ctx = command_context(args)
    book = "secret" if args.secret else "ordinary"
    if args.tracking:
        return _tracking_book(ctx, args.year, book, args.csv)
    register = Register.from_settings(ctx.settings)
    try:
        rows = register.register_book(args.year, args.direction, book)
    finally:
        register.close()
    print(format_register_book(rows, args.direction, language=ctx.language, book=book))
    if args.csv:
        write_register_book_csv(rows, args.direction, args.csv, language=ctx.language, book=book)
    return ExitCode.OK


def _tracking_book(ctx: CommandContext, year: int, book: str, csv: Path | None) -> int:
    from ingest.backends import open_backends
    from ingest.register.tracking_book import format_tracking_book, write_tracking_book_csv
    from ingest.tracking.setup import tracking_setup
    from ingest.tracking_service import tracking_book_lines

    names = {unit.code: unit.name for unit in tracking_setup(ctx.settings).units.units}
    with open_backends(ctx.settings) as backends:
        lines = tracking_book_lines(backends, year, max_secrecy=FULL_CLEARANCE,
                                    book=book)
    print(format_tracking_book(lines, year, names, language=ctx.language))
    if csv:
        write_tracking_book_csv(lines, csv, names, language=ctx.language)
    return ExitCode.OK


COMMAND = Command("register-book", "in sổ đăng ký văn bản (print the register book)",
                  configure, run)
