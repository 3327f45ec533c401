"""References: the number/symbols of documents the body cites."""

from __future__ import annotations

import re

from ingest.describe.context import DescribeContext, Found
from ingest.describe.fields.numbering import repair_ocr_symbol

_UPPER = "A-ZĐÀ-Ỹ"
_SEG = rf"[{_UPPER}][A-Za-zĐđ0-9]*(?:\.[{_UPPER}][A-Za-zĐđ0-9]*)*"  # VPCP-V.I
# State: 272/2025/NĐ-CP, 47/2019/QH14, 45/UBND-VX; Party: 09-NQ/TU.  Nothing of a
# word, "/", "." or "-" before the first digit: checked after that digit (the
# pattern opening with a digit lets the engine skip ahead in C; twice as fast).
CITATION = re.compile(
    rf"\d(?<![\w/.-]\d)(?:\d{{0,5}}/(?:(?:19|20)\d\d/)?{_SEG}(?:-{_SEG})*"
    rf"|\d{{0,5}}-{_SEG}/{_SEG}(?:-{_SEG})*)(?![\w/])"
)


def extract_references(ctx: DescribeContext) -> dict[str, Found]:
    """references: every cited number/symbol, in order, without the document's own."""
    own = {ctx.value("number_symbol"), ctx.value("copy_number_symbol")}
    seen: dict[str, None] = {}
    ocr = any(page.source == "ocr" for page in ctx.content.pages)
    for match in CITATION.finditer(ctx.body_text):
        symbol = match.group(0).rstrip(".")
        if ocr:
            symbol = repair_ocr_symbol(symbol)
        if symbol not in own and any(c.isalpha() for c in symbol):
            seen.setdefault(symbol, None)
    if not seen:
        return {}
    return {"references": Found(list(seen), 0.85, "body")}
