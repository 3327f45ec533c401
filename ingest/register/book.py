"""The register book (sổ đăng ký văn bản đến / đi) in the Decree 30 columns.

``Register.register_book`` gives the rows; this module prints them as a
fixed-width text table or writes them as CSV, in Vietnamese or English.
Columns the office fills in by hand (ngày chuyển, ký nhận; số lượng bản for
outgoing documents) are left blank.  The secret book (sổ đăng ký văn bản mật
đến / đi) has the same columns plus "Độ mật", and its own title.
"""

from __future__ import annotations

import csv
import textwrap
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal, TextIO
from zoneinfo import ZoneInfo

from ingest.register.models import RegisteredDocument
from kernel.model import BOOKS, DIRECTIONS, SECRECY_LEVELS, Book, Direction

Language = Literal["vi", "en"]


@dataclass(frozen=True)
class BookRow:
    """One line of the register book."""

    doc_id: str
    direction: Direction
    year: int
    number: int
    arrival_date: date  # received, in the register's time zone
    registered_at: datetime
    number_symbol: str | None
    issue_date: date | None
    issuing_body: str | None
    doc_type: str | None
    subject: str | None
    folder: str  # the unit it is assigned to (incoming) or that keeps it (outgoing)
    signer: str | None
    recipients: str | None
    copies: int | None = None
    transfer_date: date | None = None
    received_by: str | None = None
    possible_duplicate_of: list[str] = field(default_factory=list)  # "12/2026" labels
    duplicates_received: int = 0
    book: Book = "ordinary"
    secrecy: int = 0  # 0 open, 1..3 MẬT, TỐI MẬT, TUYỆT MẬT


def book_row(doc: RegisteredDocument, tz: ZoneInfo, labels: dict[str, str]) -> BookRow:
    """The book line of ``doc``; ``labels`` maps doc ids to register numbers "n/yyyy".

    A flagged document missing from ``labels`` is left out of the note: the
    ordinary book never points at a document of the secret one.
    """
    return BookRow(
        doc_id=doc.doc_id,
        direction=doc.direction,
        year=doc.year,
        number=doc.number,
        arrival_date=doc.received_at.astimezone(tz).date(),
        registered_at=doc.registered_at,
        number_symbol=doc.number_symbol,
        issue_date=doc.issue_date,
        issuing_body=doc.issuing_body,
        doc_type=doc.doc_type,
        subject=doc.subject,
        folder=doc.folder,
        signer=doc.signer,
        recipients=doc.recipients,
        possible_duplicate_of=[labels[d] for d in doc.possible_duplicate_of if d in labels],
        duplicates_received=doc.duplicates_received,
        book=doc.book,
        secrecy=doc.secrecy,
    )


def format_date(value: date | None) -> str:
    """dd/mm/yyyy, as Vietnamese registers write dates; empty when unknown."""
    return value.strftime("%d/%m/%Y") if value is not None else ""


def _type_and_subject(row: BookRow, _lang: Language) -> str:
    parts = [p for p in (row.doc_type, row.subject) if p]
    return ": ".join(parts)


_NOTES = {
    "vi": ("Có thể trùng số ký hiệu với văn bản số {}", "Nhận trùng {} lần"),
    "en": ("Possible duplicate of no. {}", "Received again {} time(s)"),
}


def _note(row: BookRow, lang: Language) -> str:
    duplicate, again = _NOTES[lang]
    notes = []
    if row.possible_duplicate_of:
        notes.append(duplicate.format(", ".join(row.possible_duplicate_of)))
    if row.duplicates_received:
        notes.append(again.format(row.duplicates_received))
    return "; ".join(notes)


def _text(value: str | int | None) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class BookColumn:
    """One column: its headings and how to print a row's cell."""

    vi: str
    en: str
    cell: Callable[[BookRow, Language], str]
    max_width: int = 12

    def heading(self, lang: Language) -> str:
        return self.vi if lang == "vi" else self.en


_ARRIVAL_DATE = BookColumn("Ngày đến", "Arrival date", lambda r, _: format_date(r.arrival_date))
_ARRIVAL_NUMBER = BookColumn("Số đến", "Arrival no.", lambda r, _: str(r.number), 8)
_REGISTER_NUMBER = BookColumn("Số TT", "Reg. no.", lambda r, _: str(r.number), 8)
_AUTHOR = BookColumn("Tác giả", "Issuing body", lambda r, _: _text(r.issuing_body), 24)
_SYMBOL = BookColumn("Số, ký hiệu", "Number/symbol", lambda r, _: _text(r.number_symbol), 20)
_ISSUE_DATE = BookColumn("Ngày văn bản", "Document date", lambda r, _: format_date(r.issue_date))
_SUBJECT = BookColumn("Tên loại và trích yếu", "Type and subject", _type_and_subject, 40)
_TRANSFER = BookColumn("Ngày chuyển", "Date passed on", lambda r, _: format_date(r.transfer_date))
_SIGNATURE = BookColumn("Ký nhận", "Received by", lambda r, _: _text(r.received_by), 10)
_NOTE = BookColumn("Ghi chú", "Notes", _note, 30)
_SECRECY = BookColumn("Độ mật", "Secrecy", lambda r, _: SECRECY_LEVELS[r.secrecy], 10)

