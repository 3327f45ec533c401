"""The registry of formats: one entry per kind of file, the one place a format is added.

Each ``FileFormat`` declares how a file of its kind is recognised (magic
bytes, the part a ZIP package holds, or a look at the content), its MIME
type, the extractor that reads it and what the web app needs to show it.
Identification (``ingest.extract.identify``) and extraction
(``ingest.extract.extract_content``) read this table; neither names a kind.
After Paperless-ngx's parser registry and unstructured's ``FileType``.

An extractor is named by its import path (``module:Class``, as Paperless-ngx
names parsers by entry point) and imported when first asked for:
identification and the web app read this table without loading pdfium,
lxml or numpy, and a worker process preloads exactly the modules named here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import cast

from ingest.extract.base import Extractor
from ingest.extract.kinds import FileKind, PreviewStyle, file_kind


@dataclass(frozen=True)
class Signature:
    """Magic bytes at ``offset`` that say what a file is.

    ``search``: also accept the magic anywhere in the first ``search`` bytes;
    ``check``: a further look at the head that must agree.
    """

    name: str
    magic: bytes
    offset: int = 0
    search: int = 0
    check: Callable[[bytes], bool] | None = None

    def matches(self, head: bytes) -> bool:
        """Whether the first bytes of a file, ``head``, carry this signature."""
        if self.search:
            return self.magic in head[: self.search + len(self.magic)]
        if head[self.offset : self.offset + len(self.magic)] != self.magic:
            return False
        return self.check is None or self.check(head)


@dataclass(frozen=True)
class FileFormat:
    """Everything Docket knows about one kind of file."""

    kind: FileKind
    mime: str
    preview: PreviewStyle
    reader: str  # the extractor class, "module:Class"
    signatures: tuple[Signature, ...] = ()
    zip_part: str | None = None  # a ZIP package holding this part is of this kind
    # For formats without magic bytes: the MIME type when the head of a file is
    # of this kind, else None (the bool says the head is only the file's start).
    sniff: Callable[[bytes, bool], str | None] | None = None

    def extractor(self) -> Extractor:
        """The extractor of this kind, built once."""
        return _extractor(self.reader)


def _sniff_text(head: bytes, truncated: bool) -> str | None:
    from ingest.extract.text import sniff_text, text_mime

    encoding = sniff_text(head, truncated)
    return None if encoding is None else text_mime(encoding)


_DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FORMATS: tuple[FileFormat, ...] = (
    FileFormat(
        FileKind.PDF, "application/pdf", PreviewStyle.VIEWER, "ingest.extract.pdf:PdfExtractor",
        # Acrobat accepts a PDF header anywhere in the first 1024 bytes.
        signatures=(Signature("PDF document", b"%PDF-", search=1024),),
    ),
    FileFormat(
        FileKind.TIFF, "image/tiff", PreviewStyle.PAGES, "ingest.extract.image:ImageExtractor",
        signatures=(Signature("TIFF image", b"II*\0"), Signature("TIFF image", b"MM\0*")),
    ),
    FileFormat(
        FileKind.JPEG, "image/jpeg", PreviewStyle.IMAGE, "ingest.extract.image:ImageExtractor",
        signatures=(Signature("JPEG image", b"\xff\xd8\xff"),),
    ),
    FileFormat(
        FileKind.PNG, "image/png", PreviewStyle.IMAGE, "ingest.extract.image:ImageExtractor",
        signatures=(Signature("PNG image", b"\x89PNG\r\n\x1a\n"),),
    ),
    FileFormat(
        FileKind.DOCX, _DOCX_MIME, PreviewStyle.TEXT, "ingest.extract.docx:DocxExtractor",
        zip_part="word/document.xml",
    ),
    FileFormat(
        FileKind.TEXT, "text/plain", PreviewStyle.TEXT, "ingest.extract.text:TextExtractor",
        sniff=_sniff_text,  # last: no magic bytes, the content must read as text
    ),
)
_BY_KIND = {entry.kind: entry for entry in FORMATS}


def format_of(kind: FileKind) -> FileFormat:
    """The registry entry of ``kind``."""
    return _BY_KIND[kind]


def preview_style(detected_type: str) -> PreviewStyle:
    """How to show a document stored with ``detected_type``; text for a kind no longer known."""
    kind = file_kind(detected_type)
    return PreviewStyle.TEXT if kind is None else format_of(kind).preview


def extractor_modules() -> tuple[str, ...]:
    """The modules of the extractors, once each (what a worker process preloads)."""
    return tuple(dict.fromkeys(entry.reader.partition(":")[0] for entry in FORMATS))


@cache
def _extractor(reader: str) -> Extractor:
    module, _, name = reader.partition(":")
    return cast(Extractor, getattr(importlib.import_module(module), name)())
