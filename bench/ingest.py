"""Ingest throughput on the embedded default; prints figures, asserts nothing.

    .venv/bin/python bench/ingest.py [--born-digital 1000] [--scanned-pages 50] [--keep DIR]

Measures, in one run on this machine:
- born-digital documents per second through the whole pipeline (claim, analyse,
  archive with verification, register, record, release, index);
- OCR seconds per page for scanned pages through the pipeline, against raw
  single-thread ``tesseract`` on the same pages in the same run, times the
  number of cores (the best a machine can do);
- peak memory (resident set) of the parent and of the worker processes.
Targets: >= 100 born-digital documents/s on 2 cores; OCR throughput within 10%
of raw single-thread Tesseract x cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# This script is named like the ``ingest`` package: drop its own folder from the
# import path so ``import ingest`` finds the package, not this file.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

from ingest.backends import open_backends  # noqa: E402
from ingest.pipeline import ingest_once  # noqa: E402
from ingest.samples import generate_samples, load_truth, stage_into_inbox  # noqa: E402
from kernel.settings import load_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--born-digital", type=int, default=1000)
    parser.add_argument("--scanned-pages", type=int, default=50)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="docket-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        run(work, args.born_digital, args.scanned_pages)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def run(work: Path, born_digital: int, scanned_pages: int) -> None:
    cores = os.cpu_count() or 1
    print(f"machine: {cores} cores; work folder {work}")
    samples = work / "samples"
    started = time.perf_counter()
    documents = generate_samples(samples, seed=1, profile="bench", born_digital=born_digital,
                                 scanned_pages=scanned_pages)
    print(f"generated {len(documents)} sample files in {time.perf_counter() - started:.1f} s")
    scans = [d for d in documents if load_truth(d).get("kind") not in ("text_pdf", "docx", "text")]
    digital = [d for d in documents if d not in set(scans)]

    digital_dir, scan_dir = work / "digital", work / "scans"
    _split(samples, digital, digital_dir)
    _split(samples, scans, scan_dir)

    if digital:
        _measure_born_digital(work, digital_dir, cores)
    if scans:
        _measure_ocr(work, scans, scan_dir, cores)

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: parent {own:.0f} MiB, largest worker or tesseract {children:.0f} MiB")


def _measure_born_digital(work: Path, digital_dir: Path, cores: int) -> None:
    """Documents per second, and CPU per document (less sensitive to other work on
    the machine): ``cores`` divided by it is the rate the cores could sustain."""
    _stop_forkserver()
    before, parent_before = _cpu_seconds(), _cpu_seconds(children=False)
    seconds, count = _ingest(work / "run-digital", digital_dir)
    _stop_forkserver()
    cpu = (_cpu_seconds() - before) / count
    parent = (_cpu_seconds(children=False) - parent_before) / count
    print(f"born-digital: {count} documents in {seconds:.2f} s ="
          f" {count / seconds:.1f} documents/s (target >= 100/s)")
    print(f"  CPU per document (parent and workers): {1000 * cpu:.1f} ms"
          f" (parent {1000 * parent:.1f}, workers {1000 * (cpu - parent):.1f});"
          f" {cores} cores fully ours would do {cores / cpu:.0f} documents/s;"
          f" cores busy {100 * cpu * count / (seconds * cores):.0f}%;"
          f" load average {os.getloadavg()[0]:.1f}")


def _split(samples: Path, documents: list[Path], target: Path) -> None:
    for document in documents:
        destination = target / document.relative_to(samples)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(document, destination)
        truth = document.with_name(document.name + ".truth.json")
        if truth.exists():
            shutil.copy2(truth, destination.with_name(truth.name))


def _ingest(data_dir: Path, samples: Path) -> tuple[float, int]:
    settings = load_settings(data_dir=data_dir, quiet_seconds=0.0, batch_size=500)
    stage_into_inbox(samples, settings.inbox_location)
    with open_backends(settings) as backends:
        started = time.perf_counter()
        report = ingest_once(settings, backends, wait=False)
        seconds = time.perf_counter() - started
    summary = report.summary()
    print(f"  outcome: {summary}")
    return seconds, summary["archived"] + summary["duplicate"]


# --- OCR -------------------------------------------------------------------------
#
# The fair comparison: raw = the ``tesseract`` CLI, one thread, one page after
# another, on the same page images with the language the pipeline ended up
# using for that page.  The pipeline's figure = wall time of the whole scanned
# run (claim to index) / pages.  CPU seconds are also given, as they are less
# sensitive to other work on the machine: every Tesseract run of the pipeline
# goes through a ``/usr/bin/time`` wrapper put first on PATH, and the run's
# total (parent, workers, Tesseract) comes from getrusage once the forkserver
# and its workers have been reaped.


def _measure_ocr(work: Path, scans: list[Path], scan_dir: Path, cores: int) -> None:
    pages = sum(int(load_truth(d).get("pages", 1)) for d in scans)
    log = work / "tesseract-times.log"
    _stop_forkserver()  # a fresh one inherits the PATH with the timing wrapper
    before = _cpu_seconds()
    with _timed_tesseract(work / "bin", log):
        seconds, count, languages = _ingest_scans(work / "run-scans", scan_dir)
        _stop_forkserver()
    total_cpu = _cpu_seconds() - before
    runs = _tesseract_runs(log)
    tesseract_cpu = sum(cpu for cpu, _ in runs)
    docket_rate = pages / seconds
    print(f"scanned: {count} files, {pages} pages in {seconds:.1f} s ="
          f" {seconds / pages:.2f} s/page, {docket_rate:.3f} pages/s")
    print(f"  tesseract runs: {len(runs) / pages:.2f}/page;"
          f" CPU s/page: tesseract {tesseract_cpu / pages:.2f},"
          f" everything else {(total_cpu - tesseract_cpu) / pages:.2f},"
          f" total {total_cpu / pages:.2f}; cores busy {100 * total_cpu / (seconds * cores):.0f}%")

    images = _page_images(scans, work / "pages")
    raw_seconds, raw_cpu = _raw_tesseract(images, languages)
    per_page = raw_seconds / len(images)
    ideal_rate = cores / per_page
    used = ", ".join(f"{lang} x{n}" for lang, n in _tally(images, languages).items())
    print(f"raw tesseract (CLI, 1 thread, sequential, {len(images)} pages, {used}):"
          f" {per_page:.2f} s/page, CPU {raw_cpu / len(images):.2f} s/page;"
          f" x {cores} cores = {ideal_rate:.3f} pages/s")
    print(f"OCR throughput: {100 * docket_rate / ideal_rate:.0f}% of raw Tesseract x cores"
          f" (target >= 90%); by CPU seconds {100 * raw_cpu / total_cpu:.0f}%"
          f" (raw CPU / pipeline CPU per page: the figure at full use of every core);"
          f" load average {os.getloadavg()[0]:.1f}")


def _ingest_scans(data_dir: Path, samples: Path) -> tuple[float, int, dict[str, str]]:
    """Ingest the scans; also the language Tesseract ended up using, per page image name."""
    from ingest.indexing import load_record

    settings = load_settings(data_dir=data_dir, quiet_seconds=0.0, batch_size=500)
    stage_into_inbox(samples, settings.inbox_location)
    with open_backends(settings) as backends:
        started = time.perf_counter()
        report = ingest_once(settings, backends, wait=False)
        seconds = time.perf_counter() - started
        languages = {}
        for file in report.files:
            if file.doc_id is None:
                continue
            record = load_record(backends, file.doc_id)
            stem = Path(record.original_name).stem
            for page in record.pages:
                if page.ocr_languages:
                    languages[f"{stem}-{page.number - 1}"] = page.ocr_languages
    summary = report.summary()
    print(f"  outcome: {summary}")
    return seconds, summary["archived"] + summary["duplicate"], languages


@contextmanager
def _timed_tesseract(bin_dir: Path, log: Path) -> Iterator[None]:
    """Put a ``tesseract`` first on PATH that logs each run's CPU seconds to ``log``."""
    real = shutil.which("tesseract")
    if real is None:
        raise SystemExit("tesseract is not installed")
    bin_dir.mkdir(parents=True, exist_ok=True)
    wrapper = bin_dir / "tesseract"
    wrapper.write_text(f'#!/bin/sh\nexec /usr/bin/time -a -o "{log}" -f "%U %S %C" "{real}" "$@"\n')
    wrapper.chmod(0o755)
    old_path = os.environ["PATH"]
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{old_path}"
    try:
        yield
    finally:
        os.environ["PATH"] = old_path


