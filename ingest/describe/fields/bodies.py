"""Issuing body and parent body, from the left column of the header.

The left column holds, top to bottom: the parent body (plain caps, optional),
the issuing body (bold caps, possibly over two lines), a rule or an asterisk,
then the number.  Without fonts, the split is made by the words a line opens
with: a line opening a body (``SỞ``, ``BAN``, ``TỈNH ỦY``...) starts a new
block; a line opening with a level (``TỈNH LÂM ĐỒNG``) or ``VÀ`` continues
the block above.  The issuer is the last block, the parent the one above it.
"""

from __future__ import annotations

import re

from ingest.describe.context import DescribeContext, Found, Lines
from ingest.describe.fields.kinds import mark_of
from ingest.describe.fields.numbering import (
    find_number_line,
    rejoin_with_body,
    split_number_symbol,
)
from ingest.describe.fields.symbols import repair_issuer
from ingest.describe.lexicon import retone_by_lexicon
from ingest.describe.places import is_listed_place, respell_place, respell_province
from ingest.describe.syllables import split_glued_line
from ingest.describe.tables import BODY_OPENERS, BODY_WORDS, NATIONAL_BODIES, TITLE_WORDS
from kernel.text import strip_marks

# Right-column texts that share lines with the left column in a text layer.
_RIGHT_COLUMN = re.compile(
    r"C[O0]NG\s*H[O0]A\s*X[A4]\s*H[O0]I\s*CH[U]\s*NGH[I1]A\s*V[I1]ET\s*N[A4]M"
    r"|D[O0]C\s*L[A4]P\s*-\s*T[U]\s*D[O0]\s*-\s*H[A4]NH\s*PH[U]C"
    r"|D[A4]NG\s*C[O0]NG\s*S[A4]N\s*V[I1]ET\s*N[A4]M",
    re.IGNORECASE,
)
_RULE = re.compile(r"^[\s\-_–—=*.~]+$")
# Around a header line: rules, and the quotes and ticks OCR reads as specks there.
_EDGE_SPECKS = " -–_*\"'“”`"
# A body name left open at the end of a line ("... VÀ", "ỦY BAN THƯỜNG VỤ" of
# what?) or continued at the start of the next ("CỦA THỦ TƯỚNG ...").
_CONTINUES = re.compile(r"(?:\bVA|\bCUA|\bTHUONG VU|\bTHUONG TRUC|,)$")
_CONTINUATION_START = ("VA ", "CUA ", "THUOC ")
MAX_BODY_LINES = 6
# A token of three digits or more run into letters ("So2582VPCP"): a number/symbol.
_SYMBOL_LIKE = re.compile(r"\d{3,}[A-Za-z/-]|[A-Za-z/-]\d{3,}")
# A number/symbol in its shape ("24/2015/TTXBNN", "12/UBND-VX"): where the body
# lines end when OCR misread the "Số" before it.
_NUMBER_SHAPE = re.compile(r"(?<![\w/])\d{1,6}/(?:(?:19|20)\d\d/)?[A-Z]{2,}")
# The number's label (folded): "Số:", "Số 12/...", OCR's "Sẽ:" opening a line.
# "SỐ" in a name ("... CHUYỂN ĐỔI SỐ QUỐC GIA") has neither colon nor digit after it.
_NUMBER_LABEL = re.compile(r"(?<![^\W_])S[o06O](?=\s*[:;]|\s*\d)|^\W{0,3}S[aeiuyAEIUY](?=\s*[:;])")
# A symbol repaired from the body's initials (``_rejoin_symbol``): of the 815
# variants of the real set (bench/extraction.py --real), 15 symbols are
# rejoined, 13 right (87%; the 3 of held-out batches all right).  OCR's words
# vouch for 1 of them (right), kept at this confidence; the 14 others (both
# wrong ones among them) go to review all the same (words read below
# SURE_OCR_WORD, a D/Đ nothing vouches for: fields/strokes.py, or a hyphen
# the issuer's initials do not vouch for: 4 of the 14 whose hyphen the body's
# initials put, one of the wrong ones among them, fields/ocr_hyphens.py).
REJOINED_CONFIDENCE = 0.8
# A letter may come doubled: Tesseract returns some glyphs twice ("ĐÁẢNG").
_BODY_WORDS = re.compile(
    r"\b(?:"
    + "|".join(
        "".join(f"{re.escape(c)}+" if c.isalpha() else c for c in strip_marks(w))
        for w in BODY_WORDS
    )
    + r")\b"
)
_SPELLING = {strip_marks(word): word for word in BODY_WORDS}
# After a level word (or a Party committee, "TỈNH ỦY") the place's name
# follows; a word of it that folds like a level ("HÀ TĨNH" folds like
# "HÀ TỈNH"), or a level word ending the line, is a place word: never respelled.
# Where the place's name starts (folded): after the first level or Party committee.
_PLACE_AFTER = re.compile(
    r"\b(?:(?:TINH|THANH|HUYEN|QUAN|THI) UY|TINH|THANH PHO|HUYEN|XA(?! HOI)|PHUONG)\b(?! UY)\s+"
)
_PROVINCE_LEVEL = re.compile(r"(?:TINH|THANH PHO)\s")  # the level found by _PLACE_AFTER
LEVEL_WORDS = frozenset(("TỈNH", "THÀNH PHỐ", "HUYỆN", "XÃ", "PHƯỜNG"))
# A line naming the body's place by its level (folded): it continues the body above.
_LEVEL_OPENS = re.compile(r"^(?:TINH|THANH PHO|HUYEN|QUAN|XA|PHUONG)\s(?!UY\b)")
# "VÀ" run into the next word ("VÀDU LỊCH"): no Vietnamese syllable holds a
# vowel followed by these consonants, so two words were read as one.
_GLUED_VA = re.compile(r"\bVÀ(?=[BDĐGHKLQRSVX][A-ZĐÀ-Ỹ])")
_DOUBLED = re.compile(r"([A-Za-z])\1+")


