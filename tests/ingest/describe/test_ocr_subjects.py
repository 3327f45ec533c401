"""ingest/describe/fields/ocr_subjects: a subject read by OCR, without its specks."""

from __future__ import annotations

import pytest

from ingest.describe.fields.ocr_subjects import clean_ocr_subject


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        # A colon after a word before one in lower case; not the opener's.
        ("lĩnh vực thi và: tuyển sinh", "lĩnh vực thi và tuyển sinh"),
        ("Về: tham gia ý kiến", "Về: tham gia ý kiến"),
        # A space read after a colon between digits.
        ("BAN HÀNH QCVN 03: 2022/BXD QUY CHUẨN", "BAN HÀNH QCVN 03:2022/BXD QUY CHUẨN"),
        # A semicolon between words: a comma with a speck above it.
        ("QUY ĐỊNH TRÌNH TỰ; THỦ TỤC SOẠN THẢO", "QUY ĐỊNH TRÌNH TỰ, THỦ TỤC SOẠN THẢO"),
        # A dash between a word and a number; ranges and names keep theirs.
        ("tổng kết công tác năm - 2011", "tổng kết công tác năm 2011"),
        ("giai đoạn 2021 - 2025 về kinh tế - xã hội", "giai đoạn 2021 - 2025 về kinh tế - xã hội"),
        # A straight quote closing a curly one; an unpaired quote at a word's start.
        ('kỷ niệm chương “vì sự nghiệp quốc hội"', "kỷ niệm chương “vì sự nghiệp quốc hội”"),
        ('"về việc công bố nghị quyết', "về việc công bố nghị quyết"),
        ('năm 2026 "ngành nông nghiệp', "năm 2026 ngành nông nghiệp"),
    ],
)
def test_specks_are_dropped(read: str, meant: str) -> None:
    assert clean_ocr_subject(read, read) == meant
