"""The one module that runs Tesseract: one process per call, and Docket's errors for its failures.

After OCRmyPDF's ``_exec/tesseract.py``: the binary is started here and
nowhere else, each time with an environment of its own (``OMP_THREAD_LIMIT=1``:
OpenMP threads made Tesseract ~7x slower on a 2-core box; this process's
environment is never changed).  What to read with which languages is not
decided here but in ``ingest.extract.ocr``.

Failures become Docket's errors:

* the program missing, or language data it cannot load: ``ConfigError``
  (the file is not at fault; a person installs the data, nothing retries);
* a page Tesseract rejects, dies on (a signal) or overruns the timeout on,
  or output that cannot be parsed: ``TesseractFailed``, a ``PermanentError``
  (the same page fails again); the OCR policy marks that page failed.

Pages are handed over as uncompressed TIFF files.  Netpbm was used first
(~6 ms to write), but Leptonica 1.82 reads the header of a black-and-white
PBM with ``fscanf``, which also swallows a first raster byte that looks like
white space (0x09-0x0D, 0x20: ink among a binarized page's first eight
pixels), and the page failed with ``pixReadStreamPnm: read error in 4``
(Leptonica issue #101; the real scan r124 was lost so).  An uncompressed
TIFF costs ~8 ms more on an A4 page at 300 dpi and is read by libtiff.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import logging
import os
import random
import re
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image

from kernel.errors import ConfigError, PermanentError, QuarantineReason

TESSERACT = "tesseract"
TSV_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
               "left", "top", "width", "height", "conf", "text")  # fmt: skip
_LANGUAGE_ERRORS = ("Failed loading language", "Error opening data file")
_STDERR_SHOWN = 300  # characters of Tesseract's complaint kept in the message
_DATA_FOLDER = re.compile(r'languages in "(.+?)/?"')

log = logging.getLogger(__name__)


class TesseractFailed(PermanentError):
    """Tesseract could not read one page: it refused the image, crashed or ran out of time."""

    def __init__(self, message: str, reason: QuarantineReason = QuarantineReason.OCR_FAILED):
        super().__init__(reason, message)


@dataclass(frozen=True)
class TsvWord:
    """One word of Tesseract's TSV output, in pixels of the image it read."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float  # 0..100
    block: int
    paragraph: int
    line: int

    @property
    def line_key(self) -> tuple[int, int, int]:
        return self.block, self.paragraph, self.line


@dataclass(frozen=True)
class Orientation:
    """Tesseract's orientation and script detection (``--psm 0``) of one page."""

    rotate: int  # degrees to turn the page clockwise to make it upright
    rotate_confidence: float
    script: str | None
    script_confidence: float


def child_environment() -> dict[str, str]:
    """The environment of one Tesseract process: ours, with one OpenMP thread."""
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _tessdata_args(tessdata: Path | None) -> list[str]:
    return ["--tessdata-dir", str(tessdata)] if tessdata is not None else []


@cache
def _installed(binary: str, tessdata: Path | None = None) -> tuple[Path | None, frozenset[str]]:
    """The folder Tesseract loads its data from, and the languages there."""
    try:
        done = subprocess.run([binary, *_tessdata_args(tessdata), "--list-langs"],
                              capture_output=True, timeout=60, env=child_environment(),
                              check=False)
    except (FileNotFoundError, PermissionError) as exc:
        raise ConfigError(f"{binary} is not installed or not on PATH") from exc
    if done.returncode != 0:
        raise ConfigError(f"{binary} --list-langs failed: {_complaint(done.stderr)}")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    # The first line says where the data lives: 'List of available languages in "/x/" (7):'.
    where = _DATA_FOLDER.search(lines[0]) if lines else None
    folder = Path(where.group(1)) if where else tessdata
    return folder, frozenset(line.strip() for line in lines[1:] if line.strip())


@cache
def usable_tessdata(folder: Path | None, languages: tuple[str, ...]) -> Path | None:
    """``folder`` when it holds every language of ``languages``, otherwise None: Tesseract's own.

    ``./run install`` fetches a more accurate Vietnamese model into a folder of
    its own (``Settings.ocr_tessdata``); when that folder is missing or
    incomplete, OCR still runs, on the system packages' data, and says so once.
    """
    if folder is None:
        return None
    missing = [code for code in languages if not (folder / f"{code}.traineddata").is_file()]
    if not missing:
        return folder
    log.warning("Tesseract data folder %s lacks %s: reading with the system's language data "
                "(./run install fetches the model)", folder, ", ".join(missing))  # fmt: skip
    return None


@cache
def model_digest(data_file: Path) -> str:
    """The first 16 hex digits of the SHA-256 of one traineddata file (what OCR read with)."""
    return hashlib.sha256(data_file.read_bytes()).hexdigest()[:16]


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


@contextmanager
def page_file(image: Image.Image) -> Iterator[Path]:
    """``image`` as an uncompressed TIFF in a temporary folder (see the module docstring)."""
    page = image if image.mode in ("1", "L", "RGB") else image.convert("RGB")
    with tempfile.TemporaryDirectory(prefix="docket-ocr-") as folder:
        path = Path(folder) / "page.tif"
        # No compression, whatever the source said: a fax frame keeps "group4" in
        # its info, which Pillow would reuse and cannot write for a grey page.
        page.save(path, format="TIFF", compression="raw")
        yield path


def _complaint(stderr: bytes) -> str:
    return " ".join(stderr.decode("utf-8", "replace").split())[:_STDERR_SHOWN]


