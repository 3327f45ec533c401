"""``docket search QUERY``: full-text search with filters, from the command line."""

from __future__ import annotations

import argparse
import json
import re
from datetime import date

from rich.table import Table

from ingest.cli import Command
from ingest.cli.context import command_context
from ingest.errors import UsageError
from search.index import open_index
from search.model import SearchFilters, SearchQuery

_MARK = re.compile(r"</?mark>")


def _date(value: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            from datetime import datetime

            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"not a date (yyyy-mm-dd or dd/mm/yyyy): {value}")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="*", help="words to find (diacritics optional)")
    parser.add_argument("--direction", choices=("incoming", "outgoing"))
    parser.add_argument("--type", dest="doc_type", help='document type, e.g. "Quyết định"')
    parser.add_argument("--issuer", dest="issuing_body", help="issuing body (exact)")
    parser.add_argument("--language", help="ISO 639-1 code, e.g. vi")
    parser.add_argument("--folder", help="receiving department folder")
    parser.add_argument("--cites", dest="reference", help="documents citing this number/symbol")
    parser.add_argument("--from", dest="issued_from", type=_date, help="issued on or after")
    parser.add_argument("--to", dest="issued_to", type=_date, help="issued on or before")
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
        return 0
    if not result.hits:
        ctx.console.print(ctx.t("no_results"))
        return 0
    table = Table(title=ctx.t("results", total=result.total), show_lines=True)
    for key in ("col_reg", "col_symbol", "col_date", "col_type", "col_subject", "col_id"):
        table.add_column(ctx.t(key), overflow="fold")
    for hit in result.hits:
        doc = hit.document
        reg = (f"{ctx.t(doc.direction)} {doc.registration_number}/{doc.registration_year}"
               if doc.registration_number else ctx.t(doc.direction))
        snippet = _MARK.sub("", hit.snippet)
        subject = doc.subject or doc.original_name
        if snippet:
            subject = f"{subject}\n[dim]…{_plain(snippet)}…[/dim]"
        table.add_row(reg, doc.number_symbol or "",
                      doc.issue_date.strftime("%d/%m/%Y") if doc.issue_date else "",
                      doc.doc_type or "", subject, doc.doc_id)
    ctx.console.print(table)
    return 0


def _plain(snippet: str) -> str:
    import html

    from rich.markup import escape

    return escape(html.unescape(snippet))


COMMAND = Command("search", "tìm kiếm văn bản (full-text search)", configure, run)
