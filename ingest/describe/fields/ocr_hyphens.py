"""A hyphen OCR did not read in a symbol, put back after a type abbreviation: who vouches for it.

A state symbol has two parts, and one read without a hyphen may have lost it
(``TTBTC`` for ``TT-BTC``); the number reader puts it back after a type
abbreviation that opens the symbol (``numbering.repair_ocr_symbol``).  But some
offices print a symbol of one part, their own initials (``45/TTYT`` for a
Trung tâm Y tế), and its opening letters may spell a type abbreviation
(``TT``, Thông tư) by chance.  OCR's words vouch for the letters, not for a
hyphen they never held, so the number reader leaves such a symbol unvouched
(``Found.listed`` False: to review) and this reader, after the title, asks:

* the title names the type the abbreviation stands for (``TT`` under THÔNG TƯ),
  or one whose words' initials it is (``TT`` under TỜ TRÌNH): the hyphen stands,
  vouched;
* else, the issuing body's opening words' initials spell the whole symbol as
  read (``TTYT`` under TRUNG TÂM Y TẾ): the symbol is the issuer alone, as
  read, and OCR's words vouch for it;
* else the hyphen stays, unvouched: a clerk checks it.

The body's reader puts a hyphen between a công văn's issuer and its unit
where the body's initials end (``815/BXDKTXD`` -> ``815/BXD-KTXD``,
``bodies._rejoin_symbol``), matching them loosely (in order, skipping any):
under BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN a ``BNNTCTL`` read well becomes
``BNNT-CTL``, not ``BNN-TCTL``.  That hyphen is unvouched too, and vouched
here where the issuer is the initials of the body's first words (``và`` left
out): ``BXD`` under BỘ XÂY DỰNG, not ``BNNT``.
"""

from __future__ import annotations

from ingest.describe.context import DescribeContext, Found
from ingest.describe.fields.numbering import split_number_symbol
from ingest.describe.fields.strokes import initials
from ingest.describe.tables import STATE_ABBR
from kernel.text import strip_marks

MIN_BODY_WORDS = 2  # initials of one word spell no symbol


def _fold(text: str) -> str:
    return strip_marks(text).upper().replace("Đ", "D")


def _title_names(ctx: DescribeContext, abbr: str) -> bool:
    """Whether a title line read names the type ``abbr`` abbreviates."""
    doc_type = ctx.value("doc_type")
    if "title" not in ctx.found or doc_type is None:
        return False  # a type read from the symbol itself vouches for nothing
    return STATE_ABBR.get(abbr) == doc_type or _fold(initials(doc_type)) == _fold(abbr)


def spelt_by_body(symbol: str, body: str) -> bool:
    """Whether ``symbol`` is the initials of ``body``'s first words (two or more), ``và``
    left out as abbreviations leave it out (``BGDĐT``: Bộ Giáo dục và Đào tạo)."""
    words = [word for word in body.split() if _fold(word) != "VA"]
    return any(
        _fold(initials(" ".join(words[:count]))) == _fold(symbol)
        for count in range(MIN_BODY_WORDS, len(words) + 1)
    )


def vouch_put_back_hyphen(ctx: DescribeContext) -> dict[str, Found]:
    """A hyphen put back after a type abbreviation (vouched, taken out, or left to review)
    or between the issuer and the unit (vouched or left to review).

    Runs after the title and the bodies; revises ``number_symbol`` in place.
    """
    found = ctx.found.get("number_symbol")
    if found is None or found.listed or not isinstance(found.value, str):
        return {}
    parts = split_number_symbol(found.value)
    if parts is None:
        return {}
    body = ctx.value("issuing_body")
    if parts.type_abbr is None:
        # Put between the issuer and the unit: vouched where the issuer is the body's initials.
        if parts.issuer_abbr and isinstance(body, str) and spelt_by_body(parts.issuer_abbr, body):
            ctx.found["number_symbol"] = Found(found.value, found.confidence, found.region)
        return {}
    if _title_names(ctx, parts.type_abbr):
        ctx.found["number_symbol"] = Found(found.value, found.confidence, found.region)
        return {}
    read = found.value.replace("-", "")  # the state symbol as read: its one hyphen was put back
    doc_type = ctx.value("doc_type")
    issuer = read.rsplit("/", 1)[-1]
    if doc_type == STATE_ABBR.get(parts.type_abbr) or not body or not spelt_by_body(issuer, body):
        return {}
    ctx.found["number_symbol"] = Found(read, found.confidence, found.region)
    ctx.found["issuer_abbr"] = Found(issuer, found.confidence)
    ctx.found.pop("type_abbr", None)
    return {}