def _tesseract_runs(log: Path) -> list[tuple[float, str]]:
    """(CPU seconds, command line) of every page run in ``log`` (language listings left out)."""
    runs = []
    for line in log.read_text().splitlines() if log.exists() else []:
        user, system, command = line.split(" ", 2)
        if "--list-langs" not in command and "--version" not in command:
            runs.append((float(user) + float(system), command))
    return runs


def _stop_forkserver() -> None:
    # The sandbox's workers are children of multiprocessing's forkserver: their
    # CPU time reaches getrusage(RUSAGE_CHILDREN) only once it is reaped.
    from multiprocessing import forkserver

    forkserver._forkserver._stop()  # type: ignore[attr-defined]


def _cpu_seconds(children: bool = True) -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    total = own.ru_utime + own.ru_stime
    if children:
        reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
        total += reaped.ru_utime + reaped.ru_stime
    return total


def _page_images(scans: list[Path], target: Path) -> list[Path]:
    """Every scanned page as a PNG, for the raw Tesseract comparison."""
    import pypdfium2
    from PIL import Image

    target.mkdir(parents=True, exist_ok=True)
    images = []
    for scan in scans:
        if scan.read_bytes()[:4] == b"%PDF":
            pdf = pypdfium2.PdfDocument(scan)
            for i in range(len(pdf)):
                path = target / f"{scan.stem}-{i}.png"
                pdf[i].render(scale=300 / 72).to_pil().convert("L").save(path)
                images.append(path)
            pdf.close()
        else:
            with Image.open(scan) as image:
                for i in range(getattr(image, "n_frames", 1)):
                    image.seek(i)
                    path = target / f"{scan.stem}-{i}.png"
                    image.convert("L").save(path)
                    images.append(path)
    return images


def _tally(images: list[Path], languages: dict[str, str]) -> dict[str, int]:
    tally: dict[str, int] = {}
    for image in images:
        language = languages.get(image.stem, "vie")
        tally[language] = tally.get(language, 0) + 1
    return tally


def _raw_tesseract(images: list[Path], languages: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds for single-thread Tesseract to read all pages one after another.

    Each page in the language the pipeline used for it (``vie`` if it has none).
    """
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    cpu = _cpu_seconds()
    started = time.perf_counter()
    for image in images:
        language = languages.get(image.stem, "vie")
        subprocess.run(["tesseract", str(image), "-", "-l", language],
                       env=env, capture_output=True, check=False)
    return time.perf_counter() - started, _cpu_seconds() - cpu


if __name__ == "__main__":
    main()
