"""``docket ingest``: one pass over the watched folders, or ``--watch`` to keep going."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from typing import Any

from apps.cli import Command
from apps.cli.context import CommandContext, command_context
from ingest.backends import open_backends
from ingest.inbox import WORK_DIR
from ingest.lanes import pooled_files
from ingest.pipeline import (
    Claim,
    FileReport,
    Outcome,
    RunReport,
    claim_ready_files,
    run_lanes,
)
from kernel.errors import (
    ConfigError,
    DocketError,
    ExitCode,
    TransientError,
    exit_code_for,
    is_retryable,
)
from kernel.i18n import reason_text

MAX_ROWS = 200


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--watch", action="store_true", help="keep watching the inbox")
    parser.add_argument("--interval", type=float, default=10.0,
                        help="seconds between passes with --watch (default 10)")
    parser.add_argument("--no-wait", action="store_true",
                        help="don't wait for files still being written")
    parser.add_argument("--json", action="store_true", help="print the run report as JSON")


@dataclass
class Stopped:
    """Why a pass stopped before the end (a store or register outage), and where
    its files are: none is lost."""

    error: DocketError
    waiting: int  # claimed files still in the work area, taken back by the next run

    def as_json(self, ctx: CommandContext, report: RunReport) -> dict[str, object]:
        return {"message": _stopped_message(ctx, report, self), "detail": self.error.message,
                "retry": is_retryable(self.error), "waiting": self.waiting}


def run(args: argparse.Namespace) -> int:
    ctx = command_context(args)
    with open_backends(ctx.settings) as backends:
        if args.watch:
            ctx.console.print(ctx.t("watching", path=ctx.settings.inbox_location))
            while True:
                report, stopped = _one_pass(ctx, backends, wait=False)
                if report.files or stopped:
                    _print_summary(ctx, report, stopped)
                time.sleep(args.interval)
        report, stopped = _one_pass(ctx, backends, wait=not args.no_wait)
    code = ExitCode.OK if stopped is None else exit_code_for(stopped.error)
    if args.json:
        import json
        from dataclasses import asdict

        print(json.dumps({"summary": report.summary(),
                          "files": [asdict(f) for f in report.files],
                          "stopped": stopped.as_json(ctx, report) if stopped else None},
                         ensure_ascii=False, indent=1))
        return code
    if not report.files and stopped is None:
        ctx.console.print(ctx.t("no_files"))
        if report.held:
            ctx.console.print(ctx.t("held_elsewhere", count=report.held))
    if len(report.files) <= MAX_ROWS:
        _print_files(ctx, report)
    _print_summary(ctx, report, stopped)
    return code


def _one_pass(ctx: CommandContext, backends: object,
              *, wait: bool) -> tuple[RunReport, Stopped | None]:
    """Claim and work the pool in lanes; while lanes leave files for a next run,
    start it at once."""
    report, stopped = _process_claim(ctx, backends, claim_ready_files(ctx.settings, wait=wait))
    while stopped is None and report.left:
        more, stopped = _process_claim(ctx, backends, claim_ready_files(ctx.settings, wait=False))
        report.merge(more)
        report.left = more.left
        report.settling = more.settling
    return report, stopped


def _process_claim(ctx: CommandContext, backends: object,
                   claim: Claim) -> tuple[RunReport, Stopped | None]:
    report = RunReport(settling=claim.settling, recovered=claim.recovered, held=claim.held)
    total = claim.pooled
    progress = _progress_bar() if sys.stderr.isatty() and total > 0 else _NoBar()
    settled: list[FileReport] = []
    with progress:
        task = progress.add_task(ctx.t("progress"), total=total)

        def advance(file: FileReport) -> None:
            settled.append(file)
            progress.advance(task)

        try:
            report.merge(run_lanes(ctx.settings, backends, claim.lanes, advance))  # type: ignore[arg-type]
        except (TransientError, ConfigError) as exc:
            # The chunk that failed gave its files back; the rest wait in the pool.
            # Say so, with what was done, instead of the bare OS error.
            report.files = settled
            return report, Stopped(exc, pooled_files(ctx.settings.inbox_location / WORK_DIR))
    return report, None


class _NoBar:
    """The progress bar of a run whose output is no terminal (or has no file): none.
    rich.progress is not imported for it (~10 ms of CPU a run)."""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, description: str, total: int) -> int:
        return 0

    def advance(self, task: int) -> None:
        return None


def _progress_bar() -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), transient=True)


def _print_files(ctx: CommandContext, report: RunReport) -> None:
    if not report.files:
        return
    from rich.table import Table

    table = Table(show_lines=False)
    for key in ("col_direction", "col_reg", "col_symbol", "col_file", "col_result"):
        table.add_column(ctx.t(key))
    for f in report.files:
        result = ctx.t(f.outcome.value)
        if f.outcome is Outcome.QUARANTINED:
            result += f": {reason_text(f.reason or '', ctx.language)}"
        elif f.possible_duplicate_of:
            result += "; " + ctx.t("possible_duplicate", ids=", ".join(f.possible_duplicate_of))
        table.add_row(ctx.t(f.direction), f.registration or "", f.number_symbol or "",
                      f.original_name, result)
    ctx.console.print(table)


def _print_summary(ctx: CommandContext, report: RunReport, stopped: Stopped | None = None) -> None:
    parts = [f"{ctx.t(key)}: {value}" for key, value in report.summary().items() if value]
    ctx.console.print(f"{ctx.t('summary')}: " + ("; ".join(parts) if parts else "0"))
    if report.index.unavailable:
        ctx.console.print(ctx.t("index_unavailable"))
        ctx.console.print(f"  {ctx.t('detail')}: {report.index.unavailable}")
    if stopped is not None:
        ctx.console.print(_stopped_message(ctx, report, stopped))
        ctx.console.print(f"  {ctx.t('detail')}: {stopped.error.message}")


def _stopped_message(ctx: CommandContext, report: RunReport, stopped: Stopped) -> str:
    return ctx.t("run_stopped", archived=report.count(Outcome.ARCHIVED),
                 returned=report.count(Outcome.RETURNED), waiting=stopped.waiting)


COMMAND = Command("ingest", "nhận tệp từ thư mục theo dõi (ingest the watched folders)",
                  configure, run)
