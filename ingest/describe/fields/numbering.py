"""Number and symbol: ``Số: 2284/QĐ-UBND``, ``Số 383-QĐ/TW`` and their parts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.describe.context import DescribeContext, Found, Lines
from ingest.describe.fields.strokes import initials
from ingest.describe.fields.symbols import (
    repair_party_issuer,
    repair_symbol_letters,
    repair_term,
    repair_type,
    repair_unit,
)
from ingest.describe.tables import (
    OCR_STROKE_REPAIRS,
    PARTY_ABBR,
    STATE_ABBR,
    TITLE_WORDS,
    TYPE_ABBRS,
)
from kernel.text import strip_marks

# Matched on folded lines: "Số", "Sổ", "So", OCR "S6", "S0", with or without
# colon and space.  Segments open with a capital or digit, so "V/v" ends it.
# A law opens its line with "Luật số: 45/2024/QH15", "số" in lower case; only
# at the start of a line, where a citation in running text never stands.
_SEGMENT = r"[A-Z0-9][A-Za-z0-9&]*(?:\.[A-Za-z0-9&]+)*"
# A drafting unit named with a numeral: "-Vụ II", "-Cục I" (a word, a space, roman digits).
_UNIT_NUMERAL = r"(?:(?<=[a-z])\s[IVX]{1,4}(?=\s|$))?"
# A type name may open the number line: "Nghị quyết số: 07/2021/UBTVQH15".
_TYPE_NAMES = "|".join(
    r"\s*".join(re.escape(part) for part in word.split()) for word, _ in TITLE_WORDS
)
# On a coarse scan OCR may lose the slash and the hyphen: "Số:4024BHXHCS" (folded).
# Two capitals and a stop run in count too ("Số:12QĐ.UB": the hyphen read as a stop).
_GLUED = r"\d{1,6}(?=[A-Z]{2}[A-Z.])[A-Z][A-Za-z0-9&]*(?:\.[A-Z][A-Za-z0-9&]*)?"
# The old form (before Decree 110/2004) puts a space where the first slash goes:
# "Số: 1207 CN/VP", issuer then unit.  Taken only after the "Số" label itself
# (``so`` below), never after a type name opening a line of running text.
_SPACED = rf"\d{{1,6}}\s(?=[A-Z][A-Za-z&]+/[A-Z]){_SEGMENT}(?:/{_SEGMENT})+"
# The label one letter off at a line's start, its colon read ("Sẽ:" for "Số:").
_KEY_MISREAD = r"^(?:[^\w\s]|_){0,3}\s*S[aeiuyAEIUY](?=\s*[:;])"
# A speck OCR read as a letter may stand between "Số" and the number ("Sốẽ12/...").
NUMBER_LINE = re.compile(
    rf"(?P<key>(?P<so>(?<![A-Za-z0-9])[S§][o06O])|^L[uU][a-zA-Z]?[tT]\s*[sS][o06O]"
    rf"|^(?i:{_TYPE_NAMES})\s*s[o06]|{_KEY_MISREAD})\s*[:;.,]{{0,3}}\s*(?:[a-z](?=\d))?"
    rf"(?P<ns>\d{{1,6}}(?:[/-]\s?{_SEGMENT})+{_UNIT_NUMERAL}|{_GLUED}|(?(so){_SPACED}|(?!)))"
)
# "Số:" alone on its line, the number on the next (a layout or OCR split).
# The right column may share the line in a text layer ("Số: Hà Nội, ngày ...").
_KEY_ALONE = re.compile(
    r"^(?:[^\w\s]|_){0,3}\s*(?P<key>[S§][o06O]|S[aeiuyAEIUY](?=\s*[:;]))"
    r"\s*(?:[:;.,]\s*(?:[^\d\s].*)?)?$"
)
# OCR may read a speck before it as a stroke or a mark ("- 125/ABC-XY").
_NUMBER_ALONE = re.compile(
    rf"^[-–—~•.,:;'|_]{{0,3}}\s*(?P<key>)(?P<ns>\d{{1,6}}(?:[/-]\s?{_SEGMENT})+)"
)
_UNIT_SPACE = re.compile(r"(\w)([IVX]{1,4})$")
_CLEAN_KEYS = ("So", "Luat so", "")
_PARTY = re.compile(r"^(?P<number>\d+)-(?P<type>[A-Za-zĐđ]+)/(?P<issuer>.+)$")
_STATE = re.compile(r"^(?P<number>\d+)(?:/(?P<year>(?:19|20)\d\d))?/(?P<symbol>.+)$")
_OLD_STYLE = re.compile(r"^(?P<number>\d+)-(?P<issuer>[A-ZĐ]{2,})$")
_OLD_SPACED = re.compile(r"^(?P<number>\d+) (?P<issuer>[A-ZĐ][A-Za-zĐđ&]+)/[A-ZĐ].*$")
_FOLDED_TYPES = frozenset(strip_marks(abbr).upper() for abbr in TYPE_ABBRS)

HEADER_SCAN = 40  # the number sits above the title, well within this


@dataclass(frozen=True)
class NumberSymbol:
    """A number/symbol split into its parts (``None`` where the symbol has none)."""

    raw: str
    number: str
    year: str | None
    type_abbr: str | None
    issuer_abbr: str | None
    party: bool


_SYMBOL_SEGMENT = re.compile(r"[A-Za-zĐđ]+")
# State type abbreviations a hyphen-less symbol may open with, longest first,
# compared with Đ folded to D (OCR adds and drops the stroke).
_STATE_TYPE_PREFIXES = sorted(
    {abbr.replace("Đ", "D") for abbr in STATE_ABBR}, key=lambda abbr: (-len(abbr), abbr)
)
MIN_ISSUER = 2  # letters left for the issuer once a type is split off


def _stroke(segment: str) -> str:
    # OCR drops the stroke of Đ and adds one to D: a known abbreviation whose
    # strokeless form has only one reading is printed properly (HĐNĐ, HDND -> HĐND).
    return OCR_STROKE_REPAIRS.get(segment.replace("Đ", "D"), segment)


def _restore_hyphen(symbol: str) -> str:
    """``BTTUBND`` -> ``BTT-UBND``: OCR lost the hyphen after a type abbreviation.

    A state symbol always has two parts (type-issuer, or issuer-unit for a
    công văn), so one without a hyphen lost it; it is put back only when the
    symbol opens with a type abbreviation of Decree 30 and an issuer follows.
    """
    folded = symbol.replace("Đ", "D")
    for abbr in _STATE_TYPE_PREFIXES:
        rest = symbol[len(abbr) :]
        if folded.startswith(abbr) and len(rest) >= MIN_ISSUER and rest[:2].isalpha() \
                and rest[:2].isupper():
            return f"{symbol[: len(abbr)]}-{rest}"
    return symbol


# A year OCR ran into the symbol after it, its slash lost ("77/2006QĐUBND").
_GLUED_YEAR = re.compile(r"^(?P<head>\d{1,6}/(?:19|20)\d\d)(?=[A-ZĐ])")
# Two capital abbreviations joined by a dot, no hyphen anywhere ("VPCP.VI").
# A drafting unit may hold a small letter ("SYT.KHTrC").
_DOT_FOR_HYPHEN = re.compile(
    r"^(?P<issuer>[A-ZĐ&]{2,})\.(?P<unit>[A-ZĐ&][A-ZĐ&a-z]*[A-ZĐ&][0-9]*)$"
)


def repair_ocr_symbol(raw: str) -> str:
    """Undo OCR confusions in a number/symbol where the domain leaves one reading.

    Puts back the Đ OCR read as D (or the D it read as Đ) in well-known
    abbreviations (``QD`` -> ``QĐ``, ``HĐNĐ`` -> ``HĐND``), the hyphen it
    dropped after a state type abbreviation (``68/BTTUBND`` -> ``68/BTT-UBND``)
    and the one it read as a dot between two abbreviations (``12/UBND.VX``).
    """
    raw = repair_symbol_letters(_GLUED_YEAR.sub(r"\g<head>/", raw))
    state = _STATE.match(raw)
    if state and not _PARTY.match(raw) and "-" not in state["symbol"]:
        # A state symbol has two parts: without a hyphen, OCR read it as a dot or lost it.
        symbol = _DOT_FOR_HYPHEN.sub(r"\g<issuer>-\g<unit>", state["symbol"])
        raw = raw[: state.start("symbol")] + _restore_hyphen(symbol)
    return _SYMBOL_SEGMENT.sub(lambda m: _stroke(m.group(0)), raw)


# Where a body's place starts (folded): its level word, after the body's own words.
_PLACE_WORDS = re.compile(r"(?<=\S)\s+(?:TINH|THANH PHO|HUYEN|QUAN|THI XA|XA|PHUONG|TP\.?)\s")


def rejoin_with_body(raw: str, body: str) -> str | None:
    """``815/BXDKTXD`` -> ``815/BXD-KTXD`` when OCR lost the hyphen of a công văn.

    A hyphen put back after what looked like a type abbreviation
    (``TC-HQKT``, Thông cáo) moves to the end of the body's initials when
    they spell more of the symbol (``TCHQ-KT``, Tổng cục Hải quan).

    The issuer part of a symbol abbreviates the issuing body by the initials of
    its words (Decree 30): the longest opening of the symbol spelt by those
    initials, in order, is the issuer, and the rest (two letters at least) the
    drafting unit.  None when there is nothing to rejoin.
    """
    state = _STATE.match(raw)
    if not state or _PARTY.match(raw) or state["symbol"].count("-") > 1:
        return None
    # The issuer abbreviates the body's words, often less its place ("ỦY BAN NHÂN
    # DÂN TỈNH ..." signs "UBND"): the whole body first, then the body less its place.
    place = _PLACE_WORDS.search(strip_marks(body).upper())
    for words in (body, body[: place.start()] if place else None):
        rejoined = _rejoined(raw, state, strip_marks(initials(words))) if words else None
        if rejoined is not None:
            return rejoined
    return None


def _rejoined(raw: str, state: re.Match[str], spelt: str) -> str | None:
    symbol = state["symbol"].replace("-", "")
    typed = state["symbol"].find("-")  # a hyphen put back after a type abbreviation, maybe
    if typed >= 0 and strip_marks(state["symbol"][:typed]).upper() not in _FOLDED_TYPES:
        return None  # a hyphen after no type abbreviation was read, not put back: it stays
    folded = strip_marks(symbol).upper()
    matched, at = 0, 0
    for letter in folded:
        found = spelt.find(letter, at)
        if found < 0:
            break
        matched, at = matched + 1, found + 1
    rest = symbol[matched:]
    if matched < MIN_ISSUER or len(rest) < MIN_ISSUER or not (rest.isupper() and rest[0].isalnum()):
        return None
    if typed >= 0 and matched <= typed:
        return None  # the hyphen there splits no longer issuer than the body's initials
    return f"{raw[: state.start('symbol')]}{symbol[:matched]}-{rest}"


def _party_glued(raw: str) -> str | None:
    """``12NQTU`` -> ``12-NQ/TU``: a Party symbol whose hyphen and slash OCR lost.

    The type is the longest Party abbreviation opening the letters; the rest
    is the issuer.
    """
    match = re.match(r"^(\d+)([A-Za-zĐđ]+)$", raw)
    if not match:
        return None
    letters = match[2]
    for abbr in sorted(PARTY_ABBR, key=len, reverse=True):
        folded = strip_marks(abbr).upper()
        if strip_marks(letters[: len(abbr)]).upper() == folded and len(letters) > len(abbr) + 1:
            return f"{match[1]}-{abbr}/{letters[len(abbr) :]}"
    return None


def split_number_symbol(raw: str) -> NumberSymbol | None:
    """Split ``2284/QĐ-UBND``, ``78/2025/NQ-HĐND``, ``45/UBND-VX`` or ``383-QĐ/TW``."""
    party = _PARTY.match(raw)
    if party:
        return NumberSymbol(raw, party["number"], None, party["type"], party["issuer"], party=True)
    state = _STATE.match(raw)
    if not state:
        # "51-CP", "1207 CN/VP": number and issuer, the old styles
        old = _OLD_STYLE.match(raw) or _OLD_SPACED.match(raw)
        if old:
            return NumberSymbol(raw, old["number"], None, None, old["issuer"], party=False)
        return None
    segments = state["symbol"].split("-")
    if len(segments) > 1 and strip_marks(segments[0]).upper() in _FOLDED_TYPES:
        type_abbr, issuer = segments[0], segments[1]
    else:  # công văn: issuer, then the drafting unit
        type_abbr, issuer = None, segments[0]
    return NumberSymbol(raw, state["number"], state["year"], type_abbr, issuer or None, False)


def _as_printed(ns: str) -> str:
    """A number/symbol without the spaces OCR or a layout put in it; the old form
    keeps the one between its number and symbol ("1207 CN/VP")."""
    spaced = re.match(r"^(\d+)\s+(?=[^\W\d_])", ns)
    if spaced:
        return spaced[1] + " " + re.sub(r"\s", "", ns[spaced.end() :])
    return re.sub(r"\s", "", ns)


def find_number_line(lines: Lines, limit: int = HEADER_SCAN) -> tuple[int, re.Match[str]] | None:
    """The index of the first line carrying ``Số ...`` and its match."""
    for index, folded in enumerate(lines.folded[:limit]):
        match = NUMBER_LINE.search(folded)
        if match:
            return index, match
        if _KEY_ALONE.match(folded):
            # The number on the next line, a line of specks aside ("Số:" / "`" / "12/UBND").
            for below in range(index + 1, min(index + 3, len(lines))):
                match = _NUMBER_ALONE.match(lines.folded[below])
                if match:
                    return below, match
                if any(c.isalnum() for c in lines.folded[below]):
                    break
    return None


def extract_number(ctx: DescribeContext) -> dict[str, Found]:
    """number_symbol and its parts, from the left header zone or the first lines."""
    for lines, confidence in ((ctx.zone("header_left"), 0.97), (ctx.head, 0.95)):
        hit = find_number_line(lines)
        if hit is None:
            continue
        index, match = hit
        raw = _as_printed(lines.text[index][match.start("ns") : match.end("ns")])
        if (
            match.group("ns")[-1:] in "IVX"
            and " " in match.group("ns")
            and not _OLD_SPACED.match(raw)
        ):
            raw = _UNIT_SPACE.sub(r"\1 \2", raw)  # "Vụ II" keeps its space
        if match["key"] not in _CLEAN_KEYS and not match["key"].endswith(" so"):
            confidence -= 0.1  # an OCR-confused "Số"
        if raw[:1].isdigit() and not re.search(r"[/-]", raw):
            # The slash OCR lost ("Số:45UBNDVX"); a Party symbol lost its hyphen too.
            party = _party_glued(raw) if ctx.value("format") == "party" else None
            raw = party or re.sub(r"^(\d+)", r"\1/", raw)
            confidence -= 0.1
        read, listed = raw, True
        if ctx.source("head") == "ocr":
            raw = repair_ocr_symbol(raw)
            # A hyphen OCR did not read, put back after a type abbreviation: unvouched
            # until the title or the body speaks for it (fields/ocr_hyphens.py).
            listed = raw.count("-") <= read.count("-") + read.count(".")
        parts = split_number_symbol(raw)
        if parts is None:
            continue
        found = {
            "number_symbol": Found(raw, confidence, listed=listed),
            "number": Found(parts.number, confidence),
        }
        optional = {
            "number_year": parts.year,
            "type_abbr": parts.type_abbr,
            "issuer_abbr": parts.issuer_abbr,
        }
        found.update({k: Found(v, confidence) for k, v in optional.items() if v})
        return found
    return {}


# A number glued to its year ("312017/NQ-HĐND"): split when the year is the issue date's.
_NUMBER_INTO_YEAR = re.compile(r"^(?P<number>\d{1,5})(?P<year>(?:19|20)\d\d)(?P<rest>/.+)$")
# A symbol repaired by the date.  Real set (bench/extraction.py --real --cache): none
# of its 815 variants on the current OCR splits (no number read run into its year);
# of 4,271 readings kept by earlier runs (8 OCR settings, this one among them), 2
# split, both right: one 200 dpi scan, under two older settings.  Neither confident:
# OCR read number and year as one word, so its words vouch for the split only where
# the page prints the symbol again (evidence.read_confidences); else 0.8 x
# UNSURE_OCR_WEIGHT < REVIEW_CONFIDENCE.  Too few to confirm 0.8 or to set another.
YEAR_SPLIT_CONFIDENCE = 0.8


def split_glued_year(ctx: DescribeContext) -> dict[str, Found]:
    """Put back the slash OCR lost between a number and its year, read with the date.

    A legal-normative symbol carries its year (``31/2017/NQ-HĐND``); OCR may
    run the number into it.  When the digits end with the year of the issue
    date, that year is the symbol's.  Revises ``number_symbol`` in place.
    """
    raw, issued = ctx.value("number_symbol"), ctx.value("issue_date")
    match = _NUMBER_INTO_YEAR.match(raw) if raw and issued else None
    if match is None or not issued or match["year"] != issued[:4]:
        return {}
    repaired = f"{match['number']}/{match['year']}{match['rest']}"
    parts = split_number_symbol(repaired)
    if parts is None:
        return {}
    confidence = min(ctx.found["number_symbol"].confidence, YEAR_SPLIT_CONFIDENCE)
    listed = ctx.found["number_symbol"].listed  # a hyphen put back stays unvouched
    ctx.found["number_symbol"] = Found(repaired, confidence, listed=listed)
    ctx.found["number"] = Found(parts.number, confidence)
    if parts.year:
        ctx.found["number_year"] = Found(parts.year, confidence)
    return {}


def repair_symbol_by_type(ctx: DescribeContext) -> dict[str, Found]:
    """An OCR symbol's type part one letter off the title's type: that type's; a
    công văn's unit one letter off the unit its filing line names: that one
    (``fields/symbols.py``).  Runs after the title; revises ``number_symbol`` in place."""
    found = ctx.found.get("number_symbol")
    if found is None or ctx.source("head") != "ocr" or not isinstance(found.value, str):
        return {}
    repaired = repair_type(ctx, found.value)
    if repaired is None and ctx.source("tail") == "ocr":
        repaired = repair_unit(ctx, found.value)
    issued, body = ctx.value("issue_date"), ctx.value("issuing_body")
    if repaired is None and isinstance(issued, str):
        repaired = repair_term(found.value, issued)
    if repaired is None and isinstance(body, str):
        repaired = repair_party_issuer(found.value, body)
    parts = split_number_symbol(repaired) if repaired else None
    if repaired is None or parts is None:
        return {}
    ctx.found["number_symbol"] = Found(repaired, found.confidence, found.region, found.listed)
    if parts.type_abbr:
        ctx.found["type_abbr"] = Found(parts.type_abbr, found.confidence)
    if parts.issuer_abbr:
        ctx.found["issuer_abbr"] = Found(parts.issuer_abbr, found.confidence)
    return {}
