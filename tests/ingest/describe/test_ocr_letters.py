"""ingest/describe/fields/ocr_letters: a word OCR barely read, its lost letters put back."""

from __future__ import annotations

from ingest.describe.fields.ocr_letters import mend_pairs, restore_letters
from ingest.describe.fields.ocr_subjects import clean_ocr_subject

SUBJECT = "BAN HÀNH QUY CHẾ PHI HỢP LIÊN NGÀNH"
BODY = f"{SUBJECT}\nBan hành kèm theo Quyết định này Quy chế Phối hợp liên ngành"


def test_a_word_barely_read_takes_the_whole_word_the_document_prints_beside_its_neighbour() -> (
    None
):
    assert restore_letters(SUBJECT, BODY, {"phi": 0.0}) == "BAN HÀNH QUY CHẾ PHỐI HỢP LIÊN NGÀNH"
    assert restore_letters("quy chế phi hợp", BODY, {"phi": 0.0}) == "quy chế phối hợp"


def test_a_word_read_with_some_confidence_or_not_printed_whole_stays() -> None:
    assert restore_letters(SUBJECT, BODY, {"phi": 60.0}) == SUBJECT
    assert restore_letters(SUBJECT, SUBJECT, {"phi": 0.0}) == SUBJECT
    # Only a word holding the read letters in order: "phù hợp" lacks the i.
    assert restore_letters("PHI HỢP", "phù hợp\nphối hợp", {"phi": 0.0}) == "PHỐI HỢP"


def test_a_word_that_makes_a_word_with_its_neighbour_stays() -> None:
    subject = "CHI PHÍ HỢP LÝ"  # "chi phí" is a word: read right
    assert restore_letters(subject, "chỉ phí\nchiếu phí", {"chi": 0.0}) == subject


def test_the_subject_cleaner_puts_the_letters_back() -> None:
    assert clean_ocr_subject(SUBJECT, BODY, {"phi": 0.0}) == (
        "BAN HÀNH QUY CHẾ PHỐI HỢP LIÊN NGÀNH"
    )


BODY_205 = (
    "về thực hiện công tác bầu cử\ntriển khai thực hiện Chỉ thị\n"
    "tổ chức thực hiện mô hình chính quyền hai cấp"
)


def test_a_pair_misread_by_a_letter_takes_the_word_the_document_prints_often() -> None:
    subject = "Thục biện công tác bầu cử đại biểu"
    assert mend_pairs(subject, f"{subject}\n{BODY_205}", {"biện": 88.0}) == (
        "Thực hiện công tác bầu cử đại biểu"
    )
    # Read sure, or printed once only: left as read.
    assert mend_pairs(subject, f"{subject}\n{BODY_205}", {}) == subject
    assert mend_pairs(subject, f"{subject}\nthực hiện", {"biện": 88.0}) == subject


def test_a_pair_that_straddles_two_words_is_not_mended() -> None:
    # "hình chính" is no word, "hành chính" one; but "mô hình", "chính quyền" are words.
    subject = "khi thực hiện mô hình chính quyền hai cấp"
    body = f"{subject}\nthủ tục hành chính\ncải cách hành chính"
    assert mend_pairs(subject, body, {"hình": 80.0, "chính": 80.0}) == subject
