"""Types shared by identification, the extractors, OCR and the describer.

An extractor turns one file into ``ExtractedContent``: the text of every page
plus, for the first and the last page, the text of named *zones* (the left
and right halves of the header, where Vietnamese documents put the issuing
body and the motto, and of the lower page, where ``Nơi nhận`` and the
signature block sit).  The describer reads metadata from that content without
knowing which library produced it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ingest.extract.kinds import FileKind
from kernel.model import FieldSource, PageInfo

if TYPE_CHECKING:  # the ingest's parent imports this module and never opens an image
    from PIL import Image

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


@dataclass(frozen=True)
class TextLine:
    """One line of OCR text and the mean confidence of its words (0..100).

    A page's lines match ``text.split("\n")`` one to one; the blank line
    between two of Tesseract's blocks has no confidence (None).
    """

    text: str
    confidence: float | None


@dataclass
class PageContent:
    """The text of one page and how it was obtained."""

    info: PageInfo
    text: str
    source: FieldSource  # "text" (PDF text layer), "ocr", or "docx"
    zones: dict[str, str] = field(default_factory=dict)  # filled for first and last page
    words: list[Word] = field(default_factory=list)  # optional; OCR pages keep them
    lines: list[TextLine] = field(default_factory=list)  # OCR pages: text with confidences


@dataclass
class ExtractedContent:
    """Everything the extractor read from one file."""

    detected_type: FileKind
    mime: str
    pages: list[PageContent]

    @property
    def text(self) -> str:
        return "\n\f\n".join(page.text for page in self.pages)


@dataclass(frozen=True)
class DetectedType:
    """What identification found a file to be."""

    kind: FileKind
    mime: str


@dataclass(frozen=True)
class ExtractLimits:
    """Per-file limits and OCR choices, taken from settings by the caller."""

    max_pages: int = 2000
    max_image_pixels: int = 89_478_485
    ocr_dpi: int = 300
    ocr_binarize: bool = True  # black-and-white pages for Tesseract (ingest/binarize.py)
    # Pages scanned below this resolution are enlarged to it before OCR (0: never).
    ocr_upscale_dpi: int = 0
    ocr_tessdata: Path | None = None  # Tesseract's language data folder; None: its own
    ocr_despeckle: bool = True  # a pure black-and-white page (a fax) loses its lone dots
    # A grey scan rendered above the resolution it was scanned at goes through a 3x3 median.
    ocr_smooth_enlarged: bool = True
    # Print Tesseract's layout left unread is read once more on its own (ingest/extract/unread.py).
    ocr_reread_unread: bool = True
    ocr_languages: tuple[str, ...] = ("vie", "eng", "fra", "rus", "ces", "nor")
    ocr_page_timeout_seconds: float = 180.0
    ocr_parallel: int = 2  # Tesseract processes at once (one thread each)
    ocr_slots_dir: Path | None = None  # lock files bounding OCR across processes
    ocr_slots: int = 0  # lock files in ocr_slots_dir; 0: one per CPU core
    min_text_chars_per_page: int = 20


@dataclass
class OcrResult:
    """What OCR read from one page image."""

    text: str
    words: list[Word] = field(default_factory=list)
    lines: list[TextLine] = field(default_factory=list)  # ``text`` line by line, with confidences
    languages: str = ""  # e.g. "vie+eng"
    confidence: float = 0.0  # mean word confidence, 0..100
    rotation: int = 0  # degrees turned clockwise to make the page upright
    skew: float = 0.0  # degrees of deskew applied (counter-clockwise)
    script: str | None = None  # OSD's script, e.g. "Latin", "Cyrillic"
    passes: int = 0  # OCR passes (OSD not counted)
    error: str | None = None  # set when the page could not be OCRed

    @property
    def failed(self) -> bool:
        return self.error is not None


# ``Image.info`` key: the resolution a page was scanned at, when it was rendered above it.
SCAN_DPI = "docket_scan_dpi"
PageImages = Iterable[tuple["Image.Image", int | None]]  # (page image, its dpi when known)


class OcrEngine(Protocol):
    """Reads the text of page images.  Extractors receive one; they never start OCR themselves."""

    def read_pages(self, pages: PageImages) -> Iterator[OcrResult]:
        """One result per page, in page order, consuming ``pages`` lazily.

        A page that cannot be read (rejected, crashed, out of time) comes back
        with ``error`` set; ``ConfigError`` when OCR cannot run at all (the
        program or its language data missing).
        """
        ...


class Extractor(Protocol):
    """Reads one kind of file; the registry (``ingest.extract.formats``) says which."""

    def extract(
        self, path: Path, detected: DetectedType, limits: ExtractLimits, ocr: OcrEngine
    ) -> ExtractedContent:
        """Read ``path``; raise ``PermanentError`` for bad input."""
        ...