def _caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def header_body_lines(lines: Lines, stop: int) -> list[tuple[str, str]]:
    """Caps lines above ``stop`` with right-column text cut out, as (text, folded).

    The number's label ends them: what stands from ``Số:`` on is the number
    line, whatever form the number takes, never an organ's name.
    """
    kept: list[tuple[str, str]] = []
    ruled = False
    for text, folded in _above_label(lines, stop):
        for match in reversed(list(_RIGHT_COLUMN.finditer(folded))):
            text = text[: match.start()] + text[match.end() :]
            folded = folded[: match.start()] + folded[match.end() :]
        text, folded = text.strip(_EDGE_SPECKS), folded.strip(_EDGE_SPECKS)
        if not text or _RULE.match(text):
            ruled = ruled or bool(kept)
            continue
        if kept and _ends_header(folded):
            break  # a mark stamped under the number, or the title: the issuer is above
        if mark_of(folded, ocr=True) or not _caps(text) or _SYMBOL_LIKE.search(folded):
            continue  # a stamp, running text, or a number/symbol misread around "Số"
        if ruled and not _LEVEL_OPENS.match(folded.upper()):
            break  # the rule or asterisk under the issuer
        # A speck read as a rule between a body and its level ("HỘI ĐỒNG NHÂN DÂN" / "TỈNH ...").
        ruled = False
        kept.append((text, folded))
    return kept[-MAX_BODY_LINES:]


def _above_label(lines: Lines, stop: int) -> list[tuple[str, str]]:
    """The lines above ``stop`` up to the number's label, its line cut there."""
    rows = list(zip(lines.text[:stop], lines.folded[:stop], strict=True))
    for at, (text, folded) in enumerate(rows):
        label = _NUMBER_LABEL.search(folded)
        if label is not None:
            return [*rows[:at], (text[: label.start()], folded[: label.start()])]
    return rows


