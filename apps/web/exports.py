"""A result list as CSV or XLSX: one row per document, every page of the result."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font

from apps.web.labels import label
from kernel.model import register_label
from search.model import IndexDocument

Cell = Callable[[IndexDocument, str, ZoneInfo], str]  # (document, language, zone) -> text


def _registration(doc: IndexDocument, language: str, zone: ZoneInfo) -> str:
    if not (doc.registration_number and doc.registration_year):
        return ""
    return register_label(doc.registration_number, doc.registration_year, doc.registration_book)


# Each column once: its label key and how its cell is written (dates dd/mm/yyyy).
COLUMNS: dict[str, Cell] = {
    "reg_number": _registration,
    "direction": lambda doc, language, zone: label(doc.direction, language),
    "number_symbol": lambda doc, language, zone: doc.number_symbol or "",
    "issue_date": lambda doc, language, zone: (doc.issue_date.strftime("%d/%m/%Y")
                                               if doc.issue_date else ""),
    "doc_type": lambda doc, language, zone: doc.doc_type or "",
    "issuing_body": lambda doc, language, zone: doc.issuing_body or "",
    "subject": lambda doc, language, zone: safe_cell(doc.subject),
    "received_at": lambda doc, language, zone: (doc.received_at.astimezone(zone)
                                                .strftime("%d/%m/%Y %H:%M")),
    "original_name": lambda doc, language, zone: safe_cell(doc.original_name),
    "doc_id": lambda doc, language, zone: doc.doc_id,
}


def export_rows(documents: Iterable[IndexDocument], language: str,
                timezone: str) -> Iterable[list[str]]:
    """The header, then one row of text cells per document."""
    zone = ZoneInfo(timezone)
    yield [label(c, language) if c != "doc_id" else "ID" for c in COLUMNS]
    for doc in documents:
        yield [cell(doc, language, zone) for cell in COLUMNS.values()]


def safe_cell(text: str) -> str:
    # A cell starting with = + - @ is a formula to spreadsheet programs (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_csv(rows: Iterable[list[str]]) -> bytes:
    """UTF-8 with a BOM, so Excel shows Vietnamese correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_xlsx(rows: Iterable[list[str]]) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Docket"
    for index, row in enumerate(rows):
        sheet.append(row)
        if index == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJ", (12, 8, 18, 12, 16, 30, 60, 16, 30, 18), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


EXPORTERS: dict[str, tuple[Callable[[Iterable[list[str]]], bytes], str]] = {
    "csv": (render_csv, "text/csv; charset=utf-8"),
    "xlsx": (render_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
