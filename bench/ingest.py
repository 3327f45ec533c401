"""Ingest throughput on the embedded default, beside its floor; prints figures, asserts nothing.

    .venv/bin/python bench/ingest.py [--documents 1000] [--rounds 2] [--scanned-pages 50]
                                     [--pdf-cache DIR] [--profile DIR] [--keep DIR]

Born-digital, against its floor, in one run.  The files: ``--documents`` PDFs
of 1-3 pages laid out from the real-document set (tests/resources/real), each
with a filing mark of its own at the foot of its last page, so no two have
the same bytes (rendered once into ``--pdf-cache``, reused by later runs).
The machine may be shared, so the two sides are measured in turn, A B A B,
and each pair's ratio is taken under the same load:

- A, Docket: ``docket ingest --no-wait`` as an office runs it (a new process,
  the default settings: lanes, a worker per core, chunks of 20) into a fresh
  data folder, from start to exit; claim, analyse in the sandbox, archive with
  verification, register, record, release, index.
- B, the floor: the bare minimum work for the same files in this process, on
  one core: pypdfium2 text of every page, SHA-256, a copy of the original
  fsync'd, one SQLite FTS5 insert each, committed each (WAL, synchronous=NORMAL,
  as Docket's index).

Targets: >= 100 documents/s and >= 0.9x the one-core floor on 2 cores.
CPU seconds per document are printed too (Docket's from its process and all
its descendants, this process being their subreaper): less sensitive to other
work on the machine than the wall clock.  ``--profile DIR``: an extra Docket
run under py-spy (``pip install py-spy``), sampling the parent and the sandbox
workers; DIR gets the collapsed stacks and the top functions per process.

Scanned pages: OCR seconds per page through the pipeline, against raw
single-thread ``tesseract`` on the same pages in the same run, times the
number of cores (the best a machine can do).  Target: OCR throughput within
10% of raw single-thread Tesseract x cores.  Then the peak memory (resident
set) of the parent and of the worker processes.
"""

from __future__ import annotations

import argparse
import ctypes
import hashlib
import os
import platform
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from statistics import median

# This script is named like the ``ingest`` package: drop its own folder from the
# import path so ``import ingest`` finds the package, not this file.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

from ingest.backends import open_backends  # noqa: E402
from ingest.pipeline import ingest_once  # noqa: E402
from ingest.samples import generate_samples, load_truth, stage_into_inbox  # noqa: E402
from kernel.settings import load_settings  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
REAL_DIR = REPO / "tests" / "resources" / "real" / "documents"
DOCKET = Path(sys.executable).with_name("docket")
PYCACHE = Path(tempfile.gettempdir()) / "docket-bench-pycache"
WARM_UP_FILES = 40


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000, help="born-digital PDFs")
    parser.add_argument("--rounds", type=int, default=2, help="A B pairs (Docket, floor)")
    parser.add_argument("--scanned-pages", type=int, default=50)
    parser.add_argument("--pdf-cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "docket-bench-real-pdfs")
    parser.add_argument("--profile", type=Path, help="also profile a Docket run with py-spy")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="docket-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(describe_machine())
    print(f"work folder {work}; load {load()}")
    try:
        if args.documents:
            measure_born_digital(work, args)
        if args.scanned_pages:
            measure_scans(work, args.scanned_pages)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def describe_machine() -> str:
    """The machine and the code measured: what a reader needs to reproduce a figure."""
    def git(*command: str) -> str:
        try:
            return subprocess.run(["git", "-C", str(REPO), *command], capture_output=True,
                                  text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"
    cpu = platform.machine()
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info
                    if line.startswith("model name")), cpu)
    dirty = " (with uncommitted changes)" if git("status", "--porcelain",
                                                  "--untracked-files=no") else ""
    return (f"machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()},"
            f" Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}\n"
            f"commit: {git('rev-parse', '--short', 'HEAD')}{dirty}")


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f}/{five:.1f} (1/5 min)"


# --- born-digital against the floor --------------------------------------------


