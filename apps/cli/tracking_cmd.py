"""``docket tracking [--unit X] [--overdue] [--json]``: open assignments by deadline.

The overdue ones come first (quá hạn, with how many working days late), then
what is due; ``--overdue`` keeps only those.  Run on the server, the list
shows every document (a records officer's full clearance).

``docket tracking --digest [--date DD/MM/YYYY]`` writes the day's deadline
digest of every unit, as the ``docket_deadlines`` DAG does (files only; the
DAG sends the e-mails), and prints where.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from typing import Any

from apps.cli import Command
from apps.cli.assign_cmd import parse_day
from apps.cli.context import CommandContext, command_context
from ingest.backends import open_backends
from ingest.register.book import format_text_table
from ingest.register.tracking import TrackedAssignment
from ingest.tracking.setup import TrackingSetup, tracking_setup
from kernel.errors import ExitCode, UsageError
from kernel.model import FULL_CLEARANCE


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--unit", help="only this unit's assignments (its code)")
    parser.add_argument("--overdue", action="store_true", help="only the overdue ones")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--digest", action="store_true",
                        help="write each unit's deadline digest of the day (as docket_deadlines)")
    parser.add_argument("--date", type=parse_day,
                        help="with --digest: the day, e.g. 29/04/2026 (default: today)")


def run(args: argparse.Namespace) -> int:
    ctx = command_context(args)
    setup = tracking_setup(ctx.settings)
    if args.digest:
        return _digest(ctx, setup, args.date, as_json=args.json)
    if args.unit and setup.unit(args.unit) is None:
        raise UsageError(ctx.t("tracking_unknown_unit", unit=args.unit))
    with open_backends(ctx.settings) as backends:
        today = datetime.now(backends.register.tz).date()
        found = backends.register.open_assignments(max_secrecy=FULL_CLEARANCE, unit=args.unit)
    if args.overdue:
        found = [t for t in found if t.assignment.deadline < today]
    late = {t.id: setup.calendar.working_days_between(t.assignment.deadline, today)
            for t in found if t.assignment.deadline < today}
    if args.json:
        print(json.dumps({"today": today.isoformat(),
                          "assignments": [_as_json(t, late.get(t.id)) for t in found]},
                         ensure_ascii=False, indent=2))
    elif not found:
        ctx.console.print(ctx.t("tracking_nothing_open"))
    else:
        print(_table(ctx, setup, found, late), end="")
    return ExitCode.OK


def _digest(ctx: CommandContext, setup: TrackingSetup, day: date | None, *,
            as_json: bool) -> int:
    from ingest.tracking_digests import publish_deadline_digests

    with open_backends(ctx.settings) as backends:
        day = day or datetime.now(backends.register.tz).date()
        run = publish_deadline_digests(ctx.settings, backends, day, setup=setup,
                                       language=ctx.language)
    if as_json:
        files = [str(w.markdown) for w in run.written]
        print(json.dumps({**run.summary(), "files": files}, ensure_ascii=False, indent=2))
        return ExitCode.OK
    for written in run.written:  # print: a path is not to be wrapped
        print(ctx.t("tracking_digest_written", unit=written.digest.unit.name,
                    overdue=len(written.digest.overdue),
                    due=len(written.digest.due_soon), path=written.markdown))
    return ExitCode.OK


def _as_json(tracked: TrackedAssignment, days_late: int | None) -> dict[str, Any]:
    a = tracked.assignment
    return {"id": tracked.id, "doc_id": a.doc_id, "registration": tracked.label,
            "number_symbol": tracked.number_symbol, "subject": tracked.subject,
            "unit": a.unit, "role": a.role.value, "status": a.status.value,
            "deadline": a.deadline.isoformat(), "instruction": a.instruction,
            "overdue_working_days": days_late, "assigned_by": tracked.assigned_by,
            "assigned_at": tracked.assigned_at.isoformat()}


_HEADINGS = {"vi": ["Hạn xử lý", "Số đến", "Số, ký hiệu", "Trích yếu", "Đơn vị", "Trạng thái",
                    "Quá hạn"],
             "en": ["Deadline", "Arrival no.", "Number/symbol", "Subject", "Unit", "Status",
                    "Overdue"]}
_WIDTHS = (10, 10, 16, 36, 18, 12, 16)


def _table(ctx: CommandContext, setup: TrackingSetup, found: list[TrackedAssignment],
           late: dict[int, int]) -> str:
    cells = []
    for tracked in found:
        a = tracked.assignment
        unit = setup.unit(a.unit)
        role = ctx.t(f"tracking_role_{a.role.value}")
        days = late.get(tracked.id)
        cells.append([a.deadline.strftime("%d/%m/%Y"), tracked.label,
                      tracked.number_symbol or "", tracked.subject or "",
                      f"{unit.name if unit else a.unit} ({role})", a.status.label(ctx.language),
                      ctx.t("tracking_overdue_days", days=days) if days is not None else ""])
    return format_text_table(ctx.t("tracking_list_title"), _HEADINGS[ctx.language], cells,
                             _WIDTHS)


COMMAND = Command("tracking", "danh sách văn bản đang xử lý, quá hạn (open and overdue "
                  "assignments)", configure, run)
