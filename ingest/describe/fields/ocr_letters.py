"""A subject's word OCR barely read, its lost letters put back by the document's text.

OCR that loses a letter or two of a word in capitals (``PHI HỢP`` for ``PHỐI
HỢP``) says so: it reads the word with a confidence near nothing.  The body
prints the same phrase whole.  Where a word of the subject read below
``LOST_LETTERS`` makes no word of the language's lexicon with a neighbour,
and the document prints, beside that same neighbour, one word that does,
holds the read word's letters in order and one or two more, that is the word.

So with a letter misread in a pair OCR was unsure of (``Thục biện`` for
``Thực hiện``): where the pair is no word of the lexicon and the document
prints, at least ``MIN_PRINTED`` times, one word of the lexicon whose letters
(marks aside) are one letter from the pair's, that word is the pair.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache

from ingest.describe.lexicon import is_word
from ingest.describe.places import one_edit
from kernel.text import strip_marks

# Below this OCR read a word's shape, not its letters: on the real set's scans,
# subject words with a letter lost read 0; words read whole, 30 and more.
LOST_LETTERS = 20.0
_WORD = re.compile(r"[^\W\d_]+")
UNSURE = 95.0  # as ocr_subjects.UNSURE_WORD
MIN_PRINTED = 2


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


@lru_cache(maxsize=8)
def _printed_words(text: str) -> Counter[str]:
    """The lexicon's two-syllable words ``text`` prints (lower case) and how often."""
    words = _WORD.findall(text.lower())
    return Counter(f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if is_word(a, b))


def _near_word(pair: str, text: str) -> str | None:
    """The one word of the lexicon ``text`` prints often whose letters are one from ``pair``'s."""
    folded = strip_marks(pair)
    near = {word for word, count in _printed_words(text).items()
            if count >= MIN_PRINTED and one_edit(folded, strip_marks(word))}  # fmt: skip
    return near.pop() if len(near) == 1 else None


def mend_pairs(subject: str, text: str, read: Mapping[str, float]) -> str:
    """``subject`` with each pair OCR was unsure of and misread by a letter put right
    where ``text`` prints the word it was (``read``: word -> confidence)."""
    words = list(_WORD.finditer(subject))
    chars = list(subject)
    at = 0
    while at < len(words) - 1:
        left, right = words[at], words[at + 1]
        pair = f"{left.group()} {right.group()}"
        near = None
        if (subject[left.end() : right.start()] == " " and not is_word(*pair.split())
                and any(read.get(w.lower(), 100.0) < UNSURE for w in pair.split())
                and not _bound(words, at)):  # fmt: skip
            near = _near_word(pair.lower(), text)
        if near is None or len(near) != len(pair):
            at += 1
            continue
        chars[left.start() : right.end()] = _cased(pair, near)
        at += 2
    return "".join(chars)


def _bound(words: list[re.Match[str]], at: int) -> bool:
    """Whether word ``at`` or ``at + 1`` makes a word of the lexicon with its other
    neighbour: the pair straddles two words (``mô hình | chính quyền``)."""
    before = at > 0 and is_word(words[at - 1].group(), words[at].group())
    after = at + 2 < len(words) and is_word(words[at + 1].group(), words[at + 2].group())
    return before or after


def _cased(model: str, word: str) -> str:
    return "".join(w.upper() if m.isupper() else w for m, w in zip(model, word, strict=True))
