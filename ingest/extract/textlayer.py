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
from collections.abc import Callable

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


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def _replacement(text: str) -> str | None:
    if _share(text.count("\ufffd"), len(text)) > MAX_REPLACEMENT_SHARE:
        return "replacement characters"
    return None


def _private_use(text: str) -> str | None:
    count = sum(1 for ch in text if unicodedata.category(ch) == "Co")
    if _share(count, len(text)) > MAX_PRIVATE_USE_SHARE:
        return "private-use characters"
    return None


def _control(text: str) -> str | None:
    count = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if _share(count, len(text)) > MAX_REPLACEMENT_SHARE:
        return "control characters"
    return None


def _mojibake(text: str) -> str | None:
    visible = [ch for ch in text if not ch.isspace()]
    odd = sum(1 for ch in visible if ch in _LEGACY_FONT_SYMBOLS)
    odd += 2 * len(_UTF8_AS_LATIN1.findall(text))
    if _share(odd, len(visible)) > MAX_ODD_SHARE:
        return "mojibake (legacy font encoding)"
    return None


def _no_spaces(text: str) -> str | None:
    if len(text) >= 80 and _share(sum(ch.isspace() for ch in text), len(text)) < MIN_SPACE_SHARE:
        return "no spaces between words"
    return None


def _few_letters(text: str) -> str | None:
    visible = [ch for ch in text if not ch.isspace()]
    letters = sum(1 for ch in visible if ch.isalnum())
    if len(visible) >= 40 and _share(letters, len(visible)) < MIN_LETTER_SHARE:
        return "mostly symbols"
    return None


CHECKS: tuple[Callable[[str], str | None], ...] = (
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
    for check in CHECKS:
        fault = check(stripped)
        if fault:
            return fault
    return None
