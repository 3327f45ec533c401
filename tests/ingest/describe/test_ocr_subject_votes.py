"""A subject's marks put right by the document's text: only words OCR read surely vote.

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
from ingest.describe.evidence import CUT, sure_text

from .conftest import RESOURCES, ocr_content_of

PAGES = json.loads((RESOURCES / "ocr_subject_pages.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", ["r106-fax", "r111-scan_300"])
def test_a_body_misread_alike_does_not_outvote_the_subject(case: str) -> None:
    found = describe(ocr_content_of(PAGES[case]["pages"]))
    assert found["subject"].value == PAGES[case]["subject"]


def test_sure_text_cuts_the_words_ocr_was_unsure_of() -> None:
    content = ocr_content_of(PAGES["r106-fax"]["pages"])
    sure = sure_text(content)
    assert "Quy chế thi tốt nghiệp" in sure  # read at 97 97 94 97
    assert f"Quy chế {CUT} tốt nghiệp" in sure  # "thị" read at 69 and 76
    assert "thị tốt" not in sure


def test_pairs_vote_only_as_the_sure_text_holds_them() -> None:
    # Read surely twice elsewhere, "phạm vi" outvotes the subject's "phạm vỉ" ...
    text = "Phạm vi điều chỉnh. Phạm vi áp dụng."
    assert respell_by_text("quy định phạm vỉ", text, "quy định | |") == "quy định phạm vi"
    # ... and does not when one of the two was cut.
    cut = f"Phạm vi điều. {CUT} vi áp dụng."
    assert respell_by_text("quy định phạm vỉ", cut, "quy định | |") == "quy định phạm vỉ"
