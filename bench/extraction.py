"""How well extraction and the describer read the sample documents.

Generates the "full" sample set (or reads a folder of samples with their
``.truth.json``), runs ``extract_content`` and ``describe`` over every file and
prints, per kind of file (text PDF, DOCX, scans), the exact-match accuracy of
each metadata field (scans also upright against upside down), the character
error rate of OCR per language against the true text, and the describer's
time per document.  It prints figures and
asserts nothing.

    .venv/bin/python bench/extraction.py                 # full set, generated in a temp dir
    .venv/bin/python bench/extraction.py --dir samples/  # an existing sample folder
    .venv/bin/python bench/extraction.py --kinds text_pdf docx --misses 20

With ``--real`` it measures the real-document set instead
(``tests/resources/real/documents``: real documents, truth checked by hand),
rendered in a temp dir as text PDF, DOCX, 300 and 200 dpi scans and fax-like
TIFF (``--kinds`` picks among those), read on two processes:

    .venv/bin/python bench/extraction.py --real --kinds text_pdf docx --misses 40

``--cache DIR`` keeps each rendered document's extracted content (and its
truth) in DIR and reads it back on the next run, so that a change to the
describer is measured in seconds, not in OCR minutes.  It is kept per OCR
model and upscaling (a subfolder named by them), but knows nothing of a change
to the documents, the renderer or the rest of the OCR: clear it then.
``--tessdata DIR`` and ``--upscale-dpi N`` override the OCR settings, as do
``--[no-]despeckle``, ``--[no-]smooth`` and ``--[no-]reread`` (each in the
cache's key).  ``--only r040 r303`` reads only those documents; ``--batch
heldout-1`` only the documents of that batch (the ``batch`` key of a real
document: a set kept out of drawing the describer's rules, so a held-out
measure; ``--batch -`` the documents of no batch).

    .venv/bin/python bench/extraction.py --real --kinds scan_300 --cache /tmp/docket-ocr
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.analyse import limits_from_settings  # noqa: E402
from ingest.describe import DESCRIBED_FIELDS, describe  # noqa: E402
from ingest.extract import extract_content  # noqa: E402
from ingest.extract.base import ExtractedContent, ExtractLimits  # noqa: E402
from ingest.extract.ocr import tesseract_for  # noqa: E402
from ingest.samples import generate_samples, load_truth  # noqa: E402
from ingest.samples.real import (  # noqa: E402
    REAL_FIELDS,
    REAL_VARIANTS,
    load_real_documents,
    real_comparable,
    render_real,
)
from kernel.settings import REVIEW_CONFIDENCE, load_settings  # noqa: E402
from kernel.text import normalize_text  # noqa: E402

KEY_FIELDS = ("number_symbol", "issue_date", "doc_type", "issuing_body")
SCAN_KINDS = ("scan_pdf", "tiff", "jpeg", "png")
Tally = dict[str, dict[str, list[int]]]  # group -> field -> [right, total]
CER_EXPLAINED = """
OCR character error rate (target < 2%) per true language:
line-flexible / strict reading order / words sorted.
  line-flexible: each true line is matched to the closest stretch of the OCR text, wherever
    it was read (a two-column header read straight across holds two true lines), and charged
    its edit distance; lines not read and OCR text matching no line are charged in full
  strict: one edit distance over the page, the true text running region by region
  words sorted: recognition alone, word order ignored"""
MAX_LINE_ERRORS = 0.5  # a true line matched with more errors than this share was not read


def _comparable(value: Any) -> Any:
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return normalize_text(str(value)).strip() if value is not None else None


# --- character error rate ---------------------------------------------------
#
# The true text runs region by region (left header, right header, number,
# date, title, body, Nơi nhận, signature), while Tesseract reads a two-column
# band (the header, the closing) either column by column or straight across.
# A plain edit distance over the whole page then charges every line that came
# out in another place as deleted and inserted again.  The main figure is
# therefore the *line-flexible* error rate (after Clausner, Pletschacher and
# Antonacopoulos, "Flexible character accuracy measure for reading-order-
# independent evaluation", Pattern Recognition Letters 2020): each true line is
# matched to the closest stretch of the OCR text, wherever it is, and charged
# its edit distance; OCR text matching no true line is charged in full.  Order
# within a line still counts; only the order of whole lines does not.  The
# strict reading-order figure and the sorted-words figure (recognition alone,
# word order ignored) are printed beside it.


def levenshtein(a: str, b: str) -> int:
    """Edit distance (a numpy row per character of the shorter string)."""
    if len(a) < len(b):
        a, b = b, a
    return int(_last_row(b, _codes(a), free_start=False)[-1]) if b else len(a)


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


def _last_row(pattern: str, text: np.ndarray, *, free_start: bool) -> np.ndarray:
    """Last DP row of aligning all of ``pattern`` with ``text``.

    ``free_start``: the alignment may start anywhere in ``text`` (infix search);
    otherwise at its beginning.  Entry ``j`` is the best cost ending at ``j``.
    """
    n = len(text)
    columns = np.arange(n + 1)
    row = np.zeros(n + 1, dtype=np.int64) if free_start else columns.copy()
    for i, char in enumerate(_codes(pattern), start=1):
        best = row + 1  # pattern character deleted
        best[1:] = np.minimum(best[1:], row[:-1] + (text != char))
        best[0] = i
        # Inserting text characters is a running minimum along the row.
        row = np.minimum.accumulate(best - columns) + columns
    return row


def best_span(pattern: str, text: str) -> tuple[int, int, int]:
    """``(distance, start, end)`` of the substring of ``text`` closest to ``pattern``."""
    codes = _codes(text)
    ends = _last_row(pattern, codes, free_start=True)
    end = _widest(ends, int(np.argmin(ends)))
    distance = int(ends[end])
    # Align the reversed pattern from the end backwards to find where the span starts.
    back = _last_row(pattern[::-1], codes[:end][::-1], free_start=False)
    length = _widest(back, int(np.argmin(back)))
    return distance, end - length, end


def _widest(row: np.ndarray, index: int) -> int:
    # Equal cost one character further: a substitution rather than a deletion
    # plus a stray character left over, so take the wider span.
    while index + 1 < len(row) and row[index + 1] == row[index]:
        index += 1
    return index


def flexible_errors(truth_lines: list[str], ocr_lines: list[str]) -> int:
    """Edit operations to turn the OCR lines into the truth lines, in any line order.

    Each truth line, longest first, is matched to the closest substring of what
    is left of the OCR text (a line read across two columns holds two truth
    lines); its edit distance is charged and the substring removed.  A truth
    line whose closest stretch differs in more than half its characters was
    not read: it costs its length, and that stretch stays to be charged as
    extra text.  OCR characters left over at the end are charged as insertions.
    """
    segments = [line for line in ocr_lines if line]
    errors = 0
    for line in sorted(truth_lines, key=len, reverse=True):
        best: tuple[int, int, int, int] | None = None
        for index, segment in enumerate(segments):
            distance, start, end = best_span(line, segment)
            if best is None or distance < best[0]:
                best = (distance, index, start, end)
        if best is None or best[0] > MAX_LINE_ERRORS * len(line):
            errors += len(line)  # read nowhere: deleted (whatever it resembles stays extra)
            continue
        distance, index, start, end = best
        errors += distance
        segment = segments.pop(index)
        rest = (segment[:start].strip(), segment[end:].strip())
        segments[index:index] = [part for part in rest if part]
    return errors + sum(len(segment) for segment in segments)


def _cer_line(line: str) -> str:
    return " ".join(unicodedata.normalize("NFC", line).split())


def _cer_lines(text: str) -> list[str]:
    return [line for line in map(_cer_line, text.splitlines()) if line]


def _word_sorted(lines: list[str]) -> str:
    return " ".join(sorted(" ".join(lines).split()))


def page_errors(truth_text: str, ocr_text: str) -> tuple[int, int, int, int]:
    """``(line-flexible, reading-order, sorted-words, true characters)`` for one page."""
    truth, ocr = _cer_lines(truth_text), _cer_lines(ocr_text)
    expected, got = " ".join(truth), " ".join(ocr)
    return (
        flexible_errors(truth, ocr),
        levenshtein(got, expected),
        levenshtein(_word_sorted(ocr), _word_sorted(truth)),
        len(expected),
    )


# --- the run ------------------------------------------------------------------


def _documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".json"))


def _group(truth: dict[str, Any]) -> str:
    group = "scan" if truth["kind"] in SCAN_KINDS else truth["kind"]
    return group if truth["language"] == "vi" else f"{group}/foreign"


def _orientation(truth: dict[str, Any]) -> str:
    return "rotated 180" if (truth.get("scan") or {}).get("rotation") else "upright"


def run(folder: Path, kinds: set[str] | None, misses: int) -> None:
    """Extract and describe every sample under ``folder``; print the figures."""
    hits: Tally = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    turned: Tally = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    cer: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    missed: list[str] = []
    describe_seconds = 0.0
    described = 0
    limits = ExtractLimits()
    for path in _documents(folder):
        truth = load_truth(path)
        kind = truth["kind"]
        if kinds and kind not in kinds:
            continue
        content = extract_content(path, limits)
        found = describe(content)
        # Best of three: the machine is shared, the describer's own cost is wanted.
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            describe(content)
            timings.append(time.perf_counter() - started)
        describe_seconds += min(timings)
        described += 1
        scanned = kind in SCAN_KINDS
        for name in DESCRIBED_FIELDS:
            if name not in truth["metadata"]:
                continue
            expected = _comparable(truth["metadata"][name])
            got = _comparable(found[name].value) if name in found else None
            for tallies, group in ((hits, _group(truth)), (turned, _orientation(truth))):
                if tallies is turned and not (scanned and name in KEY_FIELDS):
                    continue
                tally = tallies[group][name]
                tally[0] += got == expected
                tally[1] += 1
            if got != expected and len(missed) < misses:
                missed.append(f"{truth['file']} {name}: expected {expected!r}, got {got!r}")
        if scanned:
            pages = [page.text for page in content.pages]
            truths = truth["page_texts"]
            if len(pages) != len(truths):  # a page lost: compare the whole text
                pages, truths = [content.text], [truth["text"]]
            for key in (truth["language"], f"{truth['language']} {_orientation(truth)}"):
                for expected_text, got_text in zip(truths, pages, strict=True):
                    for i, value in enumerate(page_errors(expected_text, got_text)):
                        cer[key][i] += value
    _print_report(hits, turned, cer, missed, described, describe_seconds)


def _print_table(hits: Tally, names: tuple[str, ...]) -> None:
    groups = sorted(hits)
    print(f"{'field':18}" + "".join(f"{g:>15}" for g in groups))
    for name in names:
        cells = []
        for group in groups:
            right, total = hits[group].get(name, [0, 0])
            cells.append(f"{100 * right / total:9.1f}% {total:3d}" if total else f"{'-':>14}")
        marker = " *" if name in KEY_FIELDS else ""
        print(f"{name + marker:18}" + "".join(f"{c:>15}" for c in cells))


def _print_report(
    hits: Tally,
    turned: Tally,
    cer: dict[str, list[int]],
    missed: list[str],
    described: int,
    describe_seconds: float,
) -> None:
    _print_table(hits, DESCRIBED_FIELDS)
    print("\n* key fields: target >= 98% on text PDFs, >= 95% on 300 dpi scans;")
    print("  scan = Vietnamese scans; /foreign = letters in other languages")
    if turned:
        print("\nkey fields on scans (all languages), upright against fed upside down:")
        _print_table(turned, KEY_FIELDS)
    if cer:
        print(CER_EXPLAINED)
        for language, (flexible, ordered, unordered, total) in sorted(cer.items()):
            share = [f"{100 * v / max(total, 1):5.2f}%" for v in (flexible, ordered, unordered)]
            print(f"  {language:16} {' / '.join(share)}  over {total} characters")
    if described:
        print(f"\ndescribe: {1000 * describe_seconds / described:.2f} ms per document "
              f"over {described} documents")  # fmt: skip
    if missed:
        print("\nmisses:")
        for line in missed:
            print("  " + line)


# --- the real-document set ---------------------------------------------------

REAL_DIR = ROOT / "tests" / "resources" / "real" / "documents"
REAL_WORKERS = 2  # this machine's cores


def read_real(path: Path, limits: ExtractLimits | None = None) -> dict[str, Any]:
    """Extract and describe one rendered real document; its fields against the truth."""
    return _score_real(*_extract_real(path, limits or real_limits()))


def real_limits(tessdata: Path | None = None, upscale_dpi: int | None = None,
                despeckle: bool | None = None, smooth: bool | None = None,
                reread: bool | None = None) -> ExtractLimits:  # fmt: skip
    """Production's OCR choices (``Settings``), one Tesseract process per document."""
    settings = load_settings()
    limits = limits_from_settings(settings)
    return replace(
        limits, ocr_parallel=1, ocr_slots_dir=None,
        ocr_tessdata=tessdata if tessdata is not None else limits.ocr_tessdata,
        ocr_upscale_dpi=upscale_dpi if upscale_dpi is not None else limits.ocr_upscale_dpi,
        ocr_despeckle=despeckle if despeckle is not None else limits.ocr_despeckle,
        ocr_smooth_enlarged=smooth if smooth is not None else limits.ocr_smooth_enlarged,
        ocr_reread_unread=reread if reread is not None else limits.ocr_reread_unread,
    )  # fmt: skip


