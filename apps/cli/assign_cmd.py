"""``docket assign DOC_ID --unit X``: give a registered incoming document to a unit to handle.

``--cooperate Y`` (repeatable) adds cooperating units (đơn vị phối hợp); the
deadline is ``--deadline DATE``, ``--days N`` working days from today, or by
default the one for the document's urgency, counted from its registration
day.  ``--start``, ``--done NOTE [--answer OUT_ID]`` and ``--return REASON``
move an assignment instead.  Run on the server, the command sees every
document (a records officer's full clearance); each change goes to the audit chain.
"""

from __future__ import annotations

import argparse
import getpass
from datetime import date, datetime

from apps.cli import Command
from apps.cli.context import CommandContext, command_context
from apps.cli.tracking_audit import audit_chain
from ingest.backends import open_backends
from ingest.register.tracking import TrackedAssignment
from ingest.tracking.setup import tracking_setup
from ingest.tracking.units import Unit
from ingest.tracking_service import (
    Actor,
    assign_document,
    handling_deadline,
    mark_handled,
    return_assignment,
    start_handling,
)
from kernel.errors import ExitCode, UsageError
from kernel.model import FULL_CLEARANCE


def parse_day(text: str) -> date:
    """``31/12/2026`` (as Vietnamese offices write it) or ``2026-12-31``."""
    for form in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    raise UsageError(f"not a date: {text[:40]!r} (write 31/12/2026)")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("doc_id", help="the document's ID (16 hex digits)")
    parser.add_argument("--unit", help="the lead unit's code (đơn vị chủ trì)")
    parser.add_argument("--cooperate", action="append", default=[], metavar="UNIT",
                        help="a cooperating unit's code (đơn vị phối hợp); repeatable")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--deadline", type=parse_day, help="handling deadline, e.g. 31/12/2026")
    when.add_argument("--days", type=int, help="deadline in working days from today")
    parser.add_argument("--note", default="", help="the leader's instruction (ý kiến chỉ đạo)")
    parser.add_argument("--by", default=None, help="who acts (default: your login name)")
    move = parser.add_mutually_exclusive_group()
    move.add_argument("--start", action="store_true", help="the unit begins handling")
    move.add_argument("--done", metavar="NOTE", help="handled, with a result note")
    move.add_argument("--return", dest="returned", metavar="REASON",
                      help="return the document to the clerk, with a reason")
    parser.add_argument("--answer", metavar="OUT_ID",
                        help="with --done: the registered outgoing document that answers")


def run(args: argparse.Namespace) -> int:
    ctx = command_context(args)
    setup = tracking_setup(ctx.settings)
    actor = Actor((args.by or getpass.getuser()).strip(), max_secrecy=FULL_CLEARANCE)
    moving = args.start or args.done is not None or args.returned is not None
    if not moving and not args.unit:
        raise UsageError("give --unit (or --start, --done, --return)")
    with open_backends(ctx.settings) as backends, audit_chain(ctx.settings) as audit:
        if args.start:
            changed = [start_handling(backends, audit, setup, args.doc_id, args.unit, actor)]
        elif args.done is not None:
            changed = [mark_handled(backends, audit, setup, args.doc_id, args.unit, actor,
                                    args.done, answered_by=args.answer)]
        elif args.returned is not None:
            changed = [return_assignment(backends, audit, setup, args.doc_id, args.unit,
                                         actor, args.returned)]
        else:
            today = datetime.now(backends.register.tz).date()
            deadline = handling_deadline(backends, setup, args.doc_id, deadline=args.deadline,
                                         days=args.days, today=today)
            changed = assign_document(backends, audit, setup, args.doc_id, args.unit, actor,
                                      cooperating=args.cooperate, deadline=deadline,
                                      instruction=args.note)
    for tracked in changed:
        _report(ctx, tracked, setup.units.get(tracked.assignment.unit))
    return ExitCode.OK


def _report(ctx: CommandContext, tracked: TrackedAssignment, unit: Unit | None) -> None:
    assignment = tracked.assignment
    name = unit.name if unit is not None else assignment.unit
    ctx.console.print(ctx.t("tracking_changed", label=tracked.label, unit=name,
                            role=ctx.t(f"tracking_role_{assignment.role.value}"),
                            status=assignment.status.label(ctx.language),
                            deadline=assignment.deadline.strftime("%d/%m/%Y")))


COMMAND = Command("assign", "giao văn bản đến cho đơn vị xử lý (assign a document to a unit)",
                  configure, run)
