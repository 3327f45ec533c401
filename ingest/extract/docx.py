"""DOCX: paragraphs and tables in body order, page headers and footers.

Vietnamese offices lay out the document header as a borderless two-column
table (issuing body and number on the left, the national motto and the place
and date on the right), and close with another (``Nơi nhận`` left, signature
right).  Those cells fill the zones directly, with no geometry needed.

The package is opened, checked against XXE and parsed part by part in
``ingest.extract.docx_package``; the text rules here are python-docx's own
(``Paragraph.text``, ``_Row.cells``, ``Section.header``), so the text is the
same as python-docx gave.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ingest.extract.base import (
    DetectedType,
    ExtractedContent,
    ExtractLimits,
    OcrEngine,
    PageContent,
)
from ingest.extract.docx_package import (
    TBL,
    TC,
    TR,
    DocxPackage,
    P,
    R,
    W,
    blocks_of,
    open_package,
)
from ingest.language import detect_language
from kernel.errors import PermanentError, QuarantineReason
from kernel.model import PageInfo

# Paragraphs allowed after the closing table (e.g. an empty line, a footnote).
MAX_PARAGRAPHS_AFTER_CLOSING = 3
TABBED_HEADER_SCAN = 8  # a header typed with tabs holds its tabbed lines within these
# Run children and their text (python-docx's ``CT_R.text``); ``w:br`` is handled apart.
_RUN_TEXT = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}


def _run_text(run: etree._Element, parts: list[str]) -> None:
    for child in run:
        tag = child.tag
        if tag == f"{W}t":
            parts.append(child.text or "")
        elif tag == f"{W}br":
            # A line break reads as a newline; page and column breaks as nothing.
            if child.get(f"{W}type", "textWrapping") == "textWrapping":
                parts.append("\n")
        elif tag in _RUN_TEXT:
            parts.append(_RUN_TEXT[tag])


def paragraph_text(paragraph: etree._Element) -> str:
    """The text of the paragraph's runs, hyperlinks included (python-docx's rules)."""
    parts: list[str] = []
    for child in paragraph:
        if child.tag == R:
            _run_text(child, parts)
        elif child.tag == f"{W}hyperlink":
            for run in child.iterchildren(R):
                _run_text(run, parts)
    return "".join(parts)


def _block_text(block: etree._Element) -> str:
    return paragraph_text(block) if block.tag == P else _table_text(block)


def _cell_text(cell: etree._Element) -> str:
    return "\n".join(text for text in map(_block_text, blocks_of(cell)) if text.strip())


def _int_property(element: etree._Element, path: str, default: int) -> int:
    found = element.find(path)
    try:
        return int(found.get(f"{W}val", default)) if found is not None else default
    except ValueError:
        return default


def _vmerge_origin(rows: list[etree._Element], index: int, cell: etree._Element) -> etree._Element:
    """The cell holding the content of ``cell``: itself, or for a vertical merge's
    continuation, the cell above at the same grid column (recursively)."""
    while index > 0:
        merge = cell.find(f"{W}tcPr/{W}vMerge")
        if merge is None or merge.get(f"{W}val", "continue") != "continue":
            return cell
        row = rows[index]
        offset = _int_property(row, f"{W}trPr/{W}gridBefore", 0)
        for before in row.iterchildren(TC):
            if before is cell:
                break
            offset += _int_property(before, f"{W}tcPr/{W}gridSpan", 1)
        index -= 1
        above = rows[index]
        remaining = offset - _int_property(above, f"{W}trPr/{W}gridBefore", 0)
        for candidate in above.iterchildren(TC):
            if remaining <= 0:
                break
            remaining -= _int_property(candidate, f"{W}tcPr/{W}gridSpan", 1)
        else:
            candidate = None
        if remaining != 0 or candidate is None:
            return cell  # a malformed merge: keep the cell's own content
        cell = candidate
    return cell


def _row_cells(table: etree._Element) -> list[list[etree._Element]]:
    """Each row's distinct cells (a merged cell counts once per row, as in python-docx)."""
    rows = list(table.iterchildren(TR))
    result = []
    for index, row in enumerate(rows):
        cells: list[etree._Element] = []
        for cell in row.iterchildren(TC):
            origin = _vmerge_origin(rows, index, cell)
            if not any(origin is seen for seen in cells):
                cells.append(origin)
        result.append(cells)
    return result


def _table_text(table: etree._Element) -> str:
    # Cell by cell keeps each cell's lines together ("Số: ..." stays one line).
    texts = [_cell_text(cell) for row in _row_cells(table) for cell in row]
    return "\n".join(text for text in texts if text.strip())


