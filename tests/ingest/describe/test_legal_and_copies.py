"""describe() on laws, decrees, circulars and copies (bản sao) from the sample generator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingest.describe import COPY_FIELDS, describe
from ingest.describe.fields.bodies import respell_body
from ingest.extract import extract_content
from ingest.samples import generate_samples, load_truth
from kernel.model import METADATA_FIELDS
from kernel.text import normalize_text

from .conftest import content_of

KEY_FIELDS = ("number_symbol", "issue_date", "doc_type", "issuing_body")


@pytest.fixture(scope="module")
def legal_samples(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, dict[str, Any]]]:
    """The "legal" sample set: laws, circulars and the three copy forms, in three kinds each."""
    out = tmp_path_factory.mktemp("legal-samples")
    return [(path, load_truth(path)) for path in generate_samples(out, seed=3, profile="legal")]


def _described(path: Path) -> dict[str, Any]:
    return {name: field.value for name, field in describe(extract_content(path)).items()}


def _mismatches(path: Path, truth: dict[str, Any], fields: tuple[str, ...] | None = None):
    got = _described(path)
    wrong = []
    for name, expected in truth["metadata"].items():
        if fields is not None and name not in fields:
            continue
        expected = normalize_text(expected) if isinstance(expected, str) else expected
        if got.get(name) != expected:
            wrong.append(f"{truth['file']} {name}: expected {expected!r}, got {got.get(name)!r}")
    wrong += [f"{truth['file']} {name}: not in the truth" for name in got
              if name not in truth["metadata"]]  # fmt: skip
    return wrong


def _pick(samples, kind: str, **meta: str) -> tuple[Path, dict[str, Any]]:
    return next((path, truth) for path, truth in samples if truth["kind"] == kind
                and all(truth["metadata"].get(k) == v for k, v in meta.items()))  # fmt: skip


def test_born_digital_laws_circulars_and_copies_match_their_truth(legal_samples) -> None:
    born_digital = [(p, t) for p, t in legal_samples if t["kind"] in ("text_pdf", "docx")]
    assert len(born_digital) == 10
    wrong = [line for path, truth in born_digital for line in _mismatches(path, truth)]
    assert wrong == []


@pytest.mark.parametrize("kind", ["text_pdf", "docx"])
def test_a_law_has_a_lower_case_so_and_its_date_at_the_end(legal_samples, kind: str) -> None:
    path, truth = _pick(legal_samples, kind, doc_type="Luật")
    assert f"Luật số: {truth['metadata']['number_symbol']}" in truth["text"]
    got = _described(path)
    number, year, _ = truth["metadata"]["number_symbol"].split("/")
    assert (got["number"], got["number_year"], got["issuer_abbr"]) == (number, year, "QH15")
    assert "type_abbr" not in got  # a law's symbol has no type part
    assert (got["doc_type"], got["issuing_body"]) == ("Luật", "QUỐC HỘI")
    # No place and date under the motto: the date is the one the law was passed,
    # in its last sentence, not the date it takes effect, printed just above.
    assert got["issue_date"] == truth["metadata"]["issue_date"]
    assert "issue_place" not in got
    assert got["signer_title"] == "CHỦ TỊCH QUỐC HỘI"


def test_a_circular_of_the_ministry_of_finance(legal_samples) -> None:
    path, truth = _pick(legal_samples, "text_pdf", doc_type="Thông tư")
    got = _described(path)
    assert got["number_symbol"].endswith("/TT-BTC")
    assert (got["type_abbr"], got["issuer_abbr"], got["number_year"]) == (
        "TT", "BTC", truth["metadata"]["issue_date"][:4])  # fmt: skip
    assert (got["issuing_body"], got["doc_type"], got["issue_place"]) == (
        "BỘ TÀI CHÍNH", "Thông tư", "Hà Nội")  # fmt: skip


@pytest.mark.parametrize(
    ("form", "name", "original"),
    [("SY", "Bản sao y", "Quyết định"), ("TrS", "Bản trích sao", "Nghị định"),
     ("SL", "Bản sao lục", "Thông tư")],
)  # fmt: skip
def test_a_copy_is_described_as_its_original_with_its_copy_block(
    legal_samples, form: str, name: str, original: str
) -> None:
    for kind in ("text_pdf", "docx"):
        path, truth = _pick(legal_samples, kind, copy_form=name)
        meta, got = truth["metadata"], _described(path)
        assert f"/{form}-" in got["copy_number_symbol"]
        assert (got["copy_form"], got["copy_number_symbol"]) == (name, meta["copy_number_symbol"])
        assert got["copy_issuing_body"] == meta["copy_issuing_body"]
        assert got["copy_issue_date"] == meta["copy_issue_date"] > meta["issue_date"]
        # The original's number, type and signer, not the copy's.
        assert got["doc_type"] == original
        assert got["number_symbol"] == meta["number_symbol"]
        assert (got["signer_name"], got["recipients"]) == (meta["signer_name"],
                                                            meta["recipients"])  # fmt: skip
        assert meta["copy_number_symbol"] not in got.get("references", [])
        assert set(got) <= set(METADATA_FIELDS) | set(COPY_FIELDS)


def test_a_nghi_dinh_symbol_splits_into_its_parts() -> None:
    text = (
        "CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "Số: 308/2025/NĐ-CP Hà Nội, ngày 28 tháng 11 năm 2025\n"
        "NGHỊ ĐỊNH\nQuy định chi tiết một số điều của Luật Lưu trữ\n"
        "Căn cứ Luật Lưu trữ số 33/2024/QH15;\n"
    )
    got = {n: f.value for n, f in describe(content_of(text)).items()}
    assert (got["number"], got["number_year"], got["type_abbr"], got["issuer_abbr"]) == (
        "308", "2025", "NĐ", "CP")  # fmt: skip
    assert (got["issuing_body"], got["doc_type"], got["issue_date"]) == (
        "CHÍNH PHỦ", "Nghị định", "2025-11-28")  # fmt: skip
    assert got["references"] == ["33/2024/QH15"]


def test_a_law_without_zones_takes_the_date_it_was_passed() -> None:
    text = (
        "QUỐC HỘI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "Luật số: 45/2024/QH15\n"
        "LUẬT\nLƯU TRỮ\n"
        "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
        "Quốc hội ban hành Luật Lưu trữ.\n"
        "Điều 1. Hiệu lực thi hành\n"
        "Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025.\n"
        "Luật này đã được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, kỳ họp\n"
        "thứ 7 thông qua ngày 21 tháng 6 năm 2024.\n"
        "CHỦ TỊCH QUỐC HỘI\nTrần Thanh Mẫn\n"
    )
    got = {n: f.value for n, f in describe(content_of(text)).items()}
    assert got["number_symbol"] == "45/2024/QH15"
    assert (got["issue_date"], got["subject"], got["doc_type"]) == ("2024-06-21", "LƯU TRỮ", "Luật")
    assert "issue_place" not in got
    assert (got["signer_title"], got["signer_name"]) == ("CHỦ TỊCH QUỐC HỘI", "Trần Thanh Mẫn")


def test_an_effective_date_in_the_body_is_not_the_issue_date() -> None:
    text = (
        "BỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 12/2025/TT-BTC\n"
        "THÔNG TƯ\nQuy định về thu ngân sách nhà nước\n"
        "Thông tư này có hiệu lực thi hành từ ngày 01 tháng 3 năm 2025.\n"
    )
    got = {n: f.value for n, f in describe(content_of(text)).items()}
    assert got["number_symbol"] == "12/2025/TT-BTC"
    assert "issue_date" not in got


@pytest.mark.slow
def test_scanned_law_and_copy_give_their_key_fields(legal_samples) -> None:
    upright = [(p, t) for p, t in legal_samples
               if t["kind"] == "scan_pdf" and not t["scan"]["rotation"]]  # fmt: skip
    law = next((p, t) for p, t in upright if t["metadata"]["doc_type"] == "Luật")
    copy = next((p, t) for p, t in upright if t["metadata"].get("copy_form") == "Bản sao y")
    fields = (*KEY_FIELDS, "copy_form", "copy_number_symbol", "copy_issue_date")
    assert _mismatches(*law, fields) + _mismatches(*copy, fields) == []


def test_ocr_marks_on_a_department_are_put_back() -> None:
    # A copy block's body as OCR read it: "SƠ" for "SỞ" (the opener decides: a SỞ).
    assert respell_body("SƠ TÀI CHÍNH") == "SỞ TÀI CHÍNH"
    assert respell_body("SỞ Y TẾ") == "SỞ Y TẾ"


def test_a_place_name_is_never_respelled_into_a_level_word() -> None:
    # "TĨNH" of a place folds like the level "TỈNH": after the level, it is the place.
    assert respell_body("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH") == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
    assert respell_body("HÀ TĨNH") == "HÀ TĨNH"  # the place's line under the body's
    assert respell_body("TỈNH ỦY HÀ TĨNH") == "TỈNH ỦY HÀ TĨNH"
    assert respell_body("TÍNH SƠN LA") == "TỈNH SƠN LA"  # a level opening the line still is one
    assert respell_body("BAN THƯỜNG VỤ TÍNH ỦY") == "BAN THƯỜNG VỤ TỈNH ỦY"
