"""ingest/samples/real.py: real documents rendered reproducibly, with their truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ingest.extract import extract_content
from ingest.samples import load_truth
from ingest.samples.real import (
    REAL_VARIANTS,
    Layout,
    load_real_documents,
    real_spec,
    render_real,
    true_metadata,
)
from kernel.text import normalize_text

REAL = Path(__file__).resolve().parents[2] / "resources" / "real" / "documents"


@pytest.fixture(scope="module")
def documents() -> list[dict[str, Any]]:
    found = load_real_documents(REAL)
    assert found, f"no real documents in {REAL}"
    return found


def test_the_same_seed_gives_the_same_bytes(documents, tmp_path: Path) -> None:
    document = documents[0]
    for variant in ("text_pdf", "docx", "fax"):
        first = render_real(document, variant, tmp_path / "a", seed=3)
        again = render_real(document, variant, tmp_path / "b", seed=3)
        assert first.read_bytes() == again.read_bytes(), variant


def test_every_variant_writes_a_file_with_truth_in_the_samples_shape(documents, tmp_path) -> None:
    document = documents[0]
    for variant in REAL_VARIANTS:
        path = render_real(document, variant, tmp_path, seed=0)
        truth = load_truth(path)
        assert truth["real"] == {**truth["real"], "id": document["id"], "variant": variant}
        assert truth["metadata"]["number_symbol"] == document["truth"]["number_symbol"]
        assert {"file", "kind", "language", "pages", "text", "page_texts"} <= set(truth)


def test_a_text_pdf_carries_what_the_document_prints(documents, tmp_path) -> None:
    document = documents[0]
    text = normalize_text(extract_content(render_real(document, "text_pdf", tmp_path)).text)
    words = " ".join(text.split())
    for line in document["print"]["issuing_body"] + document["print"]["subject"]:
        assert " ".join(normalize_text(line).split()) in words


def test_a_stamped_mark_changes_the_truth(documents) -> None:
    document = documents[0]
    assert true_metadata(document, Layout(mark="TỐI MẬT"))["secrecy"] == "TỐI MẬT"
    assert true_metadata(document, Layout(mark="HỎA TỐC"))["urgency"] == "HỎA TỐC"
    assert "secrecy" not in true_metadata(document, Layout())


def test_number_on_the_next_line_and_wrapped_date_are_laid_out(documents) -> None:
    import random

    document = next(d for d in documents if d["print"].get("place_date"))
    spec = real_spec(document, Layout(number_next_line=True, wrap_date=True), random.Random(0))
    assert spec.number_block[0].text in ("Số:", "Số")
    assert len(spec.date_block) == 2


def test_the_documents_are_well_formed(documents) -> None:
    for document in documents:
        assert {"id", "format", "print", "truth"} <= set(document), document.get("id")
        json.dumps(document)  # plain data


def test_a_party_document_is_laid_out_with_the_party_header(documents, tmp_path) -> None:
    import random

    party = next(d for d in documents if d["format"] == "party")
    spec = real_spec(party, Layout(), random.Random(0))
    assert [p.text for p in spec.header_right][:1] == ["ĐẢNG CỘNG SẢN VIỆT NAM"]
    assert "*" in [p.text for p in spec.header_left]
    text = normalize_text(extract_content(render_real(party, "text_pdf", tmp_path)).text)
    assert party["print"]["number"] in text  # "Số 60-NQ/TW": no colon, a hyphen


def test_an_urgency_mark_is_stamped_under_the_number(documents) -> None:
    import random

    document = next(d for d in documents if d["print"].get("number"))
    spec = real_spec(document, Layout(mark="HỎA TỐC"), random.Random(0))
    texts = [p.text for p in spec.number_block]
    assert texts[0] == document["print"]["number"] and texts[-1] == "HỎA TỐC"
    assert spec.number_block[-1].boxed and spec.number_block[-1].bold


def test_an_organisation_with_a_header_of_its_own_is_laid_out_with_it(documents, tmp_path) -> None:
    """Format "other": its own name at the top right (or nothing), its mark under the issuer."""
    import random

    others = [d for d in documents if d["format"] == "other"]
    assert any(d["print"].get("header_right") for d in others)
    assert any(not d["print"].get("header_right") for d in others)
    for document in others:
        spec = real_spec(document, Layout(), random.Random(0))
        right = [p.text for p in spec.header_right if not p.rule]
        assert right == (document["print"].get("header_right") or [])
        assert document["print"]["separator"] in [p.text for p in spec.header_left]
        text = normalize_text(extract_content(render_real(document, "text_pdf", tmp_path)).text)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA" not in text and "ĐẢNG CỘNG SẢN" not in text


def _check_module():
    import importlib.util

    path = REAL.parent / "check.py"
    spec = importlib.util.spec_from_file_location("real_check", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_check_accepts_a_batch_name_and_nothing_else_new(documents, capsys) -> None:
    check = _check_module()
    held_out = next(d for d in documents if d.get("batch"))
    name = f"{held_out['id']}.json"
    assert check.problems(held_out, name) == []
    assert check.problems({**held_out, "batch": " "}, name)
    assert check.problems({**held_out, "batch": 1}, name)
    assert check.problems({**held_out, "held_out": True}, name)
    assert check.main() == 0
    assert "batch (" in capsys.readouterr().out
