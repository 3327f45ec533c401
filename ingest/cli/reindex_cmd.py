"""``docket reindex``: rebuild the search index from the stored records alone."""

from __future__ import annotations

import argparse

from ingest.backends import open_backends
from ingest.cli import Command
from ingest.cli.context import command_context
from ingest.indexing import rebuild_index


def configure(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace) -> int:
    ctx = command_context(args)
    with open_backends(ctx.settings) as backends:
        count = rebuild_index(backends)
    ctx.console.print(ctx.t("reindexed", count=count))
    return 0


COMMAND = Command("reindex", "dựng lại chỉ mục tìm kiếm (rebuild the search index)",
                  configure, run)
