"""Identify a file by its content, never by its name.

A table of magic-byte signatures names what a file is.  Supported kinds map to
a ``DetectedType``; anything else is refused with a message naming what was
found ("unsupported type: ELF executable"), so the quarantine report tells a
clerk what the file really was.  A ZIP is only a DOCX when it holds
``word/document.xml``; its listed sizes are checked first so a zip bomb is
refused before anybody inflates it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.extract.base import DetectedType
from ingest.extract.text import READABLE_ENCODINGS, sniff_text, text_mime
from kernel.errors import PermanentError, QuarantineReason

SNIFF_BYTES = 64 * 1024
# A real DOCX inflates to a few MB; these bounds refuse zip bombs from the
# sizes the archive itself lists (``zipfile`` never inflates past a listed size).
MAX_ZIP_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_ZIP_MEMBERS = 10_000

SUPPORTED: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "tiff": "image/tiff",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "text": "text/plain",
}


@dataclass(frozen=True)
class Signature:
    """Magic bytes at ``offset`` that say what a file is.

    ``kind`` is a supported kind, or None for a type Docket refuses; ``check``
    further inspects the head (or the path) to confirm or rename the match.
    """

    name: str
    magic: bytes
    offset: int = 0
    kind: str | None = None
    search: int = 0  # also accept the magic up to this many bytes in (PDF)
    check: Callable[[bytes], bool] | None = None

    def matches(self, head: bytes) -> bool:
        if self.search:
            return self.magic in head[: self.search + len(self.magic)]
        if head[self.offset : self.offset + len(self.magic)] != self.magic:
            return False
        return self.check is None or self.check(head)


def _has_nul(head: bytes) -> bool:
    return b"\0" in head[:64]


def _is_bmp(head: bytes) -> bool:
    # "BM" alone could start a text file; the reserved header words are zero.
    return head[6:10] == b"\0\0\0\0"


SIGNATURES: tuple[Signature, ...] = (
    # Acrobat accepts a PDF header anywhere in the first 1024 bytes.
    Signature("PDF document", b"%PDF-", kind="pdf", search=1024),
    Signature("TIFF image", b"II*\0", kind="tiff"),
    Signature("TIFF image", b"MM\0*", kind="tiff"),
    Signature("JPEG image", b"\xff\xd8\xff", kind="jpeg"),
    Signature("PNG image", b"\x89PNG\r\n\x1a\n", kind="png"),
    Signature("ZIP archive", b"PK\x03\x04", kind="zip"),
    Signature("ZIP archive", b"PK\x05\x06", kind="zip"),
    Signature("BigTIFF image", b"II+\0"),
    Signature("BigTIFF image", b"MM\0+"),
    Signature("GIF image", b"GIF87a"),
    Signature("GIF image", b"GIF89a"),
    Signature("WebP image", b"WEBP", offset=8, check=lambda h: h[:4] == b"RIFF"),
    Signature("WAV audio", b"WAVE", offset=8, check=lambda h: h[:4] == b"RIFF"),
    Signature("AVI video", b"AVI ", offset=8, check=lambda h: h[:4] == b"RIFF"),
    Signature("BMP image", b"BM", check=_is_bmp),
    Signature("JPEG 2000 image", b"\0\0\0\x0cjP  \r\n\x87\n"),
    Signature("HEIF/MP4 media", b"ftyp", offset=4),
    Signature("ELF executable", b"\x7fELF"),
    Signature("Windows executable", b"MZ", check=_has_nul),
    Signature("Mach-O executable", b"\xcf\xfa\xed\xfe"),
    Signature("Java class file", b"\xca\xfe\xba\xbe"),
    Signature(
        "legacy Microsoft Office document (DOC/XLS/PPT)", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    ),
    Signature("RTF document", b"{\\rtf"),
    Signature("RAR archive", b"Rar!\x1a\x07"),
    Signature("7-Zip archive", b"7z\xbc\xaf\x27\x1c"),
    Signature("gzip archive", b"\x1f\x8b"),
    Signature("bzip2 archive", b"BZh"),
    Signature("xz archive", b"\xfd7zXZ\0"),
    Signature("zstd archive", b"\x28\xb5\x2f\xfd"),
    Signature("SQLite database", b"SQLite format 3\0"),
    Signature("PostScript document", b"%!PS"),
    Signature("MP3 audio", b"ID3"),
    Signature("Ogg media", b"OggS"),
    Signature("FLAC audio", b"fLaC"),
    Signature("Matroska/WebM video", b"\x1a\x45\xdf\xa3"),
    Signature("ISO disk image", b"CD001", offset=0x8001),
    Signature("tar archive", b"ustar", offset=257),
)

# Which OOXML/ODF part names what a ZIP holds, checked in order.
ZIP_CONTENT: tuple[tuple[str, str | None, str], ...] = (
    ("word/document.xml", "docx", "DOCX document"),
    ("xl/workbook.xml", None, "XLSX spreadsheet"),
    ("ppt/presentation.xml", None, "PPTX presentation"),
    ("mimetype", None, "OpenDocument file"),
)


def identify(path: Path) -> DetectedType:
    """What ``path`` is, judged by its bytes.

    Raises ``PermanentError``: ``EMPTY`` for a zero-byte file, ``UNSUPPORTED``
    naming the detected type otherwise, ``TOO_LARGE``/``HOSTILE`` for a ZIP
    whose listed sizes betray a zip bomb, ``CORRUPT`` for a broken ZIP.
    """
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head:
        raise PermanentError(QuarantineReason.EMPTY, "empty file (0 bytes)")
    for signature in SIGNATURES:
        if signature.matches(head):
            if signature.kind == "zip":
                return _identify_zip(path)
            if signature.kind is None:
                raise PermanentError(
                    QuarantineReason.UNSUPPORTED, f"unsupported type: {signature.name}"
                )
            return DetectedType(signature.kind, SUPPORTED[signature.kind])
    encoding = sniff_text(head, truncated=path.stat().st_size > len(head))
    if encoding is not None:
        return DetectedType("text", text_mime(encoding))
    raise PermanentError(
        QuarantineReason.UNSUPPORTED,
        f"unsupported type: unknown binary data (not text in {READABLE_ENCODINGS})")


def _identify_zip(path: Path) -> DetectedType:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PermanentError(QuarantineReason.CORRUPT, f"broken ZIP archive: {exc}") from exc
    _check_zip_sizes(infos)
    names = {info.filename for info in infos}
    for part, kind, name in ZIP_CONTENT:
        if part in names:
            if kind is None:
                raise PermanentError(QuarantineReason.UNSUPPORTED, f"unsupported type: {name}")
            return DetectedType(kind, SUPPORTED[kind])
    raise PermanentError(QuarantineReason.UNSUPPORTED, "unsupported type: ZIP archive")


def _check_zip_sizes(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ZIP_MEMBERS:
        raise PermanentError(
            QuarantineReason.HOSTILE, f"ZIP lists {len(infos)} members (zip bomb?)"
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_ZIP_UNCOMPRESSED:
        raise PermanentError(
            QuarantineReason.TOO_LARGE, f"ZIP would inflate to {total} bytes (zip bomb?)"
        )
    for info in infos:
        # Small members may compress extremely well (runs of zeros); only a big
        # member with an absurd ratio is a bomb.
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 10 * 1024 * 1024 and ratio > MAX_ZIP_RATIO:
            raise PermanentError(
                QuarantineReason.HOSTILE,
                f"ZIP member {info.filename!r} inflates {ratio:.0f}x (zip bomb?)",
            )
