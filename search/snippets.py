"""Snippets: the part of a document's text that shows why it matched, marked.

Built on the query tree (``search.query_syntax``), which is itself built on
``search.text``'s folding: this module sits above both.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from search.model import IndexDocument
from search.query_syntax import ParsedQuery
from search.text import exact_form

MAX_MATCHES = 200  # matches looked at per text: enough for a window, cheap on a long text


def make_snippet(text: str, parsed: ParsedQuery, width: int = 240, *,
                 normal: bool = False) -> str:
    """An HTML fragment of ``text`` around the matches, each in ``<mark>``.

    Everything except the ``<mark>`` tags is HTML-escaped.  Matching ignores
    case and diacritics, like the search itself; the words of a query's
    exclusions are never marked.  With no match, the start of the text.
    ``normal``: ``text`` is in normal form already (``exact_form``), as an
    indexed document's subject and body are (``IndexDocument``): it is not
    normalised again (a third of a snippet's time).
    """
    pattern = parsed.term_pattern
    if pattern is None:
        # Nothing to mark (a browse): only the start is shown, so only the
        # start is normalised (the whole body cost a browse page 5 ms).
        head = text[: width * 4]
        return _ellipsis_cut(head if normal else exact_form(head), width)
    if not normal:
        text = exact_form(text)
    matches: list[re.Match[str]] = []
    for match in pattern.finditer(text):  # case and diacritics ignored (see term_pattern)
        matches.append(match)
        if len(matches) >= MAX_MATCHES:
            break
    if not matches:
        return _ellipsis_cut(text, width)
    start, end = _window(text, _best_start(matches, width), width)
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


def hit_snippet(doc: IndexDocument, parsed: ParsedQuery) -> str:
    """The snippet of a hit: its body around the matches, or its subject when only
    the subject matched."""
    if not parsed.ranked or not doc.body:
        return make_snippet(doc.body or doc.subject, parsed, normal=True)
    snippet = make_snippet(doc.body, parsed, normal=True)
    return snippet if "<mark>" in snippet else (
        make_snippet(doc.subject, parsed, normal=True) or snippet)


def has_match(text: str, parsed: ParsedQuery) -> bool:
    """True when ``text`` matches ``parsed`` as the index would (folded)."""
    return parsed.matches(text)


def _best_start(matches: list[re.Match[str]], width: int) -> int:
    """Where the window that holds the most distinct matched terms starts (the
    first of equals); windows start at a match and slide over the matches in order."""
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
    return best_start


def _window(text: str, best_start: int, width: int) -> tuple[int, int]:
    """The slice shown: a little context before the best start, cut at spaces nearby."""
    start = max(0, best_start - width // 4)
    if start > 0:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 30 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.find(" ", end)
        end = space if space >= 0 and space - end < 30 else end
    return start, end


def _ellipsis_cut(text: str, width: int) -> str:
    end = min(len(text), width)
    if end < len(text):
        space = text.rfind(" ", 0, end)
        end = space if space > width // 2 else end
    return html.escape(text[:end]) + ("…" if end < len(text) else "")
