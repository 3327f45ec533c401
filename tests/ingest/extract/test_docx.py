"""DOCX extraction: body order, header/footer, zones from the layout tables, XXE."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ingest.extract import extract_content
from kernel.errors import PermanentError, QuarantineReason
from tests.ingest.extract.documents import write_docx

HEADER = (
    "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nSố: 45/UBND-VX",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Lâm Đồng, ngày 25 tháng 11 năm 2025",
)
CLOSING = ("Nơi nhận:\n- Như trên;\n- Lưu: VT, VX.", "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn A")


def test_docx_text_tables_and_zones(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "cv.docx",
        header=HEADER,
        body=["V/v triển khai kế hoạch năm 2026", "Kính gửi: Sở Nội vụ"],
        data_table=[["STT", "Đơn vị"], ["1", "Phường Xuân Hương"]],
        closing=CLOSING,
        page_header="Trang đầu",
        page_footer="Chân trang văn bản",
    )
    content = extract_content(path)
    assert content.detected_type == "docx"
    assert len(content.pages) == 1
    page = content.pages[0]
    assert page.source == "docx" and page.info.ocr is False
    text = page.text
    # Body order: header table, paragraphs, data table, closing table; page header first.
    order = [
        "Trang đầu", "Số: 45/UBND-VX", "Kính gửi", "Phường Xuân Hương", "Nơi nhận", "Chân trang"
    ]  # fmt: skip
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert page.zones["header_left"] == HEADER[0]
    assert page.zones["header_right"] == HEADER[1]
    assert page.zones["lower_left"] == CLOSING[0]
    assert page.zones["lower_right"] == CLOSING[1]
    assert page.info.language == "vi"


def test_docx_without_layout_tables_has_no_zones(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "plain.docx", body=["Báo cáo tình hình", "Nội dung báo cáo"])
    assert extract_content(path).pages[0].zones == {}


def test_page_breaks_split_pages(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Trang một")
    document.add_page_break()
    document.add_paragraph("Trang hai")
    path = tmp_path / "two.docx"
    document.save(str(path))
    content = extract_content(path)
    assert [p.text for p in content.pages] == ["Trang một", "Trang hai"]
    assert [p.info.number for p in content.pages] == [1, 2]


def _rewrite_part(path: Path, part: str, transform) -> Path:
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            target.writestr(info, transform(data) if info.filename == part else data)
    return path


def test_xxe_docx_is_hostile(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    path = write_docx(tmp_path / "xxe.docx", body=["PLACEHOLDER"])

    def inject(data: bytes) -> bytes:
        doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()
        data = data.replace(b"?>", b"?>" + doctype, 1)
        return data.replace(b"PLACEHOLDER", b"&xxe;")

    _rewrite_part(path, "word/document.xml", inject)
    with pytest.raises(PermanentError) as caught:
        extract_content(path)
    assert caught.value.reason is QuarantineReason.HOSTILE
    assert "TOP SECRET" not in caught.value.message


def test_broken_xml_is_corrupt(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "bad.docx", body=["Nội dung"])
    _rewrite_part(path, "word/document.xml", lambda data: data[: len(data) // 2])
    with pytest.raises(PermanentError) as caught:
        extract_content(path)
    assert caught.value.reason is QuarantineReason.CORRUPT


@pytest.mark.parametrize(
    "declaration",
    [
        b'<!DOCTYPE w:styles [<!ENTITY a "aaaa">]>',
        # A long prolog must not hide a declaration past the first bytes read.
        b"<!--" + b" padding " * 1000 + b"-->" + b'<!DOCTYPE w:styles [<!ENTITY a "a">]>',
    ],
)
def test_declaration_in_an_unparsed_part_is_hostile(tmp_path: Path, declaration: bytes) -> None:
    path = write_docx(tmp_path / "styles.docx", body=["Nội dung"])
    _rewrite_part(path, "word/styles.xml", lambda data: data.replace(b"?>", b"?>" + declaration, 1))
    with pytest.raises(PermanentError) as caught:
        extract_content(path)
    assert caught.value.reason is QuarantineReason.HOSTILE


def test_utf16_part_with_declaration_is_hostile(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "utf16.docx", body=["Nội dung"])

    def to_utf16(data: bytes) -> bytes:
        text = data.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
        text = text.replace("?>", '?><!DOCTYPE w:settings [<!ENTITY a "a">]>', 1)
        return text.encode("utf-16")

    _rewrite_part(path, "word/settings.xml", to_utf16)
    with pytest.raises(PermanentError) as caught:
        extract_content(path)
    assert caught.value.reason is QuarantineReason.HOSTILE


def test_not_a_word_package_is_corrupt(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "macro.docx", body=["Nội dung"])
    _rewrite_part(
        path,
        "[Content_Types].xml",
        lambda data: data.replace(b"document.main+xml", b"template.main+xml"),
    )
    with pytest.raises(PermanentError) as caught:
        extract_content(path)
    assert caught.value.reason is QuarantineReason.CORRUPT


def test_merged_cells_and_header_table_in_the_page_header(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Kính gửi: Sở Nội vụ")
    table = document.sections[0].header.add_table(rows=2, cols=2, width=docx.shared.Inches(6))
    table.cell(0, 0).text, table.cell(0, 1).text = "SỞ Y TẾ", "CỘNG HÒA"
    table.cell(1, 0).text = "Số: 9/SYT"
    table.cell(0, 1).merge(table.cell(1, 1))  # a vertical merge: the cell counts once a row
    path = tmp_path / "merged.docx"
    document.save(str(path))
    page = extract_content(path).pages[0]
    assert page.zones["header_left"] == "SỞ Y TẾ\nSố: 9/SYT"
    assert page.zones["header_right"] == "CỘNG HÒA\nCỘNG HÒA"
    assert page.text.startswith("SỞ Y TẾ\nCỘNG HÒA\nSố: 9/SYT")
