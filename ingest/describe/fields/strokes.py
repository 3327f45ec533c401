"""A D or a Đ in a symbol OCR read: vouched for by the document, or checked.

OCR drops the stroke of Đ and adds one to D (on a fax most), with a word
confidence no lower than its other readings, and nothing in a symbol's own
rules tells the two apart: a drafting unit's initials may spell ``D`` (Dự,
Dân, Di) as well as ``Đ`` (Địa, Đầu, Đào).  A part of the symbol holding
either letter is taken as read only when something vouches for the letter:

* it is an abbreviation whose stroke has one reading (``QĐ``, ``HĐND``:
  ``tables.OCR_STROKE_REPAIRS``, which the reading already put right);
* it is the type abbreviation of the type the title prints (``HD`` under a
  Hướng dẫn, ``HĐ`` under a Hợp đồng);
* its letters are initials of the issuing (or parent) body's words, each D
  or Đ as that word spells it (``BXD``: Bộ Xây dựng);
* the document prints it again with the same letter, and nowhere with the
  other (the filing line ``Lưu: VT, ĐP``, a ``Vụ KHĐT`` in the text; a long
  part may have another of its letters misread there).

Otherwise the symbol stays as read, below ``REVIEW_CONFIDENCE``: a clerk
checks the letter.
"""

from __future__ import annotations

import re

from ingest.describe.context import DescribeContext, Found
from ingest.describe.tables import OCR_STROKE_REPAIRS, PARTY_TYPES, STATE_TYPES
from kernel.text import strip_marks

_PART = re.compile(r"[A-Za-zĐđ&]+")
_D = frozenset("DĐdđ")
UNVOUCHED_STROKE = 0.6  # below REVIEW_CONFIDENCE (0.7) whatever OCR's words weigh


def _holds_d(part: str) -> bool:
    return any(c in _D for c in part)


def _stroked(letter: str) -> bool:
    return letter in "Đđ"


def _by_table(part: str) -> bool:
    return OCR_STROKE_REPAIRS.get(part.replace("Đ", "D")) == part


def _by_title(ctx: DescribeContext, part: str) -> bool:
    doc_type = ctx.value("doc_type")
    types = PARTY_TYPES if ctx.value("format") == "party" else STATE_TYPES
    return doc_type is not None and types.get(doc_type) == part


def initials(words: str) -> str:
    """The capital initials of the words that open with a letter, marks kept.

    An issuer abbreviates its body's words so (Decree 30): ``BỘ XÂY DỰNG`` ->
    ``BXD``; callers fold the marks (and the stroke of Đ) as they need.
    """
    return "".join(word[0] for word in words.upper().split() if word[0].isalpha())


def _by_body(part: str, body: str) -> bool:
    """Whether ``part`` spells initials of ``body``'s words in order, each D or Đ as spelt."""
    spelt = initials(body)
    folded = [strip_marks(letter) for letter in spelt]
    at = 0
    for letter in part.upper():
        if letter == "&":
            continue
        want = strip_marks(letter)
        while at < len(folded) and folded[at] != want:
            at += 1
        if at == len(folded):
            return False
        if letter in _D and _stroked(spelt[at]) != _stroked(letter):
            return False
        at += 1
    return True


_WORD = re.compile(r"[^\W\d_]+(?:&[^\W\d_]+)*")
FUZZY_LENGTH = 4  # a part this long is known again with one other letter misread


def _another_reading(word: str, part: str) -> bool:
    """Whether ``word`` reads ``part`` again: a D or Đ where it has one, the rest alike
    (one other letter misread allowed in a long part: ``KIXD`` for ``KTXD``)."""
    if len(word) != len(part):
        return False
    if any((w in _D) != (p in _D) for w, p in zip(word, part, strict=True)):
        return False
    misread = sum(w != p for w, p in zip(word, part, strict=True) if p not in _D)
    return misread <= (1 if len(part) >= FUZZY_LENGTH else 0)


def _by_text(ctx: DescribeContext, part: str) -> bool:
    """Whether the document prints ``part`` again with its letter, never with the other."""
    readings = [w for w in _WORD.findall(ctx.normalized_text) if _another_reading(w, part)]
    strokes = [c for c in part if c in _D]
    alike = [w for w in readings if [c for c in w if c in _D] == strokes]
    return len(alike) >= 2 and len(alike) == len(readings)


def _vouched(ctx: DescribeContext, part: str) -> bool:
    if not _holds_d(part) or _by_table(part) or _by_title(ctx, part):
        return True
    # A body's words are respelt from the closed list of body words (ỦY BAN NHÂN
    # DÂN, ĐÀO TẠO), whether or not the gazetteer spells its place as read.
    bodies = (ctx.value(name) for name in ("issuing_body", "parent_body"))
    if any(body is not None and _by_body(part, body) for body in bodies):
        return True
    return _by_text(ctx, part)


def check_symbol_strokes(ctx: DescribeContext) -> dict[str, Found]:
    """Send to review an OCR'd symbol with a D or Đ nothing in the document vouches for.

    Runs after the title and the bodies; revises ``number_symbol`` (and the
    part holding the letter) in place.
    """
    found = ctx.found.get("number_symbol")
    if found is None or ctx.source("head") != "ocr" or not isinstance(found.value, str):
        return {}
    unvouched = [part for part in _PART.findall(found.value) if not _vouched(ctx, part)]
    if not unvouched:
        return {}
    for name in ("number_symbol", "type_abbr", "issuer_abbr"):
        part = ctx.found.get(name)
        if part is not None and (name == "number_symbol" or part.value in unvouched):
            confidence = min(part.confidence, UNVOUCHED_STROKE)
            ctx.found[name] = Found(part.value, confidence, part.region, part.listed)
    return {}
