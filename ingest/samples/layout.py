"""Lay a ``DocumentSpec`` out on A4 pages: positioned lines shared by every writer.

Positions are in millimetres from the top-left corner.  The text PDF and the
scanned image draw the same ``PageLayout``, so a scan's true text is exactly
the text PDF's.  Geometry follows Decree 30 (margins 20-30 mm, the header in
two columns: the issuing body left of 45 % of the width, the motto right of it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from ingest.samples.spec import DocumentSpec, Para

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20.0, 20.0, 30.0, 15.0
HEADER_LEFT = (18.0, 92.0)  # ends before 45 % of the width (94.5 mm)
HEADER_RIGHT = (97.0, 202.0)
FOOTER_LEFT = (MARGIN_LEFT, 100.0)
FOOTER_RIGHT = (108.0, PAGE_W - MARGIN_RIGHT)
FOOTER_MIN_Y = 140.0  # the signature sits in the lower part of the page
PT_MM = 25.4 / 72.0
COPY_GAP = 6.0  # between the original's signature and the rule over a copy block

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# Condensed DejaVu Serif (fonts-dejavu-extra) is close to Times New Roman in width, so
# the national motto fits its column as on real documents; plain DejaVu Serif
# (fonts-dejavu-core) is the fallback.
_FONT_FILES = {
    "": ("DejaVuSerifCondensed.ttf", "DejaVuSerif.ttf"),
    "B": ("DejaVuSerifCondensed-Bold.ttf", "DejaVuSerif-Bold.ttf"),
    "I": ("DejaVuSerifCondensed-Italic.ttf", "DejaVuSerif-Italic.ttf"),
    "BI": ("DejaVuSerifCondensed-BoldItalic.ttf", "DejaVuSerif-BoldItalic.ttf"),
}
_MEASURE_PX = 200


def font_path(style: str) -> Path:
    """The TTF file for ``style`` ("", "B", "I", "BI")."""
    for name in _FONT_FILES[style]:
        path = FONT_DIR / name
        if path.exists():
            return path
    raise FileNotFoundError(f"no DejaVu Serif font in {FONT_DIR}: install fonts-dejavu-core")


def style_of(bold: bool, italic: bool) -> str:
    return ("B" if bold else "") + ("I" if italic else "")


@lru_cache(maxsize=8)
def _measure_font(style: str) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(style)), _MEASURE_PX)


@lru_cache(maxsize=65536)
def _word_width(word: str, style: str) -> float:
    return _measure_font(style).getlength(word) / _MEASURE_PX * PT_MM


def text_width(text: str, style: str, size: float) -> float:
    """Width of ``text`` in mm at ``size`` points.

    Summed word by word (cached): measuring every candidate line anew made
    wrapping quadratic, and kerning across a space is negligible.
    """
    words = text.split(" ")
    total = sum(_word_width(word, style) for word in words)
    return (total + (len(words) - 1) * _word_width(" ", style)) * size


@dataclass(frozen=True)
class Placed:
    """One line of text at its baseline position (mm) on a page."""

    x: float
    y: float
    text: str
    style: str
    size: float
    boxed: bool = False


@dataclass(frozen=True)
class Rule:
    """A horizontal line, as drawn under the issuing body and the motto."""

    x0: float
    x1: float
    y: float


@dataclass(frozen=True)
class Seal:
    """A round red seal (mm), pressed over the signer's block: ink, not text."""

    x: float  # centre
    y: float
    radius: float
    ring: str  # the name printed around the rim (drawn on scans only)


@dataclass
class PageLayout:
    """Everything drawn on one page, in reading order."""

    lines: list[Placed] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    seals: list[Seal] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def line_height(size: float) -> float:
    return size * PT_MM * 1.3


def wrap(para: Para, width: float) -> list[str]:
    """Greedy word wrap of ``para`` into lines no wider than ``width`` mm."""
    style = style_of(para.bold, para.italic)
    if not para.wrap or text_width(para.text, style, para.size) + para.indent <= width:
        return [para.text]
    lines: list[str] = []
    current = ""
    for word in para.text.split():
        candidate = f"{current} {word}" if current else word
        avail = width - (para.indent if not lines else 0)
        if current and text_width(candidate, style, para.size) > avail:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