def ocr_key(limits: ExtractLimits) -> str:
    """What the OCR of a cached document depends on: the Vietnamese model, the upscaling."""
    despeckle = "-despeckle" if limits.ocr_despeckle else ""
    smooth = "-smooth" if limits.ocr_smooth_enlarged else ""
    reread = "-reread" if limits.ocr_reread_unread else ""
    model = tesseract_for(limits).model("vie")
    return f"{model}-up{limits.ocr_upscale_dpi}{despeckle}{smooth}{reread}"


def _extract_real(
    path: Path, limits: ExtractLimits
) -> tuple[dict[str, Any], ExtractedContent | str]:
    """The truth of one rendered document and its extracted content (or why it failed)."""
    truth = load_truth(path)
    try:
        return truth, extract_content(path, limits)
    except Exception as exc:  # noqa: BLE001 - a file the pipeline refuses is a miss, reported
        return truth, f"{type(exc).__name__}: {exc}"


def _score_real(truth: dict[str, Any], content: ExtractedContent | str) -> dict[str, Any]:
    """Describe ``content`` and hold its fields against ``truth``."""
    error = None
    if isinstance(content, str):
        found, error = {}, content
    else:
        try:
            found = describe(content)
        except Exception as exc:  # noqa: BLE001 - a describer crash is a miss, reported
            found, error = {}, f"{type(exc).__name__}: {exc}"
    fields = {}
    for name in REAL_FIELDS:
        expected = real_comparable(name, truth["metadata"].get(name))
        got = found.get(name)
        fields[name] = {
            "expected": expected,
            "got": real_comparable(name, got.value) if got else None,
            "confidence": got.confidence if got else None,
        }
    real = truth["real"]
    return {"id": real["id"], "variant": real["variant"], "fields": fields, "error": error}