def _ends_header(folded: str) -> bool:
    """A stamped mark ("THƯỢNG KHẨN]", OCR's "TÔI MẠT]") or a title line ("QUYẾT ĐỊNH CỦA ...")."""
    if mark_of(folded, ocr=True):
        return True
    upper = " ".join(folded.upper().strip(" -_.,:;|~*'\"`").split())
    return any(upper == word or upper.startswith(word + " ") for word, _ in TITLE_WORDS)


def _opens_body(folded: str) -> bool:
    upper = folded.upper() + " "
    return upper.startswith(BODY_OPENERS)


def group_bodies(lines: list[tuple[str, str]]) -> list[str]:
    """Join lines into bodies: a new one starts at a line opening a body."""
    blocks: list[list[str]] = []
    previous_folded = ""
    for text, folded in lines:
        continues = _CONTINUES.search(
            previous_folded.upper()
        ) is not None or folded.upper().startswith(_CONTINUATION_START)
        # A single word is the end of a name wrapped at the column ("... VÀ MÔI" / "TRƯỜNG").
        single = len(folded.split()) == 1 and bool(blocks)
        if not blocks or (_opens_body(folded) and not continues and not single):
            blocks.append([text])
        else:
            blocks[-1].append(text)
        previous_folded = folded
    return [" ".join(block) for block in blocks]


def without_specks(line: str) -> str:
    """An OCR'd body line without the specks read around its words.

    Tokens with no letter (".", "`", "¬", "—_") and a single letter ending
    the line are specks or the edge of the right column; a full stop or comma
    stuck to the last word is one too (a body's name never ends a sentence).
    A number of one or two digits ending the line after a word is the unit's
    (``QUẬN 8``); ``VÀ`` run into the next word is split from it.
    """
    tokens = _before_number(line).split()
    words = [
        word
        for at, word in enumerate(tokens)
        if any(c.isalpha() for c in word) or _is_unit_number(tokens, at)
    ]
    if len(words) > 1 and len(words[-1]) == 1 and words[-1].isalpha():
        words.pop()
    return _GLUED_VA.sub("VÀ ", " ".join(words).rstrip(".,;:`'").lstrip("`'\"ˆ‘’“”"))


# A number/symbol run onto a body's line by OCR ("... TỈNH X Số:45/UBND", "14U/HDUBND").
_NUMBER_ON_LINE = re.compile(r"(?:^|\s)(?:S[oơốồổ6§]\S*\d|\S*\d\S*/|\S*/\S*\d)", re.IGNORECASE)


def _before_number(line: str) -> str:
    """A body line without a number/symbol OCR ran onto it; a body's name holds no colon."""
    cut = _NUMBER_ON_LINE.search(line)
    line = line[: cut.start()] if cut else line
    return " ".join(word.rstrip(":;") or word for word in line.split())


def _is_unit_number(tokens: list[str], at: int) -> bool:
    """A number ending a body's name after a word ("QUẬN 8", "TRƯỜNG TH ... 1")."""
    return (
        at == len(tokens) - 1 and at > 0 and tokens[at].isdigit() and len(tokens[at]) <= 2
        and tokens[at - 1].isalpha()
    )  # fmt: skip


def _respell_place_of(body: str) -> str:
    """The place named after the body's level (or Party committee) as the gazetteer spells it."""
    level = _PLACE_AFTER.search(strip_marks(body).upper())
    if level is None:
        return body
    province = _PROVINCE_LEVEL.match(level.group(0))
    respell = respell_province if province else respell_place
    return body[: level.end()] + respell(body[level.end() :])


