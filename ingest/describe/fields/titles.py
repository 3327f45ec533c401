"""Title, document type and subject (trích yếu).

The title is the type name in capitals, centred under the header
(``QUYẾT ĐỊNH``, ``LUẬT ...``; which line it is: ``title_line.py``); the
subject is the lines under it until the body starts.  A công văn has no
title: its subject is the ``V/v ...`` lines under the number.  The type
comes from the title (Party ``QĐ`` is Quyết định or Quy định, only the title
tells), else from the symbol's abbreviation.
"""

from __future__ import annotations

import re

from ingest.describe.context import DescribeContext, Found, Lines
from ingest.describe.evidence import passage_confidences, sure_text
from ingest.describe.fields.kinds import mark_of
from ingest.describe.fields.numbering import find_number_line
from ingest.describe.fields.ocr_cited import mend_cited_by_own, mend_cited_by_readings
from ingest.describe.fields.ocr_subjects import COLUMN_VV_FOLDED, VV_READ, clean_ocr_subject
from ingest.describe.fields.ocr_subjects import caps as _caps
from ingest.describe.fields.title_line import LEAD_SPECKS, TITLE_JUNK, find_title
from ingest.describe.tables import PARTY_ABBR, STATE_ABBR
from kernel.text import strip_marks

CONSOLIDATED = "Văn bản hợp nhất"
MAX_SUBJECT_LINES = 5
SHORT_WRAP_WORDS = 6
# A công văn's subject: "V/v ...", or spelt out "Về việc ...", "Về: ..." (folded);
# misread as ocr_subjects.VV_READ says.
_VV = re.compile(rf"^(?:[-.,_~'\"`]{{1,3}}\s?)?(?:{VV_READ}\.?|Ve viec\b|Ve\s?:)\s*")
# Under the number in the left column any "Về ..." is the subject ("Về cho học sinh ...").
_VV_COLUMN = re.compile(rf"{_VV.pattern}|^Ve\s|^{COLUMN_VV_FOLDED}\s*")
MAX_SUBJECT_TO_BODY = 12  # a long subject in capitals, then the enacting authority
MAX_VV_LINES = 8  # a V/v subject wrapped in the narrow left column
# "Kính gửi", however cut: the address follows the subject, never belongs to it.
# OCR may read specks before it, and "gửi" as "dủi".
_TO_START = re.compile(r"^[^\w]*K[i1l]nh\s*(?:g|dui\b)", re.IGNORECASE)
# ... or cut at the column's edge in a text layer ("Kí", "Kính g").
_TO_CUT = re.compile(r"^K[i1l](?:n(?:h(?:\s*g\S*)?)?)?\s*:?$", re.IGNORECASE)
# The enacting authority of a decision, in capitals between its subject and
# "Căn cứ ..." ("BỘ TRƯỞNG BỘ ...", "ỦY BAN NHÂN DÂN TỈNH ...", "QUỐC HỘI ..."):
# folded openings of the heads and collective bodies that enact.
AUTHORITY_OPENERS = (
    "BO TRUONG", "THU TUONG", "CHU TICH", "UY BAN", "HOI DONG", "QUOC HOI", "CHINH PHU",
    "BAN CHAP HANH", "BAN THUONG VU", "BAN THUONG TRUC", "TONG CUC TRUONG", "CUC TRUONG",
    "CHI CUC TRUONG", "GIAM DOC", "TONG GIAM DOC", "CHANH AN", "VIEN TRUONG", "TRUONG BAN",
    "CHANH VAN PHONG", "HIEU TRUONG", "THONG DOC", "TONG KIEM TOAN", "CHANH THANH TRA",
    "TONG THANH TRA", "BI THU", "TRUONG PHONG", "DANG UY", "TINH UY", "THANH UY",
    "BAN BI THU",
)  # fmt: skip
# "HỘI ĐỒNG NHÂN DÂN TỈNH ..." / "KHÓA XV, KỲ HỌP THỨ 10" / "(Ngày ...)"
MAX_AUTHORITY_LINES = 3
# A subject line ending on a word that wants its complement ("... CỦA" / "ỦY BAN ..."):
# the next line goes on with the subject, even if it opens like an authority (folded).
_OPEN_END = re.compile(r"\b(?:CUA|VA|CHO|VOI|THUOC|TAI|VE|TREN|DOI|GIUA|TRONG|VIEC)$", re.I)
# Lines that start the body (folded): the subject never runs into them.
_BODY_START = re.compile(
    r"^(?:[-–+•]\s*)?(?:Can cu|Thuc hien|Kinh gui|Theo |Xet |De |Dieu \d|Chuong |Phan "
    r"|can cu (?=[A-Z])"  # OCR's "cán cứ Luật ..."
    r"|Tren co so|Hom nay|Nham |Qua |Trong |Sau khi|Tiep |Ngay \d"
    r"|[IVX]+\.|\d{1,3}\.(?!\d)|[a-z]\)|Noi nhan)"
)  # case-sensitive: a wrapped subject line may well start "trong ..."
_RULE = re.compile(r"^[\s\-_–—=*.~]+$")
_LONE_LETTER = re.compile(r"(?<=\s)[A-Z](?=\s)")
# Openings only a body has; the weaker ones ("Thực hiện ...") may open a plan's subject.
_STRONG_BODY_START = re.compile(
    r"^(?:[-–+•]\s*)?(?:Can cu|Kinh gui|Dieu \d|Chuong |[IVX]+\.|\d{1,3}\.(?!\d)|Noi nhan)"
)
# Specks at a line's start: strokes and dots, and a quote standing alone (a
# wrapped line may open with a quote of the subject, stuck to its word).
_LEADING_SPECKS = re.compile(r"^(?:[\s_|~ˆ¬`.,:;'—–-]|[\"“”](?=\s))+")
_TRAILING_SPECKS = " _|~ˆ¬`"
# A dash standing alone at a scanned line's end is a speck far more often than
# a dash wrapped before the rest of a name ("Hà Nội -" / "Cần Thơ").
_LONE_DASH_END = re.compile(r"(?:\s+[-–—_¬~|.:]*[-–—][-–—_¬~|.:]*)+$")


