"""A province named in a subject, its marks put right by the gazetteer.

A subject names a province after its unit word (``trên địa bàn tỉnh Kon
Tum``); OCR misreads the marks of either (``TÍNH KON TÚM``), and ``tính``,
``túm`` are words, so the lexicon leaves them (``thuộc tính`` is
even a word of it).  Where a word spelt ``tinh`` but for its marks stands
before words that fold to a province of the gazetteer
(``places.province_spelling``), the words are that province as the gazetteer
spells it and the word before is ``tỉnh``.  Only marks change, never letters.
"""

from __future__ import annotations

import re

from ingest.describe.places import province_spelling
from kernel.text import strip_marks

_WORD = re.compile(r"[^\W\d_]+")
_UNIT = "tỉnh"
_LONGEST = 4  # words in a province's name ("Bà Rịa - Vũng Tàu")


def _with_case(model: str, marked: str) -> str:
    pairs = zip(model, marked, strict=True)
    return "".join(m.upper() if c.isupper() else m.lower() for c, m in pairs)


def respell_provinces(subject: str) -> str:
    """``subject`` with each province after ``tỉnh`` (however marked) as the gazetteer spells it."""
    words = list(_WORD.finditer(subject))
    chars = list(subject)
    for at, unit in enumerate(words[:-1]):
        if strip_marks(unit.group().lower()) != strip_marks(_UNIT):
            continue
        for size in range(min(_LONGEST, len(words) - at - 1), 0, -1):
            run = words[at + 1 : at + 1 + size]
            spelling = province_spelling(subject[run[0].start() : run[-1].end()])
            names = _WORD.findall(spelling or "")
            if len(names) != size or any(
                len(a.group()) != len(b) for a, b in zip(run, names, strict=True)
            ):
                continue
            for match, name in ((unit, _UNIT), *zip(run, names, strict=True)):
                chars[match.start() : match.end()] = _with_case(match.group(), name)
            break
    return "".join(chars)
