"""Filters as words: the tags column of the SQLite index's FTS table.

Every filterable value of a document is written as one token in the ``tags``
column (``#d696e636f6d696e67`` for direction "incoming", ``#ey2025`` for a
document received in 2025, ``#s0`` for an open one), so that a text query and
its filters are answered by FTS5 alone: one MATCH expression finds, counts and
orders the matches without reading a row of ``docs`` per match.

Tags cannot be forged by a document's text or typed by a user: ``#`` is a
token character for the tokenizer, the text columns have every ``#`` replaced
before indexing (``strip_tag_mark``), and query words never contain one.  So
the secrecy clause, ``NOT ("#s1" OR "#s2" OR "#s3")`` for an open-only user,
excludes exactly the documents whose secrecy rank is above the user's
clearance, as ``docs.secrecy <= ?`` does.

Values are written as the hex of their UTF-8 bytes: exact (case and
diacritics count, like SQL ``=``) and always one token.  Date ranges become
the smallest set of whole years, whole months and single days that covers
them within the dates the index holds (at most about 85 tokens).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from search.model import SECRECY_LEVELS, IndexDocument, SearchFilters
from search.text import reference_key

TAG_MARK = "#"
SECRECY_RANK_MAX = len(SECRECY_LEVELS) - 1
# One letter per field: a tag is the mark, the letter, then the value's hex
# digits (or a date), so tags of different fields never collide.
VALUE_CODES: dict[str, str] = {
    "direction": "d",
    "doc_type": "t",
    "issuing_body": "b",
    "language": "l",
    "folder": "f",
}
REFERENCE_CODE = "r"
SECRECY_CODE = "s"
ISSUED_CODE = "i"
RECEIVED_CODE = "e"
# Every document has exactly one secrecy tag: all of them is every document.
EVERY_DOCUMENT = "(" + " OR ".join(f'"{TAG_MARK}{SECRECY_CODE}{rank}"'
                                   for rank in range(SECRECY_RANK_MAX + 1)) + ")"


def strip_tag_mark(text: str) -> str:
    """``text`` with no ``#`` left, so none of its tokens can look like a tag."""
    return text.replace(TAG_MARK, " ")


def value_tag(code: str, value: str) -> str:
    """The token for ``value`` of the field ``code``."""
    return f"{TAG_MARK}{code}{value.encode().hex()}"


def secrecy_tag(rank: int) -> str:
    return f"{TAG_MARK}{SECRECY_CODE}{rank}"


def _date_tags(code: str, day: date) -> list[str]:
    return [
        f"{TAG_MARK}{code}y{day:%Y}",
        f"{TAG_MARK}{code}m{day:%Y%m}",
        f"{TAG_MARK}{code}d{day:%Y%m%d}",
    ]


def received_day(moment: datetime) -> date:
    """The office's own calendar day of ``moment`` (its wall clock, not UTC)."""
    return moment.replace(tzinfo=None).date()


def document_tags(doc: IndexDocument) -> str:
    """The tags column of ``doc``: one token per filterable value."""
    tags = [
        value_tag(code, value)
        for field, code in VALUE_CODES.items()
        if (value := getattr(doc, field)) is not None
    ]
    tags.extend(
        sorted({value_tag(REFERENCE_CODE, reference_key(r)) for r in doc.references if r.strip()})
    )
    tags.append(secrecy_tag(doc.secrecy))
    if doc.issue_date is not None:
        tags.extend(_date_tags(ISSUED_CODE, doc.issue_date))
    tags.extend(_date_tags(RECEIVED_CODE, received_day(doc.received_at)))
    return " ".join(tags)


@dataclass(frozen=True)
class DateBounds:
    """The first and last issue and receipt dates in the index (None when empty)."""

    issued: tuple[date, date] | None
    received: tuple[date, date] | None


class MatchesNothing(Exception):
    """The filters exclude every document (an empty date range, no clearance)."""


