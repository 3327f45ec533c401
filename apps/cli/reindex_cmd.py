"""``docket reindex``: rebuild the search index from the stored records alone."""

from __future__ import annotations

import argparse
import sys

from apps.cli import Command
from apps.cli.context import command_context
from ingest.backends import open_backends
from ingest.indexing import rebuild_index
from kernel.errors import IndexRefused


def configure(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace) -> int:
    """Rebuild; a refused document is named with the index's reason, and the exit is non-zero."""
    ctx = command_context(args)
    try:
        with open_backends(ctx.settings) as backends:
            count = rebuild_index(backends)
    except IndexRefused as refused:
        print(f"docket: {ctx.t('reindex_refused', count=len(refused.failed))}", file=sys.stderr)
        for doc_id, reason in refused.failed.items():
            print(f"  {doc_id}: {reason}", file=sys.stderr)
        return refused.exit_code
    ctx.console.print(ctx.t("reindexed", count=count))
    return 0


COMMAND = Command("reindex", "dựng lại chỉ mục tìm kiếm (rebuild the search index)",
                  configure, run)
