"""bench/extraction.py: its error rate charges what OCR misread, not the order of lines."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "extraction.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_extraction", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TRUTH = "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/QĐ-UBND"


def test_a_header_read_across_the_columns_costs_nothing(bench: ModuleType) -> None:
    across = "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH LÂM ĐỒNG\nSố: 12/QĐ-UBND"
    flexible, strict, _, total = bench.page_errors(TRUTH, across)
    assert flexible == 0 and strict > 0 and total == len(" ".join(TRUTH.splitlines()))


def test_misread_lost_and_extra_text_are_all_charged(bench: ModuleType) -> None:
    ocr = "UY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM _\nSố: 12/QĐ-UBND\n~~~"
    flexible, *_ = bench.page_errors(TRUTH, ocr)
    # Ủ read as U (1), "TỈNH LÂM ĐỒNG" lost (13), "_" and "~~~" extra (4).
    assert flexible == 1 + 13 + 4


def test_a_lost_line_does_not_take_another_lines_text(bench: ModuleType) -> None:
    # "XÃ LÂM HÀ" was not read; "Nơi nhận:" must still match itself.
    assert bench.flexible_errors(["XÃ LÂM HÀ", "Nơi nhận:"], ["Nơi nhận:"]) == 9


def test_best_span_is_the_closest_substring(bench: ModuleType) -> None:
    assert bench.best_span("QĐ-UBND", "Số: 76/QĐ-UBND Lâm Hà") == (0, 7, 14)
    assert bench.best_span("hello", "say helo world") == (1, 4, 8)
    assert bench.levenshtein("kitten", "sitting") == 3


def test_the_real_set_s_cache_keeps_extracted_content_and_reads_it_back(
    bench: ModuleType, tmp_path: Path
) -> None:
    documents = bench.load_real_documents(bench.REAL_DIR)[:1]
    cache = tmp_path / "cache"
    first = bench.run_real(documents, ("text_pdf",), tmp_path / "a", workers=1, cache=cache)
    kept = list(cache.rglob("*.pickle"))
    assert len(kept) == 1
    # Read back, not rendered again: nothing is written under the second folder.
    again = bench.run_real(documents, ("text_pdf",), tmp_path / "b", workers=1, cache=cache)
    assert again == first and not (tmp_path / "b").exists()


def test_the_real_set_s_cache_is_kept_per_ocr_model(bench: ModuleType, tmp_path: Path) -> None:
    # A folder whose vie.traineddata is another model (here English): another key.
    system = bench.tesseract_for(bench.real_limits()).data_folder()
    folder = tmp_path / "tessdata"
    folder.mkdir()
    for name in bench.real_limits().ocr_languages:
        source = system / ("eng" if name == "vie" else name)
        (folder / f"{name}.traineddata").symlink_to(source.with_suffix(".traineddata"))
    ours = bench.real_limits(tessdata=folder)
    assert bench.ocr_key(ours) != bench.ocr_key(bench.real_limits())
    assert "-up300" in bench.ocr_key(bench.real_limits(upscale_dpi=300))
    assert bench.ocr_key(bench.real_limits(despeckle=False)) != bench.ocr_key(bench.real_limits())


def test_a_held_out_batch_is_read_alone(bench: ModuleType) -> None:
    from ingest.samples.real import load_real_documents

    documents = load_real_documents(bench.REAL_DIR)
    held_out = bench.select_real(documents, batch="heldout-1")
    assert len(held_out) >= 12
    assert {document["batch"] for document in held_out} == {"heldout-1"}
    rest = bench.select_real(documents, batch="-")
    batches = {document.get("batch") for document in documents} - {None}
    assert len(rest) + sum(len(bench.select_real(documents, batch=name))
                           for name in batches) == len(documents)
    assert not any("batch" in document for document in rest)
    ids = [held_out[0]["id"], rest[0]["id"]]
    assert bench.select_real(documents, only=ids, batch="heldout-1") == held_out[:1]
    assert bench.select_real(documents, first=3) == documents[:3]
