"""Docket's OCR policy: which languages, orientation, deskew and binarize, page by page.

Tesseract itself runs in ``ingest.extract.tesseract``; this module decides
what to ask of it.  ``TesseractOcr`` is the ``OcrEngine`` the extractors
receive (``ingest.extract.base``): they never start OCR themselves, so a test
can hand them an engine that fails on purpose.

Per page: clean-up (a fax's lone dots removed, ``despeckled``; a scan
rendered above its own resolution smoothed, ``smoothed``), deskew when the
scan is tilted more than Tesseract tolerates, one
OCR pass with the first candidate language, and only when that reading is
poor, orientation and script detection (``--psm 0``), rotation upright and
another pass with the languages the script suggests (a turn OSD is unsure of
is kept only when the page reads better turned); then, only when the
text turns out to be in another candidate language, a pass with that
language.  A page is OCRed at most three times, most pages once; a page
whose print Tesseract's layout left partly unread (a line alone in white
space: a signer's name) has that print read once more on its own
(``ingest/extract/unread.py``, ``limits.ocr_reread_unread``).

A page Tesseract cannot read (``TesseractFailed``: rejected, crashed, out of
time) comes back as an ``OcrResult`` with ``error`` set (empty text,
confidence 0), so one bad page does not lose a 300-page register; the
extractor raises ``PermanentError(OCR_FAILED)`` only when every page failed.
A missing program or language data raises ``ConfigError``.

Speed: the pages of one document are spread over ``limits.ocr_parallel``
Tesseract processes (one thread each).  What runs around Tesseract is kept
small next to its ~0.6 s of CPU per binarized A4 page at 300 dpi: skew
estimate ~6 ms (``ingest.deskew``), bilinear deskew 0.08 s on tilted pages
only, the page handed over as an uncompressed file (~15-25 ms).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain, groupby
from statistics import fmean

import numpy as np
from PIL import Image, ImageFilter

from ingest.binarize import binarize
from ingest.deskew import deskew
from ingest.extract.base import SCAN_DPI, ExtractLimits, OcrResult, PageImages, TextLine, Word
from ingest.extract.tesseract import Tesseract, TesseractFailed, TsvWord, usable_tessdata
from ingest.extract.unread import read_unread
from ingest.language import detect_language

# Which candidate languages each OSD script can be; languages not listed are Latin.
LANGUAGE_SCRIPT: dict[str, str] = {
    "rus": "Cyrillic",
    "ukr": "Cyrillic",
    "bul": "Cyrillic",
    "srp": "Cyrillic",
    "ell": "Greek",
    "chi_sim": "Han",
    "chi_tra": "Han",
    "jpn": "Japanese",
    "kor": "Korean",
    "ara": "Arabic",
}
# ISO 639-1 (langdetect) to Tesseract codes, and the nearest candidate when the
# detected language itself is not configured (Slovak text reads well as Czech).
ISO_TO_TESSERACT: dict[str, str] = {
    "vi": "vie", "en": "eng", "fr": "fra", "ru": "rus", "cs": "ces", "no": "nor",
    "de": "deu", "es": "spa", "it": "ita", "pt": "por", "uk": "ukr", "sk": "slk",
    "da": "dan", "sv": "swe", "pl": "pol", "bg": "bul", "nl": "nld",
}  # fmt: skip
NEAREST_LANGUAGE: dict[str, str] = {"slk": "ces", "dan": "nor", "swe": "nor", "ukr": "rus",
                                    "bul": "rus"}  # fmt: skip

# Below this OSD's orientation is a guess: the page is read turned as OSD
# guesses and the turn kept only when it reads better.  Vietnamese marks make
# OSD unsure: a real upside-down 300 dpi scan (r315's first page) came back
# "Rotate: 180" at 1.3-1.6, and was left upside down while guesses were dropped.
MIN_OSD_CONFIDENCE = 2.0
MIN_SCRIPT_CONFIDENCE = 1.0
# Mean word confidence above which a first reading is taken as upright and in
# the right script (upright Vietnamese scans read at 85-96; upside-down or
# wrong-script pages far below).
UPRIGHT_CONFIDENCE = 70.0
SECOND_PASS_TOLERANCE = 5.0  # keep the detected language's pass unless clearly worse
UPSCALE_MARGIN = 0.9  # a page scanned within 10% of the OCR resolution is read as it is


@dataclass(frozen=True)
class _Osd:
    rotation: int
    script: str | None
    sure: bool = True  # OSD's orientation confidence reached MIN_OSD_CONFIDENCE


@dataclass(frozen=True)
class Reading:
    """One OCR pass over a page: its text line by line, its words, their mean confidence."""

    languages: str
    words: list[Word]
    lines: list[TextLine]
    confidence: float  # mean word confidence, 0..100; 0 without words

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def page_reading(found: Sequence[TsvWord], size: tuple[int, int], languages: str) -> Reading:
    """Tesseract's words on an image of ``size`` pixels as lines with their mean confidence.

    Words in the same (block, paragraph, line) form a line; a blank line
    separates Tesseract's blocks.
    """
    width, height = size
    words = [Word(text=w.text, x0=w.left / width, y0=w.top / height,
                  x1=(w.left + w.width) / width, y1=(w.top + w.height) / height,
                  confidence=w.confidence) for w in found]  # fmt: skip
    lines: list[TextLine] = []
    block = None
    for key, group in groupby(found, key=lambda word: word.line_key):
        line = list(group)
        if block is not None and key[0] != block:
            lines.append(TextLine("", None))
        block = key[0]
        confidence = round(fmean(w.confidence for w in line), 1)
        lines.append(TextLine(" ".join(w.text for w in line), confidence))
    confidence = fmean(w.confidence for w in found) if found else 0.0
    return Reading(languages, words, lines, confidence)


def tesseract_for(limits: ExtractLimits) -> Tesseract:
    """The Tesseract adapter with the timeout, machine-wide slots and data of ``limits``."""
    return Tesseract(timeout_seconds=limits.ocr_page_timeout_seconds,
                     slots_dir=limits.ocr_slots_dir, slots=limits.ocr_slots,
                     tessdata=usable_tessdata(limits.ocr_tessdata, limits.ocr_languages))


def despeckled(gray: Image.Image) -> Image.Image:
    """``gray`` without its lone black pixels when it holds only black and white ones.

    A fax or a black-and-white scan renders grey paper as scattered dots
    (dithering), which Tesseract reads as marks and stray punctuation around
    the letters.  An ink pixel with at most one ink neighbour (of eight) is
    such a dot: no stroke, full stop or diacritic of print is that thin, so
    they are kept whole.  On real documents sent as 200 dpi dithered faxes the
    error rate fell from 2.45% to 0.83% (a 3x3 median: 1.06%, and it eats
    full stops; docs/ocr-models.md).  Grey pages are left as they are.
    """
    if not _bilevel(gray):
        return gray
    pixels = np.asarray(gray)
    ink = pixels == 0
    height, width = ink.shape
    padded = np.pad(ink, 1).astype(np.uint8)
    neighbours = sum(padded[1 + dy : 1 + dy + height, 1 + dx : 1 + dx + width]
                     for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)  # fmt: skip
    return Image.fromarray(np.where(ink & (neighbours <= 1), 255, pixels).astype(np.uint8))


def smoothed(gray: Image.Image, scanned: int | None, dpi: int | None) -> Image.Image:
    """``gray`` through a 3x3 median when it is a scan rendered above its own resolution.

    A 200 dpi scan rendered at 300 dpi for OCR carries its grain, enlarged,
    into Tesseract's binarization: specks at the letters' edges and in the
    gaps between words.  The median takes them out.  On ten real documents
    scanned at 200 dpi the error rate fell from 5.02% to 1.30%; on scans at
    300 dpi it rose (1.75 -> 1.99%), so pages read at their own resolution are
    left alone (docs/ocr-models.md).
    """
    if not scanned or not dpi or scanned >= dpi * UPSCALE_MARGIN or _bilevel(gray):
        return gray
    return gray.filter(ImageFilter.MedianFilter(3))


def _bilevel(gray: Image.Image) -> bool:
    histogram = gray.histogram()
    return not sum(histogram[1:255]) and bool(histogram[0])


def upscaled(gray: Image.Image, dpi: int | None, target: int,
             max_pixels: int = ExtractLimits.max_image_pixels) -> tuple[Image.Image, int | None]:
    """``gray`` enlarged to ``target`` dpi when it was scanned below that, and its new dpi.

    Tesseract reads best with capitals about 30 pixels high (~300 dpi for
    13-14 pt print); at 200 dpi Vietnamese marks are a pixel or two and are
    misread.  Pages of unknown resolution, or already near ``target``, are
    left as they are.
    """
    if not dpi or not target or dpi >= target * UPSCALE_MARGIN:
        return gray, dpi
    factor = target / dpi
    size = (round(gray.width * factor), round(gray.height * factor))
    if size[0] * size[1] > max_pixels:
        return gray, dpi
    return gray.resize(size, Image.Resampling.BICUBIC), target


# --- choosing languages -----------------------------------------------------


def _languages_for_script(script: str | None, candidates: Sequence[str]) -> list[str]:
    if script is None:
        return list(candidates)
    matching = [c for c in candidates if LANGUAGE_SCRIPT.get(c, "Latin") == script]
    return matching or list(candidates)


def first_pass_languages(script: str | None, candidates: Sequence[str]) -> str:
    """The language string of the first OCR pass for a page in ``script``.

    The first candidate of the script alone.  Adding English ("vie+eng") was
    measured to strip the marks from Vietnamese capitals (``TỈNH ỦY`` read as
    ``TINH UY``), which costs the issuing body on scans, and to be slower; a
    page in another language gets its second pass from language detection.
    """
    return _languages_for_script(script, candidates)[0]


def second_pass_language(text: str, used: str, candidates: Sequence[str]) -> str | None:
    """The language to OCR again with, when the first pass read another candidate language."""
    iso = detect_language(text)
    if iso is None:
        return None
    code = ISO_TO_TESSERACT.get(iso)
    if code is not None and code not in candidates:
        code = NEAREST_LANGUAGE.get(code)
    if code is None or code not in candidates or code in used.split("+"):
        return None
    return code


# --- the engine -----------------------------------------------------------------


class TesseractOcr:
    """The ``OcrEngine`` of production: Docket's OCR policy on the Tesseract adapter."""

    def __init__(self, limits: ExtractLimits, tesseract: Tesseract | None = None) -> None:
        self.limits = limits
        self.tesseract = tesseract or tesseract_for(limits)

    def read_pages(self, pages: PageImages) -> Iterator[OcrResult]:
        """OCR ``(image, dpi)`` pages on ``limits.ocr_parallel`` Tesseract processes.

        Results come back in page order.  ``pages`` is consumed lazily in the
        calling thread (PDF rendering is not thread-safe) and at most twice
        ``ocr_parallel`` rendered pages wait in memory at once.  No pages (a
        born-digital PDF's): Tesseract is not asked even for its languages.
        """
        pages = iter(pages)
        first = next(pages, None)
        if first is None:
            return
        parallel = max(1, self.limits.ocr_parallel)
        self.tesseract.check_languages(self.limits.ocr_languages)
        pool = ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="tesseract")
        pending: deque[Future[OcrResult]] = deque()
        try:
            for image, dpi in chain([first], pages):
                pending.append(pool.submit(self.read_page, image, dpi))
                while len(pending) >= 2 * parallel:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def read_page(self, image: Image.Image, dpi: int | None = None, *,
                  languages: str | Sequence[str] | None = None,
                  detect_orientation: bool = True) -> OcrResult:
        """OCR one page image.

        ``languages`` (``"vie+eng"`` or a list) skips the language choice and runs
        exactly one OCR pass; otherwise the candidates are ``limits.ocr_languages``.
        ``dpi`` is the scan resolution when known.  Raises ``ConfigError`` when
        Tesseract or its data is missing; a page Tesseract cannot read comes back
        with ``error`` set.
        """
        forced = languages if isinstance(languages, str) or languages is None else \
            "+".join(languages)
        self.tesseract.check_languages(forced.split("+") if forced else self.limits.ocr_languages)
        result = OcrResult(text="")
        gray = image.convert("L")
        if self.limits.ocr_despeckle:
            gray = despeckled(gray)
        if self.limits.ocr_smooth_enlarged:
            gray = smoothed(gray, image.info.get(SCAN_DPI), dpi)
        try:
            gray, reading = self._first_reading(gray, dpi, forced,
                                                detect_orientation, result)
            if forced is None:
                reading = self._second_pass(gray, reading, dpi, result)
        except TesseractFailed as exc:
            result.error = exc.message
            return result
        result.text, result.words, result.lines = reading.text, reading.words, reading.lines
        result.confidence, result.languages = reading.confidence, reading.languages
        return result

    def _first_reading(self, gray: Image.Image, dpi: int | None, forced: str | None,
                       detect_orientation: bool, result: OcrResult) -> tuple[Image.Image, Reading]:
        candidates = self.limits.ocr_languages
        gray, result.skew = deskew(gray)
        result.passes = 1
        if forced is not None or not detect_orientation:
            return gray, self._read(gray, forced or first_pass_languages(None, candidates), dpi)
        # Most pages are upright and in the first candidate's script: read them
        # straight away and run orientation detection (a whole Tesseract pass of
        # its own) only when that reading is poor.
        reading = self._read(gray, first_pass_languages(None, candidates), dpi)
        if reading.confidence >= UPRIGHT_CONFIDENCE:
            return gray, reading
        osd = self._orientation(gray, dpi)
        result.script = osd.script
        first = first_pass_languages(osd.script, candidates)
        if not osd.rotation and first == reading.languages:
            return gray, reading
        turned, skew = gray, result.skew
        if osd.rotation:
            # OSD's "Rotate" is clockwise; PIL rotates counter-clockwise.
            turned, skew = deskew(gray.rotate(-osd.rotation, expand=True))
        result.passes += 1
        again = self._read(turned, first, dpi)
        if osd.rotation and not osd.sure and again.confidence <= reading.confidence:
            return gray, reading  # OSD's guess read no better: the page was upright
        result.rotation, result.skew = osd.rotation, skew
        return turned, again

    def _second_pass(self, gray: Image.Image, reading: Reading, dpi: int | None,
                     result: OcrResult) -> Reading:
        other = second_pass_language(reading.text, reading.languages, self.limits.ocr_languages)
        if other is None:
            return reading
        again = self._read(gray, other, dpi)
        result.passes += 1
        return again if again.confidence >= reading.confidence - SECOND_PASS_TOLERANCE else reading

    def _read(self, gray: Image.Image, languages: str, dpi: int | None) -> Reading:
        gray, dpi = upscaled(gray, dpi, self.limits.ocr_upscale_dpi, self.limits.max_image_pixels)
        # Black and white: a third less Tesseract CPU than grey (ingest/binarize.py).
        image = binarize(gray) if self.limits.ocr_binarize else gray
        found = self.tesseract.words(image, languages, dpi)
        if self.limits.ocr_reread_unread:
            found += read_unread(self.tesseract, image, found, languages, dpi, gray)
        return page_reading(found, gray.size, languages)

    def _orientation(self, gray: Image.Image, dpi: int | None) -> _Osd:
        if "osd" not in self.tesseract.languages():
            return _Osd(0, None)
        try:
            found = self.tesseract.orientation(gray, dpi)
        except TesseractFailed:
            # OSD refuses pages with little text ("Too few characters"): treat the
            # page as upright and let the OCR pass choose the language.
            return _Osd(0, None)
        script = found.script if found.script_confidence >= MIN_SCRIPT_CONFIDENCE else None
        return _Osd(found.rotate, script, sure=found.rotate_confidence >= MIN_OSD_CONFIDENCE)


def ocr_image(image: Image.Image, limits: ExtractLimits | None = None, *,
              languages: str | Sequence[str] | None = None, dpi: int | None = None,
              detect_orientation: bool = True) -> OcrResult:
    """OCR one page image with the production engine (see ``TesseractOcr.read_page``)."""
    engine = TesseractOcr(limits or ExtractLimits())
    return engine.read_page(image, dpi, languages=languages,
                            detect_orientation=detect_orientation)


def ocr_images(pages: PageImages, limits: ExtractLimits) -> Iterator[OcrResult]:
    """OCR many ``(image, dpi)`` pages in order (see ``TesseractOcr.read_pages``)."""
    return TesseractOcr(limits).read_pages(pages)
