"""Reply linking: which incoming documents an outgoing document answers.

An outgoing document names what it answers in a set phrase: "Phúc đáp Công
văn số 45/UBND-VX ngày ...", "Trả lời công văn số ...", "Thực hiện Công văn số
...", "Xét đề nghị của ... tại Tờ trình số ...".  ``find_cited`` reads those
clauses and returns each cited number/symbol with its date; ``propose_links``
matches them with registered incoming documents.  A person confirms a link
before an assignment closes on it: these are proposals.

A plain citation ("Căn cứ Nghị định số ...", "Tiếp theo Công văn số ..." of
the body's own earlier letter) is not a reply and is not returned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ingest.describe.fields.dating import VIETNAMESE_DATE, valid_date
from ingest.describe.fields.numbering import NumberSymbol, split_number_symbol
from kernel.text import normalize_text, strip_marks


class CiteKind(StrEnum):
    """How the outgoing document relates to the cited one, strongest first."""

    REPLY = "reply"  # Phúc đáp, Trả lời: it answers it
    IMPLEMENTS = "implements"  # Thực hiện: it carries out what the cited one asks
    REQUEST = "request"  # Xét đề nghị, Về đề nghị, nhận được: it decides on a request


# Cues on folded, lower-cased text.  Reply verbs and "nhận được" bind wherever
# they stand; the others only open a clause ("thực hiện" inside a sentence is
# mostly "tổ chức thực hiện", not a reference to what is answered).
_DOC_WORDS = r"(?:cong van|van ban|cong dien|to trinh|bao cao|thong bao|de nghi)"
_ANYWHERE = re.compile(
    rf"\b(?:(?P<reply>phuc dap|tra loi)|(?:da )?nhan duoc(?= (?:cac )?{_DOC_WORDS}))\b")
_CLAUSE_START = re.compile(
    r"(?:^|(?<=[.;:(\n]))\s*(?:\d{1,2}[.)]\s*|[a-z][.)]\s*|[-+*]\s*)?"
    r"(?P<cue>(?P<implements>thuc hien)|(?:sau khi )?(?:xem )?xet|(?:ve|theo) de nghi)\b")
_CLAUSE_END = re.compile(r"[.;:](?=\s|$)|\n\s*\n")
_CLAUSE_MOST = 400  # characters a cue's clause may run to
# "số 45/UBND-VX", "số: 78/2025/NQ-HĐND", "số 425/03/KHVT-VF", "số 09-NQ/TU".
_CITED = re.compile(
    r"\bso\s*:?\s*(?P<ns>\d{1,6}(?:/\d{2,4}(?=/))?(?:[/-][a-z0-9&.]*[a-z0-9&])+)(?![\w/-])")
# The subject of the cited document opens here; citations inside it are not answered.
_SUBJECT = re.compile(r"\b(?:ve viec|v/v|ve|theo)\b")
_DATE_AHEAD = re.compile(r"\s*\)?\s*,?\s*(?:de |den |ban hanh )?(?=ngay)")
_NUMERIC_DATE = re.compile(r"ngay\s*(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*"
                           r"(?P<y>\d{4})(?!\d)")
# OCR and typists split a symbol at its hyphen or slash ("1498- CV/ HU").
_SPLIT_BEFORE = re.compile(r"(?<=[\w&])[ \t]+([-/&])(?=\w)")
_SPLIT_AFTER = re.compile(r"(?<=\w)([-/&])[ \t]+(?=[\w&])")


@dataclass(frozen=True)
class CitedDocument:
    """A document an outgoing one cites as what it answers, implements or decides on."""

    number_symbol: str
    parts: NumberSymbol | None
    issued: date | None
    kind: CiteKind
    cue: str  # the phrase as printed: "Phúc đáp", "Thực hiện"...


def _prepare(text: str) -> str:
    # Line ends stay: a cue may open a line, and a clause runs over wrapped lines.
    text = normalize_text(text).replace("\r\n", "\n")
    text = re.sub(r"(?<=\w)([-/])[ \t]*\n[ \t]*(?=\w)", r"\1", text)  # "45/STC-" | "NS"
    return _SPLIT_AFTER.sub(r"\1", _SPLIT_BEFORE.sub(r"\1", text))


def _cues(folded: str) -> list[tuple[int, int, CiteKind]]:
    """(start, end, kind) of each cue phrase, in order."""
    found: list[tuple[int, int, CiteKind]] = []
    for match in _ANYWHERE.finditer(folded):
        kind = CiteKind.REPLY if match["reply"] else CiteKind.REQUEST
        found.append((match.start(), match.end(), kind))
    for match in _CLAUSE_START.finditer(folded):
        kind = CiteKind.IMPLEMENTS if match["implements"] else CiteKind.REQUEST
        found.append((match.start("cue"), match.end("cue"), kind))
    return sorted(found)


def _date_after(folded: str, at: int) -> date | None:
    ahead = _DATE_AHEAD.match(folded, at)
    if ahead is None:
        return None
    start = ahead.end()
    for pattern in (_NUMERIC_DATE, VIETNAMESE_DATE):
        match = pattern.match(folded, start)
        if match:
            return valid_date(int(match["y"]), int(match["m"]), int(match["d"]))
    return None


def _clause_citations(text: str, folded: str, start: int, limit: int, kind: CiteKind,
                      cue: str) -> Iterator[tuple[int, CitedDocument]]:
    """The citations of the clause from ``start`` (a cue's end) to its end, ``limit``
    (the next cue) at the latest, up to the cited document's subject."""
    limit = min(limit, start + _CLAUSE_MOST)
    end = _CLAUSE_END.search(folded, start, limit)
    stop = end.start() if end else limit
    last = start
    for match in _CITED.finditer(folded, start, stop):
        if last > start and _SUBJECT.search(folded, last, match.start()):
            break  # "... về việc thực hiện Nghị định số ...": the subject, not a reply
        raw = text[match.start("ns"):match.end("ns")]
        if not any(c.isalpha() for c in raw):
            continue
        cited = CitedDocument(raw, split_number_symbol(raw),
                              _date_after(folded, match.end("ns")), kind, cue)
        last = match.end()
        yield match.start("ns"), cited


def _rank(cited: CitedDocument) -> tuple[int, bool]:
    return list(CiteKind).index(cited.kind), cited.issued is None


def find_cited(text: str) -> list[CitedDocument]:
    """The documents ``text`` (an outgoing document) answers, implements or decides on.

    Each number/symbol once, in order of first appearance; when it is cited
    more than once the strongest kind (reply first), then a dated mention, is kept.
    """
    text = _prepare(text)
    folded = strip_marks(text).lower()
    best: dict[str, tuple[int, CitedDocument]] = {}
    cues = _cues(folded)
    limits = [cue[0] for cue in cues[1:]] + [len(folded)] * bool(cues)
    for (start, end, kind), limit in zip(cues, limits, strict=True):
        for position, cited in _clause_citations(text, folded, end, limit, kind,
                                                 text[start:end]):
            key = symbol_key(cited.number_symbol)
            held = best.get(key)
            if held is None:
                best[key] = (position, cited)
            elif _rank(cited) < _rank(held[1]):
                best[key] = (held[0], cited)
    return [cited for _, cited in sorted(best.values(), key=lambda item: item[0])]


def symbol_key(number_symbol: str) -> str:
    """A number/symbol folded for comparison: ``45/UBND-VX`` ~ ``45/ubnd - vx``, ``Đ`` ~ ``D``."""
    return re.sub(r"\s+", "", strip_marks(normalize_text(number_symbol))).upper().lstrip("0")


@dataclass(frozen=True)
class IncomingRef:
    """What the register knows of an incoming document, for matching."""

    doc_id: str
    number_symbol: str
    issued: date | None


@dataclass(frozen=True)
class ProposedLink:
    """An incoming document a citation names; ``exact`` when the dates agree too."""

    cited: CitedDocument
    incoming: IncomingRef
    exact: bool


def propose_links(cited: Iterable[CitedDocument],
                  incoming: Iterable[IncomingRef]) -> list[ProposedLink]:
    """Incoming documents whose number/symbol a citation names.

    The number restarts every year, so a citation's date, when printed, must be
    the incoming document's date; without a date on either side the link is
    proposed but not ``exact``.
    """
    by_key: dict[str, list[IncomingRef]] = {}
    for ref in incoming:
        by_key.setdefault(symbol_key(ref.number_symbol), []).append(ref)
    links = []
    for citation in cited:
        for ref in by_key.get(symbol_key(citation.number_symbol), []):
            if citation.issued and ref.issued and citation.issued != ref.issued:
                continue
            exact = citation.issued is not None and citation.issued == ref.issued
            links.append(ProposedLink(citation, ref, exact))
    return links