def is_vouched_body(body: str, text: str) -> bool:
    """Whether a list or the document's own text vouches for a body OCR read.

    A national body is one of the closed list (a ministry's name cut short
    is not); a body naming its place after a level names one the gazetteer
    spells so; any other (an organ, ``SỞ GIÁO DỤC VÀ ĐÀO TẠO``) is read
    alike, whole and with the same marks, in the document's text (``text``) besides
    its header.
    """
    if body in NATIONAL_BODIES:
        return True
    folded = " ".join(strip_marks(body).upper().split())
    if folded.startswith("BO "):
        return False
    level = _PLACE_AFTER.search(folded)
    if level is not None:
        return is_listed_place(body[level.end() :])
    # With its marks: OCR misreads a mark in the header as in the text
    # (``HỘI ĐÔNG`` for ``Hội đồng``), and the header counts as one of the two.
    spelt = " ".join(body.upper().split())
    whole = re.compile(rf"(?<![^\W_]){re.escape(spelt)}(?![^\W_])")
    return len(whole.findall(" ".join(text.upper().split()))) >= 2


def respell_body(body: str) -> str:
    """``ĐÁNG ỦY XÃ ...`` -> ``ĐẢNG ỦY XÃ ...``: OCR's marks on words with one spelling.

    A body line opening with a word that folds to ``SO`` (``SƠ``, ``SỐ``) is a
    department, ``SỞ``, one folding to ``BAN`` (``BẠN``) a board, ``BAN``:
    openers are matched folded, so it opened the body.
    """
    folded = strip_marks(body)  # same length as ``body``: spans carry over
    respelt: list[tuple[re.Match[str], str]] = []
    place = False
    for match in _BODY_WORDS.finditer(folded):
        word = _SPELLING.get(match.group(0)) or _SPELLING[_DOUBLED.sub(r"\1", match.group(0))]
        last = not folded[match.end() :].strip()
        if word in LEVEL_WORDS and (place or last):
            continue  # inside the place's name: "HÀ TĨNH" is not "HÀ TỈNH"
        place = place or word in LEVEL_WORDS or word.endswith("ỦY")
        respelt.append((match, word))
    for match, word in reversed(respelt):
        body = body[: match.start()] + word + body[match.end() :]
    body = _respell_place_of(body)
    if folded.startswith("SO ") and body[:2] != "SỞ":  # a body opening "SO" is a SỞ ("SƠ TÀI")
        body = "SỞ" + body[2:]
    if folded.startswith("BAN ") and body[:3] != "BAN":  # "BẠN TUYÊN GIÁO": a BAN
        body = "BAN" + body[3:]
    return body


def _letters(text: str) -> str:
    return "".join(c for c in strip_marks(text).upper() if c.isalpha())


MAX_SPECK_LETTERS = 2  # letters of specks read beside a national body's name
MIN_SHARE_READ = 0.6  # of a national body's name, for the rest to be taken as cut off
COMPLETED_CONFIDENCE = 0.75


LETTERS_PER_EDIT = 12  # a national name read with one letter wrong in so many