RealJob = tuple[dict[str, Any], str, Path, int, Path | None, ExtractLimits]


def _render_and_read(job: RealJob) -> dict[str, Any]:
    document, variant, out_dir, seed, cache, limits = job
    cached = cache / variant / f"{document['id']}.seed{seed}.pickle" if cache else None
    if cached is not None and cached.exists():
        return _score_real(*pickle.loads(cached.read_bytes()))
    truth, content = _extract_real(render_real(document, variant, out_dir, seed=seed), limits)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(pickle.dumps((truth, content)))
    return _score_real(truth, content)


def run_real(
    documents: list[dict[str, Any]], variants: tuple[str, ...], out_dir: Path, seed: int = 0,
    workers: int = REAL_WORKERS, cache: Path | None = None, limits: ExtractLimits | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """Render every document in every variant and read it back, on ``workers`` processes.

    With ``cache``, content extracted on an earlier run is read back, not extracted
    again; it is kept under the OCR's key (``ocr_key``), so a new model reads anew.
    """
    from concurrent.futures import ProcessPoolExecutor

    limits = limits or real_limits()
    if cache is not None:
        cache = cache / ocr_key(limits)
    jobs = [
        (document, variant, out_dir, seed, cache, limits)
        for variant in variants for document in documents
    ]
    if workers <= 1:
        return [_render_and_read(job) for job in jobs]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(_render_and_read, jobs, chunksize=2))


