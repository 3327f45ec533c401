"""Identify a file by its content, never by its name.

The formats Docket reads declare their magic bytes, the ZIP part that marks
them, or a look at the content in the registry (``ingest.extract.formats``).
This module adds the signatures of what Docket refuses, so that a refusal
names what was found ("unsupported type: ELF executable") and the quarantine
report tells a clerk what the file really was.  A ZIP's listed sizes are
checked before its parts are looked at, so a zip bomb is refused before
anybody inflates it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ingest.extract.base import DetectedType
from ingest.extract.formats import FORMATS, FileFormat, Signature
from ingest.extract.text import READABLE_ENCODINGS
from kernel.errors import PermanentError, QuarantineReason

SNIFF_BYTES = 64 * 1024
# A real DOCX inflates to a few MB; these bounds refuse zip bombs from the
# sizes the archive itself lists (``zipfile`` never inflates past a listed size).
MAX_ZIP_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_ZIP_MEMBERS = 10_000


def _has_nul(head: bytes) -> bool:
    return b"\0" in head[:64]


def _is_bmp(head: bytes) -> bool:
    # "BM" alone could start a text file; the reserved header words are zero.
    return head[6:10] == b"\0\0\0\0"


ZIP_SIGNATURES = (Signature("ZIP archive", b"PK\x03\x04"), Signature("ZIP archive", b"PK\x05\x06"))
# What Docket refuses, named for the quarantine report.
REFUSED: tuple[Signature, ...] = (
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

# The ZIP packages Docket refuses, by the part that names them.
REFUSED_ZIP_PARTS: tuple[tuple[str, str], ...] = (
    ("xl/workbook.xml", "XLSX spreadsheet"),
    ("ppt/presentation.xml", "PPTX presentation"),
    ("mimetype", "OpenDocument file"),
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
    for entry in FORMATS:
        if any(signature.matches(head) for signature in entry.signatures):
            return DetectedType(entry.kind, entry.mime)
    if any(signature.matches(head) for signature in ZIP_SIGNATURES):
        return _identify_zip(path)
    for signature in REFUSED:
        if signature.matches(head):
            raise PermanentError(QuarantineReason.UNSUPPORTED,
                                 f"unsupported type: {signature.name}")
    return _identify_by_content(head, truncated=path.stat().st_size > len(head))


def _identify_by_content(head: bytes, truncated: bool) -> DetectedType:
    for entry in FORMATS:
        mime = entry.sniff(head, truncated) if entry.sniff is not None else None
        if mime is not None:
            return DetectedType(entry.kind, mime)
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
    packaged: list[FileFormat] = [entry for entry in FORMATS if entry.zip_part in names]
    if packaged:
        return DetectedType(packaged[0].kind, packaged[0].mime)
    for part, name in REFUSED_ZIP_PARTS:
        if part in names:
            raise PermanentError(QuarantineReason.UNSUPPORTED, f"unsupported type: {name}")
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
