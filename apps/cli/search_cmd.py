"""``docket search QUERY``: full-text search with filters, from the command line."""

from __future__ import annotations

import argparse
import html
import json
import re
from datetime import date, datetime

from rich.cells import cell_len
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from apps.cli import Command
from apps.cli.context import CommandContext, command_context
from ingest.backends import open_backends
from ingest.tracking.assignments import SEARCH_STATUSES
from ingest.tracking.setup import tracking_setup
from ingest.tracking_service import tracked_assignments
from kernel.errors import ExitCode, UsageError
from kernel.model import FULL_CLEARANCE
from search.index import open_index
from search.model import IndexDocument, SearchFilters, SearchHit, SearchQuery, SearchResult

# Between <mark> and </mark>: every odd piece of a snippet split on the tags.
_MARK = re.compile(r"</?mark>")
COLUMNS = ("col_reg", "col_symbol", "col_date", "col_type", "col_subject")
COLUMN_CAPS = (16, 18, 10, 14)  # the subject's column takes what is left
SUBJECT_MIN = 20
GAP = 1  # spaces after each column
SNIPPET_LEAD = 24  # characters of a snippet shown before its first match


def _date(value: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"not a date (yyyy-mm-dd or dd/mm/yyyy): {value}")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="*",
                        help='words to find, diacritics optional; "a phrase", a OR b, '
                             "prefix*, -left-out (quote the whole query, or put it after "
                             "--, for a -word to reach it)")
    parser.add_argument("--direction", choices=("incoming", "outgoing"))
    parser.add_argument("--type", dest="doc_type", help='document type, e.g. "Quyết định"')
    parser.add_argument("--issuer", dest="issuing_body", help="issuing body (exact)")
    parser.add_argument("--language", help="ISO 639-1 code, e.g. vi")
    parser.add_argument("--folder", help="receiving department folder")
    parser.add_argument("--cites", dest="reference", help="documents citing this number/symbol")
    parser.add_argument("--from", dest="issued_from", type=_date, help="issued on or after")
    parser.add_argument("--to", dest="issued_to", type=_date, help="issued on or before")
    parser.add_argument("--unit", help="only documents assigned to this unit (its code)")
    parser.add_argument("--status", choices=tuple(s for s in SEARCH_STATUSES if s),
                        help="only documents with an assignment in this tracking status")
    parser.add_argument("--overdue", action="store_true",
                        help="only documents with an open assignment past its deadline")
    parser.add_argument("--sort", default="relevance",
                        choices=("relevance", "date_desc", "date_asc", "received_desc"))
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print results as JSON")


def run(args: argparse.Namespace) -> int:
    ctx = command_context(args)
    if args.page < 1 or not 1 <= args.limit <= 1000:
        raise UsageError("--page must be >= 1 and --limit between 1 and 1000")
    query = SearchQuery(
        text=" ".join(args.query),
        filters=SearchFilters(
            direction=args.direction, doc_type=args.doc_type, issuing_body=args.issuing_body,
            language=args.language, folder=args.folder, reference=args.reference,
            issued_from=args.issued_from, issued_to=args.issued_to,
            doc_ids=_tracked(ctx, args),
        ),
        sort=args.sort, page=args.page, page_size=args.limit,
    )
    index = open_index(ctx.settings)
    try:
        result = index.search(query)
    finally:
        index.close()
    if args.json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1))
        return ExitCode.OK
    if not result.hits:
        ctx.console.print(ctx.t("no_results"))
        return ExitCode.OK
    print_hits(ctx, result)
    return ExitCode.OK


def _tracked(ctx: CommandContext, args: argparse.Namespace) -> tuple[str, ...] | None:
    """The documents the tracking filters keep the search to (None: no such filter).

    The index holds no tracking state: the register says which documents have an
    assignment of that unit, status or lateness (every unit's, at full clearance,
    as ``docket tracking`` lists them)."""
    if not (args.unit or args.status or args.overdue):
        return None
    if args.unit and tracking_setup(ctx.settings).unit(args.unit) is None:
        raise UsageError(ctx.t("tracking_unknown_unit", unit=args.unit))
    with open_backends(ctx.settings) as backends:
        today = datetime.now(backends.register.tz).date()
        found = tracked_assignments(
            backends, max_secrecy=FULL_CLEARANCE, units=[args.unit] if args.unit else None,
            status=args.status or "", overdue=args.overdue, today=today)
    return tuple(sorted({t.assignment.doc_id for t in found}))


def print_hits(ctx: CommandContext, result: SearchResult) -> None:
    """The hits as a table that fits the terminal, each row's snippet on a line under it.

    The subject keeps a column of its own (wrapped within it); the snippet,
    with the matched words in bold, and the document's id (for ``docket
    show``) take the whole width of the line below, cut with an ellipsis.
    """
    console = ctx.console
    headers = [ctx.t(key) for key in COLUMNS]
    rows = [_cells(ctx, hit.document) for hit in result.hits]
    widths = _widths(console.width, [headers, *rows])
    # Past the cap the total is a lower bound or an estimate: say which, as the web page does.
    said = ("results" if result.total_exact else
            "results_about" if result.total_estimated else "results_more")
    console.print(ctx.t(said, total=result.total), style="bold")
    console.print(_row(widths, headers), style="bold")
    console.rule(style="dim")
    for hit, cells in zip(result.hits, rows, strict=True):
        console.print(_row(widths, cells))
        console.print(_snippet_line(hit), no_wrap=True, overflow="ellipsis", crop=True)


def _cells(ctx: CommandContext, doc: IndexDocument) -> list[str]:
    direction = ctx.t(doc.direction)
    registered = (f"{direction} {doc.registration_number}/{doc.registration_year}"
                  if doc.registration_number else direction)  # fmt: skip
    issued = doc.issue_date.strftime("%d/%m/%Y") if doc.issue_date else ""
    return [registered, doc.number_symbol or "", issued, doc.doc_type or "",
            doc.subject or doc.original_name]  # fmt: skip


def _widths(total: int, rows: list[list[str]]) -> list[int]:
    """Column widths: each short column as wide as its longest cell (up to its cap),
    the subject whatever is left of ``total`` (and at least ``SUBJECT_MIN``)."""
    widths = [
        min(cap, max(cell_len(row[i]) for row in rows)) for i, cap in enumerate(COLUMN_CAPS)
    ]
    left = total - sum(widths) - GAP * len(COLUMNS)
    return [*widths, max(SUBJECT_MIN, left)]


def _row(widths: list[int], cells: list[str]) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, GAP, 0, 0))
    for width in widths:
        table.add_column(width=width, overflow="fold")
    table.add_row(*(escape(cell) for cell in cells))
    return table


def _snippet_line(hit: SearchHit) -> Text:
    """``  <id>  …text around the first match…``, the matches in bold."""
    line = Text("  ")
    line.append(hit.doc_id, style="dim")
    line.append("  ")
    snippet = " ".join(hit.snippet.split())  # one line: the text's own line breaks go
    first = snippet.find("<mark>")
    if first > SNIPPET_LEAD:
        # The index centres a long snippet on its matches; a terminal line shows
        # its start only, so it starts a few words before the first match.
        start = snippet.rfind(" ", 0, first - SNIPPET_LEAD) + 1 or first - SNIPPET_LEAD
        snippet = "…" + snippet[start:].lstrip("…")
    for index, piece in enumerate(_MARK.split(snippet)):
        line.append(html.unescape(piece), style="bold" if index % 2 else "dim")
    return line


COMMAND = Command("search", "tìm kiếm văn bản (full-text search)", configure, run)
