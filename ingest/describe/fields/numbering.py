"""Number and symbol: ``Số: 2284/QĐ-UBND``, ``Số 383-QĐ/TW`` and their parts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.describe.context import DescribeContext, Found, Lines
from ingest.describe.normalize import fold
from ingest.describe.tables import OCR_STROKE_REPAIRS, TYPE_ABBRS

# Matched on folded lines: "Số", "Sổ", "So", OCR "S6", "S0", with or without
# colon and space.  Segments open with a capital or digit, so "V/v" ends it.
_SEGMENT = r"[A-Z0-9][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*"
NUMBER_LINE = re.compile(
    rf"(?<![A-Za-z0-9])(?P<key>S[o06O])\s*[:;.,]?\s*(?P<ns>\d{{1,6}}(?:[/-]\s?{_SEGMENT})+)"
)
_CLEAN_KEYS = ("So",)
_PARTY = re.compile(r"^(?P<number>\d+)-(?P<type>[A-Za-zĐđ]+)/(?P<issuer>.+)$")
_STATE = re.compile(r"^(?P<number>\d+)(?:/(?P<year>(?:19|20)\d\d))?/(?P<symbol>.+)$")
_FOLDED_TYPES = frozenset(fold(abbr).upper() for abbr in TYPE_ABBRS)

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


_SYMBOL_SEGMENT = re.compile(r"[A-Za-z]+")


def repair_ocr_symbol(raw: str) -> str:
    """Put back the Đ that OCR read as D in well-known abbreviations (``QD`` -> ``QĐ``)."""
    return _SYMBOL_SEGMENT.sub(lambda m: OCR_STROKE_REPAIRS.get(m.group(0), m.group(0)), raw)


def split_number_symbol(raw: str) -> NumberSymbol | None:
    """Split ``2284/QĐ-UBND``, ``78/2025/NQ-HĐND``, ``45/UBND-VX`` or ``383-QĐ/TW``."""
    party = _PARTY.match(raw)
    if party:
        return NumberSymbol(raw, party["number"], None, party["type"], party["issuer"], party=True)
    state = _STATE.match(raw)
    if not state:
        return None
    segments = state["symbol"].split("-")
    if len(segments) > 1 and fold(segments[0]).upper() in _FOLDED_TYPES:
        type_abbr, issuer = segments[0], segments[1]
    else:  # công văn: issuer, then the drafting unit
        type_abbr, issuer = None, segments[0]
    return NumberSymbol(raw, state["number"], state["year"], type_abbr, issuer or None, False)


def find_number_line(lines: Lines, limit: int = HEADER_SCAN) -> tuple[int, re.Match[str]] | None:
    """The index of the first line carrying ``Số ...`` and its match."""
    for index, folded in enumerate(lines.folded[:limit]):
        match = NUMBER_LINE.search(folded)
        if match:
            return index, match
    return None


def extract_number(ctx: DescribeContext) -> dict[str, Found]:
    """number_symbol and its parts, from the left header zone or the first lines."""
    for lines, confidence in ((ctx.zone("header_left"), 0.97), (ctx.head, 0.95)):
        hit = find_number_line(lines)
        if hit is None:
            continue
        index, match = hit
        raw = re.sub(r"\s", "", lines.text[index][match.start("ns") : match.end("ns")])
        if match["key"] not in _CLEAN_KEYS:
            confidence -= 0.1  # an OCR-confused "Số"
        if ctx.source("head") == "ocr":
            raw = repair_ocr_symbol(raw)
        parts = split_number_symbol(raw)
        if parts is None:
            continue
        found = {"number_symbol": Found(raw, confidence), "number": Found(parts.number, confidence)}
        optional = {
            "number_year": parts.year,
            "type_abbr": parts.type_abbr,
            "issuer_abbr": parts.issuer_abbr,
        }
        found.update({k: Found(v, confidence) for k, v in optional.items() if v})
        return found
    return {}
