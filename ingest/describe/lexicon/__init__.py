"""Marks OCR misread in a passage, put right by a lexicon of the language's words.

OCR misreads a tone mark or a vowel's hook where nothing in the document
corrects it: ``chỉ phí`` (``chi phí``), ``tỉnh thần`` (``tinh thần``), ``lĩnh
vục`` (``lĩnh vực``).  Each syllable is a word alone, but the pair is none;
spelt with other marks, the same letters make one word of the language's
two-syllable words (``compounds.txt``, see README.md here) and only one.
Then that spelling is the pair's.  A pair the lexicon knows is never
changed, nor, in a passage in sentence case, a word in capitals after its
first (a name: ``Thuy Sĩ`` may be a place the lexicon has not), nor a
syllable that makes a word of the lexicon with its other neighbour (or, read
surely, a pair the document prints surely between other words: ``thu phí``,
which the lexicon lacks, beside ``miễn thứ``, which it has), nor a
pair with a function word in it (``cho``, ``đến``, ``tại`` make a pair with
any word: ``cho người`` is no word, ``chợ người`` is one; ``tỉnh tại`` is
none, ``tĩnh tại`` one), nor a place the gazetteer spells
as read (``Lâm Đồng``, not ``làm đồng``), nor a word of a place with its
other neighbour (``Thanh Hóa``), nor a pair the document prints elsewhere
as read with a capital (a name) more often than as spelt, unless OCR was
unsure of the word it changes (``unsure``).  Printed in lower case, a pair
is words, not a name: on a scan the same misreading repeats in the body,
and the body's count does not vouch for it.  The letters, the words and the
case stay; only the marks change.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

from ingest.describe.places import is_listed_place
from kernel.text import normalize_text, strip_marks

LEXICON = Path(__file__).with_name("compounds.txt")
_WORD = re.compile(r"[^\W\d_]+")
_GAP = re.compile(r"\s+")
# Words that stand alone between others (prepositions, conjunctions, articles,
# auxiliaries): read right whatever pair they make.
_FUNCTION_WORDS = (
    "à ạ ai bị bởi các cả cái cho chưa có còn của cùng do đã đang đây để đến đều đó gì hay "
    "khi không là lại mà mọi một này nên nếu nhưng những nơi ở qua ra rằng rồi sau sẽ tại "
    "theo thì tới trên trong trước từ và vào về vẫn vì với"
)
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split(" "))


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The two-syllable words, and folded word -> its spellings in the lexicon."""
    # Spelt as the describer spells text (the tone on the first vowel of "uy").
    words = frozenset(
        normalize_text(line) for line in LEXICON.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )  # fmt: skip
    spellings: dict[str, list[str]] = defaultdict(list)
    for word in words:
        spellings[strip_marks(word)].append(word)
    return words, {folded: tuple(found) for folded, found in spellings.items()}


def is_word(left: str, right: str) -> bool:
    """Whether ``left right`` (any case) is a two-syllable word of the lexicon."""
    return f"{left} {right}".lower() in _lexicon()[0]


def _respelt(left: str, right: str) -> str | None:
    """The one spelling of the lexicon with the letters of ``left right``, if not this one.

    One of the two syllables keeps its marks where a spelling does: OCR
    misreads a mark, seldom two words' at once, and two changes make another
    phrase (``mở chỉ``, read right, is no word, nor is ``mộ chí`` what it
    says).  Where no spelling keeps either, the one spelling changes both: the
    caller asks the document to vouch for it (``yêu tổ``, ``yếu tố``).
    """
    pair = f"{left} {right}".lower()
    words, spellings = _lexicon()
    if pair in words:
        return None
    found = spellings.get(strip_marks(pair), ())
    kept = [
        word for word in found
        if left.lower() == word.split(" ")[0] or right.lower() == word.split(" ")[1]
    ]  # fmt: skip
    if not kept:
        kept = list(found)
    return kept[0] if len(kept) == 1 else None


def _with_case(model: str, marked: str) -> str:
    """``marked``'s letters in the case of ``model`` (same length, both NFC)."""
    return "".join(m.upper() if c.isupper() else m for c, m in zip(model, marked, strict=True))


def _bound(spelt: list[str], at: int, step: int) -> bool:
    """Whether word ``at`` makes a word of the lexicon with its neighbour ``step`` away."""
    other = at + step
    if not 0 <= other < len(spelt):
        return False
    return is_word(*((spelt[other], spelt[at]) if step < 0 else (spelt[at], spelt[other])))


def _printed_beside(spelt: list[str], at: int, step: int, printed: str) -> bool:
    """Whether word ``at`` and its neighbour ``step`` away make a pair ``printed``
    holds elsewhere, between other words than the passage's: a phrase of the
    document's own the lexicon lacks (``thu phí`` in ``không thu phí, lệ phí``),
    which binds the word as a word of the lexicon does.  The passage repeated (a
    regulation's title under its decision's) or misread alike around the same
    words vouches for nothing; nor does a pair with a function word (it pairs
    with any word)."""
    other = at + step
    if not printed or not 0 <= other < len(spelt):
        return False
    first, last = min(at, other), max(at, other)
    if any(word.lower() in FUNCTION_WORDS for word in spelt[first : last + 1]):
        return False
    around = [spelt[i].lower() if 0 <= i < len(spelt) else None for i in (first - 1, last + 1)]
    gaps = r"\s+".join(re.escape(word) for word in spelt[first : last + 1])
    for match in re.finditer(rf"(?<!\w){gaps}(?!\w)", printed, re.IGNORECASE):
        before = printed[max(0, match.start() - _SIDE) : match.start()].split()[-1:]
        after = printed[match.end() : match.end() + _SIDE].split()[:1]
        beside = [_bare(words[0]) if words else None for words in (before, after)]
        if all(word != passage for word, passage in zip(beside, around, strict=True)):
            return True
    return False


