"""The kinds of file Docket reads, and how the web app shows each.

``FileKind`` is what identification names a file (stored as the record's
``detected_type``); it is a ``StrEnum``, so a kind compares equal to the
string the register has always stored (``FileKind.PDF == "pdf"``).  The
registry of formats (``ingest.extract.formats``) declares one entry per kind.
"""

from __future__ import annotations

from enum import StrEnum


class FileKind(StrEnum):
    """A file kind Docket identifies by content and extracts."""

    PDF = "pdf"
    DOCX = "docx"
    TIFF = "tiff"
    JPEG = "jpeg"
    PNG = "png"
    TEXT = "text"


class PreviewStyle(StrEnum):
    """What a document page needs to show a kind of original."""

    VIEWER = "viewer"  # the browser's own viewer shows the original (PDF)
    IMAGE = "image"  # the original as an <img> (PNG, JPEG)
    PAGES = "pages"  # each page rendered to PNG by the app (TIFF: browsers do not show it)
    TEXT = "text"  # the extracted text (or a PDF rendition when the store holds one)


def file_kind(value: str) -> FileKind | None:
    """The kind named ``value`` (a stored ``detected_type``), None when Docket has no such kind."""
    try:
        return FileKind(value)
    except ValueError:
        return None
