"""The shape of a sample document, independent of the file format it is written in.

A composer (``state``, ``party``, ``foreign``) fills a ``DocumentSpec``; the
layout turns it into positioned lines, which the PDF, scan and DOCX writers
draw.  The true metadata travels with the spec so it can never disagree with
what was printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class Para:
    """A paragraph (or a single printed line) with its typography."""

    text: str
    bold: bool = False
    italic: bool = False
    size: float = 13.0
    align: Align = "left"
    indent: float = 0.0  # first-line indent, mm
    rule: float = 0.0  # > 0: a horizontal rule of this width (mm) instead of text
    boxed: bool = False  # a stamp (MẬT, KHẨN): framed, drawn in red
    space_before: float = 0.0  # mm
    wrap: bool = True  # False: keep on one line even if it overflows


@dataclass
class DocumentSpec:
    """Everything printed on a document, by region, plus its true metadata."""

    language: str
    header_left: list[Para] = field(default_factory=list)  # bodies, rule / asterisk
    header_right: list[Para] = field(default_factory=list)  # motto or Party name, rule
    number_block: list[Para] = field(default_factory=list)  # left: Số ..., stamps, V/v ...
    date_block: list[Para] = field(default_factory=list)  # right: place and date
    title: list[Para] = field(default_factory=list)  # centred type name and subject
    addressees: list[Para] = field(default_factory=list)  # Kính gửi
    body: list[Para] = field(default_factory=list)
    recipients: list[Para] = field(default_factory=list)  # lower left: Nơi nhận
    signature: list[Para] = field(default_factory=list)  # lower right
    # Printed after the signature, from a new page: an appendix, or the
    # regulation a decision issues.  Empty on most documents.
    appendix: list[Para] = field(default_factory=list)
    # A copy (bản sao) ends with its own block under a full-width rule: the
    # copying body and the copy's number left, the form (SAO Y) and date right,
    # then its own Nơi nhận and signature.  Empty on an original.
    copy_left: list[Para] = field(default_factory=list)
    copy_right: list[Para] = field(default_factory=list)
    copy_recipients: list[Para] = field(default_factory=list)
    copy_signature: list[Para] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    def regions(self) -> list[list[Para]]:
        """Regions in reading order, which is also the order of the true text."""
        return [
            self.header_left,
            self.header_right,
            self.number_block,
            self.date_block,
            self.title,
            self.addressees,
            self.body,
            self.recipients,
            self.signature,
            self.appendix,
            self.copy_left,
            self.copy_right,
            self.copy_recipients,
            self.copy_signature,
        ]
