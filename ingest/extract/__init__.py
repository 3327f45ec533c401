"""Read the text out of a file: identify it by content, then dispatch by kind.

``EXTRACTORS`` maps each supported kind to the extractor that reads it; add a
format by registering another ``Extractor``.  ``extract_content`` is the one
entry point: whatever goes wrong inside a library comes out as a Docket
error (``PermanentError`` for bad input, ``ConfigError`` when Tesseract is
missing), never as the library's own exception.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Any

from ingest.extract.base import DetectedType, ExtractedContent, ExtractLimits, Extractor
from kernel.errors import DocketError, PermanentError, QuarantineReason

log = logging.getLogger(__name__)


@cache
def registered_extractors() -> dict[str, Extractor]:
    """Kind -> extractor.  Built on first use: the extractors import ``ingest.ocr``
    and ``ingest.identify``, which import ``ingest.extract.base`` from this package."""
    from ingest.extract.docx import DocxExtractor
    from ingest.extract.image import ImageExtractor
    from ingest.extract.pdf import PdfExtractor
    from ingest.extract.text import TextExtractor

    extractors: tuple[Extractor, ...] = (
        PdfExtractor(),
        DocxExtractor(),
        ImageExtractor(),
        TextExtractor(),
    )
    return {kind: extractor for extractor in extractors for kind in extractor.kinds}


def __getattr__(name: str) -> Any:
    # ``EXTRACTORS`` reads as a module constant but is built lazily (see above).
    if name == "EXTRACTORS":
        return registered_extractors()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def extract_detected(path: Path, detected: DetectedType, limits: ExtractLimits) -> ExtractedContent:
    """Extract ``path`` already identified as ``detected``."""
    extractor = registered_extractors().get(detected.kind)
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
    from ingest.identify import identify  # see registered_extractors

    limits = limits or ExtractLimits()
    return extract_detected(path, identify(path), limits)


__all__ = ["EXTRACTORS", "extract_content", "extract_detected", "registered_extractors"]