_SIDE = 40  # characters either side of a pair where its neighbours are
_PUNCTUATION = ".,;:!?()\"'“”‘’-–—"


def _bare(token: str) -> str:
    return token.strip(_PUNCTUATION).lower()


def _in_place(spelt: list[str], at: int, new: str) -> bool:
    """Whether word ``at``, were it respelt ``new``, is one of a place the gazetteer
    spells as read with a neighbour (``tỉnh thanh | Thanh Hóa``): a name's word."""
    if spelt[at].lower() == new:
        return False
    pairs = (spelt[max(0, at - 1) : at + 1], spelt[at : at + 2])
    return any(len(pair) == 2 and is_listed_place(" ".join(pair).upper()) for pair in pairs)


def _count(words: list[str], document: str, named: bool = False) -> int:
    """How often ``document`` prints ``words`` (any case); ``named``: only with a capital."""
    gaps = r"\s+".join(re.escape(word) for word in words)
    found = re.finditer(rf"(?<!\w){gaps}(?!\w)", document, re.IGNORECASE)
    return sum(1 for match in found if not named or match.group()[:1].isupper())


def _read_elsewhere(spelt: list[str], at: int, respelt: list[str], document: str) -> bool:
    """Whether the document prints words ``at``, ``at + 1`` as read beyond the passage,
    more often than as the lexicon spells them, with a capital: as a name.

    The passage may stand twice in a document's text (a column read alone and
    across): the pair stands beyond it as often as it stands more than the
    passage's words around it.  Printed in lower case, the pair is no name
    but words, and OCR misreads the same words alike all through a scan
    (``chỉ phí`` for ``chi phí`` in the subject and four times in the body):
    the lexicon's spelling stands.
    """
    around = spelt[max(0, at - 1) : at + 3]
    beyond = _count(spelt[at : at + 2], document, True) - _count(around, document, True)
    return beyond > 0 and beyond > _count(respelt, document)


def _vouched(respelt: list[str], document: str) -> bool:
    """Whether both syllables of a pair may take other marks: the document
    prints the pair as the lexicon spells it.  OCR's doubt alone is not
    enough: two syllables unsure, each a word, are as often read right
    (``tỉnh Quảng`` is no word, ``tinh quặng`` one, and a place's start)."""
    return _count(respelt, document) > 0


def retone_by_lexicon(
    text: str, document: str = "", unsure: Collection[str] = (), doubted: Collection[str] = (),
    printed: str = "",
) -> str:  # fmt: skip
    """``text`` with the marks of word pairs the lexicon spells otherwise put right.

    ``document``: the whole text the passage was read from, whose own
    spellings stand, save for the words of ``unsure`` (lower case): those OCR
    read with a low confidence; ``doubted``: those OCR read with a lower one
    still, where a function word may be a misread word (``phạm vì`` for
    ``phạm vi``, ``để xuất`` for ``đề xuất``); ``printed``: the document as
    OCR read it surely (``evidence.sure_text``), whose pairs beyond the
    passage bind a word as the lexicon's do.
    """
    words = list(_WORD.finditer(text))
    spelt = [match.group() for match in words]
    capitals = text.upper() == text  # a passage in capitals shows no name by its case
    for at in range(len(words) - 1):
        left, right = words[at], words[at + 1]
        if not _GAP.fullmatch(text[left.end() : right.start()]):
            continue
        if not capitals and any(word[:1].isupper() and index > 0 for index, word in
                                ((at, spelt[at]), (at + 1, spelt[at + 1]))):  # fmt: skip
            continue  # a name
        respelt = _respelt(spelt[at], spelt[at + 1])
        if respelt is not None and is_listed_place(f"{spelt[at]} {spelt[at + 1]}".upper()):
            continue  # a place the gazetteer spells so: a name, not a word misread
        if respelt is None or len(respelt) != len(spelt[at]) + 1 + len(spelt[at + 1]):
            continue
        new_left, new_right = respelt.split(" ")
        changed = [word for word, new in ((spelt[at], new_left), (spelt[at + 1], new_right))
                   if word.lower() != new]  # fmt: skip
        if any(word.lower() in FUNCTION_WORDS for word in spelt[at : at + 2]) and not (
                len(changed) == 1 and changed[0].lower() in doubted):  # fmt: skip
            continue
        if len(changed) == 2 and not _vouched([new_left, new_right], document):
            continue
        if not any(word.lower() in unsure for word in changed) and _read_elsewhere(
                spelt, at, [new_left, new_right], document):
            continue
        # Either syllable making a word with its other neighbour binds it there:
        # the pair straddles two words (``nhân dân | tỉnh``), each read right.
        if _bound(spelt, at, -1) or _bound(spelt, at + 1, +1):
            continue
        if any(spelt[at + side].lower() != new and spelt[at + side].lower() not in unsure
               and _printed_beside(spelt, at + side, step, printed)
               for side, step, new in ((0, -1, new_left), (1, +1, new_right))):  # fmt: skip
            continue
        if _in_place(spelt, at, new_left) or _in_place(spelt, at + 1, new_right):
            continue
        spelt[at] = _with_case(spelt[at], new_left)
        spelt[at + 1] = _with_case(spelt[at + 1], new_right)
    pieces, last = [], 0
    for match, word in zip(words, spelt, strict=True):
        pieces += [text[last : match.start()], word]
        last = match.end()
    return "".join(pieces) + text[last:]
