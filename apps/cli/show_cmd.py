"""``docket show ID``: the full record of one document."""

from __future__ import annotations

import argparse

from rich.table import Table

from apps.cli import Command
from apps.cli.context import command_context
from ingest.backends import open_backends
from ingest.indexing import load_record
from kernel.errors import ExitCode, NotFound


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("doc_id", help="document id (as printed by ingest and search)")
    parser.add_argument("--json", action="store_true", help="print the JSON record")
    parser.add_argument("--text", action="store_true", help="also print the extracted text")


def run(args: argparse.Namespace) -> int:
    ctx = command_context(args)
    doc_id = args.doc_id.strip().lower()
    if not doc_id.isalnum() or len(doc_id) != 16:
        raise NotFound(f"not a document id: {args.doc_id!r} (16 hexadecimal characters)")
    with open_backends(ctx.settings) as backends:
        try:
            record = load_record(backends, doc_id)
        except NotFound as exc:
            raise NotFound(f"no document {doc_id}") from exc
        text = backends.store.get_bytes(record.text_key).decode() if args.text else ""
    if args.json:
        print(record.model_dump_json(indent=1))
        return ExitCode.OK
    table = Table(show_header=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    reg = record.registration
    rows = [
        ("ID", record.doc_id),
        (ctx.t("col_reg"), f"{ctx.t(record.direction)} {reg.label}" if reg else "-"),
        (ctx.t("col_file"), record.original_name),
        ("folder", record.folder),
        ("type/size", f"{record.detected_type}, {record.size} B, {record.page_count} p."),
        ("OCR", ", ".join(map(str, record.ocr_pages)) if record.ocr_used else "-"),
        ("language", record.language or "-"),
        ("received", record.received_at.isoformat(timespec="seconds")),
        ("sha256", record.sha256),
    ]
    for name, field in record.metadata.items():
        value = field.value if isinstance(field.value, str) else "; ".join(field.value)
        rows.append((name, f"{value}  [dim]({field.source}, {field.confidence:.2f})[/dim]"))
    if record.possible_duplicate_of:
        rows.append(("!", ctx.t("possible_duplicate", ids=", ".join(record.possible_duplicate_of))))
    for event in record.duplicates_received:
        rows.append((ctx.t("duplicate"), f"{event.original_name} {event.received_at:%d/%m/%Y}"))
    for name, value in rows:
        table.add_row(name, value)
    ctx.console.print(table)
    if text:
        ctx.console.print(text, markup=False)
    return ExitCode.OK


COMMAND = Command("show", "xem một văn bản (show one document)", configure, run)
