"""DOCX: paragraphs and tables in body order, page headers and footers.

Vietnamese offices lay out the document header as a borderless two-column
table (issuing body and number on the left, the national motto and the place
and date on the right), and close with another (``Nơi nhận`` left, signature
right).  Those cells fill the zones directly, with no geometry needed.

The package is read with ``zipfile`` and lxml directly: only the main document
part and the header/footer parts its sections name are parsed.  python-docx
parsed every part (the bundled styles alone are ~800 KB of XML) and cost ~10 ms
a document; the text rules below are python-docx's own (``Paragraph.text``,
``_Row.cells``, ``Section.header``), so the text is the same.

Every XML part is checked first: a DOCTYPE or entity declaration in a Word
file has no honest use and marks an XXE attempt.  The parser resolves no
entity, loads no DTD and reaches no network either way.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ingest.extract.base import (
    DetectedType,
    ExtractedContent,
    ExtractLimits,
    OcrEngine,
    PageContent,
)
from ingest.language import detect_language
from kernel.errors import PermanentError, QuarantineReason
from kernel.model import PageInfo

# Paragraphs allowed after the closing table (e.g. an empty line, a footnote).
MAX_PARAGRAPHS_AFTER_CLOSING = 3
TABBED_HEADER_SCAN = 8  # a header typed with tabs holds its tabbed lines within these
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

_P, _TBL, _TR, _TC, _R = (f"{_W}{name}" for name in ("p", "tbl", "tr", "tc", "r"))
# Run children and their text (python-docx's ``CT_R.text``); ``w:br`` is handled apart.
_RUN_TEXT = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}

# python-docx's parser settings, plus no DTD loading and no network.
_PARSER = etree.XMLParser(
    remove_blank_text=True,
    resolve_entities=False,
    load_dtd=False,
    no_network=True,
    huge_tree=False,
)

_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
# What may precede the root element: a BOM, the XML declaration, processing
# instructions, comments and white space.  A DOCTYPE can only stand there.
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_PROLOG_READ = 4096


def _xml_bytes(data: bytes) -> bytes:
    """The part as UTF-8 bytes, so a UTF-16 part cannot hide a declaration."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").encode("utf-8")
    return data


def _declares_dtd(data: bytes) -> bool:
    data = _xml_bytes(data)
    return any(marker in data for marker in _DTD_MARKERS)


def _prolog_is_clean(head: bytes) -> bool:
    """True when ``head`` reaches the root element with no declaration before it.

    XML allows a DOCTYPE only before the root element, so a clean prolog clears
    the whole part without inflating the rest of it (the bundled styles are
    ~800 KB).  Anything unusual answers False and the whole part is searched.
    """
    prolog = _PROLOG.match(head)
    rest = head[prolog.end() :] if prolog else head
    if len(rest) < 2 or rest[0] != ord("<"):
        return False
    return rest[1:2].isalpha() or rest[1:2] in (b"_", b":") or rest[1] >= 0x80


def check_xml_parts(archive: zipfile.ZipFile) -> None:
    """Refuse a DOCX whose XML declares a DOCTYPE or entities (XXE).

    A byte search, not a parse: XML is case-sensitive and a declaration can
    only be written this way.  Each part's prolog is searched; the whole part
    only when its prolog does not reach the root element cleanly (the parts
    that are parsed are searched whole again by ``_parse``).
    """
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        with archive.open(info) as stream:
            data = stream.read(_PROLOG_READ)
            if _prolog_is_clean(data):
                continue
            data += stream.read()
        if _declares_dtd(data):
            raise PermanentError(
                QuarantineReason.HOSTILE,
                f"DOCX part {info.filename} declares a DOCTYPE/entity (XXE)",
            )


def _parse(archive: zipfile.ZipFile, name: str) -> etree._Element:
    data = archive.read(name)
    if _declares_dtd(data):
        raise PermanentError(
            QuarantineReason.HOSTILE, f"DOCX part {name} declares a DOCTYPE/entity (XXE)"
        )
    root = etree.fromstring(data, _PARSER)
    if root.getroottree().docinfo.doctype:  # cannot pass the byte search; kept as a backstop
        raise PermanentError(
            QuarantineReason.HOSTILE, f"DOCX part {name} declares a DOCTYPE/entity (XXE)"
        )
    return root


