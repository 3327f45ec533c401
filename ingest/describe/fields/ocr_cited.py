"""Symbols a subject cites, put right by what the subject and the document say of them.

A subject cites other documents by their number/symbol (``sửa đổi Thông tư
số 50/2013/TT-BNNPTNT``, ``điều chỉnh công văn 3994/BHXH-NVGĐ1``).  OCR
misreads a letter of a symbol as it does anywhere (a hyphen lost, ``TT`` read
``TE``), and no lexicon checks it.  Two things do:

- the type named before the number: a symbol opens with its type's
  abbreviation (Decree 30), so after ``Thông tư số`` a symbol opening with
  letters one off ``TT`` that abbreviate no type opens with ``TT``;
- the document's own symbol, read in its number line: a cited symbol whose
  letters are the same but for letters OCR confuses (``I`` and ``1``, a
  letter read twice) is a letter of the same unit's, spelt as the number
  line spells it where OCR read the number line a point surer (``SURER``).
  Where the number line read the look-alike too, nothing vouches for either.
"""

from __future__ import annotations

import re

from ingest.describe.consensus import SURER
from ingest.describe.fields.symbols import symbol_by_type
from ingest.describe.tables import STATE_TYPES, TYPE_ABBRS
from ingest.extract.base import PageContent
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
