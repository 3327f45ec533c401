"""Text normalisation for matching: NFC, one tone placement, a folded twin.

Vietnamese text arrives in two tone placements for the syllables ``oa``,
``oe`` and ``uy`` without a final consonant: ``hoà``/``hòa``, ``Uỷ``/``Ủy``,
``thuỷ``/``thủy``.  The project (and the domain reference) writes the mark
on the first vowel (``hòa``, ``Ủy``), so both forms are turned into that
one before anything is matched or returned.

``strip_marks`` strips diacritics character by character, keeping the length, so a
regex can match the folded line (tolerant of OCR dropping or confusing
marks: ``Sổ``, ``So``) and the value is then sliced from the original line.
"""

from __future__ import annotations

import re
import unicodedata

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


def _old_style_pairs() -> dict[str, str]:
    """``"oà" -> "òa"``, ``"uỷ" -> "ủy"``... in NFC, every case combination."""
    pairs: dict[str, str] = {}
    for first, second in ("oa", "oe", "uy"):
        for tone in _TONES:
            for a in (first, first.upper()):
                for b in (second, second.upper()):
                    old = unicodedata.normalize("NFC", a + b + tone)
                    new = unicodedata.normalize("NFC", a + tone + b)
                    pairs[old] = new
    return pairs


_OLD_TO_NEW = _old_style_pairs()


# "qu" + "y" is a consonant and a vowel ("quý"): the tone stays on the "y".
# A following letter is a final consonant ("hoàng"): then the mark is right.
# Starting with a class of first vowels lets the regex engine skip ahead in C:
# normalising a page of text took 0.45 ms with 60 alternatives, 0.01 ms so.
# The class of second vowels also pairs "u" with "à" ("uà" is no old placement):
# such a pair is left as it is (``_OLD_TO_NEW.get``).
_SECOND_VOWELS = "".join(sorted({old[1] for old in _OLD_TO_NEW}))
_OLD_STYLE = re.compile(rf"[oOuU](?<![qQ].)[{_SECOND_VOWELS}](?![^\W\d_])")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})


# OCR (and old font conversions) print the capital eth, a look-alike of Đ that
# no Vietnamese word holds: "QyÐ" is "QyĐ".  Tesseract also returns one printed
# Đ as both letters ("QĐÐ-UBND", "ÐĐU" on 300 dpi scans): a pair is one Đ.
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110"})
_ETH_TWIN = re.compile("\u0110\u00d0|\u00d0\u0110")


def normalize_text(text: str) -> str:
    """NFC text with the tone mark on the first vowel of ``oa``/``oe``/``uy``, Ð read as Đ."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    if "\u00d0" in text:
        text = _ETH_TWIN.sub("\u0110", text).translate(_LOOKALIKES)
    return _OLD_STYLE.sub(lambda m: _OLD_TO_NEW.get(m.group(0), m.group(0)), text)


def strip_marks(text: str) -> str:
    """``text`` without diacritics, same length, case kept (``Số`` -> ``So``).

    ``text`` must be NFC (as ``normalize_text`` leaves it): each precomposed
    letter then decomposes into one base letter and marks.
    """
    if text.isascii():
        return text
    folded = _COMBINING.sub("", unicodedata.normalize("NFD", text))
    folded = folded.replace("đ", "d").replace("Đ", "D")
    if len(folded) != len(text):  # stray combining marks: strip_marks letter by letter
        folded = "".join(_COMBINING.sub("", unicodedata.normalize("NFD", c))[:1] or c for c in text)
    if "\u2013" in folded or "\u2014" in folded or "\u2212" in folded or "\u2011" in folded:
        folded = folded.translate(_DASHES)
    return folded


# Specks OCR reads as strokes at a line's ends, apart from its words ("_ Văn
# Trọng Lý", "Số: 12/QĐ-UBND ——_"); a line of strokes alone (a rule) is kept.
_END_SPECKS = re.compile(r"^(?:[_¬|~—]+\s+)+|(?:\s+[_¬|~—]+)+$")
_SPECKS = frozenset("_¬|~—")


def clean_line(line: str) -> str:
    """A line with runs of spaces collapsed, ends trimmed, OCR specks at its ends removed."""
    line = " ".join(line.split())
    # A speck needs a stroke at an end of the trimmed line: most lines have none,
    # and the pattern's end-anchored half would try every position of them.
    if line and (line[0] in _SPECKS or line[-1] in _SPECKS):
        return _END_SPECKS.sub("", line)
    return line