def _continues(text: str, folded: str, caps: bool) -> bool:
    """Whether a line wraps the subject above rather than starting the body."""
    if _RULE.match(text) or _BODY_START.match(folded):
        return False
    if caps:  # a subject in capitals wraps in capitals
        return _caps(text)
    if text[:1].islower() or text[:1].isdigit():
        return True
    if _caps(text):  # a stamp or a heading
        return False
    # A proper noun may open the wrapped part ("... dịp Tết" / "Nguyên đán"); a
    # body paragraph opens with a full-width line or ends a sentence.
    return len(text.split()) <= SHORT_WRAP_WORDS and not text.endswith((".", ":", ";"))


def _body_starts(lines: Lines, index: int, ocr: bool = False) -> int | None:
    """Where the body visibly starts after a subject opening at ``index``, if it does soon.

    On OCR text a stop before a line going on in lower case or with a digit
    (``nhiệm kỳ.`` / ``2026 - 2031``) is a speck, not a sentence's end.
    """
    caps = _caps(lines.text[index])
    # Only a subject in capitals runs long before its authority and the body;
    # a subject in sentence case that has not met the body within a subject's
    # length and an authority's has met it unseen (a paragraph with no opener).
    reach = MAX_SUBJECT_TO_BODY if caps else MAX_SUBJECT_LINES + MAX_AUTHORITY_LINES - 1
    for at in range(index + 1, min(len(lines), index + reach)):
        text, folded = lines.text[at], lines.folded[at]
        if at - 1 > index and lines.text[at - 1].endswith(":"):
            # A lead-in ended ("..., được sửa đổi, bổ sung bởi:", "... như sau:"):
            # the body started unseen above the opener found here.
            return None
        if _RULE.match(text) or _BODY_START.match(folded) or (caps and _sentence(text)):
            return at
        if lines.text[at - 1].endswith((".", ":", ";")) and not (ocr and _goes_on(text)):
            # A subject may end with a full stop: then only the authority may follow.
            if _caps(text) and _is_authority(folded):
                return _after_authority(lines, at)
            return None  # a sentence ended: the body started unseen
    return None


def _goes_on(text: str) -> bool:
    """Whether a line opens in lower case or with a digit, past specks and quotes."""
    opening = text.lstrip(TITLE_JUNK + "¬()")[:1]
    return opening.islower() or opening.isdigit()


def _sentence(text: str) -> bool:
    """A line in sentence case, opening with a capital: under a subject in capitals, the body.

    A subject in capitals wraps in capitals, or goes on in lower case after
    the issuer's name (Party: ``KẾT LUẬN / CỦA BỘ CHÍNH TRỊ / về ...``); a
    line opening a sentence is the body's first, whatever its first words.
    """
    letters = text.lstrip(TITLE_JUNK)
    return letters[:1].isupper() and not _caps(letters) and len(letters.split()) > 1


