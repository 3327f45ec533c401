"""No name, number or body of the real-document set appears in the describer's code.

The describer must read real documents by rule, not by memory: a signer's
name, a number/symbol or a full issuing-body string of tests/resources/real
found in the source of ``ingest/describe/`` fails this test (an issuer
printed under a parent body counts with its parent, and one printed beside an
organisation's own name at the top right with that name).  Compared
folded (no diacritics, Đ as D), lower case, spaces collapsed.  Single place
words are not compared (a gazetteer of all provinces may hold them); bodies
of the national closed list (Quốc hội, Chính phủ, ministries and their
general departments, the supreme court and procuracy) may be named, as any
list of state bodies names them.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ingest.samples.real import load_real_documents

ROOT = Path(__file__).resolve().parents[3]
REAL = ROOT / "tests" / "resources" / "real" / "documents"
DESCRIBER = ROOT / "ingest" / "describe"
NATIONAL_LEVELS = ("national", "ministry", "assembly")


def folded(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def _national(document: dict) -> bool:
    """A body of the national closed list: national levels, and the supreme court or procuracy."""
    if document.get("level") in NATIONAL_LEVELS:
        return True
    truth = document["truth"]
    supreme = (truth.get("issuing_body") or "").endswith("TỐI CAO") and not truth.get("parent_body")
    return document.get("level") in ("court", "procuracy") and supreme


def _vocabulary() -> dict[str, str]:
    """Folded entry -> where it comes from."""
    entries: dict[str, str] = {}
    for document in load_real_documents(REAL):
        truth, ident = document["truth"], document["id"]
        signer = (document["print"].get("signature") or {}).get("name")
        for name in {truth.get("signer_name"), signer} - {None}:
            entries[folded(name)] = f"{ident} signer {name}"
        if truth.get("number_symbol"):
            entries[folded(truth["number_symbol"])] = f"{ident} number {truth['number_symbol']}"
        if not _national(document):
            # Under a parent the issuer's own line is an organ's common name
            # ("SỞ TÀI CHÍNH", "BAN THƯỜNG TRỰC"): the parent names the body.
            # An organisation printing its own name at the top right (the Youth
            # Union's "ĐOÀN TNCS HỒ CHÍ MINH" over "BAN CHẤP HÀNH TRUNG ƯƠNG")
            # names the body there, as a parent does.
            own = " ".join(document["print"].get("header_right") or [])
            parent, issuer = truth.get("parent_body") or own or None, truth.get("issuing_body")
            names = [f"{parent} {issuer}", parent] if parent else [issuer]
            for body in names:
                if body and len(body.split()) > 1:
                    entries[folded(body)] = f"{ident} body {body}"
    return entries


def _source() -> str:
    texts = [path.read_text(encoding="utf-8") for path in sorted(DESCRIBER.rglob("*.py"))]
    return folded("\n".join(texts))


def test_the_real_set_is_there() -> None:
    assert len(_vocabulary()) >= 10


def test_no_real_name_number_or_body_is_in_the_describer() -> None:
    source = _source()
    found = [
        where for entry, where in _vocabulary().items()
        if re.search(rf"(?<![\w/-]){re.escape(entry)}(?![\w/-])", source)
    ]  # fmt: skip
    assert found == []


def test_the_check_sees_an_entry_when_it_is_there() -> None:
    entry, where = next(iter(_vocabulary().items()))
    source = _source() + "\n" + entry.upper()
    assert re.search(rf"(?<![\w/-]){re.escape(entry)}(?![\w/-])", folded(source)), where
