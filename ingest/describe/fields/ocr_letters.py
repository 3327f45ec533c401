"""A subject's word OCR barely read, its lost letters put back by the document's text.

OCR that loses a letter or two of a word in capitals (``PHI HỢP`` for ``PHỐI
HỢP``) says so: it reads the word with a confidence near nothing.  The body
prints the same phrase whole.  Where a word of the subject read below
``LOST_LETTERS`` makes no word of the language's lexicon with a neighbour,
and the document prints, beside that same neighbour, one word that does,
holds the read word's letters in order and one or two more, that is the word.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ingest.describe.lexicon import is_word
from kernel.text import strip_marks

# Below this OCR read a word's shape, not its letters: on the real set's scans,
# subject words with a letter lost read 0; words read whole, 30 and more.
LOST_LETTERS = 20.0
_WORD = re.compile(r"[^\W\d_]+")


def _holds(whole: str, part: str) -> bool:
    """Whether ``whole``'s letters hold ``part``'s in order, one or two more, same start."""
    whole, part = strip_marks(whole.lower()), strip_marks(part.lower())
    if not 1 <= len(whole) - len(part) <= 2 or whole[:1] != part[:1]:
        return False
    letters = iter(whole)
    return all(letter in letters for letter in part)


def _whole(word: str, neighbour: str, after: bool, text: str) -> str | None:
    """The one word ``text`` prints beside ``neighbour`` that ``word`` lost letters of."""
    gap = r"\s+"
    found = (
        re.finditer(rf"(?<!\w)(\w+){gap}{re.escape(neighbour)}(?!\w)", text, re.IGNORECASE)
        if after
        else re.finditer(rf"(?<!\w){re.escape(neighbour)}{gap}(\w+)(?!\w)", text, re.IGNORECASE)
    )
    wholes = {
        match.group(1).lower()
        for match in found
        if _holds(match.group(1), word)
        and (is_word(match.group(1), neighbour) if after else is_word(neighbour, match.group(1)))
    }
    return wholes.pop() if len(wholes) == 1 else None


def restore_letters(subject: str, text: str, read: Mapping[str, float]) -> str:
    """``subject`` with each word OCR barely read (``read``: word, lower case ->
    confidence) put back whole where ``text`` prints it beside the same word."""
    words = list(_WORD.finditer(subject))
    pieces, last = [], 0
    for at, match in enumerate(words):
        word, whole = match.group(), None
        if read.get(word.lower(), 100.0) < LOST_LETTERS:
            for step in (1, -1):
                other = at + step
                if 0 <= other < len(words) and not (
                    is_word(word, words[other].group())
                    if step > 0
                    else is_word(words[other].group(), word)
                ):
                    whole = _whole(word, words[other].group(), step > 0, text)
                if whole:
                    break
        if whole and word.isupper():
            whole = whole.upper()
        elif whole and word[:1].isupper():
            whole = whole.capitalize()
        pieces += [subject[last : match.start()], whole or word]
        last = match.end()
    return "".join(pieces) + subject[last:]
