"""Text normalisation for matching: NFC, one tone placement, a folded twin.

Vietnamese text arrives in two tone placements for the syllables ``oa``,
``oe`` and ``uy`` without a final consonant: ``hoà``/``hòa``, ``Uỷ``/``Ủy``,
``thuỷ``/``thủy``.  The project (and the domain reference) writes the mark
on the first vowel (``hòa``, ``Ủy``), so both forms are turned into that
one before anything is matched or returned.

``fold`` strips diacritics character by character, keeping the length, so a
regex can match the folded line (tolerant of OCR dropping or confusing
marks: ``Sổ``, ``So``) and the value is then sliced from the original line.
"""

from __future__ import annotations

import re
import unicodedata

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below

# In NFD the tone mark follows its base letter (after any circumflex/breve).
# ``qu`` + ``y`` is a consonant + vowel (``quý``), so the ``u`` there is skipped.
_OLD_OA_OE = re.compile(rf"(?<![qQ])([oO])([aAeE])([{_TONES}])(?![^\W\d_])")
_OLD_UY = re.compile(rf"(?<![qQ])([uU])([yY])([{_TONES}])(?![^\W\d_])")


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x1F00):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and base.isascii() and base.isalpha():
            table[code] = base
    table.update({ord("đ"): "d", ord("Đ"): "D", ord("ð"): "d", ord("Ð"): "D"})
    # Typographic dashes and quotes behave like their ASCII forms in patterns.
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2212":
        table[ord(dash)] = "-"
    table.update({ord("\u00a0"): " ", ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"'})
    return table


_FOLD = _build_fold_table()
# Applied to the original too, so it keeps the same length as its folded twin.
_SPACES = {ord("\u00a0"): " ", ord("\t"): " ", ord("\u2009"): " ", ord("\u202f"): " "}


def normalize_text(text: str) -> str:
    """NFC text with the tone mark on the first vowel of ``oa``/``oe``/``uy``."""
    if text.isascii():
        return text.translate(_SPACES)
    decomposed = unicodedata.normalize("NFD", text)
    decomposed = _OLD_OA_OE.sub(r"\1\3\2", decomposed)
    decomposed = _OLD_UY.sub(r"\1\3\2", decomposed)
    return unicodedata.normalize("NFC", decomposed).translate(_SPACES)


def fold(text: str) -> str:
    """``text`` without diacritics, same length, case kept (``Số`` -> ``So``)."""
    return text.translate(_FOLD)


def clean_line(line: str) -> str:
    """A line with runs of spaces collapsed and ends trimmed."""
    return " ".join(line.split())