def real_accuracy(results: list[dict[str, Any]]) -> Tally:
    """variant -> field -> [right, total]."""
    hits: Tally = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for result in results:
        for name, field in result["fields"].items():
            if field["expected"] is None:
                continue  # the document prints none: nothing to read
            tally = hits[result["variant"]][name]
            tally[0] += field["got"] == field["expected"]
            tally[1] += 1
    return hits


def real_confidence(results: list[dict[str, Any]]) -> dict[str, dict[str, list[int]]]:
    """variant -> field ("all" too) -> [confident and right, confident, sent to review, fields].

    Confident: read with at least ``REVIEW_CONFIDENCE``; the rest (missing or
    below) is what the review queue gets.
    """
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0] * 4))
    for result in results:
        for name, field in result["fields"].items():
            if field["expected"] is None:
                continue
            confident = field["confidence"] is not None and field["confidence"] >= REVIEW_CONFIDENCE
            for count in (counts[result["variant"]][name], counts[result["variant"]]["all"]):
                count[3] += 1
                if confident:
                    count[1] += 1
                    count[0] += field["got"] == field["expected"]
                else:
                    count[2] += 1
    return counts


def print_real_report(results: list[dict[str, Any]], misses: int) -> None:
    """The real set's figures: per variant and field, confident precision, misses."""
    hits = real_accuracy(results)
    variants = [v for v in REAL_VARIANTS if v in hits]
    print("REAL DOCUMENTS (tests/resources/real: real text, truth checked by hand;"
          " not generated samples)")  # fmt: skip
    print(f"{len({r['id'] for r in results})} documents; accuracy right/total per variant\n")
    print(f"{'field':15}" + "".join(f"{v:>17}" for v in variants))
    for name in REAL_FIELDS:
        cells = []
        for variant in variants:
            right, total = hits[variant].get(name, [0, 0])
            cells.append(f"{right}/{total} {100 * right / total:5.1f}%" if total else "-")
        print(f"{name:15}" + "".join(f"{c:>17}" for c in cells))
    confidence = real_confidence(results)
    print(f"\nconfident fields (confidence >= {REVIEW_CONFIDENCE}, kernel/model.py):"
          " right/confident;\nrev = sent to review (missing or below)/fields")  # fmt: skip
    print(f"{'field':15}" + "".join(f"{v:>31}" for v in variants))
    for name in (*REAL_FIELDS, "all"):
        cells = []
        for variant in variants:
            right, confident, review, total = confidence[variant][name]
            share = f"{100 * right / confident:5.1f}%" if confident else "    -"
            cells.append(f"{right}/{confident} {share} rev {review}/{total}")
        print(f"{name:15}" + "".join(f"{c:>31}" for c in cells))
    for result in results:
        if result["error"]:
            print(f"  not read: {result['id']} {result['variant']}: {result['error']}")
    listed = 0
    for result in results:
        for name, field in result["fields"].items():
            if field["expected"] is None or field["got"] == field["expected"]:
                continue
            if listed == 0 and misses:
                print("\nmisses (document variant field: truth | value [confidence]):")
            if listed < misses:
                print(f"  {result['id']} {result['variant']} {name}: {field['expected']!r}"
                      f" | {field['got']!r} [{field['confidence']}]")  # fmt: skip
            listed += 1