def _edits(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def _near_name(body: str, letters: str, name: str) -> bool:
    """Whether ``body`` is ``name`` with a letter or two misread: its first word read right.

    The first word is compared whole: ``SỞ TÀI CHÍNH`` is one letter from
    ``BỘ TÀI CHÍNH`` and another body.
    """
    name_letters = _letters(name)
    if _letters(body.split()[0]) != _letters(name.split()[0]):
        return False
    return _edits(letters, name_letters) <= len(name_letters) // LETTERS_PER_EDIT


def _national(body: str, confidence: float, *, alone: bool) -> tuple[str, float]:
    """A body read by OCR as the closed list of national bodies spells it, if it is one.

    Its letters (marks, spaces and punctuation aside) spell the name, with a
    speck or two read beside it, or with one letter misread in every
    ``LETTERS_PER_EDIT`` of the name (its first word read right); or, for a
    body under no parent, open the
    name of one national body only, most of it (the rest cut off by the
    column's edge or lost to the scan): less sure then.
    """
    letters = _letters(body)
    if not letters:
        return body, confidence
    for name in NATIONAL_BODIES:
        name_letters = _letters(name)
        extra = len(letters) - len(name_letters)
        if name_letters in letters and 0 <= extra <= MAX_SPECK_LETTERS:
            near = letters.startswith(name_letters) or letters.endswith(name_letters)
            if near and (extra == 0 or letters != name_letters):
                return name, confidence
    misread = [name for name in NATIONAL_BODIES if _near_name(body, letters, name)]
    if len(misread) == 1:
        return misread[0], confidence
    opening = [name for name in NATIONAL_BODIES if _letters(name).startswith(letters)]
    if alone and len(opening) == 1 and len(letters) >= MIN_SHARE_READ * len(_letters(opening[0])):
        return opening[0], min(confidence, COMPLETED_CONFIDENCE)
    return body, confidence


def _rejoin_symbol(ctx: DescribeContext, body: str) -> None:
    """Put back the hyphen OCR lost between the issuer and the unit of the symbol.

    Read before the body, the symbol is revised here, less sure: the body's
    initials tell where the issuer's abbreviation ends.
    """
    raw = ctx.value("number_symbol")
    moved = rejoin_with_body(raw, body) if raw else None
    issuer = repair_issuer(moved or raw, body) if raw else None
    rejoined = issuer or moved
    parts = split_number_symbol(rejoined) if rejoined else None
    if rejoined is None or parts is None:
        return
    found = ctx.found["number_symbol"]
    confidence = min(found.confidence, REJOINED_CONFIDENCE)
    # A hyphen the body's initials put (or moved) where OCR read none is a rule's,
    # unvouched as one put back after a type (fields/ocr_hyphens.py vouches or not);
    # an issuer respelt alone keeps the hyphen as it stood.
    listed = found.listed and moved is None
    ctx.found["number_symbol"] = Found(rejoined, confidence, found.region, listed)
    # The parts are the rejoined symbol's: a type abbreviation the hyphen put back
    # marked (``TT-KNHC``) is none once the body's initials move it (``TTKN-HC``).
    for name, part in (("type_abbr", parts.type_abbr), ("issuer_abbr", parts.issuer_abbr)):
        if part:
            ctx.found[name] = Found(part, confidence)
        else:
            ctx.found.pop(name, None)


def _symbol_line(lines: Lines, limit: int = 8) -> int:
    """The first line holding a number/symbol in its shape, within ``limit`` lines."""
    shaped = (i for i, f in enumerate(lines.folded[:limit]) if _NUMBER_SHAPE.search(f))
    return next(shaped, min(len(lines), limit))


def extract_bodies(ctx: DescribeContext) -> dict[str, Found]:
    """issuing_body and parent_body."""
    for lines, confidence in ((ctx.zone("header_left"), 0.95), (ctx.head, 0.9)):
        if not lines:
            continue
        hit = find_number_line(lines)
        stop = hit[0] if hit else _symbol_line(lines)
        kept = header_body_lines(lines, stop)
        if ctx.source("head") == "ocr":  # before grouping: a misread opener opens nothing
            cleaned = (split_glued_line(without_specks(t)) for t, _ in kept)
            # A pair of words the language spells otherwise (``THỤC VẬT``), as in a subject;
            # a name the document prints as read is kept.  A body respelt so is confident
            # only where the document prints it so (``is_vouched_body`` below).
            text = ctx.normalized_text
            respelt = (retone_by_lexicon(respell_body(t), text) for t in cleaned if t)
            kept = [(r, strip_marks(r)) for r in respelt]
        bodies = group_bodies(kept)
        if not bodies:
            continue
        if hit is None:
            confidence -= 0.2
        if ctx.source("head") == "ocr":
            bodies[-1], confidence = _national(bodies[-1], confidence, alone=len(bodies) == 1)
        # OCR misreads a place's marks and cuts or reorders an organ's words.
        listed = ctx.source("head") != "ocr" or is_vouched_body(bodies[-1], ctx.normalized_text)
        found = {"issuing_body": Found(bodies[-1], confidence, listed=listed)}
        if len(bodies) > 1:
            found["parent_body"] = Found(bodies[-2], confidence - 0.05)
        if ctx.source("head") == "ocr":
            _rejoin_symbol(ctx, bodies[-1])
        return found
    return {}
