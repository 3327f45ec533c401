"""Text handling shared by the search backends: folding (snippets: ``search.snippets``).

Vietnamese is written with diacritics, but people often type without them
("quyet dinh" for "Quyết định").  Documents are therefore indexed twice: as
written (NFC) and *folded* (diacritics stripped, "đ" to "d").  A user's text is
parsed by ``search.query_syntax`` into a small tree, never handed raw to a
query language, so nothing a user types can be a syntax error.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from kernel.text import normalize_text


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    # Keep a one-to-one mapping of characters so that positions in folded text
    # are positions in the original (snippets rely on this).
    return base.lower() if len(base) == 1 else char.lower()


def exact_form(text: str) -> str:
    """Text as written, in NFC so that composed and decomposed input compare equal.

    Old and new tone placement are unified ("hoà" and "hòa" are one word) and
    OCR's Ð look-alike is read as Đ (a scan's "QĐÐ-UBND" is found by "QĐ-UBND"),
    as the describer reads them.
    """
    return normalize_text(unicodedata.normalize("NFC", text))


class _FoldTable(dict[int, str]):
    """``str.translate`` table of ``_fold_char``, filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


# translate() walks the text in C: folding a page of snippet text per hit
# character by character in Python was most of a search's time.
_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower-case ``text`` without diacritics: "Quyết Định" -> "quyet dinh".

    The result has the same length as ``exact_form(text)``, character for character.
    """
    return fold_exact(exact_form(text))


def fold_exact(text: str) -> str:
    """``fold`` of text already in ``exact_form`` (an indexed document's subject and
    body): the same result without normalising a second time."""
    return text.translate(_FOLD_TABLE)


@cache
def _folding_to() -> dict[str, str]:
    """For each character some other character of the Basic Multilingual Plane folds
    to, those characters ("a": "AÀÁ...ạ"), built once (on first use: 0.05 s)."""
    # Only a character with a decomposition or a lower case can fold to another
    # (and đ, Đ): the others need no look (0.2 s for all 63,000, 0.03 s so).
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000]
    sources: dict[str, list[str]] = {}
    for char in chars:
        if char.lower() == char and not unicodedata.decomposition(char) and char not in "đĐ":
            continue
        folded = _fold_char.__wrapped__(char)  # not the cache: one-off characters
        if folded != char:
            sources.setdefault(folded, []).append(char)
    return {folded: "".join(found) for folded, found in sources.items()}


@lru_cache(maxsize=4096)
def fold_class(char: str) -> str:
    """A regular expression matching, in exact-form text, every character that folds to
    ``char`` (a folded character): ``fold_class("d")`` matches d, D, đ, Đ, ḍ...

    A pattern made of these finds a folded word in the text as written, with the
    text's own positions, so a snippet need not fold each hit's text first.
    """
    found = _folding_to().get(char, "")
    if not found:
        return re.escape(char)
    return "[" + "".join(re.escape(c) for c in char + found) + "]"


def reference_key(reference: str) -> str:
    """How references compare: case, spaces and diacritics ignored ("2284/QD-UBND")."""
    return "".join(fold(reference).upper().split())