def _relationships(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(id, type, target part name) of ``part``'s internal relationships."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels_name not in archive.NameToInfo:
        return []
    found = []
    for rel in _parse(archive, rels_name).iter(_PKG_RELS):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        target = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        found.append((rel.get("Id", ""), rel.get("Type", ""), posixpath.normpath(target)))
    return found


def _content_type(archive: zipfile.ZipFile, part: str) -> str | None:
    types = _parse(archive, "[Content_Types].xml")
    for override in types.iter(f"{_CONTENT_TYPES}Override"):
        if override.get("PartName", "").lower() == f"/{part}".lower():
            return override.get("ContentType")
    extension = posixpath.splitext(part)[1][1:].lower()
    for default in types.iter(f"{_CONTENT_TYPES}Default"):
        if default.get("Extension", "").lower() == extension:
            return default.get("ContentType")
    return None


class _Package:
    """The main document part of a DOCX and the header/footer parts its sections name.

    Raises ``KeyError`` for a missing part, ``ValueError`` for a package that is
    not a Word document, ``XMLSyntaxError`` for broken XML (python-docx's errors).
    """

    def __init__(self, archive: zipfile.ZipFile) -> None:
        check_xml_parts(archive)
        main = next(
            (t for _, kind, t in _relationships(archive, "") if kind == _OFFICE_DOCUMENT), None
        )
        if main is None:
            raise KeyError("no main document relationship")
        content_type = _content_type(archive, main)
        if content_type != _MAIN_TYPE:
            raise ValueError(f"not a Word file, content type is {content_type!r}")
        self.document = _parse(archive, main)
        body = self.document.find(f"{_W}body")
        self.body = list(_blocks(body))
        self.sections = _sections(body)
        targets = {rid: target for rid, _, target in _relationships(archive, main)}
        # (sectPr, "header"/"footer", "default"/"first") -> part root; a section
        # without its own part is linked to the previous one's and adds no text.
        self._parts: dict[tuple[int, str, str], etree._Element] = {}
        parsed: dict[str, etree._Element] = {}
        for number, sect_pr in enumerate(self.sections):
            for which in ("header", "footer"):
                for ref in sect_pr.iterchildren(f"{_W}{which}Reference"):
                    kind = ref.get(f"{_W}type")
                    key = (number, which, kind or "")
                    if kind not in ("default", "first") or key in self._parts:
                        continue  # python-docx reads the first reference of a type
                    target = targets[ref.get(_R_ID, "")]
                    if target not in parsed:
                        parsed[target] = _parse(archive, target)
                    self._parts[key] = parsed[target]

    def header_footer(self, section: int, which: str, kind: str) -> etree._Element | None:
        """Section ``section``'s own ``which`` ("header"/"footer") part of ``kind``
        ("default"/"first"), or None when it is linked to the previous section's."""
        return self._parts.get((section, which, kind))


def _sections(body: etree._Element | None) -> list[etree._Element]:
    """The ``w:sectPr`` elements in document order (python-docx's ``sections``)."""
    found: list[etree._Element] = []
    for child in body if body is not None else ():
        if child.tag == _P:
            child = child.find(f"{_W}pPr/{_W}sectPr")
        if child is not None and child.tag == f"{_W}sectPr":
            found.append(child)
    return found


def _blocks(container: etree._Element | None) -> Iterator[etree._Element]:
    """The ``w:p`` and ``w:tbl`` children, in order (python-docx's ``iter_inner_content``)."""
    if container is not None:
        for child in container:
            if child.tag == _P or child.tag == _TBL:
                yield child


def _run_text(run: etree._Element, parts: list[str]) -> None:
    for child in run:
        tag = child.tag
        if tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag == f"{_W}br":
            # A line break reads as a newline; page and column breaks as nothing.
            if child.get(f"{_W}type", "textWrapping") == "textWrapping":
                parts.append("\n")
        elif tag in _RUN_TEXT:
            parts.append(_RUN_TEXT[tag])


def paragraph_text(paragraph: etree._Element) -> str:
    """The text of the paragraph's runs, hyperlinks included (python-docx's rules)."""
    parts: list[str] = []
    for child in paragraph:
        if child.tag == _R:
            _run_text(child, parts)
        elif child.tag == f"{_W}hyperlink":
            for run in child.iterchildren(_R):
                _run_text(run, parts)
    return "".join(parts)


def _block_text(block: etree._Element) -> str:
    return paragraph_text(block) if block.tag == _P else _table_text(block)


def _cell_text(cell: etree._Element) -> str:
    return "\n".join(text for text in map(_block_text, _blocks(cell)) if text.strip())


def _int_property(element: etree._Element, path: str, default: int) -> int:
    found = element.find(path)
    try:
        return int(found.get(f"{_W}val", default)) if found is not None else default
    except ValueError:
        return default


def _vmerge_origin(rows: list[etree._Element], index: int, cell: etree._Element) -> etree._Element:
    """The cell holding the content of ``cell``: itself, or for a vertical merge's
    continuation, the cell above at the same grid column (recursively)."""
    while index > 0:
        merge = cell.find(f"{_W}tcPr/{_W}vMerge")
        if merge is None or merge.get(f"{_W}val", "continue") != "continue":
            return cell
        row = rows[index]
        offset = _int_property(row, f"{_W}trPr/{_W}gridBefore", 0)
        for before in row.iterchildren(_TC):
            if before is cell:
                break
            offset += _int_property(before, f"{_W}tcPr/{_W}gridSpan", 1)
        index -= 1
        above = rows[index]
        remaining = offset - _int_property(above, f"{_W}trPr/{_W}gridBefore", 0)
        for candidate in above.iterchildren(_TC):
            if remaining <= 0:
                break
            remaining -= _int_property(candidate, f"{_W}tcPr/{_W}gridSpan", 1)
        else:
            candidate = None
        if remaining != 0 or candidate is None:
            return cell  # a malformed merge: keep the cell's own content
        cell = candidate
    return cell


def _row_cells(table: etree._Element) -> list[list[etree._Element]]:
    """Each row's distinct cells (a merged cell counts once per row, as in python-docx)."""
    rows = list(table.iterchildren(_TR))
    result = []
    for index, row in enumerate(rows):
        cells: list[etree._Element] = []
        for cell in row.iterchildren(_TC):
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
    if paragraph.find(f"{_W}pPr/{_W}pageBreakBefore") is not None:
        return True
    return any(br.get(f"{_W}type") == "page" for br in paragraph.iter(f"{_W}br"))


def _header_footer_text(package: _Package, which: str) -> str:
    texts: list[str] = []
    for section in range(len(package.sections)):
        for kind in ("default", "first"):
            for block in _blocks(package.header_footer(section, which, kind)):
                text = _block_text(block)
                if text.strip() and text not in texts:
                    texts.append(text)
    return "\n".join(texts)


def _zones(package: _Package, body: list[tuple[etree._Element, str]]) -> dict[str, str]:
    """The header and closing two-column tables as zone text."""
    blocks = [block for block, text in body if block.tag == _TBL or text.strip()]
    tables = [block for block in blocks if block.tag == _TBL]
    zones: dict[str, str] = {}
    header = blocks[0] if blocks and blocks[0].tag == _TBL else None
    if header is None:
        # Some offices put the header table in the page header instead.
        for kind in ("first", "default"):
            part = package.header_footer(0, "header", kind)
            found = [block for block in _blocks(part) if block.tag == _TBL]
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
        if block.tag != _P:
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


def _open(path: Path) -> _Package:
    try:
        with zipfile.ZipFile(path) as archive:
            return _Package(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, ValueError) as exc:
        raise PermanentError(QuarantineReason.CORRUPT, f"unreadable DOCX: {exc}") from exc
    except etree.XMLSyntaxError as exc:
        raise PermanentError(QuarantineReason.CORRUPT, f"unreadable DOCX XML: {exc}") from exc


class DocxExtractor:
    """Extractor for Word 2007+ documents."""

    def extract(
        self, path: Path, detected: DetectedType, limits: ExtractLimits, ocr: OcrEngine
    ) -> ExtractedContent:
        """Read the body in order, split at explicit page breaks."""
        return self._extract(_open(path), detected, limits)

    def _extract(
        self, package: _Package, detected: DetectedType, limits: ExtractLimits
    ) -> ExtractedContent:
        body = [(block, _block_text(block)) for block in package.body]
        page_texts: list[list[str]] = [[]]
        for block, text in body:
            if block.tag == _P:
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
