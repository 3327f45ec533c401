"""Letters in other languages: issuing body, place, title and signer.

They follow no decree, so only the common shape is assumed: the organisation
on top, then ``<Place>, <date>``, a short title line, the body, and the
signer's title above the name at the end.  Runs only when no Vietnamese
number was found and the format is not state or Party.
"""

from __future__ import annotations

import re

from ingest.describe.context import DescribeContext, Found, Lines
from ingest.describe.fields.dating import find_foreign_date

MAX_TITLE_WORDS = 12
# Title lines stated with a label.
_LABELLED_TITLE = re.compile(
    r"^(?:Title|Subject|Titre|Objet|Название|Тема|Název|Věc|Tittel|Emne|Sak)\s*:\s*(?P<t>.+)$",
    re.IGNORECASE,
)
_DATE_LABEL = re.compile(r"^(?:Date|Дата|Datum|Dato)\s*:", re.IGNORECASE)
_PLACE_TAIL = re.compile(r"[\s,]*(?:le|den|dne)?\s*$", re.IGNORECASE)


def _title_line(lines: Lines, after: int) -> str | None:
    for text in lines.text[: after + 12]:
        match = _LABELLED_TITLE.match(text)
        if match:
            return match["t"].strip()
    for text in lines.text[after + 1 : after + 4]:
        if _DATE_LABEL.match(text):
            continue
        words = text.split()
        if (
            text[:1].isupper()
            and len(words) <= MAX_TITLE_WORDS
            and not text.endswith((".", ",", ";", ":"))
        ):
            return text
        break  # the body started: no title line
    return None


# A name's word: a capital, then letters (and an initial's dot, an apostrophe, a hyphen).
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_.'-]*(?:[.'-][^\W\d_]*)*\.?$")


def _is_name(text: str) -> bool:
    """Whether a line reads as a name: letters only, each word opening with a capital.

    Not a speck-strewn fragment (an upside-down page read as letters, a stamp).
    """
    words = text.split()
    return all(word[0].isupper() and _NAME_WORD.match(word) for word in words)


def _signer(lines: Lines) -> dict[str, Found]:
    texts = [t for t in lines.text if not t.endswith((".", ",", ";", ":"))]
    if len(texts) < 2 or len(texts[-1].split()) > 5 or not _is_name(texts[-1]):
        return {}
    return {
        "signer_name": Found(texts[-1], 0.7, "tail"),
        "signer_title": Found(texts[-2], 0.65, "tail"),
    }


def extract_foreign(ctx: DescribeContext) -> dict[str, Found]:
    """issuing_body, issue_place, title and signer of a letter not in Vietnamese form."""
    if ctx.value("format") != "other" or ctx.value("number_symbol"):
        return {}
    found: dict[str, Found] = {}
    dated = find_foreign_date(ctx.head)
    after = dated[0] if dated else -1
    title = _title_line(ctx.head, after)
    if title:
        found["title"] = Found(title, 0.75)
    left = ctx.zone("header_left")
    above = list(left.text if left else ctx.head.text[: max(after, 0)])
    if left and title:
        # A centred title may reach into the left zone, cut: drop it and below.
        cut = [i for i, line in enumerate(above) if title.startswith(line)]
        above = above[: cut[0]] if cut else above
    if above and dated:
        found["issuing_body"] = Found(" ".join(above[:2]), 0.7)
    right = ctx.zone("header_right")
    for lines in (right, ctx.head):
        hit = find_foreign_date(lines)
        if hit is not None:
            place = _PLACE_TAIL.sub("", lines.text[hit[0]][: hit[2].start()])
            if place and len(place.split()) <= 4 and place[0].isupper():
                found["issue_place"] = Found(place, 0.7)
            break
    lower = ctx.zone("lower_right")
    found.update(_signer(lower) if lower else {})
    return found
