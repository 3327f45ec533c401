"""The title line: which line of the head titles the document, and the type it names.

The title is the type name in capitals, centred under the header
(``QUYẾT ĐỊNH``, ``LUẬT ...``).  OCR reads specks around it, glues or splits
its words, or misreads a letter of a long name; each is allowed for here.
The date reader asks too (a date under the title is no issue date).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.describe.context import Lines
from ingest.describe.fields.ocr_subjects import caps as _caps
from ingest.describe.places import one_edit
from ingest.describe.tables import TITLE_WORDS

TITLE_SCAN = 45
# Specks and strokes OCR reads around a title line ("- NGHỊ QUYẾT", "THÔNG TƯ,").
TITLE_JUNK = " -–—_.,;:|~*'\"`‘’“”„‚¬ˆ"
# Tokens with no letter or digit before a title, each followed by a space.
LEAD_SPECKS = re.compile(r"^(?:[^\w\s]{1,4}\s+)+")
_NOT_LETTER = re.compile(r"[^A-Z0-9 ]")  # on a folded, upper-case line


def find_title(lines: Lines, start: int) -> tuple[int, str] | None:
    """Index and canonical type of the first title line at or after ``start``."""
    for index in range(start, min(len(lines), TITLE_SCAN)):
        name = _title_of(lines.text[index], lines.folded[index])
        if name is not None:
            return index, name
    return None


@lru_cache(maxsize=1024)  # the date and the title readers ask of the same lines
def _title_of(text: str, folded: str) -> str | None:
    """The canonical type a line titles (``text`` and its folded twin), or None."""
    # Specks OCR read before the title, standing apart from it (')". : NGHỊ QUYẾT').
    lead = LEAD_SPECKS.match(text)
    cut = lead.end() if lead else 0
    text = text[cut:]
    if not _caps(" ".join(text.split()[:2])):
        return None  # a title opens in capitals (OCR may read a speck after it as a word)
    # OCR puts specks and strokes around the title ("- NGHỊ QUYẾT", "THÔNG TƯ,")
    # and may glue its words ("QUYẾTĐỊNH").
    folded = folded[cut:].upper().strip(TITLE_JUNK)
    # ... and between its words ("QUYẾT. ĐỊNH", "NGHỊ [ QUYẾT").
    folded = " ".join(_NOT_LETTER.sub(" ", folded).split()) if _caps(text) else folded
    squeezed = folded.replace(" ", "")
    for word, word_squeezed, name in _SQUEEZED_TITLES:
        if folded.startswith(word) and folded[len(word) : len(word) + 1] in ("", " ", ":"):
            return name
        if squeezed == word_squeezed:
            return name
    return _title_one_letter_off(squeezed) if _caps(text) else None


_SQUEEZED_TITLES = tuple((word, word.replace(" ", ""), name) for word, name in TITLE_WORDS)
# A title line OCR read a letter off ("QUYẾTĐNH", "PHUOƠNGÁN"): only a long
# name, the whole line, and one title alone a letter away.
MIN_NEAR_TITLE = 8


def _title_one_letter_off(squeezed: str) -> str | None:
    if len(squeezed) < MIN_NEAR_TITLE:
        return None
    near = {name for _, word, name in _SQUEEZED_TITLES
            if len(word) >= MIN_NEAR_TITLE and one_edit(squeezed, word)}  # fmt: skip
    return near.pop() if len(near) == 1 else None
