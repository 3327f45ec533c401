"""Vietnamese personal names: the closed sets of family and middle names, to check OCR against.

A signer's name is a family name, usually a middle name, then a given name.
Family names and middle names come from short, well-known sets; OCR misreads
their marks (``Đỉnh`` for Đinh, ``Đúc`` for Đức, ``Thi`` for Thị).  When the
folded word (no marks, Đ as D) is spelt one way only in its set, that
spelling is the word; a word OCR read as the set spells it is never changed,
and a given name (the last word), which no set closes, is never touched.

An officer of the army or the police signs with the rank before the name
(``Đại tá Nguyễn Văn A``); ranks are a closed list too (``RANKS``), and the
signer's name is the line as printed, the rank with it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kernel.text import strip_marks

FAMILY_NAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
    "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Đoàn", "Lương", "Trịnh", "Mai", "Trương",
    "Lâm", "Đào", "Cao", "Hà", "Tạ", "Lưu", "Quách", "Châu", "Kiều", "Thái", "Tô", "Đàm",
    "Lại", "Chu", "Tôn", "Tống", "Triệu", "Lục", "Hứa", "Nông", "Lò", "Vương", "Từ",
    "Khổng", "Mạc", "Thân", "Giang", "Âu", "Phùng", "Tăng", "Diệp", "Nghiêm", "Lã",
    "Thạch", "Bạch", "Phí", "Ninh", "Khúc", "Kim", "Quan", "Doãn", "Đường", "Đồng", "Lữ",
    "Lư", "Ông", "Cù", "Cấn", "Nhữ", "Ứng", "Văn", "Mẫn", "Tiêu", "Hầu", "Đông", "Lộc",
)  # fmt: skip
MIDDLE_NAMES = (
    "Văn", "Thị", "Đức", "Hữu", "Ngọc", "Xuân", "Quang", "Trọng", "Công", "Thế", "Quốc",
    "Minh", "Bá", "Khắc", "Tiến", "Mạnh", "Viết", "Duy", "Đăng", "Huy", "Hồng", "Kim",
    "Đình", "Thanh", "Thành", "Phương", "Anh", "Tuấn", "Trung", "Sỹ", "Sĩ", "Như", "Tấn",
)  # fmt: skip

# The ranks of the People's Army (Law on Officers of the Vietnam People's Army,
# 1999, art. 10; Law on Military Service, 2015, art. 8) and of the People's
# Public Security (Law on the People's Public Security, 2018, art. 22).
RANKS = (
    "Đại tướng", "Thượng tướng", "Trung tướng", "Thiếu tướng",
    "Đô đốc", "Phó Đô đốc", "Chuẩn Đô đốc",
    "Đại tá", "Thượng tá", "Trung tá", "Thiếu tá",
    "Đại úy", "Thượng úy", "Trung úy", "Thiếu úy", "Chuẩn úy",
    "Thượng sĩ", "Trung sĩ", "Hạ sĩ", "Binh nhất", "Binh nhì",
)  # fmt: skip
_RANK_SIZES = (3, 2)  # words in a rank, the longest first ("Phó Đô đốc", "Đô đốc")

MAX_NAME_WORDS = 5
_VOWELS = "AEIOUY"
# A family name's capital read apart from the rest of its word: "N guyễn".
_APART = re.compile(r"^(?P<capital>[^\W\d_])\s(?P<rest>[^\W\d_]+)(?=\s)")


@lru_cache(maxsize=2)
def _spellings(names: tuple[str, ...]) -> dict[str, str]:
    """Folded word -> its one spelling; a fold shared by two spellings is left out."""
    found: dict[str, set[str]] = {}
    for name in names:
        found.setdefault(strip_marks(name), set()).add(name)
    return {folded: next(iter(s)) for folded, s in found.items() if len(s) == 1}


@lru_cache(maxsize=1)
def folded_family_names() -> frozenset[str]:
    """The family names without their marks (``Nguyen``, ``Dang``)."""
    return frozenset(strip_marks(name) for name in FAMILY_NAMES)


def _respelt(word: str, names: tuple[str, ...]) -> str:
    if word in names:
        return word
    return _spellings(names).get(strip_marks(word), word)


def respell_name(name: str) -> str:
    """``name`` with its family and middle names as their sets spell them (a rank kept)."""
    rank, name = split_rank(name)
    if rank:
        return with_rank(rank, respell_name(name))
    words = name.split()
    if len(words) < 2:
        return name
    run_on = strip_marks(words[0]) not in folded_family_names() and words[1] in FAMILY_NAMES
    if len(words) >= 4 and run_on:
        # A word of the line beside run onto the name's start: a name opens on its family name.
        words = words[1:]
    words[0] = _respelt(words[0], FAMILY_NAMES)
    words[1:-1] = [_respelt(word, MIDDLE_NAMES) for word in words[1:-1]]
    return " ".join(words)


@lru_cache(maxsize=1)
def _ranks() -> tuple[dict[str, str], dict[str, str]]:
    """Lower-case rank -> its spelling; the same folded (no marks, Đ as D)."""
    spelt = {rank.lower(): rank for rank in RANKS}
    return spelt, {strip_marks(lower): rank for lower, rank in spelt.items()}


def split_rank(line: str) -> tuple[str, str]:
    """``Đại tá Nguyễn Văn A`` -> (``Đại tá``, ``Nguyễn Văn A``); ("", ``line``) without a rank.

    The rank keeps its case as read.  One whose marks OCR misread (``Đại tả``) is
    spelt as the list spells it only before a name opening on a family name of
    two words or more: a name may fold like a rank (``Hà Sĩ ...``, ``Hạ sĩ``).
    """
    words = line.split()
    spelt, folded = _ranks()
    for size in _RANK_SIZES:
        if len(words) <= size:
            continue
        read, rest = " ".join(words[:size]), words[size:]
        rank = spelt.get(read.lower())
        if rank is None and len(rest) >= 2 and strip_marks(rest[0]) in folded_family_names():
            rank = folded.get(strip_marks(read.lower()))
        if rank is not None and len(rank) == len(read):
            cased = (r.upper() if c.isupper() else r for c, r in zip(read, rank, strict=True))
            return "".join(cased), " ".join(rest)
    return "", line


def with_rank(rank: str, name: str) -> str:
    """The name as printed, its rank (if any) before it."""
    return f"{rank} {name}" if rank else name


@lru_cache(maxsize=1024)  # the signature reader mends a block's lines more than once
def mend_name_line(line: str) -> str:
    """``line`` with its first word made whole when that word is a family name.

    OCR may read a name's first capital in lower case ("vũ Văn A"), or apart
    from the rest of its word ("N guyễn Văn A"), and a speck after the name
    as a letter ("Nguyễn Văn A s"); no other line of a signature block opens
    with a family name so broken.
    """
    rank, name = split_rank(line)
    if rank:
        return with_rank(rank, mend_name_line(name))
    # Specks between a name's words: a token with no letter, a stop stuck to a word.
    words = [word for word in line.split() if any(c.isalpha() for c in word)]
    words = [word.rstrip(".") for word in words[:-1]] + words[-1:]
    line = " ".join(words)
    if len(words) > 2 and len(words[-1]) == 1 and words[-1].islower():
        line = " ".join(words[:-1])  # a speck read as a letter after the name
    words = line.split()
    if len(words) > 3 and words[0] in FAMILY_NAMES:
        # ... or a consonant standing alone between a name's words ("Nguyễn Ð Đức A"):
        # no syllable is one consonant (a vowel may be: the given name "Y").
        inner = [w for w in words[1:-1] if not (len(w) == 1 and w.upper() not in _VOWELS)]
        line = " ".join([words[0], *inner, words[-1]])
    apart = _APART.match(line)
    if apart and f"{apart['capital']}{apart['rest']}" in FAMILY_NAMES:
        line = f"{apart['capital']}{line[apart.end('rest') - len(apart['rest']) :]}"
    line = _given_name_capital(line)
    first, _, rest = line.partition(" ")
    if not first[:1].islower() or not rest[:1].isupper():
        return line
    word = first[:1].upper() + first[1:]
    if word in FAMILY_NAMES or strip_marks(word) in _spellings(FAMILY_NAMES):
        return f"{word} {rest}"
    return line


def _given_name_capital(line: str) -> str:
    """"Nguyễn Văn an" -> "Nguyễn Văn An": a given name OCR read in lower case.

    Only after a family name and capitalised middle names: every syllable of
    a Vietnamese name opens with a capital, and no other line of a signature
    block opens with a family name.
    """
    words = line.split()
    # Family, middle and given name, the family name read as its set spells it
    # ("Như trên" opens with a word folding like the family name Nhữ).
    if not 3 <= len(words) <= MAX_NAME_WORDS or words[0] not in FAMILY_NAMES:
        return line
    last = words[-1]
    if len(last) < 2 or not last.isalpha() or not last.islower():
        return line
    if not all(word[:1].isupper() and word.isalpha() for word in words[:-1]):
        return line
    return " ".join([*words[:-1], last[:1].upper() + last[1:]])
