"""Copies (bản sao y, trích sao, sao lục): the copy's own block at the end.

A copy reproduces the original (header, number, date, signature) and closes
with its own block: the copying body and the copy's number on the left
(``Số: 05/SY-VP``, the symbol opening with ``SY``, ``TrS`` or ``SL``), the
form (``SAO Y``) and the copy's place and date on the right, then its own
Nơi nhận and signer.  The record describes the original; the block goes
into the ``copy_*`` fields, and the original's signer and Nơi nhận are read
from above the block (``DescribeContext.original_end``).

On a text layer or a DOCX the block's columns come one after the other; OCR
may read a row across both columns (``VĂN PHÒNG Sơn La, ngày ...``), so the
right-hand part of each line is cut off before the body is read.
"""

from __future__ import annotations

import re

from ingest.describe.context import DescribeContext, Found, Lines
from ingest.describe.fields.bodies import group_bodies, respell_body
from ingest.describe.fields.dating import VIETNAMESE_DATE, date_in
from ingest.describe.fields.numbering import NUMBER_LINE, repair_ocr_symbol, split_number_symbol
from ingest.describe.tables import COPY_FORMS
from kernel.text import strip_marks

_FORM_WORDS = re.compile(
    r"\b(?:" + "|".join(strip_marks(printed) for _, printed in COPY_FORMS.values()) + r")\b",
    re.IGNORECASE,
)
_RULE = re.compile(r"^[\s\-_–—=*.~]+$")
_DIGIT = re.compile(r"\d")
MAX_BLOCK_HEAD = 6  # lines of the copying body (and form word) above the copy's number


def _copy_number(lines: Lines) -> tuple[int, str, str] | None:
    """The last line with a copy's number: (index, number/symbol, form abbreviation)."""
    for index in range(len(lines) - 1, -1, -1):
        folded = lines.folded[index]
        # A number line holds a digit: most lines of a tail hold none, and the
        # pattern (opening with look-arounds) tries every position of them.
        match = NUMBER_LINE.search(folded) if _DIGIT.search(folded) else None
        if match is None:
            continue
        raw = re.sub(r"\s", "", lines.text[index][match.start("ns") : match.end("ns")])
        parts = split_number_symbol(raw)
        form = strip_marks(parts.type_abbr or "").upper() if parts is not None else ""
        if form in COPY_FORMS:
            return index, raw, form
    return None


def _left_column(text: str, folded: str) -> tuple[str, str]:
    """A block line without the right column's form word, place and date."""
    date = VIETNAMESE_DATE.search(folded)
    if date is not None:
        text, folded = text[: date.start()], folded[: date.start()]
        words = text.rstrip().split(" ")
        while words and words[-1] and not words[-1].isupper():  # the place: "Sơn La,"
            words.pop()
        text = " ".join(words)
        folded = folded[: len(text)]
    for match in reversed(list(_FORM_WORDS.finditer(folded))):
        if text[match.start() : match.end()].isupper():
            text = text[: match.start()] + text[match.end() :]
            folded = folded[: match.start()] + folded[match.end() :]
    return text.strip(" ,-"), folded.strip(" ,-")


def _caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _block_start(lines: Lines, number: int) -> int:
    """The first line of the block: the caps lines (body, form word) over its number."""
    start = number
    while start > 0 and number - start < MAX_BLOCK_HEAD:
        text, folded = lines.text[start - 1], lines.folded[start - 1]
        left, _ = _left_column(text, folded)
        if not (_RULE.match(text) or (left and _caps(left)) or (not left and text != left)):
            break
        start -= 1
    return start


def _copy_date(lines: Lines, start: int) -> str | None:
    for folded in lines.folded[start:]:
        match = VIETNAMESE_DATE.search(folded)
        if match:
            day = date_in(match)
            if day is not None:
                return day.isoformat()
    return None


def _original_zones(ctx: DescribeContext) -> dict[str, str]:
    """The last page's lower zones cut above the copy's block: its body left, its form right."""
    zones: dict[str, str] = {}
    if ctx.last is None:
        return zones
    left = Lines.of(ctx.last.zones.get("lower_left", ""))
    hit = _copy_number(left)
    if hit is not None:
        zones["lower_left"] = "\n".join(left.text[: _block_start(left, hit[0])])
    right = Lines.of(ctx.last.zones.get("lower_right", ""))
    for index, folded in enumerate(right.folded):
        if _FORM_WORDS.match(folded.strip(" -*")):
            zones["lower_right"] = "\n".join(right.text[:index])
            break
    return {name: text for name, text in zones.items() if text.strip()}


def extract_copy(ctx: DescribeContext) -> dict[str, Found]:
    """copy_form, copy_number_symbol, copy_issuing_body and copy_issue_date of a copy."""
    if ctx.last is None or ctx.value("format") not in ("state", None):
        return {}
    lines = Lines.of(ctx.last.text)
    hit = _copy_number(lines)
    if hit is None:
        return {}
    number, raw, form = hit
    ocr = ctx.source("tail") == "ocr"
    if ocr:
        raw = repair_ocr_symbol(raw)
    start = _block_start(lines, number)
    above = list(lines.text[:start])
    alone = not any(c.isalpha() for line in above for c in line)  # a page number at most
    if alone and len(ctx.content.pages) > 1:  # the block alone on the last page
        above = ctx.content.pages[-2].text.splitlines()
    ctx.original_end = "\n".join(above)
    ctx.original_zones = _original_zones(ctx)
    found = {
        "copy_form": Found(COPY_FORMS[form][0], 0.9, "tail"),
        "copy_number_symbol": Found(raw, 0.9, "tail"),
    }
    span = zip(lines.text[start:number], lines.folded[start:number], strict=True)
    head = [_left_column(text, folded) for text, folded in span]
    key = NUMBER_LINE.search(lines.folded[number])
    if key is not None and key.start() > 0:  # OCR read the body and the number as one line
        head.append(_left_column(lines.text[number][: key.start()],
                                 lines.folded[number][: key.start()]))  # fmt: skip
    texts = [respell_body(text) if ocr else text for text, _ in head if text and _caps(text)]
    kept = [(text, strip_marks(text)) for text in texts]
    bodies = group_bodies(kept)
    if bodies:
        found["copy_issuing_body"] = Found(bodies[-1], 0.85, "tail")
    day = _copy_date(lines, start)
    if day:
        found["copy_issue_date"] = Found(day, 0.9, "tail")
    return found
