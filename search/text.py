"""Text handling shared by the search backends: folding and snippets.

Vietnamese is written with diacritics, but people often type without them
("quyet dinh" for "Quyết định").  Documents are therefore indexed twice: as
written (NFC) and *folded* (diacritics stripped, "đ" to "d").  A user's text is
parsed by ``search.query_syntax`` into a small tree, never handed raw to a
query language, so nothing a user types can be a syntax error.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING

from kernel.text import normalize_text

if TYPE_CHECKING:  # the query tree is built on this module's folding
    from search.query_syntax import ParsedQuery


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


def reference_key(reference: str) -> str:
    """How references compare: case, spaces and diacritics ignored ("2284/QD-UBND")."""
    return "".join(fold(reference).upper().split())


def make_snippet(text: str, parsed: ParsedQuery, width: int = 240) -> str:
    """An HTML fragment of ``text`` around the matches, each in ``<mark>``.

    Everything except the ``<mark>`` tags is HTML-escaped.  Matching ignores
    case and diacritics, like the search itself; the words of a query's
    exclusions are never marked.  With no match, the start of the text.
    """
    text = exact_form(text)
    pattern = parsed.term_pattern()
    matches: list[re.Match[str]] = []
    if pattern is not None:
        for match in pattern.finditer(fold_exact(text)):
            matches.append(match)
            if len(matches) >= 200:
                break
    if not matches:
        return _ellipsis_cut(text, width)
    # The window that holds the most distinct matched terms wins (the first
    # of equals); windows start at a match and slide over the matches in order.
    best_start, best_score = matches[0].start(), -1
    inside: Counter[str] = Counter()
    right = 0
    for match in matches:
        while right < len(matches) and matches[right].start() < match.start() + width:
            inside[matches[right].group(0)] += 1
            right += 1
        if len(inside) > best_score:
            best_start, best_score = match.start(), len(inside)
        inside[match.group(0)] -= 1
        if not inside[match.group(0)]:
            del inside[match.group(0)]
    start = max(0, best_start - width // 4)
    if start > 0:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 30 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.find(" ", end)
        end = space if space >= 0 and space - end < 30 else end
    pieces: list[str] = ["…" if start > 0 else ""]
    position = start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        pieces.append(html.escape(text[position : match.start()]))
        pieces.append("<mark>" + html.escape(text[match.start() : match.end()]) + "</mark>")
        position = match.end()
    pieces.append(html.escape(text[position:end]))
    pieces.append("…" if end < len(text) else "")
    return "".join(pieces).strip()


def has_match(text: str, parsed: ParsedQuery) -> bool:
    """True when ``text`` matches ``parsed`` as the index would (folded)."""
    return parsed.matches(text)


def _ellipsis_cut(text: str, width: int) -> str:
    end = min(len(text), width)
    if end < len(text):
        space = text.rfind(" ", 0, end)
        end = space if space > width // 2 else end
    return html.escape(text[:end]) + ("…" if end < len(text) else "")
