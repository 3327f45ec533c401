"""Place names of Vietnam's administrative units: a gazetteer to check OCR against.

An issuing body names its place after its level (``ỦY BAN NHÂN DÂN TỈNH
HÀ TĨNH``).  OCR misreads the marks of that name (``TIÊN GIANG``, ``THÁI
NGUYEN``); when the folded name (no marks) is spelt one way only in the
gazetteer, that spelling is the name, and a name OCR read as the gazetteer
spells it is never changed.  The gazetteer is the 2025 divisions (34
provinces and their 3,321 communes and wards, from the ``vietnam-provinces``
package) and the 63 provinces before the 2025 reorganisation, which older
documents name.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import lru_cache

from vietnam_provinces import FLAT_DIVISIONS_JSON_PATH, NESTED_DIVISIONS_JSON_PATH

from kernel.text import normalize_text, strip_marks

# The 63 provinces and cities before 1 July 2025 (Resolution 202/2025/QH15 merged them into 34).
FORMER_PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai",
    "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang",
    "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng",
    "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận",
    "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị",
    "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa",
    "Thừa Thiên Huế", "Tiền Giang", "Hồ Chí Minh", "Trà Vinh", "Tuyên Quang", "Vĩnh Long",
    "Vĩnh Phúc", "Yên Bái",
)  # fmt: skip
# A hyphen between two names (Bà Rịa - Vũng Tàu), spaced or not.
_HYPHEN = re.compile(r"\s*[-–]\s*")
_HYPHEN_KEPT = re.compile(r"(\s*[-–]\s*)")
MIN_NEAR_LETTERS = 6  # shorter names are a letter away from too many others
_UNIT_WORDS = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ", "Thị trấn ")


def _bare(name: str) -> str:
    for word in _UNIT_WORDS:
        if name.startswith(word):
            return name[len(word) :]
    return name


@lru_cache(maxsize=1)
def place_spellings() -> dict[str, frozenset[str]]:
    """Folded upper-case place name -> its spellings in capitals."""
    names = set(FORMER_PROVINCES)
    names.update(_bare(p["name"]) for p in json.loads(NESTED_DIVISIONS_JSON_PATH.read_bytes()))
    names.update(_bare(w["name"]) for w in json.loads(FLAT_DIVISIONS_JSON_PATH.read_bytes()))
    spellings: dict[str, set[str]] = defaultdict(set)
    for name in names:
        upper = _HYPHEN.sub("-", " ".join(normalize_text(name).upper().split()))
        spellings[strip_marks(upper)].add(upper)
    return {folded: frozenset(found) for folded, found in spellings.items()}


def respell_place(place: str) -> str:
    """``place`` as the gazetteer spells it, when OCR's reading is not a spelling of it.

    Unchanged when ``place`` is already a spelling, when the gazetteer has
    no place folding alike, or has several (the marks OCR read then decide).
    """
    upper = _HYPHEN.sub("-", " ".join(place.split()))
    spellings = place_spellings().get(strip_marks(upper))
    if not spellings or upper in spellings or len(spellings) != 1:
        return place
    # The gazetteer's letters in OCR's layout ("BÀ RỊA-VŨNG TÀU" or "BÀ RỊA - VŨNG TÀU").
    parts = _HYPHEN_KEPT.split(" ".join(place.split()))
    parts[::2] = next(iter(spellings)).split("-")
    return "".join(parts)


def is_listed_place(place: str) -> bool:
    """Whether the gazetteer spells ``place`` (capitals) exactly so, marks included."""
    upper = _HYPHEN.sub("-", " ".join(place.split()))
    return upper in place_spellings().get(strip_marks(upper), frozenset())


@lru_cache(maxsize=1)
def _province_spellings() -> dict[str, str]:
    """Folded province name, letters only -> its spelling in capitals (63 former and 34 now)."""
    names = set(FORMER_PROVINCES)
    names.update(_bare(p["name"]) for p in json.loads(NESTED_DIVISIONS_JSON_PATH.read_bytes()))
    spellings = {}
    for name in names:
        upper = _HYPHEN.sub("-", " ".join(normalize_text(name).upper().split()))
        spellings[_letters(strip_marks(upper))] = upper
    return spellings


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())


def one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one letter inserted, dropped or replaced."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return a[at + (len(a) == len(b)) :] == b[at + 1 :]


def respell_province(place: str) -> str:
    """A province OCR read one letter off (``HẬU GANG``) as the gazetteer spells it.

    Only when the gazetteer has no place folding like ``place`` and exactly
    one province is a letter away from it; provinces are few and far apart,
    communes are not (their names are left as ``respell_place`` leaves them).
    """
    upper = _HYPHEN.sub("-", " ".join(place.split()))
    if place_spellings().get(strip_marks(upper)):
        return respell_place(place)
    letters = _letters(strip_marks(upper))
    if len(letters) < MIN_NEAR_LETTERS:
        return place
    near = [name for key, name in _province_spellings().items() if one_edit(letters, key)]
    return near[0] if len(near) == 1 else place


def province_spelling(place: str) -> str | None:
    """The gazetteer's spelling (capitals) of the province ``place`` folds to, marks aside."""
    return _province_spellings().get(_letters(strip_marks(place.upper())))