@dataclass(frozen=True)
class Tesseract:
    """Runs the ``tesseract`` program, one process per call.

    ``slots_dir``: lock files there bound the Tesseract processes of every
    worker process on the machine to ``slots`` (0: one per CPU core).
    ``tessdata``: the folder of language data (``--tessdata-dir``); None:
    Tesseract's own (the system packages).
    """

    timeout_seconds: float = 180.0
    slots_dir: Path | None = None
    slots: int = 0
    binary: str = TESSERACT
    tessdata: Path | None = None

    def languages(self) -> frozenset[str]:
        """The traineddata Tesseract can load; ``ConfigError`` when it is not installed."""
        return _installed(self.binary, self.tessdata)[1]

    def data_folder(self) -> Path | None:
        """The folder Tesseract loads its language data from (as it reports it)."""
        return _installed(self.binary, self.tessdata)[0]

    def model(self, language: str) -> str:
        """``vie@1a2b...``: the language and a digest of the traineddata file it is read with.

        Anything kept from OCR output (a cache, a fingerprint) keys on this, so
        a new model is never mistaken for the old one.
        """
        folder = self.data_folder()
        if folder is None or language not in self.languages():
            raise ConfigError(f"Tesseract language data not installed: {language}")
        return f"{language}@{model_digest((folder / f'{language}.traineddata').resolve())}"

    def check_languages(self, languages: Sequence[str]) -> None:
        """Raise ``ConfigError`` unless every language in ``languages`` is installed."""
        missing = sorted(set(languages) - self.languages())
        if missing:
            raise ConfigError(f"Tesseract language data not installed: {', '.join(missing)}")

    def words(self, image: Image.Image, languages: str, dpi: int | None,
              psm: int = 3) -> list[TsvWord]:
        """The words Tesseract reads on ``image`` with ``languages`` (``"vie+eng"``), in order."""
        args = ["-l", languages, "--psm", str(psm), *_dpi_args(dpi), "tsv"]
        return parse_tsv(self._run(image, args))

    def orientation(self, image: Image.Image, dpi: int | None) -> Orientation:
        """Orientation and script of ``image``; ``TesseractFailed`` on a page with little text."""
        args = ["--psm", "0", "-c", "min_characters_to_try=20", *_dpi_args(dpi)]
        return parse_osd(self._run(image, args))

    def slot(self) -> AbstractContextManager[None]:
        """Hold one machine-wide Tesseract slot (a lock file) while a process runs."""
        if self.slots_dir is None:
            return nullcontext()
        return _flock_slot(self.slots_dir, self.slots or os.cpu_count() or 1)

    def _run(self, image: Image.Image, args: list[str]) -> str:
        with page_file(image) as path, self.slot():
            command = [self.binary, str(path), "stdout", *_tessdata_args(self.tessdata), *args]
            try:
                done = subprocess.run(command, capture_output=True, env=child_environment(),
                                      timeout=self.timeout_seconds, check=False)
            except (FileNotFoundError, PermissionError) as exc:
                raise ConfigError(f"{self.binary} is not installed or not on PATH") from exc
            except subprocess.TimeoutExpired as exc:  # run() has killed the process
                raise TesseractFailed(f"timeout after {self.timeout_seconds:g}s per Tesseract run",
                                      QuarantineReason.TIMEOUT) from exc
        return output_of(done)


def _dpi_args(dpi: int | None) -> list[str]:
    return ["--dpi", str(int(dpi))] if dpi else []


def output_of(done: subprocess.CompletedProcess[bytes]) -> str:
    """Tesseract's standard output, or the Docket error its exit status means."""
    complaint = _complaint(done.stderr)
    if done.returncode < 0:
        number = -done.returncode
        name = signal.Signals(number).name if number in signal.valid_signals() else str(number)
        raise TesseractFailed(f"tesseract crashed (signal {name}): {complaint}".rstrip(": "))
    if done.returncode != 0:
        if any(marker in complaint for marker in _LANGUAGE_ERRORS):
            raise ConfigError(f"Tesseract language data missing: {complaint}")
        raise TesseractFailed(f"tesseract failed: {complaint}")
    return done.stdout.decode("utf-8", "replace")


def parse_tsv(output: str) -> list[TsvWord]:
    """The words of Tesseract's TSV output; ``TesseractFailed`` when it is not that."""
    rows = csv.reader(output.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(rows, None)
    if header is None:
        return []
    if tuple(header) != TSV_COLUMNS:
        raise TesseractFailed(f"unreadable Tesseract output (not TSV): {output[:80]!r}")
    words = []
    for row in rows:
        try:
            level, text = int(row[0]), "\t".join(row[11:]).strip()
            confidence = float(row[10])
            if level != 5 or not text or confidence < 0:
                continue  # pages, blocks and lines have rows too; so do empty boxes
            numbers = [int(value) for value in row[1:10]]
        except (IndexError, ValueError) as exc:
            raise TesseractFailed(f"unreadable Tesseract TSV row {row!r}") from exc
        _page, block, paragraph, line, _word, left, top, width, height = numbers
        words.append(TsvWord(text, left, top, width, height, confidence, block, paragraph, line))
    return words


def parse_osd(output: str) -> Orientation:
    """Tesseract's ``--psm 0`` report (``Rotate: 180``, ``Script: Latin``...)."""
    fields = dict(line.split(":", 1) for line in output.splitlines() if ":" in line)
    values = {key.strip(): value.strip() for key, value in fields.items()}
    try:
        return Orientation(
            rotate=int(values.get("Rotate", "0")) % 360,
            rotate_confidence=float(values.get("Orientation confidence", "0")),
            script=values.get("Script") or None,
            script_confidence=float(values.get("Script confidence", "0")),
        )
    except ValueError as exc:
        raise TesseractFailed(f"unreadable Tesseract orientation report: {output[:80]!r}") from exc
