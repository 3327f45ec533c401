"""A number/symbol OCR misread, put right by the symbol's own rules and the document.

A symbol is built by rule (Decree 30): its letters are capitals (a drafting
unit may hold a small letter: ``PTrKH``), its issuer part abbreviates the
issuing body by the initials of its words, and its type part abbreviates the
type printed as the title.  What OCR misreads in it breaks one of those
rules in a way that leaves one reading:

* ``L`` read ``IL`` (its upright read as a letter of its own): no Vietnamese
  word opens with ``I`` save a few, and ``IL`` is no roman numeral
  (``KHIL`` -> ``KHL``);
* a marked letter other than ``Đ`` in a trailing part: a speck of the line
  beside it (``QĐ-UBX.Ế``);
* an issuer one letter off the body's initials (``SNNPINT`` for Sở Nông
  nghiệp và Phát triển nông thôn, ``SNNVPTNT``... the same length only): the
  initials' letter;
* a type part one letter off the title's abbreviation (``TEBXD`` under a
  Thông tư: ``TT-BXD``, the hyphen read into the second T; ``KU/TU``
  under a Kết luận: ``KL/TU``), when it is no type abbreviation itself.

A repaired symbol is no longer what OCR read: ``describe`` finds no line
holding it, and it goes to review (ingest/describe/__init__.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.describe.context import DescribeContext
from ingest.describe.tables import PARTY_TYPES, STATE_TYPES, TYPE_ABBRS
from ingest.extract.base import Word
from kernel.text import strip_marks

# "IL" after a capital inside an abbreviation: the L's upright read as an I.
_IL = re.compile(r"(?<=[A-ZĐ])IL")
# A last part after a stop holding a marked capital other than Đ: a speck.
_MARKED_TAIL = re.compile(r"\.[^.\-/]*[À-ÝẠ-Ỹ][^.\-/]*$")
_FOLDED_TYPES = frozenset(strip_marks(abbr).upper() for abbr in TYPE_ABBRS)
MIN_ISSUER = 3  # letters an issuer needs before its initials are compared
_PARTY = re.compile(r"^(?P<head>\d+-)(?P<type>[A-Za-zĐđ]+)(?P<tail>/.+)$")
_STATE = re.compile(r"^(?P<head>\d+(?:/(?:19|20)\d\d)?/)(?P<symbol>[A-Za-zĐđ]+)(?P<tail>(?:-.+)?)$")


def repair_symbol_letters(raw: str) -> str:
    """``KHIL`` -> ``KHL``, ``QĐ-UBX.Ế`` -> ``QĐ-UBX``: misreadings no symbol holds."""
    head, slash, symbol = raw.partition("/")
    if not slash:
        return raw
    symbol = _MARKED_TAIL.sub("", _IL.sub("L", symbol))
    return f"{head}/{symbol}"


def _fold(text: str) -> str:
    return strip_marks(text).upper().replace("Đ", "D")


def _one_off(read: str, model: str) -> bool:
    """Whether ``read`` is ``model`` with one letter misread (folded, same length)."""
    read, model = _fold(read), _fold(model)
    return len(read) == len(model) and sum(a != b for a, b in zip(read, model, strict=True)) == 1


def initials(body: str) -> str:
    """The initials of a body's words (``VĂN PHÒNG CHÍNH PHỦ`` -> ``VPCP``)."""
    return "".join(word[0] for word in body.upper().split() if word[0].isalpha())


def repair_issuer(raw: str, body: str) -> str | None:
    """``SKD-KHTC`` under Sở Xây dựng -> ``SXD-KHTC`` (its initials); None if nothing to repair.

    Only a công văn's symbol (issuer first) and only an issuer of the body's
    initials' length, one letter off them.
    """
    state = _STATE.match(raw)
    if state is None or not state["tail"]:
        return None
    issuer, spelt = state["symbol"], initials(body)
    if len(issuer) < MIN_ISSUER or _fold(issuer) in _FOLDED_TYPES or not _one_off(issuer, spelt):
        return None
    return f"{state['head']}{spelt}{state['tail']}"


def _type_abbr(ctx: DescribeContext, party: bool) -> str | None:
    doc_type = ctx.value("doc_type")
    if not isinstance(doc_type, str):
        return None
    return (PARTY_TYPES if party else STATE_TYPES).get(doc_type)


def symbol_by_type(raw: str, abbr: str, party: bool) -> str | None:
    """``raw`` with its type part, one letter off ``abbr``, ``abbr``'s; else None."""
    if party:
        match = _PARTY.match(raw)
        if match is None or _fold(match["type"]) in _FOLDED_TYPES:
            return None
        return f"{match['head']}{abbr}{match['tail']}" if _one_off(match["type"], abbr) else None
    match = _STATE.match(raw)
    if match is None or match["tail"]:
        return None  # a symbol with its hyphen: its first part is read as printed
    symbol = match["symbol"]
    rest = symbol[len(abbr) :]
    if len(rest) < 2 or not rest.isupper() or not _one_off(symbol[: len(abbr)], abbr):
        return None
    return f"{match['head']}{abbr}-{rest}"


def repair_type(ctx: DescribeContext, raw: str) -> str | None:
    """``raw`` with its type part, one letter off the title's type, that type's; else None."""
    party = ctx.value("format") == "party"
    abbr = _type_abbr(ctx, party)
    return symbol_by_type(raw, abbr, party) if abbr else None


