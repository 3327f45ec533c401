"""A subject read by OCR, cleaned: specks, misread marks, and the ``V/v`` opener.

A scan's specks come out of OCR as strokes, stops, colons and quotes between
or stuck to the subject's words; its tone marks come out misread here and
there.  ``clean_ocr_subject`` drops what can only be a speck where it stands
and puts the marks right by the document's own text and by the language's
words (``ingest/describe/lexicon``).  A text layer's subject is never cleaned:
it is as printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from ingest.describe.consensus import respell_by_text, split_by_text
from ingest.describe.evidence import SureText
from ingest.describe.fields.numbering import repair_ocr_symbol
from ingest.describe.fields.ocr_cited import mend_cited_types
from ingest.describe.fields.ocr_countries import respell_countries
from ingest.describe.fields.ocr_letters import mend_pairs, restore_letters
from ingest.describe.fields.ocr_numerals import lengthen_numerals
from ingest.describe.fields.ocr_places import respell_provinces
from ingest.describe.lexicon import retone_by_lexicon
from kernel.text import strip_marks

# A công văn's subject opens "V/v": OCR reads the small v as w or y, a y with a
# mark too ("V/w:", "V/ỷ"); on a coarse scan the slash may be lost or read as a
# look-alike ("Vw", "V⁄:", "V¿v", "-.VW"; "Vỷv": no syllable is spelt so), after a
# speck or two.
VV_READ = (
    r"(?:[VYW]\s?[/⁄|\\j@¿]{1,2}\s?[vVwWyYỳýỷỹỵ]{1,2}(?![A-Z])|V[vVwW]{1,2}\b"
    r"|V[yỳýỷỹỵ]v\b|V\s?[/⁄](?=\s?:|\s)"
    r"|W[vw]\b"  # no Vietnamese word opens with W: "Ww", "W/v" are the V/v misread
    r"|V%(?=\s))"  # the slash and the small v read as one sign
)
# Under the number in the left column, OCR reads the slash as a marked i or the
# whole "V/" as "VÀ" ("Ví/w giải quyết", "Ví kế hoạch", "VÀ: cho ý kiến"); folded
# ("Vi/w", "VA:"), before a word in lower case.  Only there: "Vì" opens sentences.
COLUMN_VV_READ = r"V(?:[iíìỉĩị](?:/[vwyVW])?|À(?=:))(?=:?\s+[a-zà-ỹđ])"
COLUMN_VV_FOLDED = r"V(?:i(?:/[vwyVW])?|A(?=:))(?=:?\s+[a-z])"
_VV_MISREAD = re.compile(
    rf"^(?:[-.,_~'\"`]{{1,3}}\s?)?(?:{VV_READ}|{COLUMN_VV_READ})(?P<glued>(?=[^\W\d_]))?"
)
# Specks OCR reads as strokes or stops, standing alone between words ("ủy _ quyền", "_ V/v",
# "ưu : đãi").
# A stroke with a speck in it ("__-", "-_") is one too: a subject's dash stands clean.
_SPECKS = re.compile(
    r"(?:^|(?<=\s))(?:[-–—.]*[_|~ˆ¬`][-–—.\_|~ˆ¬`]*|[.:;])(?:\s+|$)|(?<=\s)\.(?=[a-zà-ỹđ])"
)
_SPECK_EDGES = "_|~ˆ¬`"
# A full stop inside a subject, before a word in lower case or a number: a speck read at
# a line's end.
_INNER_STOP = re.compile(r"(?<=[^\W\d_])\.\s+(?=[a-zà-ỹđ0-9])")
# A space OCR read after a colon between digits: a standard's number holds none
# ("QCVN 03: 2022/BXD" for "QCVN 03:2022/BXD").
_DIGIT_COLON = re.compile(r"(?<=\d):\s+(?=\d)")
# A semicolon between two words: a comma OCR read with a speck above it (a
# subject is one phrase; it lists with commas).
_INNER_SEMICOLON = re.compile(r"(?<=[^\W\d_]);(?=\s+[^\W\d_])")
# A colon after a word (not the first: "V/v:", "Về:"), before a word in lower case: a
# speck ("và: tuyển").
_INNER_COLON = re.compile(r"(\s[^\W\d_]+):\s+(?=[a-zà-ỹđ])")
# Strokes glued to a word's end, with an opening quote (never at a word's end):
# "XVI_“"; and quotes or strokes standing alone between words ('"¬').
_GLUED_SPECKS = re.compile(r"(?<=\w)[_|~ˆ¬`]+[“\"']?(?=\s|$)")
_LONE_QUOTES = re.compile(r"(?:^|(?<=\s))[\"“”'‘’¬_|~`]+(?=\s|$)")
# In a subject in capitals, before the next word or number: a speck too, after a word
# (not an abbreviation of consonants) (``KIỂM SÁT. VIÊN``, ``BỘ: MÁY``, ``SỐ: 12/...``).
_CAPS_INNER_STOP = re.compile(r"(?P<word>\b[^\W\d_]+)[.:]\s+(?=[^\W_])")
_VOWEL = re.compile(r"[AEIOUY]")
# A dash alone between a word and a number: a range runs number to number
# ("2016 - 2025"), names word to word ("kinh tế - xã hội"); "năm - 2011" is a speck.
_WORD_DASH_NUMBER = re.compile(r"(?<=[^\W\d_]) [-–—] (?=\d)")
_QUOTES = '"“”'
# A cited symbol's hyphen or stop with a space read after it ("30/2019/TT- NHNN",
# "COVID- 19"): a symbol holds no space.
_SPACED_JOIN = re.compile(r"(?P<left>\S+)(?P<mark>[-.])\s+(?=[^\W_])")
# A number/symbol cited in a subject ("số 43/2011/TT.BYT"), less its trailing marks.
_CITED = re.compile(r"(?<!\S)\d{1,6}/(?:(?:19|20)\d\d/)?[A-ZĐ][\w.&-]*[\w&]")
# A vowel OCR read twice, with a mark ("trụực", "phổố", "quáản"): no Vietnamese
# syllable holds one vowel twice running, save "ưu" (cứu, lưu) and the plain "oo" of
# loan words (xoong); plain "ii" is a roman numeral's.  The second reading stands:
# the first is the one misread.
# A word OCR read below this confidence may hold a misread mark even where the
# document prints it so elsewhere (the same misreading repeats in the body):
# on the real set's scans, subject words misread read 0-96, three in four of
# those read right 95 or more (bench/extraction.py --real; 90 gained less).
UNSURE_WORD = 95.0
# A function word (lexicon.FUNCTION_WORDS) pairs with any word: one may be a
# misread word only below this.  On the real set's scans the two misread
# ("vì", "để") read 72 and 78; of 15 read right below 80, none makes a pair the
# lexicon respells (bench/extraction.py --real); "cho người" read unsure would
# still turn "chợ người".
DOUBTED_WORD = 80.0
_VOWELS = frozenset("aeiouy")
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def caps(text: str) -> bool:
    """Whether ``text`` is in capitals (most of its letters)."""
    # filter and map over str methods: the same test without a Python loop over
    # the characters (called on each line the title search passes, it was a
    # quarter of the describer's time on born-digital files).
    letters = "".join(filter(str.isalpha, text))
    return bool(letters) and sum(map(str.isupper, letters)) >= 0.8 * len(letters)


def clean_ocr_subject(
    subject: str,
    text: str,
    read: Mapping[str, float] | None = None,
    sure: SureText | None = None,
) -> str:
    """A subject OCR read (its lines joined), without specks, its marks put right.

    Its words take the marks the document's text (``text``) gives them most
    often: OCR misreads a mark here and there, seldom alike; then a pair of
    words the language spells otherwise takes that spelling.  ``read``: each
    word (lower case) -> the confidence OCR read it with in the subject
    (``evidence.passage_confidences``); a word read unsure is respelt by the
    language even where the document prints it so elsewhere.  ``sure``: the
    document's text less the words OCR was unsure of (``evidence.sure_text``);
    given, only its pairs vote for the marks.
    """
    subject = _GLUED_SPECKS.sub("", _LONE_QUOTES.sub("", subject))
    subject = " ".join(_SPECKS.sub("", subject).split()).lstrip(_SPECK_EDGES)
    # A subject never ends on these; a dash there is a speck (a range cut at the
    # line's end goes on on the next line, inside the subject).
    subject = subject.rstrip(_SPECK_EDGES + ":;, -–—")
    subject = _INNER_COLON.sub(r"\1 ", _INNER_STOP.sub(" ", subject.strip()))
    subject = _DIGIT_COLON.sub(":", _INNER_SEMICOLON.sub(",", subject))
    subject = _WORD_DASH_NUMBER.sub(" ", _quotes(subject))
    if caps(subject):
        subject = _CAPS_INNER_STOP.sub(_unstopped, subject)
    subject = _VV_MISREAD.sub(_vv, subject, count=1)
    subject = _undoubled(_CITED.sub(_cited, _SPACED_JOIN.sub(_joined, subject)))
    subject = mend_cited_types(subject)
    unsure = frozenset(word for word, confidence in (read or {}).items()
                       if confidence < UNSURE_WORD)  # fmt: skip
    subject = restore_letters(lengthen_numerals(subject, text, read or {}), text, read or {})
    subject = mend_pairs(subject, text, read or {})
    doubted = frozenset(word for word, confidence in (read or {}).items()
                        if confidence < DOUBTED_WORD)  # fmt: skip
    subject = split_by_text(subject, text)
    subject = respell_by_text(subject, text if sure is None else sure, read)
    subject = retone_by_lexicon(subject, text, unsure, doubted, sure.text if sure else "")
    return respell_countries(respell_provinces(subject))


def _cited(match: re.Match[str]) -> str:
    """A cited symbol OCR ran together, its hyphen put back (``TTBXD`` -> ``TT-BXD``).

    One with a stop is left as read: some symbols print one (``QĐ.UBND``).
    """
    symbol = match.group()
    return symbol if "." in symbol else repair_ocr_symbol(symbol)


def _joined(match: re.Match[str]) -> str:
    """A hyphen or stop and the space after it, joined when they split a symbol."""
    left, after = match["left"], match.string[match.end() : match.end() + 1]
    cited = "/" in left and any(c.isdigit() for c in left) and left[-1:].isalpha()
    if cited or (match["mark"] == "-" and after.isdigit() and left.isalpha()):
        return left + match["mark"]
    return match.group()


def _undoubled(subject: str) -> str:
    """``subject`` with each vowel OCR read twice in a word read once."""
    chars = list(subject)
    for at in range(len(chars) - 2, -1, -1):
        first, second = chars[at], chars[at + 1]
        if _read_twice(first.lower(), second.lower()):
            del chars[at]
    return "".join(chars)


def _read_twice(first: str, second: str) -> bool:
    if strip_marks(first) != strip_marks(second) or strip_marks(first) not in _VOWELS:
        return False
    pair = _toneless(first) + _toneless(second)
    # Two plain letters are no misread mark: a roman numeral (XIII), a loan word.
    return pair not in ("ưu", "oo") and first + second != strip_marks(first + second)


def _toneless(vowel: str) -> str:
    """``vowel`` without its tone mark, its hat or horn kept (``ự`` -> ``ư``)."""
    decomposed = unicodedata.normalize("NFD", vowel)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))


def _quotes(subject: str) -> str:
    """Quotes OCR read or added: a straight quote closing a curly one is the curly
    closing quote; a quote left unpaired, stuck to a word's start, a speck."""
    subject = re.sub(r"(“[^“”\"]*)\"", r"\1”", subject)
    if sum(subject.count(quote) for quote in _QUOTES) % 2:
        subject = re.sub(r"(?:^|(?<=\s))\"(?=\w)", "", subject)
    return subject


def _unstopped(match: re.Match[str]) -> str:
    """A stop or colon after a word with a vowel, inside capitals, was a speck.

    One after a word of consonants is an abbreviation's (``TP. HỒ CHÍ MINH``).
    """
    word = match["word"]
    return word + " " if _VOWEL.search(strip_marks(word).upper()) else match.group()


def _vv(match: re.Match[str]) -> str:
    """``V/v`` for its misreading, and a space if OCR ran the next word into it."""
    return "V/v " if match["glued"] is not None else "V/v"
