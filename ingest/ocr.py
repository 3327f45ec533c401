"""The one module that runs Tesseract (through pytesseract).

Per page: orientation and script detection (``--psm 0``), rotation upright,
deskew when the scan is tilted more than Tesseract tolerates, then one OCR
pass with the languages the script suggests and, only when the text turns out
to be in another candidate language, a second pass with that language.  A page
is never OCRed more than twice.

Failures become Docket's errors here and nowhere else:

* a missing ``tesseract`` binary or missing language data raises
  ``ConfigError``: the file is not at fault, so it must not be quarantined,
  and retrying before a person installs the data is pointless;
* a page that times out or that Tesseract rejects comes back as an
  ``OcrResult`` with ``error`` set (empty text, confidence 0), so one bad
  page does not lose a 300-page register; the extractor raises
  ``PermanentError(OCR_FAILED)`` only when every page failed.

Speed: every Tesseract process runs with ``OMP_THREAD_LIMIT=1`` (OpenMP
threads made it ~7x slower on a 2-core box) and the pages of one document are
spread over ``limits.ocr_parallel`` processes.  With ``limits.ocr_slots_dir``
set, lock files in that folder bound the Tesseract processes of *all* worker
processes on the machine.  What runs around Tesseract is kept small next to
its ~0.9 s of CPU per A4 page at 300 dpi: skew estimate ~6 ms
(``ingest.deskew``), bilinear deskew 0.08 s on tilted pages only, the page
handed over as uncompressed PNM (~6 ms; a tmpfs folder measured no cheaper).
"""

from __future__ import annotations

import fcntl
import os
import random
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytesseract
from PIL import Image

from ingest.binarize import binarize
from ingest.deskew import deskew
from ingest.extract.base import ExtractLimits, Word
from ingest.language import detect_language
from kernel.errors import ConfigError

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

MIN_OSD_CONFIDENCE = 2.0  # below this OSD's orientation is a guess
MIN_SCRIPT_CONFIDENCE = 1.0
# Mean word confidence above which a first reading is taken as upright and in
# the right script (upright Vietnamese scans read at 85-96; upside-down or
# wrong-script pages far below).
UPRIGHT_CONFIDENCE = 70.0
SECOND_PASS_TOLERANCE = 5.0  # keep the detected language's pass unless clearly worse
_TIMEOUT_MESSAGE = "Tesseract process timeout"


@dataclass
class OcrResult:
    """What Tesseract read from one page image."""

    text: str
    words: list[Word] = field(default_factory=list)
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


@dataclass(frozen=True)
class _Osd:
    rotation: int
    script: str | None


# --- running Tesseract --------------------------------------------------------

_env_lock = threading.Lock()
_env_ready = False


def _limit_openmp_threads() -> None:
    # pytesseract starts Tesseract with this process's environment; setting
    # the variable once, before any Tesseract thread starts, is the seam it offers.
    global _env_ready
    with _env_lock:
        if not _env_ready:
            os.environ["OMP_THREAD_LIMIT"] = "1"
            _env_ready = True


@cache
def installed_languages() -> frozenset[str]:
    """The traineddata Tesseract can load; ``ConfigError`` when it is not installed."""
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except pytesseract.TesseractNotFoundError as exc:
        raise ConfigError("tesseract is not installed or not on PATH") from exc


def check_languages(languages: Sequence[str]) -> None:
    """Raise ``ConfigError`` unless every language in ``languages`` is installed."""
    missing = sorted(set(languages) - installed_languages())
    if missing:
        raise ConfigError(f"Tesseract language data not installed: {', '.join(missing)}")