def filter_expression(filters: SearchFilters, bounds: DateBounds) -> str | None:
    """An FTS5 expression matching exactly the documents ``filters`` let through.

    None when nothing is filtered out.  Raises ``MatchesNothing`` when nothing
    can match.  Secrecy is always applied.
    """
    positive = " AND ".join(_required(filters, bounds))
    if filters.max_secrecy >= SECRECY_RANK_MAX:
        return positive or None
    if not positive:  # FTS5 has no bare NOT: "any rank the user may see" instead
        return _any_of([secrecy_tag(rank) for rank in range(filters.max_secrecy + 1)])
    return f"({positive}) NOT {_secrecy_above(filters)}"


def restrict(text_expression: str, filters: SearchFilters, bounds: DateBounds) -> str:
    """``text_expression`` narrowed to the documents ``filters`` let through.

    Raises ``MatchesNothing`` when nothing can match.  Secrecy is always applied.
    """
    required = _required(filters, bounds)
    narrowed = " AND ".join([f"({text_expression})", *required]) if required else text_expression
    if filters.max_secrecy >= SECRECY_RANK_MAX:
        return narrowed  # unchanged without filters: no tag to walk, and scored at once
    return f"({narrowed}) NOT {_secrecy_above(filters)}"


def _required(filters: SearchFilters, bounds: DateBounds) -> list[str]:
    """One clause per filter, every one of which a document must match."""
    if filters.max_secrecy < 0:
        raise MatchesNothing
    clauses: list[str] = []
    for field, code in VALUE_CODES.items():
        value = getattr(filters, field)
        if value is not None:
            clauses.append(_quoted(value_tag(code, value)))
    if filters.reference:
        clauses.append(_quoted(value_tag(REFERENCE_CODE, reference_key(filters.reference))))
    for code, low, high, held in (
        (ISSUED_CODE, filters.issued_from, filters.issued_to, bounds.issued),
        (RECEIVED_CODE, filters.received_from, filters.received_to, bounds.received),
    ):
        if low is not None or high is not None:
            clauses.append(_any_of(_date_cover(code, low, high, held)))
    return clauses


def _secrecy_above(filters: SearchFilters) -> str:
    ranks = range(max(filters.max_secrecy, -1) + 1, SECRECY_RANK_MAX + 1)
    return _any_of([secrecy_tag(rank) for rank in ranks])


def _quoted(token: str) -> str:
    return f'"{token}"'


def _any_of(tokens: list[str]) -> str:
    if len(tokens) == 1:
        return _quoted(tokens[0])
    return "(" + " OR ".join(_quoted(t) for t in tokens) + ")"


def _as_date(day: date) -> date:
    return day.date() if isinstance(day, datetime) else day


def _date_cover(
    code: str, low: date | None, high: date | None, held: tuple[date, date] | None
) -> list[str]:
    """Tags of whole years, whole months and days covering ``low``..``high`` inclusive.

    Open ends stop at the dates the index holds; raises ``MatchesNothing``
    when the range holds no document's date.
    """
    if held is None:
        raise MatchesNothing
    first = max(_as_date(low), held[0]) if low is not None else held[0]
    last = min(_as_date(high), held[1]) if high is not None else held[1]
    tags: list[str] = []
    day = first
    while day <= last:
        year_end = date(day.year, 12, 31)
        month_end = _month_end(day)
        if day.month == 1 and day.day == 1 and year_end <= last:
            tags.append(f"{TAG_MARK}{code}y{day:%Y}")
            day = year_end + timedelta(days=1)
        elif day.day == 1 and month_end <= last:
            tags.append(f"{TAG_MARK}{code}m{day:%Y%m}")
            day = month_end + timedelta(days=1)
        else:
            tags.append(f"{TAG_MARK}{code}d{day:%Y%m%d}")
            day += timedelta(days=1)
    if not tags:
        raise MatchesNothing
    return tags


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)