def select_real(
    documents: list[dict[str, Any]], first: int | None = None, only: list[str] | None = None,
    batch: str | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """The first ``first`` documents, those named in ``only``, those of ``batch``.

    ``batch`` is a real document's top-level ``batch`` key (a held-out batch,
    tests/resources/real/README.md); ``"-"`` picks the documents of no batch.
    """
    chosen = documents[:first]
    if only:
        chosen = [document for document in chosen if document["id"] in only]
    if batch:
        wanted = None if batch == "-" else batch
        chosen = [document for document in chosen if document.get("batch") == wanted]
    return chosen


def main_real(args: argparse.Namespace) -> None:
    documents = select_real(load_real_documents(args.real_dir), args.documents, args.only,
                            args.batch)  # fmt: skip
    if not documents:
        raise SystemExit("no real document matches --documents/--only/--batch")
    limits = real_limits(args.tessdata, args.upscale_dpi, args.despeckle, args.smooth, args.reread)
    print(f"OCR: {ocr_key(limits)} (data {tesseract_for(limits).data_folder()})")
    variants = tuple(args.kinds) if args.kinds else REAL_VARIANTS
    unknown = set(variants) - set(REAL_VARIANTS)
    if unknown:
        raise SystemExit(f"--real variants are {', '.join(REAL_VARIANTS)}; not {unknown}")
    with tempfile.TemporaryDirectory(prefix="docket-real-") as tmp:
        started = time.perf_counter()
        results = run_real(documents, variants, Path(tmp), args.seed, args.workers, args.cache,
                           limits)
        print(f"rendered and read {len(results)} files in {time.perf_counter() - started:.0f} s"
              f" on {args.workers} processes\n")  # fmt: skip
    print_real_report(results, args.misses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="samples folder (default: generate the full set)")
    parser.add_argument("--profile", default="full", help="sample profile when generating")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--kinds", nargs="*", help="only these kinds (text_pdf, docx, scan_pdf..)")
    parser.add_argument("--misses", type=int, default=30, help="how many misses to list")
    parser.add_argument("--real", action="store_true",
                        help="measure the real-document set, not generated samples")  # fmt: skip
    parser.add_argument("--real-dir", type=Path, default=REAL_DIR, help="real documents (JSON)")
    parser.add_argument("--workers", type=int, default=REAL_WORKERS, help="--real: processes")
    parser.add_argument("--cache", type=Path,
                        help="--real: keep extracted content here and reuse it")  # fmt: skip
    parser.add_argument("--tessdata", type=Path,
                        help="--real: Tesseract data folder (default: the setting)")  # fmt: skip
    parser.add_argument("--upscale-dpi", type=int,
                        help="--real: enlarge pages scanned below this dpi (default: the setting)")
    parser.add_argument("--despeckle", action=argparse.BooleanOptionalAction,
                        help="--real: median-filter black-and-white pages (default: the setting)")
    parser.add_argument("--smooth", action=argparse.BooleanOptionalAction,
                        help="--real: median-filter enlarged grey scans (default: the setting)")
    parser.add_argument("--reread", action=argparse.BooleanOptionalAction,
                        help="--real: read again print the layout left unread (default: setting)")
    parser.add_argument("--documents", type=int, help="--real: only the first N documents")
    parser.add_argument("--only", nargs="*", help="--real: only these documents (r040 r303 ...)")
    parser.add_argument("--batch", help="--real: only this batch (heldout-1; '-': no batch)")
    args = parser.parse_args()
    if args.real:
        main_real(args)
        return
    kinds = set(args.kinds) if args.kinds else None
    if args.dir:
        run(args.dir, kinds, args.misses)
        return
    with tempfile.TemporaryDirectory(prefix="docket-bench-") as tmp:
        started = time.perf_counter()
        generate_samples(Path(tmp), seed=args.seed, profile=args.profile)
        print(f"generated {args.profile} samples in {time.perf_counter() - started:.1f} s\n")
        run(Path(tmp), kinds, args.misses)


if __name__ == "__main__":
    main()
