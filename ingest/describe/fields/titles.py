"""Title line, document type and subject (trích yếu).

The title is the type name in capitals, centred under the header
(``QUYẾT ĐỊNH``, ``LUẬT ...``); the subject is the lines under it until the
body starts.  A công văn has no title: its subject is the ``V/v ...`` lines
under the number.  The type comes from the title (Party ``QĐ`` is Quyết định
or Quy định, only the title tells), else from the symbol's abbreviation.
"""

from __future__ import annotations

import re

from ingest.describe.context import DescribeContext, Found, Lines
from ingest.describe.fields.numbering import find_number_line
from ingest.describe.normalize import fold
from ingest.describe.tables import PARTY_ABBR, STATE_ABBR, TITLE_WORDS

TITLE_SCAN = 45
MAX_SUBJECT_LINES = 5
SHORT_WRAP_WORDS = 6
_VV = re.compile(r"^V\s?/\s?[vV]\b\.?\s*")
# Lines that start the body (folded): the subject never runs into them.
_BODY_START = re.compile(
    r"^(?:Can cu|Thuc hien|Kinh gui|Theo |Xet |De |Dieu \d|Chuong |Phan |Tren co so|Hom nay"
    r"|Nham |Qua |Trong |Sau khi|Tiep |Ngay \d|[IVX]+\.|\d+\.|[a-z]\)|Noi nhan)"
)  # case-sensitive: a wrapped subject line may well start "trong ..."
_RULE = re.compile(r"^[\s\-_–—=*.~]+$")


def _caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def find_title(lines: Lines, start: int) -> tuple[int, str] | None:
    """Index and canonical type of the first title line at or after ``start``."""
    for index in range(start, min(len(lines), TITLE_SCAN)):
        text, folded = lines.text[index], lines.folded[index].upper()
        if not _caps(text):
            continue
        for word, name in TITLE_WORDS:
            if folded.startswith(word) and folded[len(word) : len(word) + 1] in ("", " ", ":"):
                return index, name
    return None


def _continues(text: str, folded: str, caps: bool) -> bool:
    """Whether a line wraps the subject above rather than starting the body."""
    if _RULE.match(text) or _BODY_START.match(folded):
        return False
    if caps:  # a subject in capitals wraps in capitals
        return _caps(text)
    if text[:1].islower() or text[:1].isdigit():
        return True
    if _caps(text):  # a stamp or a heading
        return False
    # A proper noun may open the wrapped part ("... dịp Tết" / "Nguyên đán"); a
    # body paragraph opens with a full-width line or ends a sentence.
    return len(text.split()) <= SHORT_WRAP_WORDS and not text.endswith((".", ":", ";"))


def _subject_after(lines: Lines, index: int, *, short_caps: bool = False) -> list[str]:
    """The subject lines from ``index``; ``short_caps``: a law's name ("LƯU TRỮ") may be short."""
    end = min(len(lines), index + MAX_SUBJECT_LINES)
    if index >= end:
        return []
    first, folded = lines.text[index], lines.folded[index]
    short = _caps(first) and len(first.split()) < 3 and not short_caps
    if _RULE.match(first) or _BODY_START.match(folded) or short:
        return []  # the body or another heading: no subject here
    subject, caps = [first], _caps(first)
    following = zip(lines.text[index + 1 : end], lines.folded[index + 1 : end], strict=True)
    for text, folded in following:
        if subject[-1].endswith((".", ":")) or not _continues(text, folded, caps):
            break
        subject.append(text)
    return subject


def _vv_subject(lines: Lines, start: int) -> list[str] | None:
    for index in range(start, min(len(lines), start + 8)):
        if _VV.match(lines.folded[index]):
            subject = [lines.text[index]]
            for text, folded in zip(
                lines.text[index + 1 : index + 4], lines.folded[index + 1 : index + 4], strict=False
            ):
                if not _continues(text, folded, caps=False):
                    break
                subject.append(text)
            return subject
    return None


def extract_title(ctx: DescribeContext) -> dict[str, Found]:
    """title, doc_type and subject."""
    head = ctx.head
    number = find_number_line(head)
    start = number[0] + 1 if number else 0
    found: dict[str, Found] = {}
    title = find_title(head, start)
    if title is not None:
        index, name = title
        text = head.text[index]
        # OCR lost every mark of a bare type name ("KE HOACH"): print it properly.
        bare = head.folded[index] == text and text.upper() == fold(name).upper()
        if bare and ctx.source("head") == "ocr":
            text = name.upper()
        found["title"] = Found(text, 0.93)
        found["doc_type"] = Found(name, 0.95)
        # Under LUẬT stands the law's name in capitals, however short.
        subject = _subject_after(head, index + 1, short_caps=name == "Luật")
        if subject:
            found["subject"] = Found(" ".join(subject), 0.85)
        return found
    vv = _vv_in_zone(ctx) or _vv_subject(head, start)
    if vv:
        found["subject"] = Found(" ".join(vv), 0.88)
        found["doc_type"] = Found("Công văn", 0.85)
        return found
    found.update(_type_from_symbol(ctx))
    return found


def _vv_in_zone(ctx: DescribeContext) -> list[str] | None:
    zone = ctx.zone("header_left")
    if not zone:
        return None
    number = find_number_line(zone)
    return _vv_subject(zone, number[0] + 1 if number else 0)


def _type_from_symbol(ctx: DescribeContext) -> dict[str, Found]:
    abbr = ctx.value("type_abbr")
    party = (
        ctx.value("format") == "party" or "-" in (ctx.value("number_symbol") or "/").split("/")[0]
    )
    if abbr:
        name = (PARTY_ABBR if party else STATE_ABBR).get(abbr)
        if name:
            # Party QĐ is Quyết định or Quy định: without a title, less sure.
            return {"doc_type": Found(name, 0.5 if party and abbr == "QĐ" else 0.75)}
        return {}
    if ctx.value("number_symbol") and not party:
        return {"doc_type": Found("Công văn", 0.7)}  # a symbol without a type
    return {}
