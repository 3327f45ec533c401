"""A country a subject names, its marks put right by the language's names of countries.

A subject names a foreign country by its Vietnamese name (``thị thực Thụy
Sĩ``, ``hợp tác với Hàn Quốc``).  OCR drops or misreads a mark there as
anywhere (``Thuy Sĩ``), and a name is no pair of the lexicon's words, so
nothing else puts it right.  Where two or three words, each with a capital,
fold to one of CLDR's Vietnamese names of countries and territories
(``lexicon/countries.txt``, see the README there) that OCR did not spell so,
they take that name's marks.  Only marks change, never letters; a subject
in capitals is left alone (its case shows no name: ``NĂM PHÍ`` folds as
``Nam Phi`` does).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from kernel.text import normalize_text, strip_marks

COUNTRIES = Path(__file__).parents[1] / "lexicon" / "countries.txt"
_WORD = re.compile(r"[^\W\d_]+")
_GAP = re.compile(r"\s+")
_SIZES = (3, 2)  # words in a name ("Tây Ban Nha", "Thụy Sĩ")


@lru_cache(maxsize=1)
def countries() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Folded lower-case words of each name -> the name's words as spelt."""
    names = (normalize_text(line) for line in COUNTRIES.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#"))  # fmt: skip
    return {tuple(strip_marks(name.lower()).split()): tuple(name.split()) for name in names}


def _with_case(model: str, marked: str) -> str:
    return "".join(m.upper() if c.isupper() else m.lower()
                   for c, m in zip(model, marked, strict=True))  # fmt: skip


def respell_countries(subject: str) -> str:
    """``subject`` with each country it names, read with other marks, as the name is spelt."""
    if subject.upper() == subject:
        return subject
    words = list(_WORD.finditer(subject))
    chars = list(subject)
    for at in range(len(words)):
        for size in _SIZES:
            run = words[at : at + size]
            if len(run) < size or not all(word.group()[:1].isupper() for word in run):
                continue
            gaps = (subject[a.end() : b.start()] for a, b in zip(run, run[1:], strict=False))
            if not all(_GAP.fullmatch(gap) for gap in gaps):
                continue
            name = countries().get(tuple(strip_marks(word.group().lower()) for word in run))
            if name is None or any(len(word.group()) != len(spelt)
                                   for word, spelt in zip(run, name, strict=True)):  # fmt: skip
                continue
            for word, spelt in zip(run, name, strict=True):
                chars[word.start() : word.end()] = _with_case(word.group(), spelt)
            break
    return "".join(chars)