def measure_born_digital(work: Path, args: argparse.Namespace) -> None:
    files = real_pdfs(args.pdf_cache, args.documents)
    pages = sum(_page_count(f) for f in files)
    spread = Counter(_page_count(f) for f in files)
    print(f"born-digital: {len(files)} PDFs from the real-document set, {pages} pages"
          f" ({', '.join(f'{n} of {p}' for p, n in sorted(spread.items()))} pages),"
          f" {sum(f.stat().st_size for f in files) / len(files) / 1024:.0f} KiB each")
    become_subreaper()
    use_bytecode_cache(PYCACHE)
    docket_run(work / "warm-docket", files[:WARM_UP_FILES])  # bytecode, disk cache, imports
    floor_run(work / "warm-floor", files[:WARM_UP_FILES])
    docket, floor = [], []
    for round_ in range(1, args.rounds + 1):
        docket.append(docket_run(work / f"docket-{round_}", files))
        print(f"  A{round_} docket ingest: {_figures(docket[-1])}")
        floor.append(floor_run(work / f"floor-{round_}", files))
        print(f"  B{round_} floor:         {_figures(floor[-1])}")
    ratios = [a["rate"] / b["rate"] for a, b in zip(docket, floor, strict=True)]
    cpu_ratios = [b["cpu"] / a["cpu"] for a, b in zip(docket, floor, strict=True)]
    print(f"born-digital: docket ingest {median(r['rate'] for r in docket):.1f} documents/s"
          f" (target >= 100), the one-core floor {median(r['rate'] for r in floor):.1f};"
          f" ratio per pair {', '.join(f'{r:.2f}' for r in ratios)} (target >= 0.90);"
          f" floor CPU / Docket CPU per document {', '.join(f'{r:.2f}' for r in cpu_ratios)};"
          f" load {load()}")
    if args.profile:
        profile_docket(work / "docket-profiled", files, args.profile)


def _figures(run: dict[str, float]) -> str:
    parent = f" (parent {1000 * run['parent']:.1f})" if "parent" in run else ""
    return (f"{run['count']:.0f} documents in {run['seconds']:.2f} s = {run['rate']:.1f}/s;"
            f" CPU {1000 * run['cpu']:.1f} ms/document{parent}; load {load()}")


def real_pdfs(cache: Path, count: int) -> list[Path]:
    """``count`` unique born-digital PDFs from the real-document set (rendered once, cached)."""
    from ingest.samples.real import load_real_documents, render_real_copy

    documents = load_real_documents(REAL_DIR)
    wanted = [(documents[i % len(documents)], i) for i in range(count)]
    paths = [cache / "incoming" / f"{d['id']}-{i:05d}.pdf" for d, i in wanted]
    missing = [(d, i) for (d, i), p in zip(wanted, paths, strict=True) if not p.exists()]
    if missing:
        started = time.perf_counter()
        with ProcessPoolExecutor(os.cpu_count()) as pool:
            list(pool.map(render_real_copy, *zip(*missing, strict=True),
                          [cache] * len(missing), chunksize=16))
        print(f"rendered {len(missing)} PDFs into {cache} in {time.perf_counter() - started:.0f} s")
    return paths