def _after_authority(lines: Lines, at: int) -> int | None:
    """The body start right under the authority lines opening at ``at``, if it is there."""
    for below in range(at + 1, min(len(lines), at + MAX_AUTHORITY_LINES + 1)):
        text, folded = lines.text[below], lines.folded[below]
        if _RULE.match(text) or _BODY_START.match(folded):
            return below
        if not (_caps(text) or text.startswith("(")):
            return None
    return None


def _is_authority(folded: str) -> bool:
    # A letter alone is a speck OCR read inside the line ("BỘ Ô TRƯỞNG").
    upper = " ".join(_LONE_LETTER.sub(" ", folded.upper().lstrip("\"“”'")).split())
    # Whole words: "CHÍNH PHỤC VỤ" (a subject's wrapped line) is not "CHÍNH PHỦ".
    return any(upper.startswith(opener) and not upper[len(opener) : len(opener) + 1].isalpha()
               for opener in AUTHORITY_OPENERS)  # fmt: skip


def _until_body(lines: Lines, index: int, end: int) -> list[str]:
    """The subject as every line from ``index`` to the body at ``end``, less the authority.

    A decision names its enacting authority in capitals between its subject
    and its body; it is cut off the end (one or two lines, the first opening
    with a head's or a collective body's name).
    """
    subject = list(lines.text[index:end])
    for back in range(1, min(MAX_AUTHORITY_LINES, len(subject) - 1) + 1):
        at = end - back
        if _caps(lines.text[at]) and _is_authority(lines.folded[at]):
            # Under the authority only its session, in capitals, or a date in brackets.
            if all(_caps(text) or text.startswith("(") for text in lines.text[at:end]):
                subject = subject[: len(subject) - back]
            break
    return subject


def _ended(line: str, following: str, ocr: bool) -> bool:
    """Whether a subject line ends the subject by its last mark.

    OCR reads a speck at a line's end as a full stop or a colon.  On OCR
    text a colon never ends a subject (the address or the body, which stop
    it anyway, follow), nor does a full stop before a line in lower case,
    or in capitals under a line in capitals, unless it opens the authority.
    """
    if not ocr:
        return line.endswith((".", ":"))
    if line.endswith(":") or following[:1].islower():
        return False
    if not line.endswith("."):
        return False
    if _OPEN_END.search(strip_marks(line[:-1])):
        return False  # "... CỦA." wants its complement: the stop is a speck
    return not (_caps(line) and _caps(following) and not _is_authority(strip_marks(following)))


def _subject_after(
    lines: Lines, index: int, *, short_caps: bool = False, ocr: bool = False
) -> list[str]:
    """The subject lines from ``index``; ``short_caps``: a law's name ("LƯU TRỮ") may be short."""
    end = min(len(lines), index + MAX_SUBJECT_LINES)
    if index >= end:
        return []
    first, folded = lines.text[index], lines.folded[index]
    short = _caps(first) and len(first.split()) < 3 and not short_caps
    body = _body_starts(lines, index, ocr)
    if _BODY_START.match(folded) and not _STRONG_BODY_START.match(folded) and body is not None:
        return _until_body(lines, index, body)  # "Thực hiện công tác ..." names a plan
    if _RULE.match(first) or _BODY_START.match(folded) or short:
        return []  # the body or another heading: no subject here
    if body is not None:
        return _until_body(lines, index, body)
    subject, caps = [first], _caps(first)
    following = zip(lines.text[index + 1 : end], lines.folded[index + 1 : end], strict=True)
    for text, folded in following:
        if _ended(subject[-1], text, ocr) or not _continues(text, folded, caps):
            break
        if (
            caps
            and _is_authority(folded)
            and not _OPEN_END.search(strip_marks(subject[-1]).rstrip("."))
        ):
            break  # the enacting authority, its body start unread ("Căn é cứ")
        subject.append(text)
    return subject


def _vv_subject(
    lines: Lines, start: int, *, column: bool = False, ocr: bool = False
) -> list[str] | None:
    """The V/v subject from ``start`` on; ``column``: read in the left column alone.

    In the left column the subject runs on until the address, a stamp in
    capitals or the body, whatever case its wrapped lines open with.
    """
    opener = _VV_COLUMN if column else _VV
    for index in range(start, min(len(lines), start + 8)):
        if not opener.match(lines.folded[index]):
            continue
        subject = [lines.text[index]]
        stop = index + (MAX_VV_LINES if column else 4)
        for text, folded in zip(lines.text[index + 1 : stop], lines.folded[index + 1 : stop],
                                strict=False):  # fmt: skip
            ended = _ended(subject[-1], text, ocr) or subject[-1].endswith(";")
            if ended or _TO_START.match(folded):
                break
            if column:
                stamp = mark_of(folded, ocr) is not None
                # A letter or two alone: the edge of a right-column line, cut.
                fragment = len(text) <= 2 or _TO_CUT.match(folded)
                if _RULE.match(text) or _BODY_START.match(folded) or stamp or fragment:
                    break
            elif not _continues(text, folded, caps=False):
                break
            subject.append(text)
        return subject
    return None