def two_column_text(table: etree._Element) -> tuple[str, str] | None:
    """The (left, right) column text of a two-column ``w:tbl``, else None."""
    rows = _row_cells(table)
    if not rows or max(len(r) for r in rows) != 2:
        return None
    left = "\n".join(_cell_text(r[0]) for r in rows if r and _cell_text(r[0]).strip())
    right = "\n".join(_cell_text(r[1]) for r in rows if len(r) == 2 and _cell_text(r[1]).strip())
    return left, right


def _breaks_page(paragraph: etree._Element) -> bool:
    if paragraph.find(f"{W}pPr/{W}pageBreakBefore") is not None:
        return True
    return any(br.get(f"{W}type") == "page" for br in paragraph.iter(f"{W}br"))


def _header_footer_text(package: DocxPackage, which: str) -> str:
    texts: list[str] = []
    for section in range(len(package.sections)):
        for kind in ("default", "first"):
            for block in blocks_of(package.header_footer(section, which, kind)):
                text = _block_text(block)
                if text.strip() and text not in texts:
                    texts.append(text)
    return "\n".join(texts)


def _zones(package: DocxPackage, body: list[tuple[etree._Element, str]]) -> dict[str, str]:
    """The header and closing two-column tables as zone text."""
    blocks = [block for block, text in body if block.tag == TBL or text.strip()]
    tables = [block for block in blocks if block.tag == TBL]
    zones: dict[str, str] = {}
    header = blocks[0] if blocks and blocks[0].tag == TBL else None
    if header is None:
        # Some offices put the header table in the page header instead.
        for kind in ("first", "default"):
            part = package.header_footer(0, "header", kind)
            found = [block for block in blocks_of(part) if block.tag == TBL]
            if found:
                header = found[0]
                break
    columns = two_column_text(header) if header is not None else _tabbed_header(blocks)
    if columns:
        zones["header_left"], zones["header_right"] = columns
    closing = tables[-1] if tables and tables[-1] is not header else None
    if closing is not None:
        after = len(blocks) - 1 - blocks.index(closing)
        columns = two_column_text(closing)
        if columns and after <= MAX_PARAGRAPHS_AFTER_CLOSING:
            zones["lower_left"], zones["lower_right"] = columns
    return {name: text for name, text in zones.items() if text.strip()}


def _tabbed_header(blocks: list[etree._Element]) -> tuple[str, str] | None:
    """The (left, right) header typed as lines split by tabs, without a table.

    Offices that type the header without a table put the issuing body, a
    tab, then the motto on each line; the leading paragraphs holding a tab
    are that header.  Two of them at least, or there is none.
    """
    texts = []
    for block in blocks[:TABBED_HEADER_SCAN]:
        if block.tag != P:
            break
        texts.append(paragraph_text(block))
    tabbed = [index for index, text in enumerate(texts) if "\t" in text]
    if len(tabbed) < 2 or tabbed[0] > 1:
        return None
    left: list[str] = []
    right: list[str] = []
    # A line with no tab among the tabbed ones holds the left column alone.
    for text in texts[: tabbed[-1] + 1]:
        head, _, tail = text.partition("\t")
        left.append(head.strip())
        right.append(tail.strip("\t ").replace("\t", " "))
    return "\n".join(t for t in left if t), "\n".join(t for t in right if t)


class DocxExtractor:
    """Extractor for Word 2007+ documents."""

    def extract(
        self, path: Path, detected: DetectedType, limits: ExtractLimits, ocr: OcrEngine
    ) -> ExtractedContent:
        """Read the body in order, split at explicit page breaks."""
        return self._extract(open_package(path), detected, limits)

    def _extract(
        self, package: DocxPackage, detected: DetectedType, limits: ExtractLimits
    ) -> ExtractedContent:
        body = [(block, _block_text(block)) for block in package.body]
        page_texts: list[list[str]] = [[]]
        for block, text in body:
            if block.tag == P:
                if text.strip():
                    page_texts[-1].append(text)
                if _breaks_page(block):
                    page_texts.append([])
            else:
                page_texts[-1].append(text)
        if len(page_texts) > 1 and not page_texts[-1]:
            page_texts.pop()  # a break at the very end opens no new page
        if len(page_texts) > limits.max_pages:
            raise PermanentError(
                QuarantineReason.TOO_LARGE,
                f"DOCX has {len(page_texts)} pages (limit {limits.max_pages})",
            )
        header = _header_footer_text(package, "header")
        footer = _header_footer_text(package, "footer")
        if header:
            page_texts[0].insert(0, header)
        if footer:
            page_texts[-1].append(footer)
        zones = _zones(package, body)
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
