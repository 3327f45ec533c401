"""Words OCR ran together in a header line, split by the syllables of known names.

Vietnamese writes one syllable a word.  On a coarse scan OCR may lose the
spaces of a line in capitals (``ỦYBANNHÂNDÂN TỈNHHẬUGIANG``); a token that
is no known syllable but spells a run of them (compared without marks) is
split there, keeping OCR's letters.  The syllables are those of the state
bodies' words and of every place in the gazetteer: the words a header holds.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.describe.places import place_spellings
from ingest.describe.tables import BODY_WORDS, NATIONAL_BODIES
from kernel.text import strip_marks

# Level and body words a header may hold beyond the two lists.
_MORE_WORDS = (
    "SỞ BAN NGÀNH PHÒNG CỤC CHI VỤ VIỆN TRƯỜNG TRUNG TÂM BỆNH HỘI ĐOÀN CÔNG TY TỔNG QUẬN "
    "THỊ XÃ TRẤN ĐẶC KHU THƯỜNG TRỰC CHẤP HÀNH TUYÊN GIÁO DÂN VẬN KIỂM TRA TỔ CHỨC NỘI CHÍNH"
)
_NUMBERED = re.compile(r"(?P<word>[^\W\d_]{2,})(?P<number>\d{1,2})")
_DOUBLED = re.compile(r"([A-Z])\1+")
MAX_SYLLABLE = 7  # "NGHIÊNG", "TRƯỜNG": no Vietnamese syllable is longer


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """Folded upper-case syllables of the header's vocabulary."""
    words = " ".join((*BODY_WORDS, *NATIONAL_BODIES, _MORE_WORDS, *place_spellings()))
    return frozenset(strip_marks(words).replace(",", " ").replace("-", " ").split())


def split_glued(token: str) -> str:
    """``token`` split into known syllables when it is none itself, else unchanged.

    Of the splits, the one in fewest syllables; none when a letter is left over.
    A unit's number run into its word is split off too (``QUẬN8``).
    """
    numbered = _NUMBERED.fullmatch(token)
    if numbered and strip_marks(numbered["word"]).upper() in syllables():
        return f"{numbered['word']} {numbered['number']}"
    folded = strip_marks(token).upper()
    known = syllables()
    if not token.isalpha() or _DOUBLED.sub(r"\1", folded) in known or folded in known:
        return token  # a syllable, or one with a letter read twice ("PHỔỐ")
    best: list[list[int] | None] = [[]] + [None] * len(folded)  # cut points up to each end
    for end in range(1, len(folded) + 1):
        for start in range(max(0, end - MAX_SYLLABLE), end):
            before = best[start]
            fewer = best[end] is None or len(before or []) + 1 < len(best[end] or [])
            if before is not None and folded[start:end] in known and fewer:
                best[end] = [*before, end]
    cuts = best[-1]
    if not cuts or len(cuts) < 2:
        return token
    starts = [0, *cuts[:-1]]
    return " ".join(token[a:b] for a, b in zip(starts, cuts, strict=True))


def split_glued_line(line: str) -> str:
    """Every token of ``line`` split as ``split_glued`` does."""
    return " ".join(split_glued(token) for token in line.split())
