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


def test_words_run_together_are_split_where_the_document_spells_them_apart() -> None:
    from ingest.describe.consensus import split_by_text

    passage = "báo cáo củacácnông trường"
    text = f"{passage}\nđất của các nông trường; của các nông hộ"
    assert split_by_text(passage, text) == "báo cáo của các nông trường"
    assert split_by_text("báo cáo xyzabc", "xyz xyz abc") == "báo cáo xyzabc"  # abc read once


def test_a_dash_alone_at_a_scanned_subject_line_s_end_is_a_speck_unless_a_range_wraps() -> None:
    from ingest.describe.context import Lines
    from ingest.describe.fields.titles import _despecked

    lines = _despecked(Lines.of("về việc tổ chức -\nhội nghị nhiệm kỳ 2004 -\n2009"))
    assert lines.text == ("về việc tổ chức", "hội nghị nhiệm kỳ 2004 -", "2009")


def test_a_word_of_the_language_read_right_is_not_respelt_into_none() -> None:
    # The body misreads "Ủy ban" alike twice; the passage read it right.
    passage = "V/v Báo cáo Ủy ban Thường vụ Quốc hội"
    body = f"{passage}\nBáo cáo Ủy bạn Thường vụ\ngửi Ủy bạn Thường vụ"
    assert respell_by_text(passage, body) == passage
    # Misread in the passage, right in the body: put right as before.
    misread = "V/v Báo cáo Ủy bạn Thường vụ Quốc hội"
    body = f"{misread}\nBáo cáo Ủy ban Thường vụ\ngửi Ủy ban Thường vụ"
    assert respell_by_text(misread, body) == passage
