"""``docket secrecy DOC_ID "MẬT" --by NAME --reason TEXT``: mark or unmark a registered document.

For administrators.  Moving between the ordinary and the secret book gives
the document a new number in the other book; the old number stays in the
record's history and the ledger, and is never given again.
``docket secrecy --separate-existing --by NAME --reason TEXT`` moves every
document registered before the secret book existed to the book its mark
calls for.
"""

from __future__ import annotations

import argparse

from apps.cli import Command
from apps.cli.context import CommandContext, command_context
from ingest.backends import open_backends
from ingest.secrecy import SecrecyOutcome, change_secrecy, separate_existing
from kernel.errors import ExitCode, UsageError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("doc_id", nargs="?", help="the document's ID (16 hex digits)")
    parser.add_argument("mark", nargs="?",
                        help='"MẬT", "TỐI MẬT", "TUYỆT MẬT", or "không" to lift the mark')
    parser.add_argument("--by", required=True, help="who decided (kept in the ledger)")
    parser.add_argument("--reason", required=True,
                        help="why, e.g. the decision's number (kept in the ledger)")
    parser.add_argument("--separate-existing", action="store_true",
                        help="move every document registered before the secret book "
                        "to the book its mark calls for")


def run(args: argparse.Namespace) -> int:
    ctx = command_context(args)
    if args.separate_existing == (args.doc_id is not None):
        raise UsageError("give DOC_ID and MARK, or --separate-existing")
    if not args.separate_existing and args.mark is None:
        raise UsageError("give the mark: MẬT, TỐI MẬT, TUYỆT MẬT, or không")
    with open_backends(ctx.settings) as backends:
        if args.separate_existing:
            outcomes = separate_existing(backends, by=args.by, reason=args.reason)
            if not outcomes:
                ctx.console.print(ctx.t("nothing_to_separate"))
        else:
            outcomes = [change_secrecy(backends, args.doc_id, args.mark, by=args.by,
                                       reason=args.reason)]
    _audit(ctx, args.by, args.reason, outcomes)
    for outcome in outcomes:
        _report(ctx, outcome)
    return ExitCode.OK


def _audit(ctx: CommandContext, by: str, reason: str, outcomes: list[SecrecyOutcome]) -> None:
    """Each change is an entry of the audit chain too, as when made in the web interface."""
    # The web service's accounts own the chain (and its upgrade from the old audit table).
    from apps.web.accounts import Accounts

    accounts = Accounts.open(ctx.settings.register_location)
    try:
        for outcome in outcomes:
            change = outcome.record.secrecy_changes[-1]
            accounts.audit(by, "secrecy", outcome.record.doc_id,
                           f"{change.old_secrecy or '-'} -> {change.new_secrecy or '-'} "
                           f"({change.old_registration.label} -> "
                           f"{change.new_registration.label}): {reason}")
    finally:
        accounts.close()


def _report(ctx: CommandContext, outcome: SecrecyOutcome) -> None:
    change = outcome.record.secrecy_changes[-1]
    values = {"doc_id": outcome.record.doc_id,
              "old": change.old_secrecy or ctx.t("not_secret"),
              "new": change.new_secrecy or ctx.t("not_secret"),
              "old_number": change.old_registration.label,
              "new_number": change.new_registration.label}
    ctx.console.print(ctx.t("secrecy_moved" if outcome.moved else "secrecy_kept", **values))
    if outcome.index.unavailable:
        ctx.console.print(ctx.t("index_unavailable"))
        ctx.console.print(f"  {ctx.t('detail')}: {outcome.index.unavailable}")


COMMAND = Command("secrecy", "đóng/bỏ dấu mật một văn bản đã đăng ký (mark or unmark secret)",
                  configure, run)
