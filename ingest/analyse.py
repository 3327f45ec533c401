"""The sandboxed half of the pipeline: identify, extract, describe one file.

``analyse_file`` runs inside a ``Sandbox`` worker process; it receives a path
and limits, touches no backend, and returns an ``Extraction``.
``analyse_and_archive`` (what the ingest's workers run) then also stores the
file's original and text, verified, when the task names a store the worker
may write to (a folder it shares with the parent: ``for_workers``).  The
parent stays the one that numbers, records and releases; it stores what a
worker did not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.extract.base import ExtractedContent, ExtractLimits
from ingest.extract.formats import extractor_modules
from ingest.store.base import ObjectStore, StoredObject
from kernel.errors import TransientError
from kernel.model import Extraction, PageInfo, original_key, text_key

if TYPE_CHECKING:  # the workers import this module: not the settings machinery
    from kernel.settings import Settings

# What a worker imports for its first file; the fork server loads them once
# (about a second of CPU a worker otherwise).  The extractors the registry of
# formats names are listed too: they are imported lazily, on the first file
# (lxml's import among them).  The OCR engine is not: it is imported in a worker
# only once a page is to be OCRed (``ingest.extract.default_engine``; numpy and
# Pillow's filters, ~0.16 s of CPU), which a run of born-digital files never pays
# and a run of scans pays once a worker rather than once.
WORKER_PRELOAD = (
    "ingest.describe",
    "ingest.extract",
    "ingest.extract.identify",
    "ingest.language",
    "ingest.store.local",  # the store workers archive into (``for_workers``)
    *extractor_modules(),
)


@dataclass(frozen=True)
class ArchiveTarget:
    """Where a worker stores the file it read: a store it may write to itself (small
    and picklable, from ``for_workers``) and the file's SHA-256, its content key."""

    store: ObjectStore
    sha256: str


@dataclass(frozen=True)
class AnalysisTask:
    path: Path
    limits: ExtractLimits
    archive: ArchiveTarget | None = None


@dataclass(frozen=True)
class Analysis:
    """What a worker made of a file, and its original as the worker stored it (with the
    text beside it), or None: the parent stores both."""

    extraction: Extraction
    stored: StoredObject | None = None


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
        ocr_reread_unread=settings.ocr_reread_unread,
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


def analyse_and_archive(task: AnalysisTask) -> Analysis:
    """``analyse_file``, then the original and text stored under their content keys
    (read back and verified; flushed later, with the group) if ``task.archive`` says where.

    A store that fails here leaves the storing to the parent, which reports the
    store's error as it always did (the original stays in the inbox).
    """
    extraction = analyse_file(task)
    target = task.archive
    if target is None:
        return Analysis(extraction)
    try:
        stored = target.store.put_file(original_key(target.sha256), task.path, target.sha256,
                                       extraction.mime, durable=False)
        target.store.put_bytes(text_key(target.sha256), extraction.text.encode("utf-8"),
                               "text/plain; charset=utf-8", durable=False)
    except TransientError:
        return Analysis(extraction)
    return Analysis(extraction, stored)


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
