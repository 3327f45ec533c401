"""``docket reindex``: rebuild the search index from the stored records alone."""

from __future__ import annotations

import argparse

from apps.cli import Command
from apps.cli.context import command_context
from ingest.backends import open_backends
from ingest.indexing import rebuild_index
from kernel.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace) -> int:
    """Rebuild; a refused document raises ``IndexRefused``, which names each one with
    the index's reason (``apps.cli.report_error``)."""
    ctx = command_context(args)
    with open_backends(ctx.settings) as backends:
        count = rebuild_index(backends)
    ctx.console.print(ctx.t("reindexed", count=count))
    return ExitCode.OK


COMMAND = Command("reindex", "dựng lại chỉ mục tìm kiếm (rebuild the search index)",
                  configure, run)
