"""A subject's marks put right by the document's text: only words OCR read surely vote,
and a pair read surer once than the subject's words outvotes them.

The fixtures (``resources/ocr_subject_pages.json``) are pages Tesseract
returned for documents of the real set rendered by ``bench/extraction.py
--real`` (seed 0): text, zones, words with their confidences.  A scan's body
misreads a mark alike where the subject was read right (``Quy chế thị tốt
nghiệp`` twice at 69 and 76 in a fax's body, the subject's ``thi`` at 89).
"""

from __future__ import annotations

import json

import pytest

from ingest.describe import describe
from ingest.describe.consensus import respell_by_text
from ingest.describe.evidence import CUT, SureText, sure_text

from .conftest import RESOURCES, ocr_content_of

PAGES = json.loads((RESOURCES / "ocr_subject_pages.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", ["r106-fax", "r111-scan_300"])
def test_a_body_misread_alike_does_not_outvote_the_subject(case: str) -> None:
    found = describe(ocr_content_of(PAGES[case]["pages"]))
    assert found["subject"].value == PAGES[case]["subject"]


def test_sure_text_cuts_the_words_ocr_was_unsure_of() -> None:
    sure = sure_text(ocr_content_of(PAGES["r106-fax"]["pages"])).text
    assert "Quy chế thi tốt nghiệp" in sure  # read at 97 97 94 97
    assert f"Quy chế {CUT} tốt nghiệp" in sure  # "thị" read at 69 and 76
    assert "thị tốt" not in sure


def test_pairs_vote_only_as_the_sure_text_holds_them() -> None:
    # Read surely twice elsewhere, "phạm vi" outvotes the subject's "phạm vỉ" ...
    read = {"quy": 97.0, "định": 97.0, "phạm": 96.0, "vỉ": 96.0}
    pairs = {("phạm", "vi"): 96.0}
    sure = SureText("Phạm vi điều chỉnh. Phạm vi áp dụng.", pairs)
    assert respell_by_text("quy định phạm vỉ", sure, read) == "quy định phạm vi"
    # ... and does not when one of the two was cut (and the other no surer).
    sure = SureText(f"Phạm vi điều chỉnh. {CUT} vi áp dụng.", pairs)
    assert respell_by_text("quy định phạm vỉ", sure, read) == "quy định phạm vỉ"


@pytest.mark.parametrize("case", ["r021-fax", "r119-scan_300"])
def test_a_pair_read_surer_once_in_the_body_puts_the_subject_right(case: str) -> None:
    # "tuyển Metro" read at 90.5 in the subject, "tuyến Metro" at 93.3 in the body;
    # "ĐẼ TIẾP NHẬN" at 84, "để tiếp nhận" at 97.
    found = describe(ocr_content_of(PAGES[case]["pages"]))
    assert found["subject"].value == PAGES[case]["subject"]


def test_a_pair_read_as_surely_once_does_not() -> None:
    # "Cửa Lấp" at 93.302 in the subject, "Của Lấp" at 93.305 in the body: alike.
    sure = sure_text(ocr_content_of(PAGES["r024-fax"]["pages"]))
    read = {"đoạn": 97.0, "cửa": 93.302078, "lấp": 92.21859, "ra": 97.0}
    assert respell_by_text("nạo vét đoạn Cửa Lấp ra biển", sure, read) == (
        "nạo vét đoạn Cửa Lấp ra biển"
    )
    # Read two points surer, it would.
    read["cửa"] = 91.3
    assert respell_by_text("nạo vét đoạn Cửa Lấp ra biển", sure, read) == (
        "nạo vét đoạn Của Lấp ra biển"
    )


def test_a_pair_read_once_does_not_turn_a_word_read_surely() -> None:
    # "tuyển Metro" read at 95.4 in the subject: a reading elsewhere, once, leaves it ...
    sure = SureText("kéo dài tuyến Metro", {("tuyến", "metro"): 99.0})
    read = {"kéo": 97.0, "dài": 97.0, "tuyển": 95.4, "metro": 97.0}
    assert respell_by_text("kéo dài tuyển Metro", sure, read) == "kéo dài tuyển Metro"
    # ... read at 94, it turns.
    read["tuyển"] = 94.0
    assert respell_by_text("kéo dài tuyển Metro", sure, read) == "kéo dài tuyến Metro"