def _page_count(path: Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def docket_run(data_dir: Path, files: list[Path], wrap: list[str] | None = None
               ) -> dict[str, float]:
    """``docket ingest --no-wait`` over ``files`` in a fresh data folder, as a new process."""
    inbox = data_dir / "inbox" / "incoming"
    inbox.mkdir(parents=True)
    old = time.time() - 3600  # long complete: nothing waits for the quiet period
    for file in files:
        shutil.copyfile(file, inbox / file.name)
        os.utime(inbox / file.name, (old, old))
    env = dict(os.environ, DOCKET_DATA_DIR=str(data_dir))
    command = [*(wrap or []), str(DOCKET), "ingest", "--no-wait"]
    output = data_dir / "docket-ingest.out"
    cpu = _children_cpu()
    started = time.perf_counter()
    with output.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    reap_orphans()  # the fork server and its workers, orphaned when docket exited
    cpu = _children_cpu() - cpu
    if process.returncode != 0:
        raise SystemExit(f"docket ingest failed ({process.returncode}):"
                         f" {output.read_text(errors='replace')[-2000:]}")
    count = sum(1 for p in (data_dir / "inbox" / "processed").rglob("*") if p.is_file())
    if count != len(files):
        print(f"  warning: {count} of {len(files)} files archived;"
              f" {output.read_text(errors='replace')[-1000:]}")
    # The parent's own CPU (it reaps no worker: they are the fork server's children).
    parent = usage.ru_utime + usage.ru_stime
    return {"count": count, "seconds": seconds, "rate": count / seconds, "cpu": cpu / count,
            "parent": parent / count}


def floor_run(folder: Path, files: list[Path]) -> dict[str, float]:
    """The bare minimum for ``files``, one after another in this process."""
    import pypdfium2

    store = folder / "store"
    store.mkdir(parents=True)
    db = sqlite3.connect(folder / "index.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE VIRTUAL TABLE documents USING fts5(doc_id UNINDEXED, body)")
    cpu = _own_cpu()
    started = time.perf_counter()
    for file in files:
        data = file.read_bytes()
        sha256 = hashlib.sha256(data).hexdigest()
        pdf = pypdfium2.PdfDocument(data)
        pages = []
        for page in pdf:
            text_page = page.get_textpage()
            pages.append(text_page.get_text_bounded())
            text_page.close()
            page.close()
        pdf.close()
        fd = os.open(store / sha256, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        db.execute("INSERT INTO documents VALUES (?, ?)", (sha256, "\n".join(pages)))
    seconds = time.perf_counter() - started
    cpu = _own_cpu() - cpu
    db.close()
    return {"count": len(files), "seconds": seconds, "rate": len(files) / seconds,
            "cpu": cpu / len(files)}


def become_subreaper() -> None:
    """Orphans of our children (the fork server of ``docket ingest``) become ours, so their
    CPU time reaches getrusage(RUSAGE_CHILDREN) once reaped."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def reap_orphans(seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.02)


def use_bytecode_cache(folder: Path) -> None:
    """Compile once into ``folder``, for this process and its children (this machine sets
    PYTHONDONTWRITEBYTECODE and the virtualenv has no .pyc: every new ``docket`` would
    compile every module it imports, which an installed Docket does not)."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder)
    sys.dont_write_bytecode = False
    sys.pycache_prefix = str(folder)


def _own_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _children_cpu() -> float:
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    return reaped.ru_utime + reaped.ru_stime


# --- where the time goes ---------------------------------------------------------


def profile_docket(data_dir: Path, files: list[Path], out: Path) -> None:
    """A Docket run under py-spy: every process sampled; the top functions of each kind."""
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        print("profile: py-spy is not installed (.venv/bin/pip install py-spy)")
        return
    out.mkdir(parents=True, exist_ok=True)
    stacks = out / "docket-ingest.txt"
    run = docket_run(data_dir, files, [str(spy), "record", "--subprocesses", "--rate", "200",
                                        "--format", "raw", "--output", str(stacks), "--"])
    print(f"profile: {_figures(run)} (under py-spy)")
    summary = summarize_stacks(stacks)
    (out / "summary.txt").write_text(summary, encoding="utf-8")
    print(summary)


PROCESS_FRAME = re.compile(r'process \d+:"[^"]*";?')
KINDS = {1: "docket ingest (parent)", 2: "fork server", 3: "sandbox workers"}


def summarize_stacks(stacks: Path, top: int = 25) -> str:
    """Samples per kind of process (the parent, the sandbox's workers: children of its
    fork server), and per function: own time and inclusive."""
    own: dict[str, Counter[str]] = defaultdict(Counter)
    inclusive: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    for line in stacks.read_text(encoding="utf-8").splitlines():
        path, _, count_text = line.rpartition(" ")
        depth = len(PROCESS_FRAME.findall(path))
        frames = [f for f in PROCESS_FRAME.sub("", path).split(";") if f]
        if not frames:
            continue
        kind, count = KINDS.get(depth, f"depth {depth}"), int(count_text)
        totals[kind] += count
        own[kind][frames[-1]] += count
        for frame in set(frames):
            inclusive[kind][frame] += count
    lines = []
    for kind in sorted(totals, key=totals.__getitem__, reverse=True):
        lines.append(f"{kind}: {totals[kind]} samples")
        lines.append("  own time:")
        lines += [f"    {100 * n / totals[kind]:5.1f}% {f}" for f, n in own[kind].most_common(top)]
        lines.append("  inclusive:")
        lines += [f"    {100 * n / totals[kind]:5.1f}% {f}"
                  for f, n in inclusive[kind].most_common(top)]
    return "\n".join(lines)


# --- OCR ------------------------------------------------------------------------


def measure_scans(work: Path, scanned_pages: int) -> None:
    """Generated scans through the pipeline (in this process) against raw Tesseract."""
    cores = os.cpu_count() or 1
    samples = work / "samples"
    documents = generate_samples(samples, seed=1, profile="bench", born_digital=0,
                                 scanned_pages=scanned_pages)
    scans = [d for d in documents if load_truth(d).get("kind") not in ("text_pdf", "docx", "text")]
    scan_dir = work / "scans"
    for document in scans:
        destination = scan_dir / document.relative_to(samples)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(document, destination)
    if scans:
        _measure_ocr(work, scans, scan_dir, cores)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: parent {own:.0f} MiB, largest worker or tesseract {children:.0f} MiB")


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
