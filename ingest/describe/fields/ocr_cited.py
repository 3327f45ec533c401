"""Symbols a subject cites, put right by what the subject and the document say of them.

A subject cites other documents by their number/symbol (``sửa đổi Thông tư
số 50/2013/TT-BNNPTNT``, ``điều chỉnh công văn 3994/BHXH-NVGĐ1``).  OCR
misreads a letter of a symbol as it does anywhere (a hyphen lost, ``TT`` read
``TE``), and no lexicon checks it.  Three things do:

- the type named before the number: a symbol opens with its type's
  abbreviation (Decree 30), so after ``Thông tư số`` a symbol opening with
  letters one off ``TT`` that abbreviate no type opens with ``TT``;
- the document's own symbol, read in its number line: a cited symbol whose
  letters are the same but for letters OCR confuses (``I`` and ``1``, a
  letter read twice) is a letter of the same unit's, spelt as the number
  line spells it where OCR read the number line a point surer (``SURER``).
  Where the number line read the look-alike too, nothing vouches for either;
- the document's other readings of the symbol (``mend_cited_by_readings``):
  the same citation read a point surer elsewhere, and a digit read where
  another reading has its look-alike letter.
"""

from __future__ import annotations

import re

from ingest.describe.consensus import SURER
from ingest.describe.fields.symbols import symbol_by_type
from ingest.describe.places import one_edit
from ingest.describe.tables import STATE_TYPES, TYPE_ABBRS
from ingest.extract.base import ExtractedContent, PageContent
from kernel.text import normalize_text, strip_marks

# A cited symbol: its number (and year), then its letters.
_CITED = re.compile(r"(?<!\S)(?P<head>\d{1,6}/(?:(?:19|20)\d\d/)?)(?P<letters>[A-ZĐ][\w.&-]*[\w&])")
# Folded, upper-case type name -> its abbreviation, the longest names first.
_NAMED = sorted(
    ((strip_marks(name).upper(), abbr) for name, abbr in STATE_TYPES.items() if abbr),
    key=lambda pair: -len(pair[0]),
)
_NUMBER_WORD = re.compile(r"\s+(?:SO|SO:)\s*$")
_ABBRS = frozenset(abbr.upper() for abbr in TYPE_ABBRS)


def _named_type(before: str) -> str | None:
    """The abbreviation of the type named right before a cited number (``... Thông tư số``)."""
    folded = _NUMBER_WORD.sub("", " " + strip_marks(before).upper().rstrip())
    for name, abbr in _NAMED:
        if folded.endswith(" " + name):
            return abbr
    return None


def mend_cited_types(subject: str) -> str:
    """``subject`` with each symbol cited after its type's name opening with that type's
    abbreviation where OCR read it a letter off (``Thông tư số 50/2013/TEBNNPTNT``)."""

    def mend(match: re.Match[str]) -> str:
        abbr = _named_type(subject[: match.start()])
        if abbr is None or match["letters"][: len(abbr)].upper() in _ABBRS:
            return match.group()  # no type named, or the symbol opens with one's abbreviation
        return symbol_by_type(match.group(), abbr, party=False) or match.group()

    return _CITED.sub(mend, subject)


# Letters OCR confuses in a symbol, each folded to one (``NVGĐ1`` / ``NVGĐI``), and a
# letter read twice (``NVGDĐI``).
_LOOKALIKES = str.maketrans({"1": "I", "|": "I", "0": "O", "Đ": "D"})
_TWICE = re.compile(r"(\w)\1+")
MIN_LETTERS = 4  # "UBND", "BHXH-NVGĐ1": a unit's letters, not a type's


def _folded(letters: str) -> str:
    return _TWICE.sub(r"\1", letters.upper().translate(_LOOKALIKES))


def _word_read(page: PageContent | None, head: str) -> float:
    """How surely OCR read the first word of ``page`` opening with ``head`` (0: none)."""
    for word in page.words if page is not None else ():
        if normalize_text(word.text).startswith(head):
            return word.confidence or 0.0
    return 0.0


def mend_cited_by_own(subject: str, own: str | None, page: PageContent | None) -> str:
    """``subject`` with each symbol it cites whose letters are the document's own
    symbol's (``own``) but for letters OCR confuses spelt as ``own`` is, where OCR
    read the own symbol on ``page`` a point surer than the cited one."""
    mine = _CITED.fullmatch(own or "")
    if mine is None or len(mine["letters"]) < MIN_LETTERS:
        return subject
    letters, surely = mine["letters"], _word_read(page, mine["head"])

    def mend(match: re.Match[str]) -> str:
        if match["letters"] == letters or _folded(match["letters"]) != _folded(letters):
            return match.group()
        if _word_read(page, match["head"]) + SURER > surely:
            return match.group()
        return match["head"] + letters

    return _CITED.sub(mend, subject)


Reading = tuple[str, str, float]  # a symbol OCR read: its number part, its letters, how surely


def _readings(content: ExtractedContent) -> list[Reading]:
    """Every symbol OCR read in ``content``, in reading order, with its word's confidence."""
    return [
        (match["head"], match["letters"], word.confidence or 0.0)
        for page in content.pages if page.source == "ocr"
        for word in page.words
        for match in _CITED.finditer(normalize_text(word.text))
    ]  # fmt: skip


def _same_citation(letters: str, other: str) -> bool:
    """Whether ``other`` reads the symbol ``letters`` reads, a letter apart at most, with
    its hyphens and stops (OCR loses one far more often than it adds one)."""
    if any(other.count(mark) < letters.count(mark) for mark in "-."):
        return False
    folded, other = _folded(letters), _folded(other)
    return len(folded) >= MIN_LETTERS and (folded == other or one_edit(folded, other))


# A digit after a letter ("NVGĐ1", "VX1"); one after a stop or a hyphen may be a
# unit's roman numeral read as a digit ("V.I", "-II").
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])\d")


def _digits(letters: str) -> int:
    return len(_LETTER_DIGIT.findall(letters))


def mend_cited_by_readings(subject: str, content: ExtractedContent) -> str:
    """``subject`` with each symbol it cites as the document reads it best.

    The same citation (same number, a letter apart at most) read a point
    surer elsewhere is taken as read there (``3994/BHXH-NVGPĐI`` at 9 in a
    subject, ``3994/BHXH-NVGĐI`` at 83 in the body); then letters OCR read as
    a letter somewhere and as a look-alike digit after a letter elsewhere are
    the digit (``NVGĐI`` / ``NVGĐ1``): among capitals OCR's language pulls a
    digit printed to a letter, seldom a letter to a digit (real set, scans:
    two symbols read both ways, ``NVGĐ1`` and ``VX1``, the digit printed both
    times; none the other way).
    """
    readings = _readings(content)

    def mend(match: re.Match[str]) -> str:
        head, letters = match["head"], match["letters"]
        # As OCR read it in the subject (none: a rule mended it, and it stands).
        own = next((read for at, spelt, read in readings if (at, spelt) == (head, letters)), None)
        same = [(read, spelt) for at, spelt, read in readings
                if at == head and _same_citation(letters, spelt)]  # fmt: skip
        surest = max(same, default=(0.0, letters))
        if own is not None and surest[0] >= own + SURER:
            letters = surest[1]
        folded, count = _folded(letters), _digits(letters)
        digits = [spelt for _, spelt, _ in readings
                  if _folded(spelt) == folded and _digits(spelt) > count]  # fmt: skip
        return head + (max(digits, key=_digits) if digits else letters)

    return _CITED.sub(mend, subject)
