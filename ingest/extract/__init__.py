"""Read the text out of a file: identify it by content, then extract it with its format's reader.

The registry of formats (``ingest.extract.formats``) says, per kind, how a
file is recognised and which extractor reads it; add a format there.
``extract_content`` is the one entry point: whatever goes wrong inside a
library comes out as a Docket error (``PermanentError`` for bad input,
``ConfigError`` when Tesseract is missing), never as the library's own
exception.  OCR is done by the ``OcrEngine`` the caller passes, Tesseract
(``ingest.extract.ocr.TesseractOcr``) when it passes none.

The floors of this package, each importing only those below it:
``kinds`` < ``base`` < ``tesseract`` < ``ocr``; ``base`` < the extractors
(``pdf``, ``image``, ``docx``, ``text``, with ``scanned``, ``zones``,
``textlayer``) < ``formats`` < ``identify`` < this module.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from ingest.extract.base import (
    DetectedType,
    ExtractedContent,
    ExtractLimits,
    OcrEngine,
    OcrResult,
    PageImages,
)
from kernel.errors import DocketError, PermanentError, QuarantineReason

log = logging.getLogger(__name__)


class _TesseractWhenNeeded:
    """Tesseract with Docket's OCR policy, imported (numpy, Pillow's filters: ~0.16 s
    of CPU) only when a page is to be read: a born-digital file never needs it, and
    neither the fork server nor its workers import it for one."""

    def __init__(self, limits: ExtractLimits) -> None:
        self.limits = limits

    def read_pages(self, pages: PageImages) -> Iterator[OcrResult]:
        pending = iter(pages)
        for first in pending:
            from ingest.extract.ocr import TesseractOcr

            yield from TesseractOcr(self.limits).read_pages(chain([first], pending))
            return


def default_engine(limits: ExtractLimits) -> OcrEngine:
    """The OCR engine of production: Tesseract with Docket's OCR policy."""
    return _TesseractWhenNeeded(limits)


def extract_detected(path: Path, detected: DetectedType, limits: ExtractLimits,
                     ocr: OcrEngine | None = None) -> ExtractedContent:
    """Extract ``path`` already identified as ``detected``."""
    from ingest.extract.formats import format_of

    extractor = format_of(detected.kind).extractor()
    try:
        return extractor.extract(path, detected, limits, ocr or default_engine(limits))
    except (DocketError, MemoryError, KeyboardInterrupt):
        raise
    except OSError as exc:
        # The file vanished or the disk failed: not the document's fault.
        if exc.filename is not None and Path(exc.filename) == path:
            raise
        raise PermanentError(
            QuarantineReason.CORRUPT, f"{detected.kind}: {type(exc).__name__}: {exc}"
        ) from exc
    except Exception as exc:
        log.warning("%s extractor failed on %s", detected.kind, path, exc_info=True)
        raise PermanentError(
            QuarantineReason.CORRUPT, f"{detected.kind}: {type(exc).__name__}: {exc}"
        ) from exc


def extract_content(path: Path, limits: ExtractLimits | None = None,
                    ocr: OcrEngine | None = None) -> ExtractedContent:
    """Identify ``path`` by its bytes and read its text, page by page."""
    # Imported here: the ingest's parent imports this package (for ``base``) and
    # never identifies a file; identify pulls the text reader and langdetect in.
    from ingest.extract.identify import identify

    limits = limits or ExtractLimits()
    return extract_detected(path, identify(path), limits, ocr)


__all__ = ["default_engine", "extract_content", "extract_detected"]
