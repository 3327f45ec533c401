"""The register book (sổ đăng ký) in the browser: per year, direction and book, by month.

Printable three ways: the page itself (a print stylesheet), a PDF with page
numbers and a signature line for the head of office, and an XLSX workbook.
The secret book is offered only to users cleared for it, and shows only the
rows up to their clearance; everyone else is answered "not found" for it, as
for a page that does not exist.  Clerks, who see only their own uploads, have
no register book.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from apps.web.accounts import User
from apps.web.api import content_disposition
from apps.web.deps import CurrentUser, Language, State, WebState
from apps.web.exports import EXPORTERS, safe_cell
from apps.web.fonts import FONT_DIR
from apps.web.labels import label
from apps.web.pages import render
from ingest.register import BookRow, book_table, book_title
from kernel.errors import NotFound
from kernel.model import BOOKS, DIRECTIONS

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class BookChoice:
    """Which book, year and month a request asks for."""

    year: int
    direction: str
    book: str
    month: int  # 0: the whole year

    def params(self, **changes: object) -> str:
        values = {"year": self.year, "direction": self.direction, "book": self.book,
                  "month": self.month, **changes}
        return "&".join(f"{k}={v}" for k, v in values.items() if v not in ("", 0))


def books_for(user: User) -> tuple[str, ...]:
    """The books ``user`` may open: the secret one only with a clearance."""
    if not user.sees_everything_allowed:
        return ()
    return BOOKS if user.max_secrecy >= 1 else ("ordinary",)


def _choice(request: Request, state: WebState, user: User) -> BookChoice:
    query = request.query_params
    now = datetime.now(ZoneInfo(state.settings.timezone))
    year, month = query.get("year", ""), query.get("month", "")
    direction = query.get("direction") or "incoming"
    book = query.get("book") or "ordinary"
    if (direction not in DIRECTIONS or book not in books_for(user)
            or not (year == "" or (year.isdigit() and 1900 < int(year) < 3000))
            or not (month == "" or (month.isdigit() and 0 <= int(month) <= 12))):
        raise NotFound("no such register book")  # the secret book too, for the uncleared
    return BookChoice(int(year) if year else now.year, direction, book,
                      int(month) if month else 0)


def _rows(state: WebState, user: User, choice: BookChoice) -> list[BookRow]:
    rows = state.service.backends.register.register_book(choice.year, choice.direction,
                                                         choice.book)
    return [r for r in rows if r.secrecy <= user.max_secrecy
            and (not choice.month or r.arrival_date.month == choice.month)]


def _lang(lang: str) -> Literal["vi", "en"]:
    return "en" if lang == "en" else "vi"


@router.get("/register", response_class=HTMLResponse)
def register_page(request: Request, state: State, user: CurrentUser,
                  lang: Language) -> Response:
    """The book as a table, with its year, direction, book and month chosen above it."""
    choice = _choice(request, state, user)
    rows = _rows(state, user, choice)
    headings, cells = book_table(rows, choice.direction, _lang(lang), choice.book)
    return render(request, state, lang, "register.html", user, choice=choice,
                  title=book_title(choice.direction, choice.book, _lang(lang)),
                  headings=headings, cells=cells, books=books_for(user),
                  years=range(datetime.now(ZoneInfo(state.settings.timezone)).year, 1999, -1))


@router.get("/register/export.{fmt}")
def register_export(fmt: str, request: Request, state: State, user: CurrentUser,
                    lang: Language) -> Response:
    """The same book as PDF (page numbers, signature line) or XLSX; audited as an export."""
    if fmt not in ("pdf", "xlsx"):
        raise NotFound(f"no export format {fmt[:10]!r}")
    choice = _choice(request, state, user)
    rows = _rows(state, user, choice)
    title = book_title(choice.direction, choice.book, _lang(lang))
    headings, cells = book_table(rows, choice.direction, _lang(lang), choice.book)
    period = _period(choice, lang)
    if fmt == "pdf":
        data, media = book_pdf(title, period, headings, cells, lang), "application/pdf"
    else:
        data, media = book_xlsx(title, period, headings, cells), EXPORTERS["xlsx"][1]
    state.accounts.audit(user.username, "export", None, f"register {choice.params()}"[:500])
    name = f"so-dang-ky-{choice.direction}-{choice.book}-{choice.year}.{fmt}"
    return Response(data, media_type=media, headers={
        "content-disposition": content_disposition("attachment", name),
        "cache-control": "private, no-store"})


def _period(choice: BookChoice, lang: str) -> str:
    if choice.month:
        return f"{label('month', lang)} {choice.month:02d}/{choice.year}"
    return f"{label('ui_year', lang)} {choice.year}"


class _BookPdf(FPDF):
    """A4 landscape, DejaVu (Vietnamese), "Trang n/N" at the foot of every page."""

    page_word = "Trang"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.cell(0, 6, f"{self.page_word} {self.page_no()}/{{nb}}", align="C")


def book_pdf(title: str, period: str, headings: list[str], cells: list[list[str]],
             lang: str) -> bytes:
    """The book as a PDF table ending with the head of office's signature line."""
    pdf = _BookPdf(orientation="L", format="A4")
    pdf.page_word = label("ui_page_word", lang)
    pdf.alias_nb_pages()
    pdf.add_font("DejaVu", fname=str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", style="B", fname=str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 13)
    pdf.cell(0, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)
    pdf.cell(0, 6, period, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", size=7)
    with pdf.table(text_align="LEFT", repeat_headings=1, line_height=3.6) as table:
        table.row(headings)
        for row in cells:
            table.row(row)
    pdf.ln(8)
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.set_font("DejaVu", "B", 10)
    x = pdf.w - pdf.r_margin - 90
    pdf.set_x(x)
    pdf.cell(90, 6, label("ui_head_of_office", lang), align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("DejaVu", size=9)
    pdf.cell(90, 5, label("ui_sign_hint", lang), align="C", new_x="LEFT", new_y="NEXT")
    pdf.ln(18)
    pdf.cell(90, 5, "." * 60, align="C")
    return bytes(pdf.output())


def book_xlsx(title: str, period: str, headings: list[str], cells: list[list[str]]) -> bytes:
    """The book as one worksheet: title, period, then the Decree 30 columns."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "So dang ky"
    sheet.append([title])
    sheet.append([period])
    sheet.append([])
    sheet.append(headings)
    for row in cells:
        sheet.append([safe_cell(c) for c in row])
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index in range(len(headings)):
        width = max([len(headings[index]), *(min(len(r[index]), 60) for r in cells)])
        sheet.column_dimensions[chr(ord("A") + index)].width = max(8, min(50, width + 2))
    sheet.print_title_rows = "4:4"
    sheet.page_setup.orientation = "landscape"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
