"""Write a ``DocumentSpec`` as DOCX, laid out the way records offices type them.

The header is a borderless two-column table (issuing body and number on the
left, motto and date on the right); Nơi nhận and the signature block are a
second borderless table at the end, and a copy's own block a third.  Text
order matches the PDF's true text.
"""

from __future__ import annotations

import io
import struct
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell

from ingest.samples.spec import DocumentSpec, Para

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
_STAMP_RED = RGBColor(0xC8, 0x14, 0x14)
DOS_EPOCH = datetime(1980, 1, 1)


def _add(container: DocxDocument | _Cell, para: Para, *, first_in_cell: bool = False) -> None:
    """Add ``para`` to a document or a table cell (rules are drawn lines: skipped)."""
    if para.rule:
        return
    paragraph = container.paragraphs[0] if first_in_cell else container.add_paragraph()
    paragraph.alignment = _ALIGN[para.align]
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(0)
    fmt.space_before = Pt(para.space_before * 72 / 25.4)
    if para.indent:
        fmt.first_line_indent = Mm(para.indent)
    run = paragraph.add_run(para.text)
    run.bold = para.bold
    run.italic = para.italic
    run.font.size = Pt(para.size)
    if para.boxed:
        run.font.color.rgb = _STAMP_RED


def _fill(cell: _Cell, paras: list[Para]) -> None:
    printed = [p for p in paras if not p.rule]
    for i, para in enumerate(printed):
        _add(cell, para, first_in_cell=i == 0)


def _tabbed_lines(document: DocxDocument, left: list[Para], right: list[Para]) -> None:
    """Two header columns typed as lines, left and right parts split by a tab stop.

    Many offices type the header without a table: each line holds the left
    column's text, a tab, and the right column's text.
    """
    left = [p for p in left if not p.rule]
    right = [p for p in right if not p.rule]
    for index in range(max(len(left), len(right))):
        paragraph = document.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.space_after = Pt(0)
        fmt.tab_stops.add_tab_stop(Mm(112), WD_TAB_ALIGNMENT.CENTER)
        for part, lead in ((left, ""), (right, "\t")):
            if index >= len(part):
                if lead:
                    continue
                paragraph.add_run("")
                continue
            para = part[index]
            run = paragraph.add_run(lead + para.text)
            run.bold, run.italic = para.bold, para.italic
            run.font.size = Pt(para.size)
            if para.boxed:
                run.font.color.rgb = _STAMP_RED


def write_docx(
    spec: DocumentSpec, path: Path, *, created: datetime, header_table: bool = True
) -> None:
    """Write ``spec`` to ``path``; ``created`` fixes the document dates for reproducibility.

    ``header_table`` False types the header as tab-separated lines instead of
    a borderless table.
    """
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    if header_table:
        header = document.add_table(rows=2, cols=2)  # the default table style has no borders
        header.autofit = False
        for row in header.rows:
            row.cells[0].width, row.cells[1].width = Mm(70), Mm(95)
        _fill(header.cell(0, 0), spec.header_left)
        _fill(header.cell(0, 1), spec.header_right)
        _fill(header.cell(1, 0), spec.number_block)
        _fill(header.cell(1, 1), spec.date_block)
    else:
        _tabbed_lines(document, spec.header_left, spec.header_right)
        _tabbed_lines(document, spec.number_block, spec.date_block)
    for para in [*spec.title, *spec.addressees, *spec.body]:
        _add(document, para)
    if spec.recipients or spec.signature:
        footer = document.add_table(rows=1, cols=2)
        footer.cell(0, 0).width, footer.cell(0, 1).width = Mm(80), Mm(85)
        _fill(footer.cell(0, 0), spec.recipients)
        _fill(footer.cell(0, 1), spec.signature)
    if spec.appendix:
        document.add_page_break()
        for para in spec.appendix:
            _add(document, para)
    if spec.copy_left or spec.copy_right:
        # The copy block: two borderless tables like the original's header and footer.
        block = document.add_table(rows=2, cols=2)
        for row in block.rows:
            row.cells[0].width, row.cells[1].width = Mm(70), Mm(95)
        _fill(block.cell(0, 0), spec.copy_left)
        _fill(block.cell(0, 1), spec.copy_right)
        _fill(block.cell(1, 0), spec.copy_recipients)
        _fill(block.cell(1, 1), spec.copy_signature)
    props = document.core_properties
    props.created = props.modified = created
    props.last_printed = created
    props.author = props.last_modified_by = "Văn thư"
    # The core properties hold at most 255 characters; a long subject is cut there.
    props.title = str(spec.metadata.get("subject", spec.metadata.get("title", "")))[:255]
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_with_fixed_timestamps(buffer.getvalue(), created))


def _with_fixed_timestamps(package: bytes, when: datetime) -> bytes:
    """``package`` with every entry dated ``when``: same seed, same bytes.

    python-docx stamps entries with the current time; the DOS date and time
    fields are patched in place in the local headers and the central directory.
    """
    when = max(when, DOS_EPOCH)  # a zip entry cannot be dated before 1980
    dos_time = (when.hour << 11) | (when.minute << 5) | (when.second // 2)
    dos_date = ((when.year - 1980) << 9) | (when.month << 5) | when.day
    stamp = struct.pack("<HH", dos_time, dos_date)
    data = bytearray(package)
    end = data.rindex(b"PK\x05\x06")
    entries, _, directory = struct.unpack_from("<HII", data, end + 10)
    offset = directory
    for _ in range(entries):
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, offset + 28)
        (local,) = struct.unpack_from("<I", data, offset + 42)
        data[offset + 12 : offset + 16] = stamp
        data[local + 10 : local + 14] = stamp
        offset += 46 + name_len + extra_len + comment_len
    return bytes(data)
