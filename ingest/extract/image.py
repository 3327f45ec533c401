"""Scanned images: TIFF (every frame), JPEG and PNG, each frame OCRed.

Pillow's decompression-bomb guard stays on: the pixel limit comes from
``limits.max_image_pixels`` and the warning Pillow gives between one and two
times the limit is an error here too, so a bomb is refused before decoding.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageFile, ImageSequence, UnidentifiedImageError

from ingest.extract.base import DetectedType, ExtractedContent, ExtractLimits, OcrEngine
from ingest.extract.scanned import page_from_ocr, raise_if_ocr_failed
from kernel.errors import PermanentError, QuarantineReason

# MAX_IMAGE_PIXELS is a Pillow global; set it under a lock per extraction.
_pillow_lock = threading.Lock()


def _too_large(width: int, height: int, limits: ExtractLimits) -> PermanentError:
    return PermanentError(
        QuarantineReason.TOO_LARGE,
        f"image of {width}x{height} pixels exceeds the limit of {limits.max_image_pixels}",
    )


def _dpi(image: Image.Image) -> int | None:
    dpi = image.info.get("dpi")
    try:
        value = int(round(float(dpi[0]))) if dpi else None
    except (TypeError, ValueError, IndexError):
        return None
    # Cameras write 72 (or nothing meaningful): let Tesseract estimate instead.
    return value if value and value >= 100 else None


def _frames(image: Image.Image, limits: ExtractLimits) -> Iterator[tuple[Image.Image, int | None]]:
    """Decoded copies of every frame; decoding happens here, in the calling thread."""
    for frame in ImageSequence.Iterator(image):
        width, height = frame.size
        if width * height > limits.max_image_pixels:
            raise _too_large(width, height, limits)
        try:
            frame.load()
        except (OSError, SyntaxError, ValueError) as exc:
            raise PermanentError(QuarantineReason.CORRUPT, f"unreadable image: {exc}") from exc
        yield frame.convert("L"), _dpi(frame)


def open_image(path: Path, limits: ExtractLimits) -> Image.Image:
    """Open ``path`` with the bomb guard on; ``TOO_LARGE`` or ``CORRUPT`` on bad input."""
    with _pillow_lock, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        Image.MAX_IMAGE_PIXELS = limits.max_image_pixels
        ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated scan is corrupt, not "mostly fine"
        try:
            return Image.open(path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PermanentError(QuarantineReason.TOO_LARGE, f"decompression bomb: {exc}") from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise PermanentError(QuarantineReason.CORRUPT, f"unreadable image: {exc}") from exc


class ImageExtractor:
    """Extractor for scanned images."""

    def extract(
        self, path: Path, detected: DetectedType, limits: ExtractLimits, ocr: OcrEngine
    ) -> ExtractedContent:
        """OCR every frame of the image."""
        with open_image(path, limits) as image:
            frames = getattr(image, "n_frames", 1)
            if frames > limits.max_pages:
                raise PermanentError(
                    QuarantineReason.TOO_LARGE,
                    f"image has {frames} frames (limit {limits.max_pages})",
                )
            results = list(ocr.read_pages(_frames(image, limits)))
        raise_if_ocr_failed(results)
        last = len(results)
        pages = [
            page_from_ocr(number, result, with_zones=number in (1, last))
            for number, result in enumerate(results, start=1)
        ]
        return ExtractedContent(detected_type=detected.kind, mime=detected.mime, pages=pages)
