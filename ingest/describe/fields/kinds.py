"""Format (state, Party, other) and stamped marks (secrecy, urgency, circulation)."""

from __future__ import annotations

import re

from ingest.describe.context import DescribeContext, Found
from ingest.describe.tables import MARKS

FORMAT_LINES = 15
MARK_LINES = 30
# Matched on folded lines with spaces removed, so OCR that splits or joins words
# still matches.  The motto and the Party name count only in capitals: running
# text may name them ("Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam").
_STATE_MOTTO = re.compile(
    r"C[O0]NGH[O0]AXAH[O0]ICHUNGH[I1]A|(?i:D[O0]CL[A4]P-?T[U]D[O0]-?H[A4]NHPH[U]C)"
)
_PARTY_MOTTO = re.compile(r"D[A4]NGC[O0]NGS[A4]NV[I1][E3]TN[A4]M")
_BOX = " []|()“”\"'.:-_"


def extract_format(ctx: DescribeContext) -> dict[str, Found]:
    """format: "state" when the national motto is there, "party", else "other"."""
    if not ctx.head:
        return {}
    for folded_lines in (ctx.zone("header_right").folded, ctx.head.folded[:FORMAT_LINES]):
        squeezed = "".join(folded_lines).replace(" ", "")
        if _STATE_MOTTO.search(squeezed):
            return {"format": Found("state", 0.97)}
        if _PARTY_MOTTO.search(squeezed):
            return {"format": Found("party", 0.97)}
    return {"format": Found("other", 0.7)}


def extract_marks(ctx: DescribeContext) -> dict[str, Found]:
    """secrecy, urgency and circulation: stamp lines standing alone, never title words."""
    found: dict[str, Found] = {}
    for lines in (ctx.zone("header_left"), ctx.zone("header_right"), ctx.head):
        for folded in lines.folded[:MARK_LINES]:
            mark = MARKS.get(" ".join(folded.strip(_BOX).upper().split()))
            if mark is not None and mark[0] not in found:
                found[mark[0]] = Found(mark[1], 0.9)
    return found
