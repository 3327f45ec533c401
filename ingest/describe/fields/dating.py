"""Place and date of issue: ``Lâm Đồng, ngày 25 tháng 11 năm 2025``.

Vietnamese dates are matched on folded text, so OCR that drops or confuses
the diacritics of ``ngày``/``tháng``/``năm`` still matches; the date may wrap
over two lines.  Documents in other languages get their date from the month
names of English, French, Russian, Czech and Norwegian, or an ISO date.

A law prints no place and date under the motto: its date is the day the
National Assembly passed it, in the closing sentence (``Luật này đã được
Quốc hội ... thông qua ngày 27 tháng 6 năm 2024.``).
"""

from __future__ import annotations

import re
from datetime import date

from ingest.describe.context import DescribeContext, Found, Lines
from ingest.describe.fields.numbering import NUMBER_LINE
from ingest.describe.fields.title_line import find_title

_DIGIT = r"[0-9OoIl|]"
# A day or month of two digits OCR may read apart ("1 7"), after a speck ("'21").
_NUMBER2 = rf"[^\w\s]?\s*{_DIGIT}(?:\s?{_DIGIT})?"
# The keywords as OCR may misread them, folded: "ngay", "tiqay", "gay" (its n lost);
# "thang", "tan";
# "nam", "ndm".  The whole pattern (day, month, a four-digit year) stays specific.
_DAY_KEY = r"[a-z]{0,3}[gq][a-z]?y"
_MONTH_KEY = r"t[a-z]{1,4}"
_YEAR_KEY = r"n[a-z]{1,3}"
# On a scan the date's zone overlaps the left column: a word or two of a long V/v
# line may land between its parts ("ngày 08 tháng 01" / "của năm 2009").
# A digit or a mark standing alone there is a speck ("tháng 05 0 năm 2013").
_INTRUDERS = r"(?:\s+(?:[a-z]{1,7}|\d(?=\s)|[^\w\s]))?(?:\s+[a-z]{1,7})?"
VIETNAMESE_DATE = re.compile(
    rf"{_DAY_KEY}\s*(?P<d>{_NUMBER2})\s*[,.]?{_INTRUDERS}\s*{_MONTH_KEY}\s*(?P<m>{_NUMBER2})"
    rf"\s*[,.]?{_INTRUDERS}\s*{_YEAR_KEY}\s*(?P<y>{_DIGIT}{{4}})",
    re.IGNORECASE,
)
_OCR_DIGITS = str.maketrans("OoIl|iL", "0011111")  # the pattern ignores case: i, L too
# A wrapped date's two ends, with the specks OCR reads after them ("tháng 7-").
_SPECKS_END = r"(?:[\s\W_]|ˆ)*$"  # ˆ (a modifier letter) is a word character to re
_DAY_MONTH_END = re.compile(
    rf"{_DAY_KEY}\s*(?P<d>{_NUMBER2})\s*[,.]?\s*{_MONTH_KEY}\s*(?P<m>{_NUMBER2}){_SPECKS_END}",
    re.IGNORECASE,
)
_YEAR_END = re.compile(rf"{_YEAR_KEY}\s*(?P<y>{_DIGIT}{{4}}){_SPECKS_END}", re.IGNORECASE)

MONTHS: dict[str, int] = {}
for _names in (
    "january february march april may june july august september october november december",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "ledna února března dubna května června července srpna září října listopadu prosince",
    "januar februar mars april mai juni juli august september oktober november desember",
):
    for _number, _name in enumerate(_names.split(), start=1):
        MONTHS[_name] = _number
# Unaccented spellings OCR and plain-ASCII writers produce.
MONTHS.update({"fevrier": 2, "aout": 8, "decembre": 12, "unora": 2, "brezna": 3,
               "kvetna": 5, "cervna": 6, "cervence": 7, "zari": 9, "rijna": 10})  # fmt: skip

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s+(?P<m>{_MONTH_NAMES})\.?,?\s+"
    rf"(?P<y>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
