"""How well OCR read the words a field was read from.

Tesseract gives each word a confidence; ``ingest.extract`` keeps, for every
OCR page, its lines (``TextLine``, with the mean confidence of their words)
and its words in the same order.  A field read from an OCR page is found
again among those lines (the lines holding its value, for a date the lines
holding its month and year, for a type its title line) and weighs in the
least sure of its own words there: one misread letter ("phạm vỉ") shows as
one unsure word in a line otherwise read well, so a line's mean hides it.

A value found on no line was made by a rule (a repair, a respelling against
a closed list, words put back together): nothing OCR read vouches for it as
printed, and ``read_confidence`` says so with None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from ingest.extract.base import ExtractedContent, PageContent
from kernel.text import normalize_text, strip_marks

# A line holds a value's words when it carries a run of this many of them in
# order (a body's or a subject's line, the other column's words beside it) or
# when most of its words are the value's (a short wrapped line).
RUN_WORDS = 3
LINE_SHARE = 0.6
_TOKEN = re.compile(r"[A-Z0-9]+")
# A word the document prints votes for its marks in a passage OCR misread
# (``consensus``) only where OCR read it at least this surely: a scan's body
# misreads a mark alike (``định mức chỉ`` at 86 and 54 for ``chi``, the subject
# read right at 80).  Real set: 80 to 90 gave the same; 95 lost six subjects.
SURE_VOTE = 90.0
CUT = "|"  # not a word, nor white space: the words on either side make no pair


@dataclass(frozen=True)
class OcrLine:
    """One OCR line as tokens (folded: upper case, no marks), each with its word's confidence."""

    page: int  # 0-based
    tokens: tuple[str, ...]
    confidences: tuple[float, ...]  # 0..100, one per token


def tokens_of(text: str) -> list[str]:
    """``text`` folded into its tokens: ``Số: 45/UBND-VX`` -> SO, 45, UBND, VX."""
    return _TOKEN.findall(strip_marks(normalize_text(text)).upper())


def _page_lines(number: int, page: PageContent) -> list[OcrLine]:
    lines: list[OcrLine] = []
    words = iter(page.words)
    for line in page.lines:
        count = len(line.text.split())
        tokens: list[str] = []
        confidences: list[float] = []
        for word in (next(words, None) for _ in range(count)):
            if word is None:
                return lines  # words and lines disagree: keep what matched
            found = tokens_of(word.text)
            tokens += found
            confidences += [word.confidence if word.confidence is not None else 0.0] * len(found)
        if tokens:
            lines.append(OcrLine(number, tuple(tokens), tuple(confidences)))
    return lines


def ocr_lines(content: ExtractedContent) -> list[OcrLine]:
    """Every OCR line of ``content``, page by page, with its words' confidences."""
    return [
        line
        for number, page in enumerate(content.pages)
        if page.source == "ocr"
        for line in _page_lines(number, page)
    ]


def _longest_run(tokens: Sequence[str], wanted: Sequence[str]) -> int:
    best = 0
    for start in range(len(tokens)):
        for at in range(len(wanted)):
            length = 0
            while (start + length < len(tokens) and at + length < len(wanted)
                   and tokens[start + length] == wanted[at + length]):  # fmt: skip
                length += 1
            best = max(best, length)
    return best


def _holds(line: OcrLine, wanted: Sequence[str], vocabulary: set[str]) -> bool:
    if len(wanted) <= RUN_WORDS:  # a number/symbol, a short name: read whole, in order
        return "".join(wanted) in "".join(line.tokens)
    if _longest_run(line.tokens, wanted) >= RUN_WORDS:
        return True
    shared = sum(token in vocabulary for token in line.tokens)
    return shared >= 2 and shared >= LINE_SHARE * len(line.tokens)


