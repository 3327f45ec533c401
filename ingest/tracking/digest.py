"""One unit's daily deadline digest (bản tin hạn xử lý), and how it reads.

``UnitDigest`` holds what a unit is told on one day: its open assignments
that are overdue (quá hạn, with working days late) and those that fall due
soon (sắp đến hạn).  It renders as Markdown (the file a person opens), as
HTML (the e-mail) and as JSON (for programs), in Vietnamese or English.
Building it from the register is ``ingest.tracking_digests``' job.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from typing import Any

from ingest.tracking.assignments import Role, Status
from ingest.tracking.units import Unit
from kernel.i18n import Catalog, lookup, translate
from kernel.model import SECRECY_LEVELS

WORDS: Catalog = {
    "title": {"vi": "Văn bản đến quá hạn và sắp đến hạn xử lý: {unit}",
              "en": "Incoming documents overdue and due soon: {unit}"},
    "day": {"vi": "Ngày {day}", "en": "Day {day}"},
    "scope_open": {"vi": "Chỉ gồm văn bản thường (không mật).",
                   "en": "Ordinary documents only (no secret ones)."},
    "scope_secret": {"vi": "Gồm cả văn bản mật đến mức {mark}: chỉ người có thẩm quyền được đọc.",
                     "en": "Includes secret documents up to {mark}: cleared readers only."},
    "overdue": {"vi": "Quá hạn ({count})", "en": "Overdue ({count})"},
    "due_soon": {"vi": "Sắp đến hạn, đến hết ngày {horizon} ({count})",
                 "en": "Due by {horizon} ({count})"},
    "none_overdue": {"vi": "Không có văn bản nào quá hạn.", "en": "Nothing is overdue."},
    "none_due": {"vi": "Không có văn bản nào sắp đến hạn.", "en": "Nothing falls due soon."},
    "late": {"vi": "{days} ngày làm việc", "en": "{days} working days"},
    "subject": {"vi": "[Docket] {unit}: {overdue} văn bản quá hạn, {due} sắp đến hạn ({day})",
                "en": "[Docket] {unit}: {overdue} overdue, {due} due soon ({day})"},
}
HEADINGS = {"vi": ("Số đến", "Số, ký hiệu", "Trích yếu", "Nơi gửi", "Vai trò", "Trạng thái",
                   "Hạn xử lý", "Quá hạn"),
            "en": ("Arrival no.", "Number/symbol", "Subject", "From", "Role", "Status",
                   "Deadline", "Late")}


def _word(key: str, language: str, **values: object) -> str:
    return lookup(WORDS, key, language, **values) or key


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class DigestItem:
    """One open assignment as the digest lists it."""

    doc_id: str
    label: str  # the register number, "12/2026"
    number_symbol: str | None
    subject: str | None
    issuing_body: str | None
    role: Role
    status: Status
    deadline: date
    days_late: int | None = None  # working days late; None when not overdue

    def cells(self, language: str) -> list[str]:
        late = (_word("late", language, days=self.days_late)
                if self.days_late is not None else "")
        return [self.label, self.number_symbol or "", self.subject or "",
                self.issuing_body or "", translate(f"tracking_role_{self.role.value}", language),
                self.status.label(language), _day(self.deadline), late]

    def as_json(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "registration": self.label,
                "number_symbol": self.number_symbol, "subject": self.subject,
                "issuing_body": self.issuing_body, "role": self.role.value,
                "status": self.status.value, "deadline": self.deadline.isoformat(),
                "overdue_working_days": self.days_late}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DigestItem:
        """The item ``as_json`` wrote."""
        return cls(data["doc_id"], data["registration"], data.get("number_symbol"),
                   data.get("subject"), data.get("issuing_body"), Role(data["role"]),
                   Status(data["status"]), date.fromisoformat(data["deadline"]),
                   data.get("overdue_working_days"))


@dataclass(frozen=True)
class UnitDigest:
    """What ``unit`` is told on ``today``: overdue and due-soon assignments, by deadline.

    ``horizon`` is the last day "due soon" reaches; ``max_secrecy`` the highest
    secrecy rank the digest was allowed to list (0: ordinary documents only).
    """

    unit: Unit
    today: date
    horizon: date
    overdue: tuple[DigestItem, ...] = ()
    due_soon: tuple[DigestItem, ...] = ()
    max_secrecy: int = 0

    @property
    def empty(self) -> bool:
        return not self.overdue and not self.due_soon

    def subject(self, language: str = "vi") -> str:
        """The e-mail's subject line."""
        return _word("subject", language, unit=self.unit.name, overdue=len(self.overdue),
                     due=len(self.due_soon), day=_day(self.today))

    def _scope(self, language: str) -> str:
        if self.max_secrecy <= 0:
            return _word("scope_open", language)
        return _word("scope_secret", language, mark=SECRECY_LEVELS[self.max_secrecy])

    def _sections(self, language: str) -> list[tuple[str, str, tuple[DigestItem, ...]]]:
        return [(_word("overdue", language, count=len(self.overdue)),
                 _word("none_overdue", language), self.overdue),
                (_word("due_soon", language, horizon=_day(self.horizon),
                       count=len(self.due_soon)), _word("none_due", language), self.due_soon)]

    def as_markdown(self, language: str = "vi") -> str:
        """The digest as a Markdown page: a title, the scope, two tables."""
        lines = [f"# {_word('title', language, unit=self.unit.name)}", "",
                 _word("day", language, day=_day(self.today)), "", self._scope(language)]
        for heading, nothing, items in self._sections(language):
            lines += ["", f"## {heading}", ""]
            if not items:
                lines.append(nothing)
                continue
            width = _width(items)
            lines.append(_markdown_row(HEADINGS[language][:width]))
            lines.append(_markdown_row(["---"] * width))
            lines += [_markdown_row(item.cells(language)[:width]) for item in items]
        return "\n".join(lines) + "\n"

    def as_html(self, language: str = "vi") -> str:
        """The digest as the body of an e-mail."""
        parts = [f"<h1>{html.escape(_word('title', language, unit=self.unit.name))}</h1>",
                 f"<p>{html.escape(_word('day', language, day=_day(self.today)))}</p>",
                 f"<p><em>{html.escape(self._scope(language))}</em></p>"]
        for heading, nothing, items in self._sections(language):
            parts.append(f"<h2>{html.escape(heading)}</h2>")
            if not items:
                parts.append(f"<p>{html.escape(nothing)}</p>")
                continue
            width = _width(items)
            head = "".join(f"<th>{html.escape(h)}</th>" for h in HEADINGS[language][:width])
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>"
                                            for c in item.cells(language)[:width]) + "</tr>"
                           for item in items)
            parts.append(f'<table border="1" cellpadding="4"><tr>{head}</tr>{rows}</table>')
        return "\n".join(parts) + "\n"

    def as_json(self) -> dict[str, Any]:
        return {"unit": self.unit.code, "unit_name": self.unit.name,
                "day": self.today.isoformat(), "due_soon_until": self.horizon.isoformat(),
                "max_secrecy": self.max_secrecy,
                "overdue": [item.as_json() for item in self.overdue],
                "due_soon": [item.as_json() for item in self.due_soon]}

    @classmethod
    def from_json(cls, data: dict[str, Any], unit: Unit | None = None) -> UnitDigest:
        """The digest ``as_json`` wrote; ``unit`` (today's settings, with its addresses)
        when it is still configured."""
        unit = unit or Unit(data["unit"], data.get("unit_name") or data["unit"])
        return cls(unit, date.fromisoformat(data["day"]),
                   date.fromisoformat(data["due_soon_until"]),
                   tuple(DigestItem.from_json(d) for d in data["overdue"]),
                   tuple(DigestItem.from_json(d) for d in data["due_soon"]),
                   int(data.get("max_secrecy", 0)))


def _width(items: tuple[DigestItem, ...]) -> int:
    # The "late" column only where something is late.
    late = any(item.days_late is not None for item in items)
    return len(HEADINGS["vi"]) - (0 if late else 1)


def _markdown_row(cells: list[str] | tuple[str, ...]) -> str:
    # A cell is one line; a "|" in a subject would end it.
    cleaned = (" ".join(c.split()).replace("|", "\\|") for c in cells)
    return "| " + " | ".join(cleaned) + " |"
