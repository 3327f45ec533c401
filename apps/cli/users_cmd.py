"""``docket users``: accounts of the search web service (add, passwd, disable, list)."""

from __future__ import annotations

import argparse
import getpass
import sys

from apps.cli import Command
from apps.cli.context import command_context
from kernel.errors import ExitCode, UsageError

ROLES = ("clerk", "archivist", "officer", "admin")


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="create a user")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES,
                     help="clerk: upload; archivist: open documents; officer: also "
                     "confidential up to --clearance; admin: everything")
    add.add_argument("--clearance", type=int, default=0, choices=(0, 1, 2, 3),
                     help="1 MẬT, 2 TỐI MẬT, 3 TUYỆT MẬT (officers)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    passwd = sub.add_parser("passwd", help="set a new password (the user's sessions end)")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true")
    role = sub.add_parser("role", help="set a new role and clearance (the user's sessions end)")
    role.add_argument("username")
    role.add_argument("--role", required=True, choices=ROLES)
    role.add_argument("--clearance", type=int, default=0, choices=(0, 1, 2, 3),
                      help="1 MẬT, 2 TỐI MẬT, 3 TUYỆT MẬT (officers)")
    disable = sub.add_parser("disable", help="disable a user (their sessions end at once)")
    disable.add_argument("username")


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mật khẩu (password): ")
    if getpass.getpass("Nhập lại (again): ") != first:
        raise UsageError("the two passwords differ")
    return first


def run(args: argparse.Namespace) -> int:
    from apps.web.accounts import Accounts, Role

    ctx = command_context(args)
    accounts = Accounts.open(ctx.settings.register_location)
    try:
        if args.action == "add":
            password = _password(args)
            user = accounts.add_user(args.username, password, Role(args.role), args.clearance)
            ctx.console.print(f"{user.username}: {user.role.value}, clearance {user.clearance}")
        elif args.action == "passwd":
            accounts.set_password(args.username, _password(args))
            ctx.console.print(f"{args.username}: password changed")
        elif args.action == "role":
            user = accounts.set_role(args.username, Role(args.role), args.clearance)
            ctx.console.print(f"{user.username}: {user.role.value}, clearance {user.clearance}")
        elif args.action == "disable":
            accounts.disable(args.username)
            ctx.console.print(f"{args.username}: disabled")
    finally:
        accounts.close()
    return ExitCode.OK


COMMAND = Command("users", "quản lý tài khoản dịch vụ tra cứu (web accounts)", configure, run)
