"""``docket audit``: check the audit chain (verify) and read it (list)."""

from __future__ import annotations

import argparse
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apps.cli import Command
from apps.cli.context import CommandContext, command_context
from ingest.audit import AuditFilter, AuditLog
from kernel.errors import ExitCode, UsageError

_ANCHOR = re.compile(r"(\d+):([0-9a-f]{64})")


def _anchor(value: str) -> tuple[int, str]:
    found = _ANCHOR.fullmatch(value.strip().lower())
    if found is None:
        raise argparse.ArgumentTypeError(f"not SEQ:HASH (64 hex digits): {value[:80]}")
    return int(found.group(1)), found.group(2)


def _date(value: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"not a date (yyyy-mm-dd or dd/mm/yyyy): {value}")


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = sub.add_parser("verify", help="kiểm tra chuỗi nhật ký (walk the hash chain; "
                            f"exit {ExitCode.DAMAGED:d} when an entry was edited, deleted "
                            "or inserted)")
    verify.add_argument("--anchor", type=_anchor, metavar="SEQ:HASH",
                        help="a head printed by an earlier verify, kept elsewhere: it must "
                        "still be in the chain (finds entries cut off the end)")
    listing = sub.add_parser("list", help="liệt kê nhật ký, mới nhất trước (newest first)")
    listing.add_argument("--user", help="only this user name")
    listing.add_argument("--doc", help="only this document id")
    listing.add_argument("--action", help="only this action (view, download, export, "
                         "upload, correct, secrecy, login, login_failed, logout)")
    listing.add_argument("--since", type=_date, help="from this day (local time zone)")
    listing.add_argument("--until", type=_date, help="up to and including this day")
    listing.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")


def run(args: argparse.Namespace) -> int:
    # The web service's accounts own the chain's upgrade from the old audit table.
    from apps.web.accounts import Accounts

    ctx = command_context(args)
    accounts = Accounts.open(ctx.settings.register_location)
    try:
        if args.action == "verify":
            return _verify(ctx, accounts.audit_log, args.anchor)
        _list(ctx, accounts.audit_log, args)
        return ExitCode.OK
    finally:
        accounts.close()


def _verify(ctx: CommandContext, log: AuditLog, anchor: tuple[int, str] | None) -> int:
    report = log.verify(anchor=anchor)
    if report.broken is not None:
        ctx.console.print(ctx.t("audit_broken", count=report.count, seq=report.broken.seq,
                                why=report.broken.reason(ctx.language)),
                          markup=False, soft_wrap=True)
        return ExitCode.DAMAGED
    if report.count == 0:
        ctx.console.print(ctx.t("audit_empty"))
        return ExitCode.OK
    ctx.console.print(ctx.t("audit_ok", count=report.count, seq=report.head_seq,
                            hash=report.head_hash),
                      markup=False, soft_wrap=True)
    return ExitCode.OK


def _filter(args: argparse.Namespace, zone: ZoneInfo) -> AuditFilter:
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    since = datetime.combine(args.since, time(), zone) if args.since else None
    until = (datetime.combine(args.until + timedelta(days=1), time(), zone)
             if args.until else None)
    return AuditFilter(username=args.user, doc_id=args.doc, action=args.action,
                       since=since, until=until)


def _list(ctx: CommandContext, log: AuditLog, args: argparse.Namespace) -> None:
    zone = ZoneInfo(ctx.settings.timezone)
    for entry in log.entries(_filter(args, zone), limit=args.limit):
        moment = entry.at.astimezone(zone).strftime("%d/%m/%Y %H:%M:%S")
        ctx.console.print(f"#{entry.seq}\t{moment}\t{entry.username}\t{entry.action}\t"
                   f"{entry.doc_id or '-'}\t{entry.detail}", markup=False, soft_wrap=True)


COMMAND = Command("audit", "nhật ký truy cập: kiểm tra chuỗi băm, liệt kê (audit log)",
                  configure, run)
