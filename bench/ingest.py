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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# This script is named like the ``ingest`` package: drop its own folder from the
# import path so ``import ingest`` finds the package, not this file.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

from ingest.backends import open_backends  # noqa: E402
from ingest.pipeline import ingest_once  # noqa: E402
from ingest.samples import generate_samples, load_truth, stage_into_inbox  # noqa: E402
from ingest.settings import load_settings  # noqa: E402


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

    seconds, count = _ingest(work / "run-digital", digital_dir)
    print(f"born-digital: {count} documents in {seconds:.2f} s = {count / seconds:.1f} documents/s"
          f" (target >= 100/s)")

    pages = sum(int(load_truth(d).get("pages", 1)) for d in scans)
    seconds, count = _ingest(work / "run-scans", scan_dir)
    docket_rate = pages / seconds
    print(f"scanned: {count} files, {pages} pages in {seconds:.1f} s ="
          f" {seconds / pages:.2f} s/page, {docket_rate:.3f} pages/s")

    images = _page_images(scans, work / "pages")
    raw_seconds = _raw_tesseract(images)
    per_page = raw_seconds / len(images)
    ideal_rate = cores / per_page
    print(f"raw tesseract (1 thread, sequential, {len(images)} pages): {per_page:.2f} s/page;"
          f" x {cores} cores = {ideal_rate:.3f} pages/s")
    print(f"OCR throughput: {100 * docket_rate / ideal_rate:.0f}% of raw Tesseract x cores"
          f" (target >= 90%)")

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: parent {own:.0f} MiB, largest worker or tesseract {children:.0f} MiB")


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
    stage_into_inbox(samples, settings.inbox_dir)
    with open_backends(settings) as backends:
        started = time.perf_counter()
        report = ingest_once(settings, backends, wait=False)
        seconds = time.perf_counter() - started
    summary = report.summary()
    print(f"  outcome: {summary}")
    return seconds, summary["archived"] + summary["duplicate"]


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


def _raw_tesseract(images: list[Path]) -> float:
    """Seconds for single-thread Tesseract to read all pages one after another."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    started = time.perf_counter()
    with ThreadPoolExecutor(1) as pool:
        list(pool.map(lambda p: subprocess.run(
            ["tesseract", str(p), "-", "-l", "vie"], env=env, capture_output=True, check=False
        ), images))
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
