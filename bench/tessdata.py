"""Raw Tesseract time per page for several tessdata folders, on the same real pages.

Renders real documents (``tests/resources/real``) in the scan variants, turns
each page into what the OCR engine hands Tesseract (rendered at the OCR dpi
for PDFs, deskewed, binarized; ``--upscale`` also as ``ingest.extract.ocr``
would upscale a low-resolution page), then runs ``tesseract`` once per page
and folder, the folders interleaved page by page (A B C A B C), one process at
a time with ``OMP_THREAD_LIMIT=1``.  Prints CPU seconds (user + system of the
child, which other load on a shared machine hardly changes) and wall seconds
per page, and the load average before and after.

    .venv/bin/python bench/tessdata.py system=/usr/share/tesseract-ocr/5/tessdata \\
        best=.venv/share/tessdata --documents 12
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.binarize import binarize  # noqa: E402
from ingest.deskew import deskew  # noqa: E402
from ingest.extract.base import ExtractLimits  # noqa: E402
from ingest.extract.image import _frames, open_image  # noqa: E402
from ingest.extract.ocr import upscaled  # noqa: E402
from ingest.extract.pdf import _render, open_pdf  # noqa: E402
from ingest.samples.real import load_real_documents, render_real  # noqa: E402

REAL_DIR = ROOT / "tests" / "resources" / "real" / "documents"
SCAN_VARIANTS = ("scan_300", "scan_200", "fax")


def page_images(path: Path, limits: ExtractLimits) -> list[tuple[object, int | None]]:
    """The (grey image, dpi) pages the extractor would hand the OCR engine."""
    if path.suffix == ".pdf":
        document = open_pdf(path, limits)
        try:
            return list(_render(document, list(range(len(document))), limits))
        finally:
            document.close()
    with open_image(path, limits) as image:
        return list(_frames(image, limits))


def prepare(documents: list[dict], variants: tuple[str, ...], folder: Path,
            upscale: bool) -> list[tuple[str, Path, int | None]]:  # fmt: skip
    """Write every page as Tesseract gets it; ``(variant, page file, dpi)``."""
    limits = ExtractLimits()
    pages = []
    for variant in variants:
        for document in documents:
            path = render_real(document, variant, folder / "rendered")
            for number, (image, dpi) in enumerate(page_images(path, limits), start=1):
                gray, _ = deskew(image.convert("L"))
                if upscale:
                    gray, dpi = upscaled(gray, dpi)
                out = folder / f"{variant}-{document['id']}-{number}.tif"
                binarize(gray).save(out, format="TIFF", compression="raw")
                pages.append((variant, out, dpi))
    return pages


def run_once(tessdata: Path, page: Path, dpi: int | None) -> tuple[float, float]:
    """(CPU, wall) seconds of one ``tesseract`` run on ``page`` with ``tessdata``."""
    command = ["tesseract", str(page), "stdout", "--tessdata-dir", str(tessdata), "-l", "vie",
               "--psm", "3", *(["--dpi", str(dpi)] if dpi else []), "tsv"]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True,
                   env={**os.environ, "OMP_THREAD_LIMIT": "1"})  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", help="name=tessdata folder")
    parser.add_argument("--documents", type=int, default=12, help="first N real documents")
    parser.add_argument("--variants", nargs="*", default=list(SCAN_VARIANTS))
    parser.add_argument("--upscale", action="store_true", help="upscale low-dpi pages first")
    args = parser.parse_args()
    models = dict(item.split("=", 1) for item in args.models)
    documents = load_real_documents(REAL_DIR)[: args.documents]
    print(f"load average before: {os.getloadavg()}")
    times: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="docket-tessdata-") as tmp:
        pages = prepare(documents, tuple(args.variants), Path(tmp), args.upscale)
        for variant, page, dpi in pages:
            for name, folder in models.items():
                times[(name, variant)].append(run_once(Path(folder), page, dpi))
    print(f"load average after: {os.getloadavg()}")
    print(f"{len(documents)} documents; seconds per page, CPU (wall)")
    print(f"{'model':12}" + "".join(f"{v:>18}" for v in args.variants))
    for name in models:
        cells = []
        for variant in args.variants:
            runs = times[(name, variant)]
            cpu = sum(r[0] for r in runs) / len(runs)
            wall = sum(r[1] for r in runs) / len(runs)
            cells.append(f"{cpu:6.2f} ({wall:5.2f}) n={len(runs)}")
        print(f"{name:12}" + "".join(f"{c:>18}" for c in cells))


if __name__ == "__main__":
    main()