@contextmanager
def _flock_slot(slots_dir: Path, slots: int) -> Iterator[None]:
    slots_dir.mkdir(parents=True, exist_ok=True)
    while True:
        for index in random.sample(range(slots), slots):
            handle = (slots_dir / f"tesseract-{index}.lock").open("a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        time.sleep(0.05 + random.random() * 0.1)


def tesseract_slot(limits: ExtractLimits) -> AbstractContextManager[None]:
    """Hold one machine-wide Tesseract slot (a lock file) while a process runs."""
    if limits.ocr_slots_dir is None:
        return nullcontext()
    slots = limits.ocr_slots or os.cpu_count() or 1
    return _flock_slot(limits.ocr_slots_dir, slots)


class _PageFailed(Exception):
    """Tesseract could not read this page; the page is marked failed."""


@contextmanager
def _image_file(image: Any) -> Iterator[Any]:
    """The page as an uncompressed PNM file for Tesseract.

    pytesseract would otherwise write a PNG per call: compressing a 300 dpi
    page costs more than Tesseract's own orientation pass (measured 0.8 s).
    """
    if not isinstance(image, Image.Image):
        yield image
        return
    page = image if image.mode in ("L", "RGB", "1") else image.convert("RGB")
    suffix = {"L": ".pgm", "RGB": ".ppm", "1": ".pbm"}[page.mode]
    with tempfile.TemporaryDirectory(prefix="docket-ocr-") as folder:
        path = Path(folder) / f"page{suffix}"
        page.save(path, format="PPM")
        yield str(path)


def _run(call: Any, limits: ExtractLimits, **kwargs: Any) -> Any:
    _limit_openmp_threads()
    try:
        with tesseract_slot(limits), _image_file(kwargs.pop("image")) as image:
            return call(image, timeout=limits.ocr_page_timeout_seconds, **kwargs)
    except pytesseract.TesseractNotFoundError as exc:
        raise ConfigError("tesseract is not installed or not on PATH") from exc
    except pytesseract.TesseractError as exc:
        message = str(exc.message or exc)
        if "Failed loading language" in message or "Error opening data file" in message:
            raise ConfigError(f"Tesseract language data missing: {message.strip()}") from exc
        raise _PageFailed(f"tesseract failed: {message.strip()[:300]}") from exc
    except RuntimeError as exc:
        if _TIMEOUT_MESSAGE in str(exc):
            raise _PageFailed(
                f"timeout after {limits.ocr_page_timeout_seconds:g}s per Tesseract run"
            ) from exc
        raise


def _config(dpi: int | None, extra: str = "") -> str:
    parts = [extra] if extra else []
    if dpi:
        parts.append(f"--dpi {int(dpi)}")
    return " ".join(parts)


def _detect_orientation(image: Image.Image, dpi: int | None, limits: ExtractLimits) -> _Osd:
    if "osd" not in installed_languages():
        return _Osd(0, None)
    try:
        osd = _run(
            pytesseract.image_to_osd,
            limits,
            image=image,
            config=_config(dpi, "-c min_characters_to_try=20"),
            output_type=pytesseract.Output.DICT,
        )
    except _PageFailed:
        # OSD refuses pages with little text ("Too few characters"): treat the
        # page as upright and let the OCR pass choose the language.
        return _Osd(0, None)
    rotation = int(osd.get("rotate", 0)) % 360
    if float(osd.get("orientation_conf", 0.0)) < MIN_OSD_CONFIDENCE:
        rotation = 0
    script = osd.get("script")
    if float(osd.get("script_conf", 0.0)) < MIN_SCRIPT_CONFIDENCE:
        script = None
    return _Osd(rotation, script)


def _read_words(
    image: Image.Image, languages: str, dpi: int | None, limits: ExtractLimits
) -> tuple[str, list[Word], float]:
    data = _run(
        pytesseract.image_to_data,
        limits,
        # Black and white: a third less Tesseract CPU than grey (ingest/binarize.py).
        image=binarize(image) if limits.ocr_binarize else image,
        lang=languages,
        config=_config(dpi, "--psm 3"),
        output_type=pytesseract.Output.DICT,
    )
    width, height = image.size
    words: list[Word] = []
    lines: list[str] = []
    current: tuple[int, int, int] | None = None
    line_words: list[str] = []
    for i, raw in enumerate(data["text"]):
        text = (raw or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if key != current:
            if line_words:
                lines.append(" ".join(line_words))
            if current is not None and key[0] != current[0]:
                lines.append("")  # a blank line between Tesseract's blocks
            current, line_words = key, []
        line_words.append(text)
        left, top = data["left"][i], data["top"][i]
        words.append(
            Word(
                text=text,
                x0=left / width,
                y0=top / height,
                x1=(left + data["width"][i]) / width,
                y1=(top + data["height"][i]) / height,
                confidence=conf,
            )
        )
    if line_words:
        lines.append(" ".join(line_words))
    confidence = sum(w.confidence or 0.0 for w in words) / len(words) if words else 0.0
    return "\n".join(lines), words, confidence


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


# --- one page -----------------------------------------------------------------


def ocr_image(
    image: Image.Image,
    limits: ExtractLimits | None = None,
    *,
    languages: str | Sequence[str] | None = None,
    dpi: int | None = None,
    detect_orientation: bool = True,
) -> OcrResult:
    """OCR one page image.

    ``languages`` (``"vie+eng"`` or a list) skips the language choice and runs
    exactly one OCR pass; otherwise the candidates are ``limits.ocr_languages``.
    ``dpi`` is the scan resolution when known.  Raises ``ConfigError`` when
    Tesseract or its data is missing; a page Tesseract cannot read comes back
    with ``error`` set.
    """
    limits = limits or ExtractLimits()
    forced = "+".join(languages) if isinstance(languages, (list, tuple)) else languages
    candidates = list(limits.ocr_languages)
    check_languages(forced.split("+") if isinstance(forced, str) else candidates)
    gray = image.convert("L")
    result = OcrResult(text="")
    try:
        # Most pages are upright and in the first candidate's script: read them
        # straight away and run orientation detection (a whole Tesseract pass of
        # its own) only when that reading is poor.
        osd = _Osd(0, None)
        if forced is None and detect_orientation:
            gray, skew = deskew(gray)
            used = first_pass_languages(None, candidates)
            text, words, confidence = _read_words(gray, used, dpi, limits)
            result.passes, result.skew = 1, skew
            if confidence < UPRIGHT_CONFIDENCE:
                osd = _detect_orientation(gray, dpi, limits)
                first = first_pass_languages(osd.script, candidates)
                if osd.rotation or first != used:
                    # OSD's "Rotate" is clockwise; PIL rotates counter-clockwise.
                    if osd.rotation:
                        gray, skew = deskew(gray.rotate(-osd.rotation, expand=True))
                        result.skew = skew
                    used = first
                    text, words, confidence = _read_words(gray, used, dpi, limits)
                    result.passes += 1
        else:
            gray, result.skew = deskew(gray)
            used = forced if isinstance(forced, str) else first_pass_languages(None, candidates)
            text, words, confidence = _read_words(gray, used, dpi, limits)
            result.passes = 1
        result.rotation, result.script = osd.rotation, osd.script
        other = None if isinstance(forced, str) else second_pass_language(text, used, candidates)
        if other is not None:
            text2, words2, confidence2 = _read_words(gray, other, dpi, limits)
            result.passes += 1
            if confidence2 >= confidence - SECOND_PASS_TOLERANCE:
                text, words, confidence, used = text2, words2, confidence2, other
    except _PageFailed as exc:
        result.error = str(exc)
        return result
    result.text, result.words, result.confidence, result.languages = text, words, confidence, used
    return result


# --- many pages ---------------------------------------------------------------


def ocr_images(
    pages: Iterable[tuple[Image.Image, int | None]], limits: ExtractLimits
) -> Iterator[OcrResult]:
    """OCR ``(image, dpi)`` pages on ``limits.ocr_parallel`` Tesseract processes.

    Results come back in page order.  ``pages`` is consumed lazily in the
    calling thread (PDF rendering is not thread-safe) and at most twice
    ``ocr_parallel`` rendered pages wait in memory at once.
    """
    parallel = max(1, limits.ocr_parallel)
    check_languages(limits.ocr_languages)
    pool = ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="tesseract")
    pending: deque[Future[OcrResult]] = deque()
    try:
        for image, dpi in pages:
            pending.append(pool.submit(ocr_image, image, limits, dpi=dpi))
            while len(pending) >= 2 * parallel:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
