"""ingest/describe/fields/ocr_numerals: a roman numeral OCR read one I short, put right."""

from __future__ import annotations

from ingest.describe.fields.ocr_numerals import lengthen_numerals
from ingest.describe.fields.ocr_subjects import clean_ocr_subject

BODY = "Hội đồng nhân dân tỉnh khóa VII, nhiệm kỳ 2004-2009.\nkỳ họp thứ VII"


def test_a_numeral_read_unsure_takes_the_longer_one_the_body_prints_after_the_same_word() -> None:
    subject = "KẾT QUẢ BẦU CỬ BỔ SUNG KHÓA VI, NHIỆM KỲ 2004 - 2009"
    assert lengthen_numerals(subject, BODY, {"vi": 47.0}) == (
        "KẾT QUẢ BẦU CỬ BỔ SUNG KHÓA VII, NHIỆM KỲ 2004 - 2009"
    )
    assert lengthen_numerals("kỳ họp thứ VI", "khóa VII", {"vi": 47.0}) == (
        "kỳ họp thứ VI"  # printed after another word: another count
    )
    assert lengthen_numerals("Đảng khóa XII", "Đảng\nkhóa XIII về", {"xii": 68.0}) == (
        "Đảng khóa XIII"
    )


def test_a_numeral_read_sure_or_not_printed_longer_stays() -> None:
    subject = "KHÓA VI, NHIỆM KỲ 2004 - 2009"
    assert lengthen_numerals(subject, BODY, {"vi": 85.0}) == subject  # read near sure
    assert lengthen_numerals(subject, BODY, {}) == subject  # confidence unknown
    assert lengthen_numerals(subject, "khóa VI và khóa VIII", {"vi": 40.0}) == subject
    # III takes no fourth I; IV and IX are whole.
    assert lengthen_numerals("khóa XIII", "khóa XIIII", {"xiii": 40.0}) == "khóa XIII"
    assert lengthen_numerals("khóa IV", "khóa IVI", {"iv": 40.0}) == "khóa IV"


def test_the_subject_cleaner_lengthens_numerals() -> None:
    subject = "VỀ VIỆC RÚT NGẮN NHIỆM KỲ QUỐC HỘI KHÓA XI"
    body = f"{subject}\nbầu cử đại biểu Quốc hội khóa XII theo luật định"
    assert clean_ocr_subject(subject, body, {"xi": 68.0}).endswith("KHÓA XII")
    assert clean_ocr_subject(subject, body, {"xi": 97.0}).endswith("KHÓA XI")
