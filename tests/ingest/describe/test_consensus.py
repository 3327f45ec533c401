"""A passage's marks put right by the document's own text, by pairs of words."""

from __future__ import annotations

from ingest.describe.consensus import respell_by_text


def test_a_pair_spelt_otherwise_elsewhere_takes_that_spelling_in_its_own_case() -> None:
    passage = "VỀ VIỆC CẤP ĐIỆN TRÊN ĐỊA BÀN TĨNH CAO SƠN"
    text = f"{passage}\nCác xã trên địa bàn tỉnh Cao Sơn; Ủy ban nhân dân tỉnh Cao Sơn."
    assert respell_by_text(passage, text) == "VỀ VIỆC CẤP ĐIỆN TRÊN ĐỊA BÀN TỈNH CAO SƠN"


def test_a_pair_read_alike_or_not_found_elsewhere_is_kept() -> None:
    passage = "về việc tính giá đất"
    assert respell_by_text(passage, f"{passage}\nỦy ban nhân dân tỉnh.") == passage
    text = f"{passage}\nkhi tính giá đất, tỉnh giá đất"  # one each way: the passage's stands
    assert respell_by_text(passage, text + " tính giá") == passage