MONTH_DAY_YEAR = re.compile(
    rf"\b(?P<m>{_MONTH_NAMES})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
ISO_DATE = re.compile(r"(?<![\d/.-])(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?![\d-])")
# A date preceded on its line by "Căn cứ", "số ..." or "ban hành" is a citation;
# one after "hiệu lực" is when the document takes effect.
_CITATION = re.compile(r"(?i:can cu|ban hanh|hieu luc)|\bso\s*\d|\d/[A-Z]")
# "... thông qua ngày 27 tháng 6 năm 2024": the passing of a law (folded, may wrap).
_PASSED = re.compile(r"th[o0]ng\s*qua\s*(?=ng[a-z]y)", re.IGNORECASE)
_LAW_ISSUER = re.compile(r"^QH\d*$")
HEAD_DATE_LINES = 20  # below that a date is in the body, not the header

_PLACE_JUNK = " \t,.-–—_*:;"


def number_read(value: str) -> int:
    """A day, month or year as OCR read it: look-alike letters as digits, specks left out."""
    return int("".join(c for c in value.translate(_OCR_DIGITS) if c.isdigit()) or "0")


def date_in(match: re.Match[str]) -> date | None:
    """The date a ``VIETNAMESE_DATE`` match reads, or None when it is no real date."""
    return valid_date(number_read(match["y"]), number_read(match["m"]), number_read(match["d"]))


def valid_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when it is not a real calendar date of our era."""
    if not 1945 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _vietnamese_date(lines: Lines, limit: int) -> tuple[date, str | None] | None:
    """The first date of ``lines`` not a citation's, on one line or wrapped over two.

    A date wrapped above a full one is the first (the issue date under the
    motto, a cited document's date in the body that OCR ran into the zone).
    """
    folded = "\n".join(lines.folded[:limit])
    text = "\n".join(lines.text[:limit])
    wrapped = _year_wrapped(lines, limit)
    for match in VIETNAMESE_DATE.finditer(folded):
        if wrapped is not None and wrapped[2] < match.start():
            break
        line_start = folded.rfind("\n", 0, match.start()) + 1
        prefix = folded[line_start : match.start()]
        number = NUMBER_LINE.search(prefix)
        if _CITATION.search(prefix[number.end() :] if number else prefix):
            continue  # the date of a cited document, not of this one
        found = date_in(match)
        if found is not None:
            return found, _place_before(text, folded, match.start())
    return wrapped[:2] if wrapped is not None else None


def _year_wrapped(lines: Lines, limit: int) -> tuple[date, str | None, int] | None:
    """``... ngày 11 tháng 10`` ending a line, ``năm 2005`` ending the next; and where it starts.

    A text layer or OCR reading straight across the header puts the left
    column's text (a long V/v line) before the wrapped year on its line.
    """
    folded = lines.folded[:limit]
    for index, line in enumerate(folded[:-1]):
        head = _DAY_MONTH_END.search(line)
        below = index + 1
        if head and below + 1 < len(folded) and not any(c.isalnum() for c in folded[below]):
            below += 1  # a line of specks between
        year = _YEAR_END.search(folded[below]) if head else None
        if head is None or year is None or _CITATION.search(line[: head.start()]):
            continue
        digits = (head["d"], head["m"], year["y"])
        d, m, y = (number_read(value) for value in digits)
        found = valid_date(y, m, d)
        if found is not None:
            text = "\n".join(lines.text[:limit])
            start = sum(len(t) + 1 for t in lines.text[:index]) + head.start()
            return found, _place_before(text, "\n".join(folded), start), start
    return None


def _place_before(text: str, folded: str, start: int) -> str | None:
    """The place printed before ``ngày`` on its line, or on the line above."""
    line_start = text.rfind("\n", 0, start) + 1
    place = _strip_number(text[line_start:start], folded[line_start:start])
    if not place and line_start > 0:
        above = text.rfind("\n", 0, line_start - 1) + 1
        previous = text[above : line_start - 1]
        if previous.rstrip().endswith(","):  # "Lâm Đồng," wrapped above the date
            place = _strip_number(previous, folded[above : line_start - 1])
    if place and place[0].isupper() and len(place) <= 60:
        return place
    return None


def _strip_number(text: str, folded: str) -> str:
    number = NUMBER_LINE.search(folded)
    if number:
        text = text[number.end() :]
    return text.strip(_PLACE_JUNK)


def find_foreign_date(lines: Lines, limit: int = 30) -> tuple[int, date, re.Match[str]] | None:
    """The first line carrying a date written the English, French... way, the date, the match."""
    for index, line in enumerate(lines.text[:limit]):
        for pattern in (DAY_MONTH_YEAR, MONTH_DAY_YEAR, ISO_DATE):
            for match in pattern.finditer(line):
                month = match["m"]
                m = int(month) if month.isdigit() else MONTHS[month.lower()]
                found = valid_date(int(match["y"]), m, int(match["d"]))
                if found is not None:
                    return index, found, match
    return None


def _passed(lines: Lines) -> date | None:
    """The date in the last "... thông qua ngày ..." of ``lines``."""
    folded = " ".join(lines.folded)
    for match in reversed(list(_PASSED.finditer(folded))):
        date_match = VIETNAMESE_DATE.match(folded, match.end())
        if date_match:
            found = date_in(date_match)
            if found is not None:
                return found
    return None


def _header_end(lines: Lines) -> int:
    """Where a date can no longer be the issue date: the title, or ``HEAD_DATE_LINES``.

    On a scan the right header zone runs on into the body, cut from its left
    part: a citation there has lost its "Căn cứ" ("Chính phủ ngày 19 tháng 6
    năm 2015"), and only its place under the title says it is no issue date.
    """
    title = find_title(lines, 0)
    return min(title[0], HEAD_DATE_LINES) if title is not None and title[0] > 0 else HEAD_DATE_LINES


def _is_law(ctx: DescribeContext) -> bool:
    issuer = ctx.value("issuer_abbr") or ""
    if _LAW_ISSUER.match(issuer) and not ctx.value("type_abbr"):
        return True
    return any(folded.strip().upper() == "LUAT" for folded in ctx.head.folded[:HEAD_DATE_LINES])


def extract_date(ctx: DescribeContext) -> dict[str, Found]:
    """issue_date (ISO) and issue_place, from the right header zone or the first lines.

    A law's date is the day it was passed, read from its closing sentence.
    """
    if _is_law(ctx):
        for lines in (ctx.tail, Lines.of(ctx.content.text)):
            passed = _passed(lines)
            if passed is not None:
                return {"issue_date": Found(passed.isoformat(), 0.9, "tail")}
    for lines, confidence in ((ctx.zone("header_right"), 0.97), (ctx.head, 0.93)):
        hit = _vietnamese_date(lines, _header_end(lines))
        if hit is None:
            continue
        issued, place = hit
        found = {"issue_date": Found(issued.isoformat(), confidence)}
        if place:
            found["issue_place"] = Found(place, confidence - 0.05)
        return found
    for lines in (ctx.zone("header_right"), ctx.head):
        foreign = find_foreign_date(lines)
        if foreign is not None:
            return {"issue_date": Found(foreign[1].isoformat(), 0.8)}
    return {}
