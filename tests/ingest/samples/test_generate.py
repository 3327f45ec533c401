"""The sample generator writes realistic files whose truth matches what is printed."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest
from PIL import Image

from ingest.samples import generate_samples, load_truth, stage_into_inbox
from ingest.samples.doctypes import LEGAL_TYPES, PARTY_TYPES, STATE_TYPES
from ingest.samples.generate import TRUTH_SUFFIX, Job, plan_jobs
from kernel.model import METADATA_FIELDS

TRUTH_KEYS = {
    "file",
    "direction",
    "folder",
    "kind",
    "language",
    "pages",
    "scan",
    "text",
    "page_texts",
    "metadata",
}
VIETNAMESE_REQUIRED = {
    "format",
    "number_symbol",
    "number",
    "issue_date",
    "issue_place",
    "issuing_body",
    "doc_type",
    "subject",
    "signer_name",
    "signer_title",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("demo")
    return out, generate_samples(out, seed=0, profile="demo")


def _of_kind(documents: list[Path], kind: str) -> list[Path]:
    return [d for d in documents if load_truth(d)["kind"] == kind]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _pdf_text(path: Path) -> list[str]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_demo_profile_mix(demo: tuple[Path, list[Path]]) -> None:
    _, documents = demo
    truths = [load_truth(d) for d in documents]
    kinds = [t["kind"] for t in truths]
    assert 35 <= len(documents) <= 50
    assert kinds.count("scan_pdf") == 6
    assert kinds.count("tiff") == 1 and kinds.count("jpeg") == 2 and kinds.count("png") == 1
    assert 1 <= kinds.count("text") <= 2
    assert kinds.count("text_pdf") + kinds.count("docx") >= 25
    ocr_pages = sum(t["pages"] for t in truths if t["scan"] is not None)
    assert ocr_pages <= 15
    assert {"en", "fr", "ru", "cs", "no"} <= {t["language"] for t in truths}
    assert {t["direction"] for t in truths} == {"incoming", "outgoing"}
    assert [t["scan"]["rotation"] for t in truths if t["scan"]].count(180) == 1


def test_every_document_has_truth_with_schema(demo: tuple[Path, list[Path]]) -> None:
    out, documents = demo
    for document in documents:
        truth = load_truth(document)
        assert set(truth) == TRUTH_KEYS
        assert truth["file"] == document.relative_to(out).as_posix()
        assert document.parent == out / truth["direction"] / truth["folder"] or (
            truth["folder"] == "" and document.parent == out / truth["direction"]
        )
        assert set(truth["metadata"]) <= set(METADATA_FIELDS)
        assert len(truth["page_texts"]) == truth["pages"]
        if truth["language"] == "vi":
            assert set(truth["metadata"]) >= VIETNAMESE_REQUIRED, document.name
            assert truth["metadata"]["number_symbol"] in truth["text"]


def test_tricky_cases_are_present(demo: tuple[Path, list[Path]]) -> None:
    _, documents = demo
    truths = [load_truth(d) for d in documents]
    texts = "\n".join(t["text"] for t in truths)
    metas = [t["metadata"] for t in truths]
    assert re.search(r"^Số \d", texts, re.M), "no colon after Số"
    assert re.search(r"^Số:\d", texts, re.M), "no space after the colon"
    assert any(m.get("number", "").startswith("0") and len(m["number"]) == 4 for m in metas)
    assert any("number_year" in m and "/NQ-HĐND" in m["number_symbol"] for m in metas)
    assert re.search(r"^[^\n,]+ ngày \d\d tháng", texts, re.M), "missing comma before ngày"
    assert re.search(r"tháng \d+\s*\nnăm \d{4}", texts), "wrapped date line"
    khan = [m for m in metas if "KHẨN TRƯƠNG" in m.get("subject", "")]
    assert khan and all("urgency" not in m for m in khan)
    assert {"KHẨN", "HỎA TỐC", "THƯỢNG KHẨN"} <= {m.get("urgency") for m in metas}
    assert {"MẬT", "TỐI MẬT"} <= {m.get("secrecy") for m in metas}
    party = [m for m in metas if m.get("format") == "party"]
    assert {"Quy định", "Quyết định"} <= {m["doc_type"] for m in party}
    assert all(re.fullmatch(r"\d+-\w+/\w+", m["number_symbol"]) for m in party)
    assert {m["signer_authority"] for m in metas if "signer_authority" in m} >= {"TM.", "KT."}


def test_text_pdfs_carry_their_true_text(demo: tuple[Path, list[Path]]) -> None:
    _, documents = demo
    for document in _of_kind(documents, "text_pdf"):
        truth = load_truth(document)
        pages = _pdf_text(document)
        assert len(pages) == truth["pages"]
        extracted = _squash(" ".join(pages))
        if truth["language"] == "vi":
            assert truth["metadata"]["number_symbol"] in extracted
        for line in truth["text"].splitlines():
            assert _squash(line) in extracted, (document.name, line)


def test_header_columns_sit_left_and_right_of_45_percent(demo: tuple[Path, list[Path]]) -> None:
    _, documents = demo
    document = next(d for d in _of_kind(documents, "text_pdf") if load_truth(d)["language"] == "vi")
    pdf = pdfium.PdfDocument(str(document))
    page = pdf[0]
    width, _ = page.get_size()
    textpage = page.get_textpage()
    motto = textpage.search("CỘNG HÒA XÃ HỘI").get_next()
    assert motto is not None
    left, *_ = textpage.get_charbox(motto[0])
    assert left > 0.45 * width
    number = textpage.search("Số").get_next()
    assert number is not None
    x0, _, x1, _ = textpage.get_charbox(number[0])
    assert x1 < 0.45 * width
    pdf.close()


def test_scanned_pdfs_have_no_text_layer(demo: tuple[Path, list[Path]]) -> None:
    _, documents = demo
    scans = _of_kind(documents, "scan_pdf")
    for document in scans:
        truth = load_truth(document)
        assert truth["pages"] == 1
        assert 0.5 <= abs(truth["scan"]["skew_deg"]) <= 2.0
        assert all(not text.strip() for text in _pdf_text(document))


def test_tiff_has_one_frame_per_page(demo: tuple[Path, list[Path]]) -> None:
    _, documents = demo
    (tiff,) = _of_kind(documents, "tiff")
    truth = load_truth(tiff)
    with Image.open(tiff) as image:
        assert image.n_frames == truth["pages"]
        assert 2 <= image.n_frames <= 3
        assert image.info["compression"] == "group4"


def test_image_scans_are_300_dpi_pages(demo: tuple[Path, list[Path]]) -> None:
    _, documents = demo
    for document in [*_of_kind(documents, "jpeg"), *_of_kind(documents, "png")]:
        with Image.open(document) as image:
            width, height = image.size
            assert round(image.info["dpi"][0]) == 300
        rotated = load_truth(document)["scan"]["rotation"] == 180
        assert (2400 < width < 2560 and 3400 < height < 3600) or rotated


def test_docx_opens_with_header_table(demo: tuple[Path, list[Path]]) -> None:
    _, documents = demo
    for document in _of_kind(documents, "docx"):
        truth = load_truth(document)
        parsed = docx.Document(str(document))
        cells = [cell.text for table in parsed.tables for row in table.rows for cell in row.cells]
        body = "\n".join(p.text for p in parsed.paragraphs)
        if truth["language"] == "vi":
            header = parsed.tables[0]
            assert truth["metadata"]["issuing_body"].split()[0] in header.cell(0, 0).text
            assert truth["metadata"]["number_symbol"] in "\n".join(cells)
            assert truth["metadata"]["signer_name"] in parsed.tables[-1].cell(0, 1).text
        if "title" in truth["metadata"]:
            assert truth["metadata"]["title"] in body


def test_text_files_hold_the_true_text(demo: tuple[Path, list[Path]]) -> None:
    _, documents = demo
    for document in _of_kind(documents, "text"):
        assert document.read_text(encoding="utf-8").strip() == load_truth(document)["text"]


def test_stage_into_inbox_copies_documents_only(
    demo: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    out, documents = demo
    inbox = tmp_path / "inbox"
    assert stage_into_inbox(out, inbox) == len(documents)
    staged = sorted(p.relative_to(inbox) for p in inbox.rglob("*") if p.is_file())
    assert staged == sorted(d.relative_to(out) for d in documents)
    assert not list(inbox.rglob(f"*{TRUTH_SUFFIX}"))


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_other_seed_other_documents(tmp_path: Path) -> None:
    runs = {}
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        generate_samples(tmp_path / name, seed=seed, profile="bench", born_digital=6,
                         scanned_pages=1)  # fmt: skip
        runs[name] = _digest(tmp_path / name)
    assert runs["a"] == runs["b"]
    assert len([p for p in runs["a"] if not p.endswith(TRUTH_SUFFIX)]) == 7
    assert runs["a"] != runs["c"]
    for document in sorted((tmp_path / "a").rglob("*.pdf")):
        truth = load_truth(document)
        if truth["kind"] == "text_pdf":  # the bench profile's fast writer
            extracted = _squash(" ".join(_pdf_text(document)))
            assert all(_squash(line) in extracted for line in truth["text"].splitlines())


def test_unknown_profile_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="profile"):
        generate_samples(tmp_path, profile="huge")


@pytest.fixture(scope="module")
def full_plan() -> list[Job]:
    return plan_jobs("full", seed=0)


def test_full_profile_covers_every_type_in_every_form(full_plan: list[Job]) -> None:
    jobs = full_plan
    forms: dict[tuple[str, str], set[str]] = {}
    for job in jobs:
        meta = job.spec.metadata
        if job.spec.language == "vi":
            forms.setdefault((meta["format"], meta["doc_type"]), set()).add(job.kind)
    state = {("state", t.name) for t in (*STATE_TYPES, *LEGAL_TYPES)}
    party = {("party", t.name) for t in PARTY_TYPES}
    assert set(forms) == state | party
    assert all(kinds == {"text_pdf", "scan_pdf", "docx"} for kinds in forms.values())
    scans = [job for job in jobs if job.scan is not None]
    assert all(0.5 <= abs(job.scan.skew_deg) <= 2.0 and job.scan.noise > 0 for job in scans)
    upside_down = [job.spec for job in scans if job.scan.rotation == 180]
    assert {s.metadata["format"] for s in upside_down} == {"state", "party", "other"}
    foreign = [job.spec.language for job in scans if job.spec.language != "vi"]
    assert set(foreign) == {"en", "fr", "ru", "cs", "no"} and len(foreign) >= 10


def test_thu_cong_is_told_from_cong_van_by_its_title(full_plan: list[Job]) -> None:
    # Both have no type in the symbol; only the công văn goes without a title line.
    letters = {job.spec.metadata["doc_type"]: job.spec for job in full_plan
               if job.spec.metadata.get("format") == "state"}  # fmt: skip
    assert [p.text for p in letters["Thư công"].title][0] == "THƯ CÔNG"
    assert letters["Công văn"].title == [] and "title" not in letters["Công văn"].metadata
