"""A hyphen OCR did not read, put back after a type abbreviation, is vouched or not.

Pages are built as ``ingest.extract`` builds an OCR page, every word read surely:
what is tested is the rule, not OCR's doubt.
"""

from __future__ import annotations

from ingest.describe import describe, needs_review
from ingest.describe.fields.ocr_hyphens import spelt_by_body
from ingest.extract.base import ExtractedContent, PageContent, TextLine, Word
from ingest.extract.kinds import FileKind
from kernel.model import PageInfo


def _scan(lines: tuple[str, ...]) -> ExtractedContent:
    words = [Word(word, 0.1, at / 20, 0.2, (at + 1) / 20, 96.0)
             for at, line in enumerate(lines) for word in line.split()]  # fmt: skip
    page = PageContent(PageInfo(number=1, ocr=True), "\n".join(lines), "ocr", words=words,
                       lines=[TextLine(line, 96.0) for line in lines])  # fmt: skip
    return ExtractedContent(FileKind.PDF, "application/pdf", [page])


def _letter(body: str, number: str, *opening: str) -> ExtractedContent:
    """A scanned letter of ``body`` numbered ``number``, under its title or ``V/v`` line."""
    return _scan((
        "ỦY BAN NHÂN DÂN HUYỆN AN BÌNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        f"{body} Độc lập - Tự do - Hạnh phúc",
        f"Số: {number} An Bình, ngày 12 tháng 3 năm 2024",
        *opening,
        "Kính gửi: Các trường học trên địa bàn huyện",
        "Trung tâm đề nghị các đơn vị phối hợp thực hiện.",
        "Nơi nhận: GIÁM ĐỐC",
        "- Như trên;",
        "- Lưu: VT.",
        "Nguyễn Văn Bình",
    ))


def test_a_symbol_of_one_part_spelt_by_its_body_s_initials_keeps_no_hyphen() -> None:
    # "TT" opens it as it opens a Thông tư, but a công văn has no type part and the
    # body's initials (Trung Tâm Y Tế) spell the whole symbol: the office's own.
    described = describe(_letter("TRUNG TÂM Y TẾ", "45/TTYT", "V/v tổ chức khám sức khỏe"))
    assert described["number_symbol"].value == "45/TTYT"
    assert not needs_review(described["number_symbol"])
    assert described["issuer_abbr"].value == "TTYT" and "type_abbr" not in described


def test_a_hyphen_put_back_that_nothing_vouches_for_is_checked() -> None:
    # Neither the title (a công văn) nor the body's initials speak for "TT-VX".
    described = describe(_letter("PHÒNG GIÁO DỤC", "45/TTVX", "V/v tổ chức khám sức khỏe"))
    assert described["number_symbol"].value == "45/TT-VX"
    assert needs_review(described["number_symbol"])


def test_a_hyphen_put_back_under_a_title_of_its_type_is_taken() -> None:
    # The type's abbreviation (QĐ, Quyết định), or its words' initials (TT, Tờ trình).
    for title, number, put_back in (("QUYẾT ĐỊNH", "45/QĐUBND", "45/QĐ-UBND"),
                                    ("TỜ TRÌNH", "45/TTTHCS", "45/TT-THCS")):  # fmt: skip
        described = describe(_letter("PHÒNG GIÁO DỤC", number, title, "Về việc tổ chức năm học"))
        symbol = described["number_symbol"]
        assert symbol.value == put_back and not needs_review(symbol), title


def test_the_body_spells_a_symbol_by_the_initials_of_its_first_words() -> None:
    assert spelt_by_body("TTDV", "TRUNG TÂM DỊCH VỤ")
    assert spelt_by_body("TTYT", "TRUNG TÂM Y TẾ HUYỆN AN BÌNH")  # less its place
    assert spelt_by_body("ĐTN", "ĐOÀN THANH NIÊN")
    assert spelt_by_body("BGDĐT", "BỘ GIÁO DỤC VÀ ĐÀO TẠO")  # "và" left out
    assert not spelt_by_body("TTBTC", "BỘ TÀI CHÍNH")
    assert not spelt_by_body("T", "TRUNG TÂM")


def test_a_symbol_rejoined_by_the_body_s_initials_keeps_no_type_part() -> None:
    # Read "TTKNHC": the hyphen put back after "TT" (a Thông tư's) moves to the end of
    # the body's initials (Trung Tâm Khuyến Nông); the symbol has no type part then.
    described = describe(_letter("TRUNG TÂM KHUYẾN NÔNG", "45/TTKNHC", "V/v tổ chức tập huấn"))
    assert described["number_symbol"].value == "45/TTKN-HC"
    assert described["issuer_abbr"].value == "TTKN" and "type_abbr" not in described


def test_a_hyphen_the_body_s_initials_put_is_vouched_by_an_issuer_of_its_first_words() -> None:
    # Read without its hyphen, every word surely: the body's initials put it back.
    # BTNMT is Bộ Tài Nguyên (và) Môi Trường's first words: taken as read.
    described = describe(_letter("BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "45/BTNMTKHTC", "V/v tập huấn"))
    assert described["number_symbol"].value == "45/BTNMT-KHTC"
    assert not needs_review(described["number_symbol"])
    # Matched loosely, the initials run past the issuer (B-N-N-[V-P]-T: BNNT, not BNN):
    # BNNT is no opening of the body's initials, so the hyphen is checked.
    body = "BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"
    described = describe(_letter(body, "45/BNNTCTL", "V/v tập huấn"))
    assert described["number_symbol"].value == "45/BNNT-CTL"
    assert needs_review(described["number_symbol"])
