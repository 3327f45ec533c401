"""Marks OCR misread in a short passage, put right by the document's own text.

A document repeats the words of its subject (and of its header) in its body:
``tỉnh Cao Sơn``, ``phạm vi``, ``điều lệ``.  OCR misreads a mark here and
there (``tĩnh Cao Sơn``, ``phạm vỉ``), seldom the same way twice, so where
the passage's pair of words is spelt otherwise, with the same letters, at
least ``MIN_VOTES`` times elsewhere in the document, and more often than the
passage's own spelling, that spelling is the pair's.  Pairs, not single
words: ``tính`` and ``tỉnh`` are both words, ``tính Cao`` is not a phrase.
A word that makes a word of the language (``lexicon``) with a neighbour is
not respelt into one that makes none: ``Ủy ban`` read right stays though the
body reads ``Ủy bạn`` twice.  The letters, the words and the case are never
changed, only the marks.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping

from ingest.describe.evidence import CUT, SURE_VOTE, SureText
from ingest.describe.lexicon import is_word
from kernel.text import strip_marks

_WORD = re.compile(r"[^\W\d_]+")
_GAP = re.compile(r"\s+")
MIN_VOTES = 2
# A pair read once elsewhere outvotes the passage only read this much surer
# (0..100) than the passage's words it changes: two readings a fraction of a
# point apart are alike (``Cửa Lấp`` at 93.302 in a fax's subject, ``Của Lấp``
# at 93.305 in its body).
SURER = 1.0
# ... and only words OCR read below this (as ocr_subjects.UNSURE_WORD): one read
# surer is read right far more often than not (on the real set's scans, of the
# pairs read once a point surer elsewhere, one changed a word read at 95 or
# more, and the lexicon puts that one right).
UNSURE = 95.0

Pair = tuple[str, str]


def _pairs(text: str) -> list[tuple[re.Match[str], re.Match[str]]]:
    """Adjacent words with nothing but white space between them."""
    words = list(_WORD.finditer(text))
    return [
        (left, right)
        for left, right in zip(words, words[1:], strict=False)
        if _GAP.fullmatch(text[left.end() : right.start()])
    ]


def _spellings(text: str) -> dict[Pair, Counter[Pair]]:
    """Folded lower-case pair -> how often each lower-case spelling of it occurs."""
    counts: dict[Pair, Counter[Pair]] = defaultdict(Counter)
    for left, right in _pairs(text):
        pair = (left.group(0).lower(), right.group(0).lower())
        counts[(strip_marks(pair[0]), strip_marks(pair[1]))][pair] += 1
    return counts


def _cased(word: str, like: str) -> str:
    return "".join(c.upper() if o.isupper() else c.lower() for c, o in zip(word, like, strict=True))


def respell_by_text(
    passage: str, text: str | SureText, read: Mapping[str, float] | None = None
) -> str:
    """``passage`` with the marks its word pairs carry most often in ``text``.

    ``text`` is the whole document, ``passage`` included: its own pairs are
    not counted as votes.  Given as OCR read it surely (``evidence.sure_text``),
    with ``read`` (each word of the passage, lower case -> the confidence OCR
    read it with there), only the pairs read surely vote, and a pair read
    surely once outvotes the passage where OCR read it more surely than the
    passage's words it changes (``tuyến Metro`` at 93 in the body, ``tuyển``
    at 90 in the subject).
    """
    if isinstance(text, SureText):
        sure, read = text, read or {}
        counts = _spellings(sure.text)
        own = _WORD.sub(lambda m: m.group() if read.get(m.group().lower(), 0.0) >= SURE_VOTE
                        else CUT, passage)  # fmt: skip
    else:
        sure, counts, own = None, _spellings(text), passage
    for key, mine in _spellings(own).items():
        counts[key].subtract(mine)
    votes: dict[int, tuple[int, str]] = {}  # word start in passage -> (votes, spelling)
    for left, right in _pairs(passage):
        pair = (left.group(0).lower(), right.group(0).lower())
        spelt = counts.get((strip_marks(pair[0]), strip_marks(pair[1])))
        if not spelt:
            continue
        best, best_votes = spelt.most_common(1)[0]
        if best == pair or best_votes <= spelt[pair]:
            continue
        if best_votes < MIN_VOTES and not (sure and _surer(best, pair, sure, read or {})):
            continue
        for match, word in ((left, best[0]), (right, best[1])):
            if votes.get(match.start(), (0, ""))[0] < best_votes:
                votes[match.start()] = (best_votes, word)
    respelt = list(passage)
    words = {match.start(): match.group() for match in _WORD.finditer(passage)}
    for start, (_, word) in votes.items():
        if _unbinds(words, start, word):
            continue
        respelt[start : start + len(word)] = _cased(word, passage[start : start + len(word)])
    return "".join(respelt)


def _surer(best: Pair, pair: Pair, sure: SureText, read: Mapping[str, float]) -> bool:
    """Whether OCR read ``best`` elsewhere more surely than the passage's words it changes."""
    changed = [read.get(word, 0.0) for word, new in zip(pair, best, strict=True) if word != new]
    return max(changed) < UNSURE and sure.pairs.get(best, 0.0) >= max(changed) + SURER


def _unbinds(words: dict[int, str], start: int, new: str) -> bool:
    """Whether the word at ``start`` makes a word of the language (``lexicon``)
    with a neighbour as read, and would make none spelt ``new``: a word read
    right, the body misread alike (``Ủy ban`` read right, ``Ủy bạn`` twice in
    the body)."""
    starts = sorted(words)
    at = starts.index(start)
    old = words[start]
    for other in (at - 1, at + 1):
        if not 0 <= other < len(starts):
            continue
        near = words[starts[other]]
        pair, new_pair = ((near, old), (near, new)) if other < at else ((old, near), (new, near))
        if is_word(*pair) and not is_word(*new_pair):
            return True
    return False


MIN_WORD_COUNT = 2  # a word of the document: read at least this often in its text


def split_by_text(passage: str, text: str) -> str:
    """``passage`` with the words OCR ran together split where the document spells them apart.

    A token of ``passage`` that is no word of ``text`` but spells, in lower
    case, a run of two or more of its words (each read at least
    ``MIN_WORD_COUNT`` times, none a single letter) is split into them:
    ``củacácnông`` -> ``của các nông``.  The fewest words win.
    """
    counts = Counter(word.lower() for word in _WORD.findall(text))
    known = {word for word, count in counts.items() if count >= MIN_WORD_COUNT and len(word) > 1}
    longest = max((len(word) for word in known), default=0)

    def split(match: re.Match[str]) -> str:
        token = match.group(0)
        lower = token.lower()
        if lower in known or len(token) < 2 * 2:
            return token
        best: list[list[int] | None] = [[]] + [None] * len(lower)
        for end in range(1, len(lower) + 1):
            for start in range(max(0, end - longest), end - 1):
                before = best[start]
                fewer = best[end] is None or len(before or []) + 1 < len(best[end] or [])
                if before is not None and lower[start:end] in known and fewer:
                    best[end] = [*before, end]
        cuts = best[-1]
        if not cuts or len(cuts) < 2:
            return token
        return " ".join(token[a:b] for a, b in zip([0, *cuts[:-1]], cuts, strict=True))

    return _WORD.sub(split, passage)