def _date_words(value: str) -> tuple[list[str], set[str]] | None:
    """The words that spell a date and those every date line holds one of (month, year)."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    month = {str(day.month), f"{day.month:02d}"}
    words = {"NGAY", str(day.day), f"{day.day:02d}", "THANG", *month, "NAM", str(day.year)}
    return sorted(words), {*month, str(day.year)}


def _vv_line(lines: Sequence[OcrLine]) -> list[float]:
    """The confidences of the subject's words on a công văn's ``V/v`` line.

    A công văn has no title line: its ``V/v`` subject says what it is.  The
    ``V/v`` itself is an odd word Tesseract is seldom sure of, however well
    it reads it: the words after it say how well the line was read.
    """
    for line in lines:
        if line.tokens[:1] == ("V",) and len(line.tokens) > 2:
            return list(line.confidences[2:])
    return []


def read_confidences(lines: Sequence[OcrLine], name: str, value: str,
                     pages: range, *, digits: bool = False) -> list[float]:  # fmt: skip
    """The confidences of the words of ``value`` on the OCR lines it was read from.

    Only lines on ``pages`` count.  Empty when no line holds the value.
    ``digits``: only its words of digits.
    """
    on_pages = [line for line in lines if line.page in pages]
    if name == "issue_date":
        spelt = _date_words(value)
        if spelt is None:
            return []
        counted, keys = set(spelt[0]), spelt[1]
        found = [line for line in on_pages if keys & set(line.tokens)
                 and {"THANG", "NAM"} & set(line.tokens)]  # fmt: skip
    elif name == "doc_type" and value == "Công văn":
        return _vv_line(on_pages)
    else:
        wanted = tokens_of(value)
        counted = set(wanted)
        if not wanted:
            return []
        found = [line for line in on_pages if _holds(line, wanted, counted)]
    return [
        confidence
        for line in found
        for token, confidence in zip(line.tokens, line.confidences, strict=True)
        if token in counted and (not digits or token.isdigit())
    ]


_LETTERS = re.compile(r"[^\W\d_]+")


def passage_confidences(page: PageContent | None, passage: str) -> dict[str, float]:
    """Each word of ``passage`` (lower case) -> the least confidence OCR read it with there.

    The passage (a subject, its lines joined) is found among the page's OCR
    words as the run that holds most of its words in order; a word of it OCR
    did not read as such (a speck split off, words run together) is absent.
    Empty for a page not read by OCR or a passage not found.
    """
    if page is None or page.source != "ocr" or not page.words:
        return {}
    wanted = [word.lower() for word in _LETTERS.findall(normalize_text(passage))]
    read: list[tuple[str, float]] = [
        (token.lower(), word.confidence if word.confidence is not None else 0.0)
        for word in page.words
        for token in _LETTERS.findall(normalize_text(word.text))
    ]
    if not wanted or not read:
        return {}
    start = _best_start([token for token, _ in read], wanted)
    window = read[start : start + len(wanted) + len(wanted) // 4 + 2]
    matcher = SequenceMatcher(None, [token for token, _ in window], wanted, autojunk=False)
    confidences: dict[str, float] = {}
    for block in matcher.get_matching_blocks():
        for token, confidence in window[block.a : block.a + block.size]:
            confidences[token] = min(confidence, confidences.get(token, 100.0))
    return confidences


@dataclass(frozen=True)
class SureText:
    """The document as OCR read it surely (``sure_text``).

    ``text``: its text, each OCR word read below ``SURE_VOTE`` a ``CUT``, so that
    no pair of words runs across it.  ``pairs``: each pair of adjacent words
    (lower case) -> the surest OCR read it, the lesser of its two words'
    confidences; a page not read by OCR reads 100.
    """

    text: str
    pairs: dict[tuple[str, str], float]


def sure_text(content: ExtractedContent) -> SureText:
    """What of ``content`` OCR read surely: its text less the unsure words, its pairs' readings."""
    pages: list[str] = []
    pairs: dict[tuple[str, str], float] = {}
    for page in content.pages:
        if page.source != "ocr" or not page.words:
            words = [(token, 100.0) for token in normalize_text(page.text).split()]
            pages.append(normalize_text(page.text))
        else:
            words = [(normalize_text(word.text), word.confidence or 0.0) for word in page.words]
            pages.append(" ".join(text if read >= SURE_VOTE else CUT for text, read in words))
        for (left, left_read), (right, right_read) in zip(words, words[1:], strict=False):
            ends, starts = _LAST_WORD.search(left), _FIRST_WORD.match(right)
            if ends and starts:
                pair = (ends.group().lower(), starts.group().lower())
                pairs[pair] = max(pairs.get(pair, 0.0), min(left_read, right_read))
    return SureText("\n\f\n".join(pages), pairs)


_LAST_WORD = re.compile(r"[^\W\d_]+$")
_FIRST_WORD = re.compile(r"^[^\W\d_]+")


def _best_start(tokens: Sequence[str], wanted: Sequence[str]) -> int:
    """Where in ``tokens`` a run of ``wanted`` starts that matches most of its words."""
    first = set(wanted)
    best, best_at = -1, 0
    for start in range(len(tokens)):
        if tokens[start] not in first:
            continue
        for offset in (0, 1, 2):  # the passage's first words may be lost to specks
            at = start - offset
            if at < 0:
                continue
            same = sum(a == b for a, b in zip(tokens[at:], wanted, strict=False))
            if same > best:
                best, best_at = same, at
    return best_at