class _Flow:
    """Places paragraphs down the page, starting a new page when one is full."""

    def __init__(self) -> None:
        self.pages: list[PageLayout] = [PageLayout()]
        self.y = MARGIN_TOP

    @property
    def page(self) -> PageLayout:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(PageLayout())
        number = str(len(self.pages))  # Decree 30: page numbers from page 2, top centre
        x = PAGE_W / 2 - text_width(number, "", 12) / 2
        self.page.lines.append(Placed(x, 12.0, number, "", 12))
        self.y = MARGIN_TOP

    def column(self, paras: list[Para], x0: float, x1: float, y: float | None = None) -> float:
        """Place ``paras`` in the column ``x0..x1`` from ``y``; returns the y below them."""
        if y is not None:
            self.y = y
        for para in paras:
            self.y += para.space_before
            if para.rule:
                mid = (x0 + x1) / 2
                self.page.rules.append(Rule(mid - para.rule / 2, mid + para.rule / 2, self.y + 2.6))
                self.y += 4.5
                continue
            style = style_of(para.bold, para.italic)
            lh = line_height(para.size)
            for i, text in enumerate(wrap(para, x1 - x0)):
                if self.y + lh > PAGE_H - MARGIN_BOTTOM:
                    self.new_page()
                self.y += lh
                width = text_width(text, style, para.size)
                if para.align == "center":
                    x = (x0 + x1) / 2 - width / 2
                elif para.align == "right":
                    x = x1 - width
                else:
                    x = x0 + (para.indent if i == 0 else 0)
                self.page.lines.append(Placed(x, self.y, text, style, para.size, para.boxed))
            self.y += 1.0 if para.size >= 13 and para.align != "center" else 0.0
            if para.boxed:
                self.y += 2.0
        return self.y


def layout(spec: DocumentSpec) -> list[PageLayout]:
    """The pages of ``spec``, each with its positioned lines."""
    flow = _Flow()
    left_end = flow.column(spec.header_left, *HEADER_LEFT, y=MARGIN_TOP - 4)
    right_end = flow.column(spec.header_right, *HEADER_RIGHT, y=MARGIN_TOP - 4)
    top = max(left_end, right_end) + 1.5
    left_end = flow.column(spec.number_block, *HEADER_LEFT, y=top)
    right_end = flow.column(spec.date_block, *HEADER_RIGHT, y=top)
    flow.y = max(left_end, right_end) + 2
    content = (MARGIN_LEFT, PAGE_W - MARGIN_RIGHT)
    flow.column(spec.title, *content)
    flow.column(spec.addressees, *content)
    flow.column(spec.body, *content)
    if spec.recipients or spec.signature:
        height = max(_height(spec.recipients, FOOTER_LEFT), _height(spec.signature, FOOTER_RIGHT))
        if flow.y + height > PAGE_H - MARGIN_BOTTOM:
            flow.new_page()
        top = max(flow.y, FOOTER_MIN_Y if len(flow.pages) == 1 else flow.y)
        left_end = flow.column(spec.recipients, *FOOTER_LEFT, y=top)
        right_end = flow.column(spec.signature, *FOOTER_RIGHT, y=top)
        flow.y = max(left_end, right_end)
    if spec.appendix:
        flow.new_page()
        flow.column(spec.appendix, *content)
    if spec.copy_left or spec.copy_right:
        _copy_block(flow, spec)
    return flow.pages


def _copy_block(flow: _Flow, spec: DocumentSpec) -> None:
    """The copy's own block under the original, kept together on one page."""
    head = max(_height(spec.copy_left, HEADER_LEFT), _height(spec.copy_right, HEADER_RIGHT))
    foot = max(_height(spec.copy_recipients, FOOTER_LEFT),
               _height(spec.copy_signature, FOOTER_RIGHT))  # fmt: skip
    if flow.y + COPY_GAP + head + foot > PAGE_H - MARGIN_BOTTOM:
        flow.new_page()
    flow.y += COPY_GAP
    flow.page.rules.append(Rule(MARGIN_LEFT, PAGE_W - MARGIN_RIGHT, flow.y))
    top = flow.y + 1.0
    left_end = flow.column(spec.copy_left, *HEADER_LEFT, y=top)
    right_end = flow.column(spec.copy_right, *HEADER_RIGHT, y=top)
    top = max(left_end, right_end) + 1.0
    flow.column(spec.copy_recipients, *FOOTER_LEFT, y=top)
    flow.column(spec.copy_signature, *FOOTER_RIGHT, y=top)


def _height(paras: list[Para], column: tuple[float, float]) -> float:
    """Height of ``paras`` in ``column``, wrapped lines included."""
    width = column[1] - column[0]
    return sum(
        p.space_before + (4.5 if p.rule else (line_height(p.size) * len(wrap(p, width)) + 1))
        for p in paras
    )
