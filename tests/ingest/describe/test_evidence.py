"""OCR's word confidences weigh in the describer's: what OCR read surely is taken, the rest checked.

Pages are built as ``ingest.extract`` builds an OCR page (its lines, each
with the mean confidence of its words, and its words in the same order), with
the confidences chosen; one real scan is read through Tesseract too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.describe import SURE_DATE_DIGIT, SURE_OCR_WORD, describe, needs_review
from ingest.describe.evidence import ocr_lines, passage_confidences, read_confidences
from ingest.extract import extract_content
from ingest.extract.base import ExtractedContent, ExtractLimits, PageContent, TextLine, Word
from ingest.extract.kinds import FileKind
from ingest.samples.real import load_real_documents, render_real
from kernel.model import PageInfo
from kernel.settings import REVIEW_CONFIDENCE

REAL = Path(__file__).resolve().parents[2] / "resources" / "real" / "documents"

HEADER = (
    "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "TỈNH LÂM ĐỒNG Độc lập - Tự do - Hạnh phúc",
    "Số: 45/UBND-VX Lâm Đồng, ngày 12 tháng 3 năm 2025",
    "V/v kế hoạch kiểm tra công tác văn thư năm 2025",
    "Kính gửi: Các sở, ban, ngành",
    "Ủy ban nhân dân tỉnh đề nghị các cơ quan thực hiện kế hoạch kiểm tra.",
    "Nơi nhận: CHỦ TỊCH",
    "- Như trên;",
    "- Lưu: VT.",
    "Nguyễn Văn Bình",
)


def ocr_content(lines: tuple[str, ...], unsure: dict[str, float] | None = None,
                sure: float = 95.0) -> ExtractedContent:  # fmt: skip
    """One OCR page of ``lines``; each word reads at ``sure``, those in ``unsure`` at theirs."""
    unsure = unsure or {}
    words: list[Word] = []
    text_lines: list[TextLine] = []
    for at, line in enumerate(lines):
        confidences = [unsure.get(word, sure) for word in line.split()]
        words += [Word(word, 0.1, at / 20, 0.2, (at + 1) / 20, confidence)
                  for word, confidence in zip(line.split(), confidences, strict=True)]  # fmt: skip
        text_lines.append(TextLine(line, sum(confidences) / len(confidences)))
    page = PageContent(PageInfo(number=1, ocr=True), "\n".join(lines), "ocr",
                       words=words, lines=text_lines)  # fmt: skip
    return ExtractedContent(FileKind.PDF, "application/pdf", [page])


def test_checked_fields_read_surely_are_taken_and_free_text_is_checked() -> None:
    described = describe(ocr_content(HEADER))
    assert described["number_symbol"].value == "45/UBND-VX"
    for name in ("number_symbol", "issue_date", "doc_type", "issuing_body"):
        assert not needs_review(described[name]), name
    # A name or a subject OCR read may carry a wrong tone mark at any confidence.
    assert needs_review(described["signer_name"]) and needs_review(described["subject"])


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("number_symbol", "45/UBND-VX"),
        ("issue_date", "12"),
        ("issue_date", "2025"),
        ("issuing_body", "LÂM"),
        ("doc_type", "kế"),  # a công văn's type: how well its V/v line was read
    ],
)
def test_one_unsure_word_sends_its_field_to_review(name: str, word: str) -> None:
    described = describe(ocr_content(HEADER, {word: SURE_OCR_WORD - 5}))
    assert needs_review(described[name])
    assert described[name].confidence < REVIEW_CONFIDENCE
    # A date's digits are checked by the calendar alone: they need a point more.
    bar = SURE_DATE_DIGIT if name == "issue_date" and word.isdigit() else SURE_OCR_WORD
    sure = describe(ocr_content(HEADER, {word: bar}))
    assert not needs_review(sure[name])
    if bar != SURE_OCR_WORD:
        assert needs_review(describe(ocr_content(HEADER, {word: SURE_OCR_WORD}))[name])


def test_a_value_no_ocr_line_holds_is_checked() -> None:
    # OCR read "Số: 45UBNDVX": the slash and the hyphen are put back by rule.
    lines = tuple(line.replace("45/UBND-VX", "45UBNDVX") for line in HEADER)
    described = describe(ocr_content(lines))
    assert described["number_symbol"].value == "45/UBND-VX"
    assert needs_review(described["number_symbol"])


def test_the_same_fields_from_a_text_layer_keep_their_rules_confidence() -> None:
    content = ocr_content(HEADER, {"45/UBND-VX": 10.0})
    content.pages[0].source = "text"
    assert not needs_review(describe(content)["number_symbol"])


def test_a_body_beside_the_other_column_is_found_on_its_line() -> None:
    lines = ocr_lines(ocr_content(HEADER, {"CỘNG": 20.0, "TỈNH": 91.0}))
    words = read_confidences(lines, "issuing_body", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", range(1))
    assert min(words) == 91.0  # the motto's unsure word beside it does not count


@pytest.mark.slow
def test_a_real_scan_vouches_for_its_number_and_date(tmp_path: Path) -> None:
    (document,) = [d for d in load_real_documents(REAL) if d["id"] == "r002"]
    content = extract_content(render_real(document, "scan_300", tmp_path),
                              ExtractLimits(ocr_parallel=1))  # fmt: skip
    lines = ocr_lines(content)
    assert lines and all(len(line.tokens) == len(line.confidences) for line in lines)
    described = describe(content)
    for name in ("number_symbol", "issue_date"):
        found = described[name]
        words = read_confidences(lines, name, str(found.value), range(1))
        assert words, name
        assert (min(words) >= SURE_OCR_WORD) == (not needs_review(found))


def test_a_body_naming_a_place_the_gazetteer_does_not_spell_so_is_checked() -> None:
    header = ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
              "XÃ NÚI MÂY XANH Độc lập - Tự do - Hạnh phúc", *HEADER[2:])  # fmt: skip
    described = describe(ocr_content(header))
    assert described["issuing_body"].value == "ỦY BAN NHÂN DÂN XÃ NÚI MÂY XANH"
    assert needs_review(described["issuing_body"])
    assert not needs_review(describe(ocr_content(HEADER))["issuing_body"])


SUBJECT_PAGE = (
    "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "TỈNH LÂM ĐỒNG Độc lập - Tự do - Hạnh phúc",
    "Số: 45/UBND-VX Lâm Đồng, ngày 12 tháng 3 năm 2025",
    "V/v hướng dẫn định mức chỉ phí",
    "lập quy hoạch vật liệu",
    "Kính gửi: Các sở, ban, ngành",
    "Định mức chỉ phí lập quy hoạch theo quy định; chỉ phí khác theo dự toán.",
    "Nơi nhận: CHỦ TỊCH",
    "Nguyễn Văn Bình",
)


def test_the_subjects_words_carry_the_confidence_ocr_read_them_with_there() -> None:
    content = ocr_content(SUBJECT_PAGE, {"chỉ": 60.0, "vật": 80.0})
    read = passage_confidences(content.pages[0], "V/v hướng dẫn định mức chỉ phí lập quy hoạch vật")
    assert read["chỉ"] == 60.0 and read["vật"] == 80.0 and read["hướng"] == 95.0
    assert passage_confidences(content.pages[0], "no such words here at all") == {}


def test_a_text_layer_has_no_word_confidences() -> None:
    page = PageContent(PageInfo(number=1), "V/v hướng dẫn", "text")
    assert passage_confidences(page, "V/v hướng dẫn") == {}


@pytest.mark.parametrize(("unsure", "subject"), [
    ({"chỉ": 60.0}, "V/v hướng dẫn định mức chi phí lập quy hoạch vật liệu"),
    # The body repeats the misreading in lower case ("chỉ phí" twice): words, not
    # a name, misread alike all through the scan; read surely, the lexicon's
    # spelling stands all the same (lexicon._read_elsewhere).
    ({}, "V/v hướng dẫn định mức chi phí lập quy hoạch vật liệu"),
])  # fmt: skip
def test_a_subject_word_ocr_was_unsure_of_is_respelt_by_the_language(
    unsure: dict[str, float], subject: str
) -> None:
    assert describe(ocr_content(SUBJECT_PAGE, unsure))["subject"].value == subject


@pytest.mark.slow
def test_a_real_scans_subject_words_carry_tesseracts_confidences(tmp_path: Path) -> None:
    (document,) = [d for d in load_real_documents(REAL) if d["id"] == "r002"]
    content = extract_content(render_real(document, "scan_300", tmp_path),
                              ExtractLimits(ocr_parallel=1))  # fmt: skip
    subject = str(describe(content)["subject"].value)
    read = passage_confidences(content.pages[0], subject)
    words = subject.lower().split()
    assert len(read) >= len(set(words)) * 0.8
    assert all(0.0 <= confidence <= 100.0 for confidence in read.values())
