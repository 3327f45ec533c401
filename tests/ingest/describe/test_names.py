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


def test_an_officer_s_rank_before_the_name_is_split_off_and_kept_as_read() -> None:
    from ingest.describe.names import respell_name, split_rank

    assert split_rank("Đại tá Trần Văn Ba") == ("Đại tá", "Trần Văn Ba")
    assert split_rank("Thiếu tướng Lê Văn Ba") == ("Thiếu tướng", "Lê Văn Ba")
    assert split_rank("Phó Đô đốc Lê Văn Ba") == ("Phó Đô đốc", "Lê Văn Ba")
    assert split_rank("ĐẠI ÚY Lê Thị Hoa") == ("ĐẠI ÚY", "Lê Thị Hoa")  # its case as read
    assert split_rank("Đại tả Trần Văn Ba") == ("Đại tá", "Trần Văn Ba")  # a mark misread
    assert split_rank("Trần Văn Ba") == ("", "Trần Văn Ba")
    assert split_rank("Đại tá") == ("", "Đại tá")  # no name after it
    # A name may fold like a rank: "Hà Sĩ" is Hạ sĩ folded; only the rank as spelt opens it.
    assert split_rank("Hà Sĩ Đồng") == ("", "Hà Sĩ Đồng")
    assert respell_name("Đại tá Đỉnh Văn Ba") == "Đại tá Đinh Văn Ba"


def test_a_signer_s_rank_is_kept_with_the_name_as_printed() -> None:
    from ingest.describe import describe
    from ingest.describe.fields.closing import _right_part

    from .conftest import content_of

    text = "\n".join((
        "BỘ CÔNG AN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "CỤC HẬU CẦN Độc lập - Tự do - Hạnh phúc",
        "Số: 45/H01-P2 Hà Nội, ngày 12 tháng 3 năm 2024",
        "V/v kiểm tra công tác văn thư năm 2024",
        "Kính gửi: Các đơn vị trực thuộc",
        "Cục đề nghị các đơn vị thực hiện.",
        "Nơi nhận: KT. CỤC TRƯỞNG",
        "- Như trên; PHÓ CỤC TRƯỞNG",
        "- Lưu: VT.",
        "Thiếu tướng Trần Văn Ba",
    ))  # fmt: skip
    assert describe(content_of(text))["signer_name"].value == "Thiếu tướng Trần Văn Ba"
    # Read straight across a scan, the name beside a recipient keeps its rank.
    assert _right_part("- Báo Nhân dân; Đại tá Trần Văn Ba") == "Đại tá Trần Văn Ba"
