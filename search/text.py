"""Text handling shared by the search backends: folding, query parsing, snippets.

Vietnamese is written with diacritics, but people often type without them
("quyet dinh" for "Quyết định").  Documents are therefore indexed twice: as
written (NFC) and *folded* (diacritics stripped, "đ" to "d").  A user's text is
parsed here into terms (single words or quoted phrases), never handed raw to a
query language, so nothing a user types can be a syntax error.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ingest.describe.normalize import normalize_text

MAX_QUERY_CHARS = 1000  # longer input is cut: nobody types more, and it bounds the work
MAX_TERMS = 32
MAX_TERM_CHARS = 100

_WORD = re.compile(r"\w+")
_PHRASE = re.compile(r'"([^"]*)"')


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
    return exact_form(text).translate(_FOLD_TABLE)


def reference_key(reference: str) -> str:
    """How references compare: case, spaces and diacritics ignored ("2284/QD-UBND")."""
    return "".join(fold(reference).upper().split())


@dataclass(frozen=True)
class ParsedQuery:
    """A user's text as terms; each term is a tuple of words (one word or a phrase)."""

    terms: tuple[tuple[str, ...], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.terms

    def folded_terms(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(fold(w) for w in term) for term in self.terms)


def parse_query(text: str) -> ParsedQuery:
    """Split what a user typed into words and quoted phrases.

    Balanced double quotes make a phrase; a stray quote is ignored.  Outside
    quotes, a chunk like "2284/QĐ-UBND" (no spaces) is a phrase of its words,
    so a document number matches as a whole.  Everything that is not a letter
    or a digit (operators, brackets, emoji) only separates words.
    """
    text = exact_form(text or "")[:MAX_QUERY_CHARS]
    terms: list[tuple[str, ...]] = []
    position = 0
    for match in _PHRASE.finditer(text):
        terms.extend(_chunk_terms(text[position : match.start()]))
        words = _words(match.group(1))
        if words:
            terms.append(words)
        position = match.end()
    terms.extend(_chunk_terms(text[position:].replace('"', " ")))
    unique = list(dict.fromkeys(t for t in terms if t))
    return ParsedQuery(tuple(unique[:MAX_TERMS]))


def _words(text: str) -> tuple[str, ...]:
    return tuple(
        w[:MAX_TERM_CHARS] for w in _WORD.findall(text.replace("_", " ")) if fold(w).strip()
    )


def _chunk_terms(text: str) -> list[tuple[str, ...]]:
    return [_words(chunk) for chunk in text.split()]


def fts5_expression(parsed: ParsedQuery, exact_columns: str, folded_columns: str) -> str:
    """An FTS5 MATCH expression for ``parsed``: every term must match, folded.

    The same terms as written are OR-ed in on the exact columns: they add to
    the bm25 score of documents that match with the very same diacritics, so
    those rank first, without changing which documents match.
    """

    def conjunction(terms: tuple[tuple[str, ...], ...]) -> str:
        return " AND ".join('"' + " ".join(words).replace('"', "") + '"' for words in terms)

    folded_terms = tuple(dict.fromkeys(parsed.folded_terms()))
    folded = f"{{{folded_columns}}} : ({conjunction(folded_terms)})"
    if all(fold(w) == w.lower() for term in parsed.terms for w in term):
        return folded  # typed without diacritics: nothing to rank higher, half the work
    return f"({folded}) OR ({{{exact_columns}}} : ({conjunction(parsed.terms)}))"


def fts5_match(parsed: ParsedQuery, boost_exact: bool = True) -> str:
    """An FTS5 MATCH expression for ``parsed`` with no column filters.

    Every term must match folded.  Folded text holds no diacritics, so a term
    as written that has some can only occur in the exact columns: OR-ing it in
    adds to the bm25 score of documents written with the very same diacritics
    (they rank first) without changing which documents match.  Leaving out the
    ``{columns}:`` filters lets FTS5 answer from doclists alone (no position
    lists), which is what makes counting a large match set cheap.  Without
    ``boost_exact`` the expression matches the same documents, only cheaper
    (for counting, where the score does not matter).
    """

    def conjunction(terms: tuple[tuple[str, ...], ...]) -> str:
        return " AND ".join('"' + " ".join(words).replace('"', "") + '"' for words in terms)

    folded = conjunction(tuple(dict.fromkeys(parsed.folded_terms())))
    if not boost_exact or all(fold(w) == w.lower() for term in parsed.terms for w in term):
        return folded
    return f"({folded}) OR ({conjunction(parsed.terms)})"


def fts5_exact(parsed: ParsedQuery, exact_columns: str) -> str | None:
    """An FTS5 MATCH expression for ``parsed`` as written, on ``exact_columns`` only.

    None when the user typed no diacritics (nothing to tell apart).
    """
    if all(fold(w) == w.lower() for term in parsed.terms for w in term):
        return None
    terms = " AND ".join('"' + " ".join(words).replace('"', "") + '"' for words in parsed.terms)
    return f"{{{exact_columns}}} : ({terms})"


def _term_pattern(parsed: ParsedQuery) -> re.Pattern[str] | None:
    alternatives = sorted(
        (r"\W+".join(re.escape(w) for w in words) for words in parsed.folded_terms()),
        key=len,
        reverse=True,
    )
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def make_snippet(text: str, parsed: ParsedQuery, width: int = 240) -> str:
    """An HTML fragment of ``text`` around the matches, each in ``<mark>``.

    Everything except the ``<mark>`` tags is HTML-escaped.  Matching ignores
    case and diacritics, like the search itself.  With no match, the start
    of the text.
    """
    text = exact_form(text)
    pattern = _term_pattern(parsed)
    matches: list[re.Match[str]] = []
    if pattern is not None:
        for match in pattern.finditer(fold(text)):
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
    """True when any term of ``parsed`` occurs in ``text`` (folded)."""
    pattern = _term_pattern(parsed)
    return pattern is not None and pattern.search(fold(text)) is not None


def _ellipsis_cut(text: str, width: int) -> str:
    end = min(len(text), width)
    if end < len(text):
        space = text.rfind(" ", 0, end)
        end = space if space > width // 2 else end
    return html.escape(text[:end]) + ("…" if end < len(text) else "")
