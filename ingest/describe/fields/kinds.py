"""Format (state, Party, other) and stamped marks (secrecy, urgency, circulation)."""

from __future__ import annotations

import re
from functools import lru_cache

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
_NOT_LETTER = re.compile(r"[^A-Z ]")  # on a folded, upper-case line
MAX_MARK_TAIL = 3  # specks read as letters after a mark: " I", " IL"


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


@lru_cache(maxsize=1024)  # the marks, bodies and titles readers ask of the same lines
def mark_of(folded: str, ocr: bool = False) -> tuple[str, str] | None:
    """The stamped mark a folded line is, as (field, value), or None.

    A mark stands alone on its line, in its box.  OCR adds specks around it
    and misreads a letter: a mark of two words or more is still one with a
    letter or two of specks after it ("HÓA TÔC|Ì") or one letter misread,
    added or lost ("TUYẾỆT MẬT"); a mark of one word ("MẬT", "KHẨN") must
    read whole, alone ("KHẨN TRƯƠNG ..." opens a subject).
    """
    mark = MARKS.get(" ".join(folded.strip(_BOX).upper().split()))
    if mark is not None or not ocr:
        return mark
    words = " ".join(_NOT_LETTER.sub(" ", folded.upper()).split())
    squeezed = words.replace(" ", "")
    for name, name_squeezed, found in _fuzzy_marks():
        if words.startswith(name + " ") and len(words) <= len(name) + MAX_MARK_TAIL:
            return found
        # Lengths two apart are two edits apart at least: no need to count them.
        if abs(len(squeezed) - len(name_squeezed)) <= 1 and _edits(squeezed, name_squeezed) <= 1:
            return found
    return None


@lru_cache(maxsize=1)
def _fuzzy_marks() -> tuple[tuple[str, str, tuple[str, str]], ...]:
    """The marks of two words or more, as (name, name without spaces, mark), in order."""
    return tuple(
        (name, name.replace(" ", ""), found) for name, found in MARKS.items() if " " in name
    )


def _edits(a: str, b: str) -> int:
    """Levenshtein distance of two short strings."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def extract_marks(ctx: DescribeContext) -> dict[str, Found]:
    """secrecy, urgency and circulation: stamp lines standing alone, never title words."""
    found: dict[str, Found] = {}
    ocr = ctx.source("head") == "ocr"
    for lines in (ctx.zone("header_left"), ctx.zone("header_right"), ctx.head):
        for folded in lines.folded[:MARK_LINES]:
            mark = mark_of(folded, ocr)
            if mark is not None and mark[0] not in found:
                found[mark[0]] = Found(mark[1], 0.9)
    return found
