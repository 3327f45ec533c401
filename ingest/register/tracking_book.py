"""The tracking register (sổ theo dõi giải quyết văn bản đến) of a year.

One line per incoming document assigned for handling, in arrival-number
order: who leads and who cooperates, the deadline, how far handling has got
(trạng thái, and for a closed one the day and whether it was on time), the
answering outgoing document and the result note or the reason it was returned
(Decree 30/2020/NĐ-CP, art. 24, appendix IV; docs/tracking.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from ingest.register.book import Language, format_date, format_text_table, write_table_csv
from ingest.register.tracking import TrackedAssignment
from ingest.tracking.assignments import Role, Status, handled_on_time

TITLE = {"vi": "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN", "en": "INCOMING DOCUMENTS TRACKING REGISTER"}
_YEAR = {"vi": "Năm", "en": "Year"}
_ON_TIME = {"vi": ("đúng hạn", "quá hạn"), "en": ("on time", "late")}


@dataclass(frozen=True)
class TrackingLine:
    """One document of the tracking register: its lead assignment and the cooperating ones."""

    lead: TrackedAssignment
    cooperating: tuple[TrackedAssignment, ...]
    answer_symbol: str | None  # the answering outgoing document's number/symbol (or label)
    arrival: str  # the arrival date as the book prints it


def tracking_lines(assignments: Sequence[TrackedAssignment], answer_symbols: Mapping[str, str],
                   tz: ZoneInfo) -> list[TrackingLine]:
    """Group ``Register.assignments_registered`` rows by document; the latest lead counts
    (a document returned and assigned again shows its current handling)."""
    by_doc: dict[str, list[TrackedAssignment]] = {}
    for tracked in assignments:
        by_doc.setdefault(tracked.assignment.doc_id, []).append(tracked)
    lines = []
    for found in by_doc.values():
        leads = [t for t in found if t.assignment.role is Role.LEAD] or found
        lead = max(leads, key=lambda t: t.id)
        others = tuple(t for t in found if t.assignment.role is Role.COOPERATING
                       and t.assignment.status is not Status.RETURNED)
        answered = lead.assignment.answered_by
        lines.append(TrackingLine(lead, others, answer_symbols.get(answered or ""),
                                  format_date(lead.received_at.astimezone(tz).date())))
    return lines


def _progress(line: TrackingLine, language: Language) -> str:
    assignment = line.lead.assignment
    text = assignment.status.label(language)
    if assignment.closed_on is not None:
        text += f" {format_date(assignment.closed_on)}"
        on_time = handled_on_time(assignment)
        if on_time is not None:
            text += f" ({_ON_TIME[language][0 if on_time else 1]})"
    return text


def _note(line: TrackingLine) -> str:
    assignment = line.lead.assignment
    return assignment.result_note or assignment.returned_reason


Cell = Callable[[TrackingLine, Language, Mapping[str, str]], str]

COLUMNS: tuple[tuple[str, str, Cell, int], ...] = (
    ("Số đến", "Arrival no.", lambda x, _l, _u: x.lead.label, 10),
    ("Ngày đến", "Arrival date", lambda x, _l, _u: x.arrival, 10),
    ("Tác giả", "Issuing body", lambda x, _l, _u: x.lead.issuing_body or "", 20),
    ("Số, ký hiệu", "Number/symbol", lambda x, _l, _u: x.lead.number_symbol or "", 16),
    ("Trích yếu nội dung", "Subject", lambda x, _l, _u: x.lead.subject or "", 30),
    ("Đơn vị chủ trì", "Lead unit",
     lambda x, _l, u: u.get(x.lead.assignment.unit, x.lead.assignment.unit), 16),
    ("Đơn vị phối hợp", "Cooperating units",
     lambda x, _l, u: "; ".join(u.get(t.assignment.unit, t.assignment.unit)
                                for t in x.cooperating), 16),
    ("Thời hạn giải quyết", "Deadline", lambda x, _l, _u: format_date(x.lead.assignment.deadline),
     10),
    ("Tiến độ giải quyết", "Progress", lambda x, lang, _u: _progress(x, lang), 18),
    ("Số, ký hiệu văn bản trả lời", "Answered by", lambda x, _l, _u: x.answer_symbol or "", 16),
    ("Ghi chú", "Notes", lambda x, _l, _u: _note(x), 24),
)


def tracking_table(lines: Sequence[TrackingLine], unit_names: Mapping[str, str],
                   language: Language = "vi") -> tuple[list[str], list[list[str]]]:
    """Headings and cells of the tracking register; units shown by their names."""
    headings = [vi if language == "vi" else en for vi, en, _cell, _w in COLUMNS]
    cells = [[cell(line, language, unit_names) for _vi, _en, cell, _w in COLUMNS]
             for line in lines]
    return headings, cells


def format_tracking_book(lines: Sequence[TrackingLine], year: int,
                         unit_names: Mapping[str, str], language: Language = "vi") -> str:
    """The tracking register as a fixed-width text table."""
    headings, cells = tracking_table(lines, unit_names, language)
    return format_text_table(f"{TITLE[language]} — {_YEAR[language]} {year}", headings, cells,
                             [width for _vi, _en, _cell, width in COLUMNS])


def write_tracking_book_csv(lines: Sequence[TrackingLine], target: Path,
                            unit_names: Mapping[str, str], language: Language = "vi") -> None:
    """The tracking register as CSV (UTF-8 with BOM)."""
    headings, cells = tracking_table(lines, unit_names, language)
    write_table_csv(target, headings, cells)
