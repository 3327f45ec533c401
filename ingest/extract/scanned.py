"""Turn OCR results into page content; shared by the PDF and image extractors."""

from __future__ import annotations

from collections.abc import Sequence

from ingest.extract.base import OcrResult, PageContent
from ingest.extract.zones import zones_from_words
from ingest.language import detect_language
from kernel.errors import PermanentError, QuarantineReason
from kernel.model import PageInfo


def page_from_ocr(number: int, result: OcrResult, with_zones: bool) -> PageContent:
    """The content of page ``number`` (1-based) read by OCR."""
    info = PageInfo(
        number=number,
        ocr=True,
        chars=len(result.text),
        language=detect_language(result.text),
        ocr_languages=result.languages or None,
        ocr_confidence=round(result.confidence, 1),
        rotation=result.rotation,
    )
    zones = zones_from_words(result.words) if with_zones and not result.failed else {}
    return PageContent(info=info, text=result.text, source="ocr", zones=zones, words=result.words,
                       lines=result.lines)


def raise_if_ocr_failed(results: Sequence[OcrResult], other_text: str = "") -> None:
    """``PermanentError(OCR_FAILED)`` when every OCRed page failed and nothing else was read."""
    if results and all(r.failed for r in results) and not other_text.strip():
        first = results[0].error
        raise PermanentError(
            QuarantineReason.OCR_FAILED,
            f"OCR failed on all {len(results)} page(s): {first}",
        )
