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
  line spells it where OCR read the number line more surely.
"""

from __future__ import annotations

import re

from ingest.describe.fields.symbols import symbol_by_type
from ingest.describe.tables import STATE_TYPES, TYPE_ABBRS
from kernel.text import strip_marks

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