def extract_title(ctx: DescribeContext) -> dict[str, Found]:
    """title, doc_type and subject."""
    ocr = ctx.source("head") == "ocr"
    head = _despecked(ctx.head) if ocr else ctx.head
    number = find_number_line(head)
    start = number[0] + 1 if number else 0
    found: dict[str, Found] = {}
    title = find_title(head, start)
    if title is not None:
        index, name = title
        text = head.text[index]
        # OCR lost every mark of a bare type name ("KE HOACH"): print it properly.
        bare = head.folded[index] == text and text.upper() == strip_marks(name).upper()
        if bare and ctx.source("head") == "ocr":
            text = name.upper()
        if ocr:
            text = LEAD_SPECKS.sub("", text).strip(TITLE_JUNK)
        found["title"] = Found(text, 0.93)
        found["doc_type"] = Found(_consolidated(ctx) or name, 0.95)
        # Under LUẬT stands the law's name in capitals, however short.
        subject = _subject_after(head, index + 1, short_caps=name == "Luật", ocr=ocr)
        if subject:
            found["subject"] = Found(_clean_subject(subject, ocr, ctx), 0.85)
        return found
    vv = _vv_in_zone(ctx, ocr) or _vv_subject(head, start, ocr=ocr)
    if vv:
        found["subject"] = Found(_clean_subject(vv, ocr, ctx), 0.88)
        found["doc_type"] = Found("Công văn", 0.85)
        return found
    found.update(_type_from_symbol(ctx))
    return found


def _consolidated(ctx: DescribeContext) -> str | None:
    """``Văn bản hợp nhất`` when the symbol says so: its title is the consolidated type."""
    abbr = ctx.value("type_abbr")
    name = STATE_ABBR.get(abbr) if abbr else None
    return name if name == CONSOLIDATED else None


def _clean_subject(lines: list[str], ocr: bool, ctx: DescribeContext) -> str:
    """The subject's lines joined; on OCR text, cleaned (ocr_subjects.clean_ocr_subject)
    with the confidences OCR read its words with."""
    subject = " ".join(lines)
    if not ocr:
        return subject
    read = passage_confidences(ctx.first, subject)
    cleaned = clean_ocr_subject(subject, ctx.normalized_text, read, sure_text(ctx.content))
    cleaned = mend_cited_by_own(cleaned, ctx.value("number_symbol"), ctx.first)
    return mend_cited_by_readings(cleaned, ctx.content)


def _vv_in_zone(ctx: DescribeContext, ocr: bool) -> list[str] | None:
    zone = _despecked(ctx.zone("header_left")) if ocr else ctx.zone("header_left")
    if not zone:
        return None
    number = find_number_line(zone)
    return _vv_subject(zone, number[0] + 1 if number else 0, column=True, ocr=ocr)


def _despecked(lines: Lines) -> Lines:
    """OCR lines without the specks read at their edges ("_ỦY BAN ...", "... vào _")."""
    cleaned = [_LEADING_SPECKS.sub("", line).rstrip(_TRAILING_SPECKS) for line in lines.text]
    for at, line in enumerate(cleaned):
        dash = _LONE_DASH_END.search(line)
        following = cleaned[at + 1] if at + 1 < len(cleaned) else ""
        # A range wraps at its dash ("nhiệm kỳ 2004 -" / "2009"): that dash stays.
        if dash and not following[:1].isdigit() and not line[: dash.start()][-1:].isdigit():
            cleaned[at] = line[: dash.start()]
    return Lines.of("\n".join(cleaned))


def _type_from_symbol(ctx: DescribeContext) -> dict[str, Found]:
    abbr = ctx.value("type_abbr")
    party = (
        ctx.value("format") == "party" or "-" in (ctx.value("number_symbol") or "/").split("/")[0]
    )
    if abbr:
        name = (PARTY_ABBR if party else STATE_ABBR).get(abbr)
        if name:
            # Party QĐ is Quyết định or Quy định: without a title, less sure.
            return {"doc_type": Found(name, 0.5 if party and abbr == "QĐ" else 0.75)}
        return {}
    if ctx.value("number_symbol") and not party:
        return {"doc_type": Found("Công văn", 0.7)}  # a symbol without a type
    return {}
