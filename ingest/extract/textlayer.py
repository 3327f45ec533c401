"""Is a PDF text layer real text or garbage that must be OCRed instead?

Garbage text layers are common in Vietnamese archives: TCVN3/VNI fonts
without a Unicode map give mojibake ("Quy\u00b8t \u00aeÞnh"), subset fonts give
private-use code points or U+FFFD, and some scanners write one long run of
letters without spaces.  Each check names the fault so the log says why a page
was OCRed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

MAX_REPLACEMENT_SHARE = 0.02
MAX_PRIVATE_USE_SHARE = 0.02
MAX_ODD_SHARE = 0.08
MIN_SPACE_SHARE = 0.03
MIN_LETTER_SHARE = 0.5

# Latin-1 symbols that legacy Vietnamese fonts (TCVN3, VNI) put where letters
# belong; in real text they are rare.
_LEGACY_FONT_SYMBOLS = set("¡¢£¤¥¦§¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿×÷")
# UTF-8 read as Latin-1/cp1252 ("Ä‘", "Ã´").
_UTF8_AS_LATIN1 = re.compile("[ÃÂÄÅÆáº»][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")


@dataclass(frozen=True)
class _Tally:
    """Character counts of a page's text, taken in one pass over its distinct characters
    (a per-character Python loop for each check cost ~0.5 ms a page)."""

    text: str
    length: int
    visible: int  # not white space
    spaces: int
    alnum: int
    replacement: int
    private_use: int
    control: int
    legacy_symbols: int

    @classmethod
    def of(cls, text: str) -> _Tally:
        spaces = alnum = private_use = control = legacy = 0
        for ch, count in Counter(text).items():
            if ch.isspace():
                spaces += count
            elif ch.isalnum():
                alnum += count
            if " " <= ch < "\x7f":
                continue  # printable ASCII: no private use, no control, no legacy symbol
            category = unicodedata.category(ch)
            if category == "Co":
                private_use += count
            elif category == "Cc" and ch not in "\t\n\r\f":
                control += count
            if ch in _LEGACY_FONT_SYMBOLS:
                legacy += count
        return cls(
            text=text,
            length=len(text),
            visible=len(text) - spaces,
            spaces=spaces,
            alnum=alnum,
            replacement=text.count("\ufffd"),
            private_use=private_use,
            control=control,
            legacy_symbols=legacy,
        )


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def _replacement(tally: _Tally) -> str | None:
    if _share(tally.replacement, tally.length) > MAX_REPLACEMENT_SHARE:
        return "replacement characters"
    return None


def _private_use(tally: _Tally) -> str | None:
    if _share(tally.private_use, tally.length) > MAX_PRIVATE_USE_SHARE:
        return "private-use characters"
    return None


def _control(tally: _Tally) -> str | None:
    if _share(tally.control, tally.length) > MAX_REPLACEMENT_SHARE:
        return "control characters"
    return None


def _mojibake(tally: _Tally) -> str | None:
    odd = tally.legacy_symbols + 2 * len(_UTF8_AS_LATIN1.findall(tally.text))
    if _share(odd, tally.visible) > MAX_ODD_SHARE:
        return "mojibake (legacy font encoding)"
    return None


def _no_spaces(tally: _Tally) -> str | None:
    if tally.length >= 80 and _share(tally.spaces, tally.length) < MIN_SPACE_SHARE:
        return "no spaces between words"
    return None


def _few_letters(tally: _Tally) -> str | None:
    if tally.visible >= 40 and _share(tally.alnum, tally.visible) < MIN_LETTER_SHARE:
        return "mostly symbols"
    return None


CHECKS: tuple[Callable[[_Tally], str | None], ...] = (
    _replacement,
    _private_use,
    _control,
    _mojibake,
    _no_spaces,
    _few_letters,
)


def text_layer_fault(text: str, min_chars: int) -> str | None:
    """Why ``text`` cannot be trusted as the page's text, or None when it is fine."""
    stripped = text.strip()
    if len(stripped) < min_chars:
        return "no text layer" if not stripped else "text layer too short"
    tally = _Tally.of(stripped)
    for check in CHECKS:
        fault = check(tally)
        if fault:
            return fault
    return None
