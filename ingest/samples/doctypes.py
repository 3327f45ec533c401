"""Document types of Decree 30/2020 (art. 7) and of the Party, with their abbreviations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BodyKind = Literal["decision", "letter", "report", "notice", "normative", "law"]


@dataclass(frozen=True)
class DocType:
    """One document type: canonical name, symbol abbreviation and body shape."""

    name: str  # canonical Vietnamese name, e.g. "Quyết định"
    abbr: str | None  # None: the symbol has no type part (state công văn, thư công)
    body: BodyKind
    addressed: bool = False  # carries "Kính gửi:"
    titled: bool = True  # False: no type name line (công văn: subject under the number)
    legal: bool = False  # legal-normative: the symbol carries the year

    @property
    def title(self) -> str:
        return self.name.upper()


STATE_TYPES: tuple[DocType, ...] = (
    DocType("Nghị quyết", "NQ", "decision"),
    DocType("Quyết định", "QĐ", "decision"),
    DocType("Chỉ thị", "CT", "report"),
    DocType("Quy chế", "QC", "report"),
    DocType("Quy định", "QyĐ", "report"),
    DocType("Thông cáo", "TC", "notice"),
    DocType("Thông báo", "TB", "notice"),
    DocType("Hướng dẫn", "HD", "report"),
    DocType("Chương trình", "CTr", "report"),
    DocType("Kế hoạch", "KH", "report"),
    DocType("Phương án", "PA", "report"),
    DocType("Đề án", "ĐA", "report"),
    DocType("Dự án", "DA", "report"),
    DocType("Báo cáo", "BC", "report", addressed=True),
    DocType("Biên bản", "BB", "notice"),
    DocType("Tờ trình", "TTr", "report", addressed=True),
    DocType("Hợp đồng", "HĐ", "notice"),
    DocType("Công văn", None, "letter", addressed=True, titled=False),
    DocType("Công điện", "CĐ", "letter", addressed=True),
    DocType("Bản ghi nhớ", "BGN", "notice"),
    DocType("Bản thỏa thuận", "BTT", "notice"),
    DocType("Giấy ủy quyền", "GUQ", "notice"),
    DocType("Giấy mời", "GM", "notice", addressed=True),
    DocType("Giấy giới thiệu", "GGT", "notice", addressed=True),
    DocType("Giấy nghỉ phép", "GNP", "notice"),
    DocType("Phiếu gửi", "PG", "notice"),
    DocType("Phiếu chuyển", "PC", "notice"),
    DocType("Phiếu báo", "PB", "notice"),
    # No abbreviation either, but unlike a công văn it carries its type name as a
    # title line (only the công văn is untitled in Decree 30): the title tells them apart.
    DocType("Thư công", None, "letter", addressed=True),
)

# Legal-normative documents: the number carries the year (78/2025/NQ-HĐND).  A law
# has no type part: "Luật số: 45/2024/QH15", the issuer carrying the legislature.
LEGAL_TYPES: tuple[DocType, ...] = (
    DocType("Nghị quyết", "NQ", "decision", legal=True),
    DocType("Quyết định", "QĐ", "decision", legal=True),
    DocType("Nghị định", "NĐ", "normative", legal=True),
    DocType("Thông tư", "TT", "normative", legal=True),
    DocType("Luật", None, "law", legal=True),
)

# Copies (Decree 30, art. 25): the copy block at the end carries its own number,
# whose symbol opens with the form's abbreviation ("Số: 05/SY-VP").
COPY_FORMS: dict[str, tuple[str, str]] = {  # abbreviation -> (name, as printed)
    "SY": ("Bản sao y", "SAO Y"),
    "TrS": ("Bản trích sao", "TRÍCH SAO"),
    "SL": ("Bản sao lục", "SAO LỤC"),
}

PARTY_TYPES: tuple[DocType, ...] = (
    DocType("Nghị quyết", "NQ", "decision"),
    DocType("Quyết định", "QĐ", "decision"),
    DocType("Quy định", "QĐ", "report"),  # same abbreviation: the title decides
    DocType("Chỉ thị", "CT", "report"),
    DocType("Kết luận", "KL", "notice"),
    DocType("Thông tri", "TT", "report"),
    DocType("Quy trình", "QTr", "report"),
    DocType("Công văn", "CV", "letter", addressed=True, titled=False),
    DocType("Báo cáo", "BC", "report", addressed=True),
    DocType("Thông báo", "TB", "notice"),
    DocType("Kế hoạch", "KH", "report"),
    DocType("Tờ trình", "TTr", "report", addressed=True),
    DocType("Hướng dẫn", "HD", "report"),
)


def state_type(name: str) -> DocType:
    """The state type called ``name`` ("Quyết định")."""
    return next(t for t in STATE_TYPES if t.name == name)


def legal_type(name: str) -> DocType:
    """The legal-normative type called ``name`` ("Luật", "Nghị định")."""
    return next(t for t in LEGAL_TYPES if t.name == name)


def party_type(name: str) -> DocType:
    """The Party type called ``name``."""
    return next(t for t in PARTY_TYPES if t.name == name)
