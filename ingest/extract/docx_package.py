"""The parts of a DOCX package that Docket reads, opened safely.

Only the main document part and the header/footer parts its sections name
are parsed, with ``zipfile`` and lxml directly (python-docx parsed every
part, ~10 ms a document).  Every XML part is checked first: a DOCTYPE or
entity declaration in a Word file has no honest use and marks an XXE
attempt.  The parser resolves no entity, loads no DTD and reaches no
network either way.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from kernel.errors import PermanentError, QuarantineReason

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

P, TBL, TR, TC, R = (f"{W}{name}" for name in ("p", "tbl", "tr", "tc", "r"))

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


class DocxPackage:
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
        body = self.document.find(f"{W}body")
        self.body = list(blocks_of(body))
        self.sections = _sections(body)
        targets = {rid: target for rid, _, target in _relationships(archive, main)}
        # (sectPr, "header"/"footer", "default"/"first") -> part root; a section
        # without its own part is linked to the previous one's and adds no text.
        self._parts: dict[tuple[int, str, str], etree._Element] = {}
        parsed: dict[str, etree._Element] = {}
        for number, sect_pr in enumerate(self.sections):
            for which in ("header", "footer"):
                for ref in sect_pr.iterchildren(f"{W}{which}Reference"):
                    kind = ref.get(f"{W}type")
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
        if child.tag == P:
            child = child.find(f"{W}pPr/{W}sectPr")
        if child is not None and child.tag == f"{W}sectPr":
            found.append(child)
    return found


def blocks_of(container: etree._Element | None) -> Iterator[etree._Element]:
    """The ``w:p`` and ``w:tbl`` children, in order (python-docx's ``iter_inner_content``)."""
    if container is not None:
        for child in container:
            if child.tag == P or child.tag == TBL:
                yield child


def open_package(path: Path) -> DocxPackage:
    """The package at ``path``; ``PermanentError`` (``CORRUPT``, ``HOSTILE``) for a bad one."""
    try:
        with zipfile.ZipFile(path) as archive:
            return DocxPackage(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, ValueError) as exc:
        raise PermanentError(QuarantineReason.CORRUPT, f"unreadable DOCX: {exc}") from exc
    except etree.XMLSyntaxError as exc:
        raise PermanentError(QuarantineReason.CORRUPT, f"unreadable DOCX XML: {exc}") from exc
