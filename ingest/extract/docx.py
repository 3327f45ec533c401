"""DOCX: paragraphs and tables in body order, page headers and footers.

Vietnamese offices lay out the document header as a borderless two-column
table (issuing body and number on the left, the national motto and the place
and date on the right), and close with another (``Nơi nhận`` left, signature
right).  Those cells fill the zones directly, with no geometry needed.

Every XML part is checked first: a DOCTYPE or entity declaration in a Word
file has no honest use and marks an XXE attempt.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from ingest.errors import PermanentError, QuarantineReason
from ingest.extract.base import DetectedType, ExtractedContent, ExtractLimits, PageContent
from ingest.language import detect_language
from ingest.model import PageInfo

# Paragraphs allowed after the closing table (e.g. an empty line, a footnote).
MAX_PARAGRAPHS_AFTER_CLOSING = 3
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")


def _xml_bytes(data: bytes) -> bytes:
    """The part as UTF-8 bytes, so a UTF-16 part cannot hide a declaration."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").encode("utf-8")
    return data


def check_xml_parts(path: Path) -> None:
    """Refuse a DOCX whose XML declares a DOCTYPE or entities (XXE).

    A byte search, not a parse: XML is case-sensitive and a declaration can only
    be written this way, and parsing every part costs ~300 ms a document.
    Malformed XML is reported as corrupt by the parser that reads the document.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.filename.endswith((".xml", ".rels")):
                    continue
                data = _xml_bytes(archive.read(info))
                for marker in _DTD_MARKERS:
                    if marker in data:
                        raise PermanentError(
                            QuarantineReason.HOSTILE,
                            f"DOCX part {info.filename} declares a DOCTYPE/entity (XXE)",
                        )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise PermanentError(QuarantineReason.CORRUPT, f"broken DOCX archive: {exc}") from exc


def _cell_text(cell: _Cell) -> str:
    parts = []
    for block in cell.iter_inner_content():
        parts.append(block.text if isinstance(block, Paragraph) else _table_text(block))
    return "\n".join(part for part in parts if part.strip())


def _row_cells(table: Table) -> list[list[_Cell]]:
    """Each row's distinct cells (python-docx repeats a merged cell per grid column)."""
    rows = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell)
        rows.append(cells)
    return rows


def _table_text(table: Table) -> str:
    # Cell by cell keeps each cell's lines together ("Số: ..." stays one line).
    texts = [_cell_text(cell) for row in _row_cells(table) for cell in row]
    return "\n".join(text for text in texts if text.strip())


def two_column_text(table: Table) -> tuple[str, str] | None:
    """The (left, right) column text of a two-column table, else None."""
    rows = _row_cells(table)
    if not rows or max(len(r) for r in rows) != 2:
        return None
    left = "\n".join(_cell_text(r[0]) for r in rows if r and _cell_text(r[0]).strip())
    right = "\n".join(_cell_text(r[1]) for r in rows if len(r) == 2 and _cell_text(r[1]).strip())
    return left, right


def _breaks_page(paragraph: Paragraph) -> bool:
    element = paragraph._p
    return bool(
        element.findall(f".//{_W}br[@{_W}type='page']")
        or element.findall(f"./{_W}pPr/{_W}pageBreakBefore")
    )


def _header_footer_text(document: DocxDocument, which: str) -> str:
    texts: list[str] = []
    for section in document.sections:
        parts = [getattr(section, which), getattr(section, f"first_page_{which}")]
        for part in parts:
            if part.is_linked_to_previous:
                continue
            for block in part.iter_inner_content():
                text = block.text if isinstance(block, Paragraph) else _table_text(block)
                if text.strip() and text not in texts:
                    texts.append(text)
    return "\n".join(texts)


def _zones(document: DocxDocument) -> dict[str, str]:
    blocks = [b for b in document.iter_inner_content() if isinstance(b, Table) or b.text.strip()]
    tables = [b for b in blocks if isinstance(b, Table)]
    zones: dict[str, str] = {}
    header = blocks[0] if blocks and isinstance(blocks[0], Table) else None
    if header is None:
        # Some offices put the header table in the page header instead.
        section = document.sections[0]
        for part in (section.first_page_header, section.header):
            found = [b for b in part.iter_inner_content() if isinstance(b, Table)]
            if found and not part.is_linked_to_previous:
                header = found[0]
                break
    columns = two_column_text(header) if header is not None else None
    if columns:
        zones["header_left"], zones["header_right"] = columns
    closing = tables[-1] if tables and tables[-1] is not header else None
    if closing is not None:
        after = len(blocks) - 1 - blocks.index(closing)
        columns = two_column_text(closing)
        if columns and after <= MAX_PARAGRAPHS_AFTER_CLOSING:
            zones["lower_left"], zones["lower_right"] = columns
    return {name: text for name, text in zones.items() if text.strip()}


class DocxExtractor:
    """Extractor for Word 2007+ documents."""

    kinds: tuple[str, ...] = ("docx",)

    def extract(
        self, path: Path, detected: DetectedType, limits: ExtractLimits
    ) -> ExtractedContent:
        """Read the body in order, split at explicit page breaks."""
        check_xml_parts(path)
        try:
            document = docx.Document(str(path))
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise PermanentError(QuarantineReason.CORRUPT, f"unreadable DOCX: {exc}") from exc
        page_texts: list[list[str]] = [[]]
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                if block.text.strip():
                    page_texts[-1].append(block.text)
                if _breaks_page(block):
                    page_texts.append([])
            else:
                page_texts[-1].append(_table_text(block))
        if len(page_texts) > 1 and not page_texts[-1]:
            page_texts.pop()  # a break at the very end opens no new page
        if len(page_texts) > limits.max_pages:
            raise PermanentError(
                QuarantineReason.TOO_LARGE,
                f"DOCX has {len(page_texts)} pages (limit {limits.max_pages})",
            )
        header = _header_footer_text(document, "header")
        footer = _header_footer_text(document, "footer")
        if header:
            page_texts[0].insert(0, header)
        if footer:
            page_texts[-1].append(footer)
        zones = _zones(document)
        pages = []
        for number, texts in enumerate(page_texts, start=1):
            text = "\n".join(t for t in texts if t.strip())
            page_zones = {}
            if number == 1:
                page_zones.update({k: v for k, v in zones.items() if k.startswith("header")})
            if number == len(page_texts):
                page_zones.update({k: v for k, v in zones.items() if k.startswith("lower")})
            info = PageInfo(number=number, chars=len(text), language=detect_language(text))
            pages.append(PageContent(info=info, text=text, source="docx", zones=page_zones))
        return ExtractedContent(detected_type=detected.kind, mime=detected.mime, pages=pages)
