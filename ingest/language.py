"""Detect the language of extracted text (ISO 639-1 codes).

Vietnamese is recognised first by its own letters (ơ, ư, đ and the stacked
tone marks no other language uses): that is faster and more reliable than a
statistical guess on short OCR text.  Everything else goes to langdetect,
seeded so the same text always gets the same answer.
"""

from __future__ import annotations

import threading
from collections import Counter

from langdetect import DetectorFactory, LangDetectException, detect_langs

MIN_LETTERS = 20  # below this, any guess is noise
SAMPLE_CHARS = 4000  # enough for a stable guess; langdetect is slow on long text
VIETNAMESE_SHARE = 0.03  # share of Vietnamese-only letters that settles it
MIN_PROBABILITY = 0.5

# Letters used by Vietnamese and by no other language Docket meets.
_VIETNAMESE_ONLY = set(
    "ăắằẳẵặơớờởỡợưứừửữựđạảấầẩẫậẹẻẽếềểễệỉịọỏốồổỗộụủỳỵỷỹĩũ"
    "ĂẮẰẲẴẶƠỚỜỞỠỢƯỨỪỬỮỰĐẠẢẤẦẨẪẬẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỤỦỲỴỶỸĨŨ"
)
_seed_lock = threading.Lock()
_seeded = False


def _seed() -> None:
    global _seeded
    with _seed_lock:
        if not _seeded:
            DetectorFactory.seed = 0
            _seeded = True


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None when unsure or too short."""
    sample = text[:SAMPLE_CHARS]
    # Counted over the distinct characters (a page has a hundred or so), not each one.
    counts = Counter(sample)
    # Letters: what ``[^\W\d_]`` matches (a word character, not a decimal digit or "_").
    letters = sum(n for ch, n in counts.items() if ch.isalnum() and not ch.isdecimal())
    if letters < MIN_LETTERS:
        return None
    vietnamese = sum(counts[ch] for ch in _VIETNAMESE_ONLY.intersection(counts))
    if vietnamese / letters >= VIETNAMESE_SHARE:
        return "vi"
    _seed()
    try:
        guesses = detect_langs(sample)
    except LangDetectException:
        return None
    if not guesses or guesses[0].prob < MIN_PROBABILITY:
        return None
    return str(guesses[0].lang)