# "Lưu: VT, KTTH" closing the recipients: the filing line names the drafting
# unit, the last part of a công văn's symbol.  Folded, the horn may be lost.
_FILING = re.compile(r"(?:^|[^A-Za-z])L[uU][uU]\s*[:;]?\s*(?P<rest>.*)$")
SURE_UNIT = 90.0  # a word OCR read at this or more is taken as read (as SURE_OCR_WORD)
_UNIT_TOKEN = re.compile(r"[A-Za-zĐđ&]{3,}")
_STATE_UNIT = re.compile(r"^(?P<head>\d+/[A-ZĐ&]+-)(?P<unit>[A-Za-zĐđ&]+)$")


def _one_edit(read: str, model: str) -> bool:
    """Whether ``read`` is ``model`` with one letter misread, added or lost (folded)."""
    read, model = _fold(read), _fold(model)
    if read == model or abs(len(read) - len(model)) > 1:
        return False
    if len(read) == len(model):
        return _one_off(read, model)
    short, long = sorted((read, model), key=len)
    return any(long[:at] + long[at + 1 :] == short for at in range(len(long)))


def repair_unit(ctx: DescribeContext, raw: str) -> str | None:
    """A công văn's unit one letter off the unit its filing line names: that unit.

    Only when OCR read the symbol unsure and the filed unit sure: a filing
    line at a page's foot is read no better than the header, as a rule.
    None when the unit is read as filed, or no single filed unit is that near.
    """
    match = _STATE_UNIT.match(raw)
    if match is None or ctx.first is None or ctx.last is None:
        return None
    read = _confidence(ctx.first.words, lambda text: match["unit"] in text)
    if read is None or read >= SURE_UNIT:
        return None
    filed: set[str] = set()
    for text, fold in zip(ctx.tail.text, ctx.tail.folded, strict=True):
        line = _FILING.search(fold)
        if line is not None:
            filed |= set(_UNIT_TOKEN.findall(text[line.start("rest") :]))
    if any(_fold(unit) == _fold(match["unit"]) for unit in filed):
        return None
    near = [unit for unit in filed if unit[:1].isupper() and unit[-1:].isupper()
            and _one_edit(match["unit"], unit)]  # fmt: skip
    if len(near) != 1:
        return None
    sure = _confidence(ctx.last.words, lambda text: near[0] in text)
    return f"{match['head']}{near[0]}" if sure is not None and sure >= SURE_UNIT else None


def _confidence(words: list[Word], holds: Callable[[str], bool]) -> float | None:
    return next((w.confidence for w in words if holds(w.text) and w.confidence is not None), None)


# The National Assembly's terms by the day each first met: a symbol of the Assembly
# or its Standing Committee ends with the term's number (``/QH15``, ``-UBTVQH15``).
LEGISLATURE_TERMS = (
    ("1997-09-20", "10"), ("2002-07-19", "11"), ("2007-07-19", "12"),
    ("2011-07-21", "13"), ("2016-07-20", "14"), ("2021-07-20", "15"),
)  # fmt: skip
LAST_TERM_UNTIL = "2026-04-01"  # after that a date may belong to the next term: not repaired
_TERM_END = re.compile(r"(?P<head>QH)(?P<term>[0-9IlSsOo|]{1,4})$")
_TERM_DIGITS = str.maketrans("IlSsOo|", "1155001")
_BARE_LAW = re.compile(r"^\d+/QH")  # a law prints its year: "12/2019/QH14"


def repair_term(raw: str, issued: str) -> str | None:
    """``.../NQ-UBTVQHIS`` issued in 2025 -> ``.../NQ-UBTVQH15``: the term OCR misread.

    The term is the Assembly's sitting on the issue date; OCR's reading of it
    (look-alike letters as digits) must be one letter off it, added, lost or
    misread.  None when nothing is to repair or the date does not tell.
    """
    end = _TERM_END.search(raw)
    if end is None or not LEGISLATURE_TERMS[0][0] <= issued < LAST_TERM_UNTIL:
        return None
    if _BARE_LAW.match(raw):
        return None  # a law's symbol without its year ("1219/QH4"): more is misread

    term = [number for start, number in LEGISLATURE_TERMS if start <= issued][-1]
    read = end["term"].translate(_TERM_DIGITS)
    if end["term"] == term or (read != term and not _one_edit(read, term)):
        return None
    return f"{raw[: end.start('term')]}{term}"


# A Party committee signs its symbols with the committee's initials (Hướng dẫn
# 36-HD/VPTW): the Central Committee TW, a province's or a city's TU, a district's
# HU, a ward's or a commune's ĐU, an urban district's QU. Folded, by the first or
# last words of the issuing body ("ĐẢNG ỦY XÃ ...", "BAN CHẤP HÀNH TRUNG ƯƠNG").
PARTY_COMMITTEES = (
    ("TRUNG UONG", "TW"), ("BO CHINH TRI", "TW"), ("BAN BI THU", "TW"),
    ("TINH UY", "TU"), ("THANH UY", "TU"), ("HUYEN UY", "HU"), ("QUAN UY", "QU"),
    ("DANG UY", "ĐU"),
)  # fmt: skip
_PARTY_ISSUER = re.compile(r"^(?P<head>\d+-[A-ZĐ]+/)(?P<issuer>[A-Za-zĐđ]{2})$")


def repair_party_issuer(raw: str, body: str) -> str | None:
    """``12-NQ/IW`` under the Central Committee -> ``12-NQ/TW``: one letter misread.

    Only a committee's own two letters, read one letter off those of the body
    the header names; None when nothing is to repair.
    """
    match = _PARTY_ISSUER.match(raw)
    folded = " ".join(strip_marks(body).upper().replace("Đ", "D").split())
    ends = (folded.startswith, folded.endswith)
    expected = next((abbr for words, abbr in PARTY_COMMITTEES if any(e(words) for e in ends)), None)
    if match is None or expected is None or match["issuer"] == expected:
        return None
    if not _one_off(match["issuer"], expected):
        return None
    return f"{match['head']}{expected}"
