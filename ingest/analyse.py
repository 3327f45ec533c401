"""The sandboxed half of the pipeline: identify, extract, describe one file.

``analyse_file`` runs inside a ``Sandbox`` worker process; it receives a path
and limits, touches no backend, and returns an ``Extraction``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.extract.base import ExtractedContent, ExtractLimits
from ingest.extract.formats import extractor_modules
from kernel.model import Extraction, PageInfo

if TYPE_CHECKING:  # the workers import this module: not the settings machinery
    from kernel.settings import Settings

# What a worker imports for its first file; the fork server loads them once
# (about a second of CPU a worker otherwise).  The extractors the registry of
# formats names and the OCR engine are listed too: they are imported lazily,
# on the first file (~0.6 s of CPU, numpy and lxml's imports among them).
WORKER_PRELOAD = (
    "ingest.describe",
    "ingest.extract",
    "ingest.extract.ocr",
    "ingest.language",
    *extractor_modules(),
)


@dataclass(frozen=True)
class AnalysisTask:
    path: Path
    limits: ExtractLimits


def limits_from_settings(settings: Settings) -> ExtractLimits:
    """The extraction limits that ``settings`` ask for."""
    return ExtractLimits(
        max_pages=settings.max_pages,
        max_image_pixels=settings.max_image_pixels,
        ocr_dpi=settings.ocr_dpi,
        ocr_binarize=settings.ocr_binarize,
        ocr_upscale_dpi=settings.ocr_upscale_dpi,
        ocr_tessdata=settings.ocr_tessdata,
        ocr_despeckle=settings.ocr_despeckle,
        ocr_smooth_enlarged=settings.ocr_smooth_enlarged,
        ocr_languages=tuple(settings.ocr_languages),
        ocr_page_timeout_seconds=settings.ocr_page_timeout_seconds,
        ocr_parallel=settings.workers,
        ocr_slots_dir=settings.data_dir / "ocr-slots",
        min_text_chars_per_page=settings.min_text_chars_per_page,
    )


def analyse_file(task: AnalysisTask) -> Extraction:
    """Identify, extract and describe ``task.path`` (raises ``PermanentError``)."""
    from ingest.describe import describe
    from ingest.extract import extract_content

    content = extract_content(task.path, task.limits)
    return Extraction(
        detected_type=content.detected_type.value,
        mime=content.mime,
        page_count=len(content.pages),
        pages=_page_infos(content),
        text=content.text,
        language=_document_language(content),
        metadata=describe(content),
    )


def _page_infos(content: ExtractedContent) -> list[PageInfo]:
    return [page.info for page in content.pages]


def _document_language(content: ExtractedContent) -> str | None:
    """The language of most characters, from the per-page languages."""
    from ingest.language import detect_language

    weights: dict[str, int] = {}
    for page in content.pages:
        language = page.info.language
        if language is None:
            continue
        weights[language] = weights.get(language, 0) + max(1, len(page.text))
    if weights:
        return max(weights, key=lambda lang: weights[lang])
    return detect_language(content.text[:5000])
