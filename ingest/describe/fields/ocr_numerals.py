"""A roman numeral OCR read short in a subject, put right by the document's text.

A term or a session is counted in roman numerals (``khóa XIII``, ``kỳ họp thứ
VII``); OCR runs the last strokes of ``III`` or ``VII`` together and reads one
``I`` fewer (``XII``, ``VI``), unsure of it.  The body cites the same term
after the same word: where OCR read the subject's numeral below confidence
and the document prints, after the word that stands before it, the numeral
with one ``I`` more, that is the numeral.  A numeral read sure is left as
read: a body cites other terms too (``khóa XII`` in a ``khóa XIII``
resolution).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# A numeral a term or session takes, standing alone after a word.
_NUMERAL = re.compile(
    r"(?P<word>(?<!\S)[^\W\d_]+)(?P<gap>\s+)(?P<numeral>[IVXL]{1,6})(?=[\s,.;)]|$)"
)
# A numeral read short comes out below the confidence of one read right: on the
# real set's scans (bench/extraction.py --real) the subjects' numerals read one I
# short read 47-84, those read right 85-93 (the lengthening also wants the body's
# word and numeral, so one read right but unsure stays unless the body cites a
# longer one after the same word).
UNSURE_NUMERAL = 85.0
# The numerals that may take one I more (not one ending III, nor IV, IX).
_SHORT = re.compile(r"^(?:L?X{0,3})(?:V?I{0,2})$")


def lengthen_numerals(subject: str, text: str, read: Mapping[str, float]) -> str:
    """``subject`` with each numeral OCR was unsure of lengthened by one ``I``
    where ``text`` prints it so after the same word.  ``read``: each word of
    the subject (lower case) -> the confidence OCR read it with."""

    def lengthened(match: re.Match[str]) -> str:
        numeral = match["numeral"]
        if read.get(numeral.lower(), 100.0) >= UNSURE_NUMERAL or not _SHORT.match(numeral):
            return match.group()
        longer = re.compile(rf"(?<!\w){re.escape(match['word'])}\s+{numeral}I(?![\w])",
                            re.IGNORECASE)  # fmt: skip
        if not longer.search(text):
            return match.group()
        return f"{match['word']}{match['gap']}{numeral}I"

    return _NUMERAL.sub(lengthened, subject)
