"""The ``docket`` command line: a registry of subcommands.

Each subcommand lives in its own module and exposes ``COMMAND``; adding one is
adding its module name to ``COMMAND_MODULES``.  A command raises Docket's
errors and returns ``ExitCode.OK`` or the code of a result it reports itself;
``report_error`` is the one place an error becomes a message in the user's
language and an exit code (``kernel.errors.exit_code_for``), never a
traceback, unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kernel.errors import DocketError, ExitCode, IndexDamaged, IndexRefused, exit_code_for
from kernel.i18n import translate

COMMAND_MODULES = (
    "apps.cli.ingest_cmd",
    "apps.cli.search_cmd",
    "apps.cli.show_cmd",
    "apps.cli.reindex_cmd",
    "apps.cli.index_cmd",
    "apps.cli.samples_cmd",
    "apps.cli.register_cmd",
    "apps.cli.serve_cmd",
    "apps.cli.users_cmd",
    "apps.cli.report_cmd",
    "apps.cli.fixity_cmd",
    "apps.cli.audit_cmd",
    "apps.cli.secrecy_cmd",
    "apps.cli.assign_cmd",
    "apps.cli.tracking_cmd",
)


# Commands whose work runs in the sandbox's worker processes.  Their fork server
# starts before the commands are imported, so it imports what the workers need
# while this process imports the rest: on two cores the two overlap (about a
# second of a run's start-up, bench/ingest.py).
SANDBOX_COMMANDS = ("ingest",)
SANDBOX_PRELOAD = ("ingest.preload",)
_GLOBAL_OPTIONS_WITH_VALUES = ("--config", "--lang")


def _command_named(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names (its first word that is no global option or value)."""
    words = iter(argv)
    for word in words:
        if word in _GLOBAL_OPTIONS_WITH_VALUES:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _commands(named: str | None = None) -> list[Command]:
    """Every installed command; only the one ``named`` when its module is found by its
    name (``apps.cli.<name>_cmd``): a run imports what it needs, not every command's
    libraries (a tenth of a second of CPU, a run of ``docket ingest``)."""
    module_name = f"apps.cli.{named}_cmd"
    if named is not None and module_name in COMMAND_MODULES:
        command: Command = importlib.import_module(module_name).COMMAND
        if command.name == named:
            return [command]
    commands = []
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # a command whose module is not installed in this build
            raise
        commands.append(module.COMMAND)
    return commands


def _installed_version() -> str:
    """The version of the installed ``docket`` distribution (the wheel's, or the editable one's)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("docket")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


class _VersionAction(argparse.Action):
    """``--version``: the installed version, looked up only when asked for (reading the
    packages' metadata is ~45 ms of CPU, which every other run would pay at start)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS,
                 help: str = "show program's version number and exit") -> None:  # noqa: A002
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0,
                         help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(f"docket {_installed_version()}")
        parser.exit()


def build_parser(command_named: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of the one ``command_named`` alone."""
    parser = argparse.ArgumentParser(
        prog="docket",
        description="Docket: đăng ký, lưu trữ và tìm kiếm văn bản đến, văn bản đi "
        "(document registration, archive and search).",
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument("--config", type=Path, help="settings file (default config/docket.toml)")
    parser.add_argument("--lang", choices=("vi", "en"), help="interface language (default vi)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in _commands(command_named):
        command_parser = sub.add_parser(command.name, help=command.help, description=command.help)
        command.configure(command_parser)
        command_parser.set_defaults(handler=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Docket uses no pydantic plugins: looking for them reads the metadata of every
    # installed package (~40 ms of CPU in this process and as much in the sandbox's
    # fork server, which inherits this).  Set the variable to "" to have them loaded.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # No garbage collection while the modules load (their objects are not garbage:
    # ~0.1 s of CPU a start); then frozen, out of the collector's sight for good.
    gc.disable()
    try:
        args = _parsed(argv)
    finally:
        gc.freeze()
        gc.enable()
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.handler(args) or ExitCode.OK)
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the one place errors become exit codes
        if args.debug:
            raise
        return report_error(exc, getattr(args, "lang", None) or "vi")


def _parsed(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments, parsed by the parser of the command they name (imported now)."""
    named = _command_named(sys.argv[1:] if argv is None else argv)
    if named in SANDBOX_COMMANDS:
        from ingest.sandbox import start_fork_server

        start_fork_server(SANDBOX_PRELOAD)
    parser = build_parser(named)
    try:
        return parser.parse_args(argv)
    except DocketError as exc:  # an argument type (a month, a date) refused the value
        parser.error(exc.message)


def report_error(error: BaseException, language: str) -> ExitCode:
    """Say ``error`` on stderr in ``language``, in one line where it fits; its exit code."""
    for line in _error_lines(error, language):
        print(line, file=sys.stderr)
    return exit_code_for(error)


def _error_lines(error: BaseException, language: str) -> list[str]:
    if isinstance(error, IndexRefused):  # each refused document, with the index's reason
        return [f"docket: {translate('reindex_refused', language, count=len(error.failed))}",
                *(f"  {doc_id}: {reason}" for doc_id, reason in error.failed.items())]
    if isinstance(error, IndexDamaged):  # what to do about it, in the user's language
        what_to_do = translate("index_damaged", language, path=error.path, detail=error.detail)
        return [f"docket: {what_to_do}"]
    localized = getattr(error, "text", None)  # refusals that speak both languages
    if isinstance(error, DocketError) and callable(localized):
        message = localized(language)
    else:
        message = (error.message if isinstance(error, DocketError)
                   else f"{type(error).__name__}: {error}")
    return [f"docket: {translate('error', language)}: {message}"]


if __name__ == "__main__":
    raise SystemExit(main())