BOOK_COLUMNS: dict[Direction, tuple[BookColumn, ...]] = {
    "incoming": (
        _ARRIVAL_DATE,
        _ARRIVAL_NUMBER,
        _AUTHOR,
        _SYMBOL,
        _ISSUE_DATE,
        _SUBJECT,
        BookColumn("Đơn vị hoặc người nhận", "Assigned to", lambda r, _: r.folder, 20),
        _TRANSFER,
        _SIGNATURE,
        _NOTE,
    ),
    "outgoing": (
        # Docket's own running number leads: the Decree 30 columns follow.
        _REGISTER_NUMBER,
        _SYMBOL,
        _ISSUE_DATE,
        _SUBJECT,
        BookColumn("Người ký", "Signer", lambda r, _: _text(r.signer), 20),
        BookColumn("Nơi nhận", "Recipients", lambda r, _: _text(r.recipients), 30),
        BookColumn("Đơn vị lưu bản", "Keeping unit", lambda r, _: r.folder, 16),
        BookColumn("Số lượng bản", "Copies", lambda r, _: _text(r.copies), 8),
        _TRANSFER,
        _SIGNATURE,
        _NOTE,
    ),
}

_TITLES = {
    ("incoming", "ordinary", "vi"): "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    ("incoming", "ordinary", "en"): "INCOMING DOCUMENTS REGISTER",
    ("outgoing", "ordinary", "vi"): "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
    ("outgoing", "ordinary", "en"): "OUTGOING DOCUMENTS REGISTER",
    ("incoming", "secret", "vi"): "SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐẾN",
    ("incoming", "secret", "en"): "INCOMING SECRET DOCUMENTS REGISTER",
    ("outgoing", "secret", "vi"): "SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐI",
    ("outgoing", "secret", "en"): "OUTGOING SECRET DOCUMENTS REGISTER",
}
_YEAR = {"vi": "Năm", "en": "Year"}
_HEADING_WIDTH = 12  # headings wrap rather than widen a column of short cells


def book_title(direction: str, book: str = "ordinary", language: Language = "vi") -> str:
    """The book's title as printed on its cover: "SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐẾN"."""
    _columns(direction, book)  # the same checks
    return _TITLES[(direction, book, language)]


def _columns(direction: str, book: str = "ordinary") -> tuple[BookColumn, ...]:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    if book not in BOOKS:
        raise ValueError(f"book must be one of {BOOKS}, not {book!r}")
    columns = BOOK_COLUMNS[direction]  # type: ignore[index]
    if book == "ordinary":
        return columns
    # The secrecy follows the number: the first thing a reader of the secret book checks.
    return (*columns[:2], _SECRECY, *columns[2:])


def book_table(
    rows: Sequence[BookRow], direction: str, language: Language = "vi", book: str = "ordinary"
) -> tuple[list[str], list[list[str]]]:
    """Headings and cell texts of the book, for any output format."""
    columns = _columns(direction, book)
    headings = [c.heading(language) for c in columns]
    cells = [[_nfc(c.cell(row, language)) for c in columns] for row in rows]
    return headings, cells


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _width(value: str) -> int:
    """Display width: combining marks take no column."""
    return sum(0 if unicodedata.combining(ch) else 1 for ch in value)


def _pad(value: str, width: int) -> str:
    return value + " " * (width - _width(value))


def _wrap(value: str, width: int) -> list[str]:
    return textwrap.wrap(value, width, break_long_words=True, break_on_hyphens=False) or [""]


def format_register_book(
    rows: Sequence[BookRow], direction: str, language: Language = "vi", book: str = "ordinary"
) -> str:
    """The book as a fixed-width text table, long cells wrapped onto more lines."""
    columns = _columns(direction, book)
    headings, cells = book_table(rows, direction, language, book)
    year = f" — {_YEAR[language]} {rows[0].year}" if rows else ""
    return format_text_table(_TITLES[(direction, book, language)] + year, headings, cells,
                             [c.max_width for c in columns])


def format_text_table(title: str, headings: list[str], cells: list[list[str]],
                      max_widths: Sequence[int]) -> str:
    """A titled fixed-width table, long cells wrapped onto more lines (any register book)."""
    widths = []
    for i, most in enumerate(max_widths):
        longest = max([min(_width(headings[i]), _HEADING_WIDTH)] + [_width(r[i]) for r in cells])
        # Never narrower than the longest heading word, so headings wrap between words.
        floor = max(_width(word) for word in headings[i].split())
        widths.append(max(floor, min(longest, most)))
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

    def lines_of(values: list[str]) -> list[str]:
        wrapped = [_wrap(v, w) for v, w in zip(values, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        out = []
        for n in range(height):
            parts = [
                _pad(w[n] if n < len(w) else "", width)
                for w, width in zip(wrapped, widths, strict=True)
            ]
            out.append("| " + " | ".join(parts) + " |")
        return out

    text = [title, rule, *lines_of(headings), rule.replace("-", "=")]
    for row_cells in cells:
        text.extend(lines_of(row_cells))
        text.append(rule)
    if not cells:
        text.append(rule)
    return "\n".join(text) + "\n"


def write_register_book_csv(
    rows: Sequence[BookRow],
    direction: str,
    target: Path | TextIO,
    language: Language = "vi",
    book: str = "ordinary",
) -> None:
    """Write the book as CSV; a file path gets UTF-8 with BOM so spreadsheets read Vietnamese."""
    headings, cells = book_table(rows, direction, language, book)
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            _write_csv(handle, headings, cells)
    else:
        _write_csv(target, headings, cells)


def write_table_csv(target: Path, headings: list[str], cells: list[list[str]]) -> None:
    """A table as CSV in UTF-8 with BOM, so spreadsheets read Vietnamese."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        _write_csv(handle, headings, cells)


def _write_csv(handle: TextIO, headings: list[str], cells: list[list[str]]) -> None:
    writer = csv.writer(handle)
    writer.writerow(headings)
    writer.writerows(cells)
