"""Family and middle names respelt from their closed sets; given names never touched."""

from __future__ import annotations

from ingest.describe.names import respell_name


def test_a_misread_family_or_middle_name_is_respelt() -> None:
    assert respell_name("Đỉnh Văn Ba") == "Đinh Văn Ba"
    assert respell_name("Trần Đúc An") == "Trần Đức An"
    assert respell_name("Lò Thi Hoa") == "Lò Thị Hoa"


def test_a_name_read_as_spelt_or_shared_by_two_spellings_is_kept() -> None:
    assert respell_name("Doãn Văn Ba") == "Doãn Văn Ba"  # Doãn and Đoàn fold alike
    assert respell_name("Đoan Văn Ba") == "Đoan Văn Ba"
    assert respell_name("Nguyễn Thanh Thu") == "Nguyễn Thanh Thu"  # Thanh, Thành
    assert respell_name("Lê Văn Thu") == "Lê Văn Thu"  # the given name is not closed


def test_a_family_name_read_in_lower_case_is_capitalised() -> None:
    from ingest.describe.names import mend_name_line

    assert mend_name_line("vũ Văn Ba") == "Vũ Văn Ba"
    assert mend_name_line("lê Thị Hoa") == "Lê Thị Hoa"
    assert mend_name_line("như trên") == "như trên"
    assert mend_name_line("các Sở") == "các Sở"


def test_a_family_name_read_apart_and_a_speck_after_the_name_are_mended() -> None:
    from ingest.describe.names import mend_name_line

    assert mend_name_line("N guyễn Văn Ba s") == "Nguyễn Văn Ba"
    assert mend_name_line("T ên Văn") == "T ên Văn"  # not a family name


def test_specks_between_a_name_s_words_are_left_out() -> None:
    from ingest.describe.names import mend_name_line

    assert mend_name_line("Đặng. Minh Ba") == "Đặng Minh Ba"
    assert mend_name_line("Trần . Văn Ba") == "Trần Văn Ba"


def test_a_word_run_onto_a_name_s_start_before_its_family_name_is_dropped() -> None:
    from ingest.describe.names import respell_name

    assert respell_name("Hà Lê Văn Bình") == "Hà Lê Văn Bình"  # a family name opens it
    assert respell_name("Sở Lê Văn Bình") == "Lê Văn Bình"
    assert respell_name("Sở Lê Bình") == "Sở Lê Bình"  # too short to tell


def test_a_given_name_read_in_lower_case_is_capitalised() -> None:
    from ingest.describe.names import mend_name_line

    assert mend_name_line("Trần Văn lâm") == "Trần Văn Lâm"
    assert mend_name_line("Nguyễn Thị Hoa đã ký") == "Nguyễn Thị Hoa đã ký"  # not a name's shape
    assert mend_name_line("Như trên") == "Như trên"  # no family name


def test_a_consonant_alone_between_a_name_s_words_is_a_speck() -> None:
    from ingest.describe.names import mend_name_line

    assert mend_name_line("Trần Ð Văn Lâm") == "Trần Văn Lâm"
    assert mend_name_line("Lê Văn Y Ba") == "Lê Văn Y Ba"  # a vowel may be a syllable
