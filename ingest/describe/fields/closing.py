"""The end and the address of a document: signer, ``Nơi nhận`` and ``Kính gửi``.

The signature block sits in the lower right of the last page: an authority
prefix (``TM.``, ``KT.``, ``T/M``...), the signer's title in capitals, then
the name.  ``Nơi nhận`` sits in the lower left.  A text layer without zones
may print both columns on one line (``- Như Điều 3; PHÓ CHỦ TỊCH``), so the
right-hand part of such lines is split off first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.describe.context import TAIL_LINES, DescribeContext, Found, Lines
from ingest.describe.names import (
    folded_family_names,
    mend_name_line,
    respell_name,
    split_rank,
    with_rank,
)
from kernel.text import strip_marks

_PREFIX = re.compile(r"(?:^|(?<=\s))(?P<prefix>TM\.|KT\.|TUQ\.|TL\.|Q\.|T/M|K/T|T/L)\s*(?=\S)")
# Vietnamese letters by case: the ranges À-Ỹ and à-ỹ each hold both cases.
_LATIN = [chr(code) for code in range(0xC0, 0x1EFA) if chr(code).isalpha()]
_UPPER = "A-Z" + "".join(c for c in _LATIN if c.isupper())
_LOWER = "a-z" + "".join(c for c in _LATIN if c.islower())
_NAME_WORD = rf"[{_UPPER}][{_LOWER}]+"
_NAME = re.compile(rf"(?P<name>{_NAME_WORD}(?:\s{_NAME_WORD}){{1,4}})$")
_CAPS_RUN = re.compile(r"(?P<run>[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ,]*(?:\s[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ,]*)+)$")
# Specks OCR reads around a line of a scanned signature block ("“Nguyễn Văn A `").
_SPECKS = " -–—_|`'\"“”‘’:;.,~°^ˆ*"
_STROKES = " -–—_|`'\"“”‘’~°^ˆ*¬"  # specks that are no stop
_NOTES = re.compile(r"^\(.*\)$|^\[.*\]$|^(?:Đã ký|Ký)\b", re.IGNORECASE)
# Matched on folded lines (same length as the originals).
_RECIPIENTS = re.compile(r"^N[o0]i\s*nhan\s*:?\s*", re.IGNORECASE)
_TO = re.compile(r"^K[i1l]nh\s*gu[i1l]\s*:?\s*", re.IGNORECASE)
_LUU = re.compile(r"^L[uư][uư]\s*:")  # "Lưu:" as OCR may drop its horn
_ITEM = re.compile(r"^[-–—•+]\s*")
_LOWER_LEAD = re.compile(rf"(?:[{_LOWER}]+[,;.]?\s+){{1,2}}")
TO_SCAN = 45
BESIDE_CONFIDENCE = 0.6  # a name split off a recipient's line, under no title: to check


@lru_cache(maxsize=1024)  # the signature and recipients readers split the same tail lines
def _right_part(line: str) -> str | None:
    """The signature-column part of a line that may also carry a recipient."""
    prefix = _PREFIX.search(line)
    if prefix:
        return line[prefix.start() :]
    # A recipient's line: an item, the heading, or an item's wrapped rest (lower case).
    if not (_ITEM.match(line) or line[:1].islower() or _RECIPIENTS.match(strip_marks(line))):
        return line
    for pattern in (_CAPS_RUN, _NAME):
        match = pattern.search(line)
        if match is None:
            continue
        start = _ranked_start(line, match.start()) if pattern is _NAME else match.start()
        if line[:start].rstrip(_STROKES).endswith((";", ".", ":", ",")):
            return line[start:]
    return None


def _ranked_start(line: str, start: int) -> int:
    """Where the name starting at ``start`` starts with the rank printed before it, if any."""
    words = line[:start].split()
    for size in (3, 2):
        opening = " ".join(words[-size:])
        if len(words) >= size and split_rank(f"{opening} {line[start:]}")[0]:
            return line.rindex(words[-size], 0, start)
    return start


def _left_part(line: str) -> str:
    """A recipients-column line without its signature-column tail."""
    right = _right_part(line)
    if right is None or right == line:
        return line
    return line[: len(line) - len(right)].rstrip()


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _is_name(name: str) -> bool:
    # The character classes above hold lower-case letters too (À-Ỹ spans both
    # cases): each word of a name opens with a capital, else it is a fragment
    # of a line cut by a seal or the zone's edge ("ên Thị Kim Tiến").
    return all(word[0].isupper() and word[1:].islower() for word in name.split())


def _without_scraps(lines: list[str]) -> list[str]:
    """``lines`` without the scraps that close them: no capital letter, or one letter."""
    end = len(lines)
    while end and (not any(c.isupper() for c in lines[end - 1]) or len(lines[end - 1]) < 2):
        end -= 1
    return lines[:end]


def _signature(lines: list[str], *, zone: bool = False) -> dict[str, Found]:
    """The block in ``lines``; ``zone``: the lower-right zone (its edge may cut lines).

    A seal over the block may hide its title and authority from OCR; a name
    standing last in the signature column (of the zone, or of the lines after
    the body) is then the signer, too unsure not to be checked.
    """
    found: dict[str, Found] = {}
    start = None
    for index, line in enumerate(lines):
        prefix = _PREFIX.match(line)
        if prefix:
            start = index
            found["signer_authority"] = Found(prefix["prefix"], 0.9, "tail")
            rest = line[prefix.end() :].strip()
            if rest:
                found["signer_title"] = Found(rest, 0.8, "tail")
    after = lines[start + 1 :] if start is not None else lines
    titles = [line for line in after if _is_caps(line) and not _NOTES.match(line)]
    if titles:
        found["signer_title"] = Found(titles[-1] if start is None else titles[0], 0.88, "tail")
    for raw in reversed(after):
        line = mend_name_line(raw.strip(_SPECKS))  # without the specks read around it
        rank, bare = split_rank(line)  # an officer's rank before the name: kept with it
        match = _NAME.fullmatch(bare) if not _NOTES.match(line) else None
        if match is None and zone and line == after[-1].strip(_SPECKS):
            # The zone's edge may cut a recipient's last word onto the name's
            # line ("các Nguyễn Văn A"): lower-case words before a name.
            match = _NAME.search(line)
            if match and not _LOWER_LEAD.fullmatch(line[: match.start()]):
                match = None
        if match and _is_name(match["name"]):
            found["signer_name"] = Found(with_rank(rank, match["name"]), 0.88, "tail")
            break
    # A name last in the column (scraps of a seal or a cut recipient aside).
    kept = _without_scraps([mend_name_line(line.strip(_SPECKS)) for line in after])
    alone = bool(kept) and "signer_name" in found and found["signer_name"].value == kept[-1]
    if start is None and "signer_title" not in found:
        if alone:
            return {"signer_name": Found(found["signer_name"].value, 0.63, "tail")}
        found.pop("signer_name", None)
    if start is None:
        found = {k: Found(v.value, v.confidence - 0.15, "tail") for k, v in found.items()}
    return found


def _signature_in(zone: Lines, tail: Lines) -> dict[str, Found]:
    """The signature block of one page: its lower-right zone, else its last lines."""
    found = _signature(list(zone.text), zone=True) if zone else {}
    right = [part for part in (_right_part(line) for line in tail.text) if part]
    start = _last_recipients_or_body(right)
    from_tail = _signature(right[start:])
    if "signer_name" in found:
        cut, whole = found["signer_name"], from_tail.get("signer_name")
        if whole is not None and _family_cut_off(str(cut.value), str(whole.value)):
            found["signer_name"] = Found(whole.value, min(cut.confidence, whole.confidence), "tail")
        return found
    if not found:
        if "signer_name" not in from_tail:
            beside = _name_beside_recipients(tail)
            if beside is not None:
                from_tail["signer_name"] = Found(beside, BESIDE_CONFIDENCE, "tail")
        return from_tail
    if "signer_name" in from_tail:  # the zone's edge lost the name the lines kept
        name = from_tail["signer_name"]
        found["signer_name"] = Found(name.value, min(name.confidence, 0.75), "tail")
    return found


def _name_beside_recipients(tail: Lines) -> str | None:
    """The last name split off a recipient's line, when no block below names one.

    Read straight across, a scan puts the signer's name on a recipient's line
    ("- Các Bộ, cơ quan thuộc CP; _ Trần Văn A"); the recipients' wrapped
    lines below it ("Nẵng;") then look like the body's last sentence.  Only a
    name opening with a family name is taken.
    """
    family = folded_family_names()
    bare = {part: split_rank(part)[1] for part in map(_right_part, tail.text) if part}
    names = [
        part for part, name in bare.items()
        if _NAME.fullmatch(name) and _is_name(name) and strip_marks(name.split()[0]) in family
    ]  # fmt: skip
    split_off = [name for name in names if not any(line == name for line in tail.text)]
    return split_off[-1] if split_off else None


def _family_cut_off(cut: str, whole: str) -> bool:
    """Whether the zone's name lost words the page's lines kept.

    A seal or the zone's edge may put a word of the name on a line of its own
    ("Hữu Tráng" / "Nguyễn )", "Đức Ð" / "Nguyễn Thanh") where the page's line
    reads the name whole: the zone's words, in order, are the whole name's
    less some, and the whole name opens with a family name.
    """
    family = folded_family_names()
    words, kept = whole.split(), iter(whole.split())
    in_order = all(word in kept for word in cut.split())  # a subsequence of the whole
    return len(words) > len(cut.split()) and in_order and strip_marks(words[0]) in family


def extract_signature(ctx: DescribeContext) -> dict[str, Found]:
    """signer_authority, signer_title and signer_name.

    The last page closes most documents; one whose appendix (or the
    regulation it issues) follows the signature closes on an earlier page:
    the last page holding a named signature block is taken.
    """
    found = _last_signature(ctx)
    name = found.get("signer_name")
    if name is not None:
        found["signer_name"] = Found(respell_name(str(name.value)), name.confidence, "tail")
    return found


def _last_signature(ctx: DescribeContext) -> dict[str, Found]:
    found = _signature_in(ctx.zone("lower_right"), ctx.tail)
    if "signer_name" in found or ctx.original_end is not None:
        return found
    for page in reversed(ctx.content.pages[:-1]):
        zone = Lines.of(page.zones.get("lower_right", ""))
        tail = Lines.of("\n".join(page.text.splitlines()[-TAIL_LINES:]))
        earlier = _signature_in(zone, tail)
        if "signer_name" in earlier:  # a name under a title or an authority
            return {k: Found(v.value, v.confidence - 0.05, "tail") for k, v in earlier.items()}
    return found


def _last_recipients_or_body(lines: list[str]) -> int:
    """Where the signature block may begin: after the last sentence of the body."""
    for index in range(len(lines) - 1, -1, -1):
        if _PREFIX.match(lines[index]):
            return index
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].endswith((".", ";", ":")) and not _is_caps(lines[index]):
            return index + 1
    return 0


def _wraps(line: str) -> bool:
    # The rest of an item opens in lower case, or ends it ("Chính phủ;"); a
    # signature line beside it (a title, a name) ends neither way.
    return line[:1].islower() or (line.endswith((";", ".")) and not _is_caps(line))


def _items(lines: Lines | list[str], start: int) -> list[str]:
    """The ``- ...`` lines starting right at ``start``, wrapped ones joined."""
    items: list[str] = []
    texts = lines.text if isinstance(lines, Lines) else lines
    for line in texts[start:]:
        if _ITEM.match(line):
            items.append(_ITEM.sub("", line, count=1))
        elif items and not items[-1].endswith((";", ".")) and _wraps(line):
            items[-1] = f"{items[-1]} {line}"  # a wrapped item
        else:
            break
    return [item for item in items if item]


def extract_recipients(ctx: DescribeContext) -> dict[str, Found]:
    """recipients: the items under ``Nơi nhận``, including ``Lưu: VT, ...``."""
    for lines, confidence, split in (
        (list(ctx.zone("lower_left").text), 0.9, False),
        (list(ctx.tail.text), 0.85, True),
    ):
        for index, line in enumerate(lines):
            match = _RECIPIENTS.match(strip_marks(line))
            if not match:
                continue
            texts = [_left_part(text) for text in lines] if split else lines
            first = texts[index][match.end() :].strip() if split else line[match.end() :].strip()
            items = ([_ITEM.sub("", first)] if first else []) + _items(texts, index + 1)
            if items:
                items = [_LUU.sub("Lưu:", item, count=1) for item in items]
                return {"recipients": Found(items, confidence, "tail")}
    return {}


def extract_addressees(ctx: DescribeContext) -> dict[str, Found]:
    """recipients_to: ``Kính gửi: X`` or the list of ``- X`` lines under it."""
    for lines in (ctx.head, ctx.zone("header_left")):
        for index, (text, folded) in enumerate(zip(lines.text, lines.folded, strict=True)):
            if index >= TO_SCAN:
                break
            match = _TO.match(folded)
            if not match:
                continue
            first = text[match.end() :].strip()
            items = [_ITEM.sub("", first)] if first else []
            items += _items(lines, index + 1)
            if items:
                return {"recipients_to": Found(items, 0.9)}
    return {}
