"""Read the text out of a file: identify it by content, then dispatch by kind.

``EXTRACTORS`` maps each supported kind to the extractor that reads it; add a
format by registering another ``Extractor``.  ``extract_content`` is the one
entry point: whatever goes wrong inside a library comes out as a Docket
error (``PermanentError`` for bad input, ``ConfigError`` when Tesseract is
missing), never as the library's own exception.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ingest.errors import DocketError, PermanentError, QuarantineReason
from ingest.extract.base import DetectedType, ExtractedContent, ExtractLimits, Extractor
from ingest.extract.docx import DocxExtractor
from ingest.extract.image import ImageExtractor
from ingest.extract.pdf import PdfExtractor
from ingest.extract.text import TextExtractor

log = logging.getLogger(__name__)


def _registry(*extractors: Extractor) -> dict[str, Extractor]:
    return {kind: extractor for extractor in extractors for kind in extractor.kinds}


EXTRACTORS: dict[str, Extractor] = _registry(
    PdfExtractor(), DocxExtractor(), ImageExtractor(), TextExtractor()
)


def extract_detected(path: Path, detected: DetectedType, limits: ExtractLimits) -> ExtractedContent:
    """Extract ``path`` already identified as ``detected``."""
    extractor = EXTRACTORS.get(detected.kind)
    if extractor is None:
        raise PermanentError(QuarantineReason.UNSUPPORTED, f"unsupported type: {detected.kind}")
    try:
        return extractor.extract(path, detected, limits)
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


def extract_content(path: Path, limits: ExtractLimits | None = None) -> ExtractedContent:
    """Identify ``path`` by its bytes and read its text, page by page."""
    # Imported here: ingest.identify needs ingest.extract.base, so importing it
    # at the top would make the two packages import each other.
    from ingest.identify import identify

    limits = limits or ExtractLimits()
    return extract_detected(path, identify(path), limits)


__all__ = ["EXTRACTORS", "extract_content", "extract_detected"]
