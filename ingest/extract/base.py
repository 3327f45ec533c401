"""Types shared by the extractors (identify/extract) and the describer.

An extractor turns one file into ``ExtractedContent``: the text of every page
plus, for the first and the last page, the text of named *zones* (the left
and right halves of the header, where Vietnamese documents put the issuing
body and the motto, and of the lower page, where ``Nơi nhận`` and the
signature block sit).  The describer reads metadata from that content without
knowing which library produced it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kernel.model import FieldSource, PageInfo

# Zones as fractions of the page (x0, y0, x1, y1), origin top-left.
ZONES: dict[str, tuple[float, float, float, float]] = {
    "header_left": (0.0, 0.0, 0.47, 0.30),
    "header_right": (0.40, 0.0, 1.0, 0.30),
    "lower_left": (0.0, 0.45, 0.50, 1.0),
    "lower_right": (0.45, 0.45, 1.0, 1.0),
}


@dataclass(frozen=True)
class Word:
    """A word with its box in fractions of the page, origin top-left."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    confidence: float | None = None  # 0..100 for OCR words


@dataclass
class PageContent:
    """The text of one page and how it was obtained."""

    info: PageInfo
    text: str
    source: FieldSource  # "text" (PDF text layer), "ocr", or "docx"
    zones: dict[str, str] = field(default_factory=dict)  # filled for first and last page
    words: list[Word] = field(default_factory=list)  # optional; OCR pages keep them


@dataclass
class ExtractedContent:
    """Everything the extractor read from one file."""

    detected_type: str
    mime: str
    pages: list[PageContent]

    @property
    def text(self) -> str:
        return "\n\f\n".join(page.text for page in self.pages)


@dataclass(frozen=True)
class DetectedType:
    kind: str  # "pdf" | "docx" | "tiff" | "jpeg" | "png" | "text"
    mime: str


@dataclass(frozen=True)
class ExtractLimits:
    """Per-file limits and OCR choices, taken from settings by the caller."""

    max_pages: int = 2000
    max_image_pixels: int = 89_478_485
    ocr_dpi: int = 300
    ocr_binarize: bool = True  # black-and-white pages for Tesseract (ingest/binarize.py)
    ocr_languages: tuple[str, ...] = ("vie", "eng", "fra", "rus", "ces", "nor")
    ocr_page_timeout_seconds: float = 180.0
    ocr_parallel: int = 2  # Tesseract processes at once (one thread each)
    ocr_slots_dir: Path | None = None  # lock files bounding OCR across processes
    ocr_slots: int = 0  # lock files in ocr_slots_dir; 0: one per CPU core
    min_text_chars_per_page: int = 20


class Extractor(Protocol):
    """Reads one kind of file.  Registered by the kinds it handles."""

    kinds: tuple[str, ...]

    def extract(
        self, path: Path, detected: DetectedType, limits: ExtractLimits
    ) -> ExtractedContent:
        """Read ``path``; raise ``PermanentError`` for bad input."""
        ...
