"""``docket register-book YEAR``: print the register book (sổ đăng ký) of a year."""

from __future__ import annotations

import argparse
from pathlib import Path

from ingest.cli import Command
from ingest.cli.context import command_context


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("year", type=int, help="calendar year, e.g. 2025")
    parser.add_argument("--direction", choices=("incoming", "outgoing"), default="incoming",
                        help="incoming (sổ văn bản đến) or outgoing (sổ văn bản đi)")
    parser.add_argument("--csv", type=Path, help="also write the book as CSV to this file")


def run(args: argparse.Namespace) -> int:
    from ingest.register import Register, format_register_book, write_register_book_csv

    ctx = command_context(args)
    register = Register.from_settings(ctx.settings)
    try:
        rows = register.register_book(args.year, args.direction)
    finally:
        register.close()
    print(format_register_book(rows, args.direction, language=ctx.language))
    if args.csv:
        write_register_book_csv(rows, args.direction, args.csv, language=ctx.language)
    return 0


COMMAND = Command("register-book", "in sổ đăng ký văn bản (print the register book)",
                  configure, run)
