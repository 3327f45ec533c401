"""Files that must be quarantined (or, for one, archived despite its name).

Each ``HostileCase`` names the file and the outcome Docket owes it: a
``QuarantineReason`` value, or ``"archived"`` for a valid document whose name
lies about its type (types are decided by content, never by extension).
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fpdf import FPDF

from ingest.samples.compose import Variant, compose_vietnamese
from ingest.samples.doctypes import state_type
from ingest.samples.docx_writer import write_docx
from ingest.samples.layout import layout
from ingest.samples.pdf_writer import write_text_pdf
from ingest.samples.vocabulary import state_bodies
from kernel.errors import QuarantineReason

ARCHIVED = "archived"
BOMB_SIDE = 20_000  # 400 megapixels: over four times Pillow's default limit


@dataclass(frozen=True)
class HostileCase:
    """A hostile or broken input and the outcome expected for it."""

    path: Path
    expected: str  # a QuarantineReason value, or "archived"


def _real_pdf(path: Path) -> None:
    rng = random.Random(7)
    spec = compose_vietnamese(
        rng,
        state_type("Quyết định"),
        state_bodies("Lâm Đồng")[0],
        Variant(),
        issue_date=datetime(2025, 11, 25).date(),
        number=2284,
    )
    write_text_pdf(layout(spec), path, title=None, created=datetime(2025, 11, 25))


def _truncated_pdf(path: Path, scratch: Path) -> None:
    """The first few hundred bytes of a real PDF: header and part of an object, no catalog."""
    _real_pdf(scratch)
    path.write_bytes(scratch.read_bytes()[:700])


def _encrypted_pdf(path: Path) -> None:
    """A PDF that needs a user password to open (fpdf2 encryption uses ``cryptography``)."""
    pdf = FPDF()
    pdf.set_encryption(owner_password="chu-so-huu", user_password="mat-khau")
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.text(20, 30, "Confidential - encrypted sample")
    pdf.set_creation_date(datetime(2025, 11, 25))
    pdf.output(str(path))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _pixel_bomb_png(path: Path) -> None:
    """A valid 20000x20000 bilevel PNG of zeros: tiny on disk, 400 Mpx when decoded.

    Written chunk by chunk so generating it never holds the image in memory.
    """
    rows = b"\x00" * ((1 + BOMB_SIDE // 8) * 1000)  # 1000 rows: filter byte + 1 bit per pixel
    compressor = zlib.compressobj(6)
    data = b"".join(compressor.compress(rows) for _ in range(BOMB_SIDE // 1000))
    data += compressor.flush()
    header = struct.pack(">IIBBBBB", BOMB_SIDE, BOMB_SIDE, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


XXE_DOCTYPE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)


def _xxe_docx(path: Path, scratch: Path) -> None:
    """A real DOCX whose document.xml declares an external entity and uses it in the text."""
    rng = random.Random(11)
    spec = compose_vietnamese(
        rng,
        state_type("Công văn"),
        state_bodies("Lâm Đồng")[2],
        Variant(),
        issue_date=datetime(2025, 3, 4).date(),
        number=45,
    )
    write_docx(spec, scratch, created=datetime(2025, 3, 4, 9))
    out = io.BytesIO()
    with zipfile.ZipFile(scratch) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                body = text[text.index("?>") + 2 :].lstrip()
                body = body.replace("<w:t>", "<w:t>&xxe;", 1)
                data = (XXE_DOCTYPE + body).encode("utf-8")
            target.writestr(item, data)
    path.write_bytes(out.getvalue())


def _zip_archive(path: Path) -> None:
    """A plain ZIP of text files: not a document type Docket accepts."""
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("ghi-chu.txt", date_time=(2025, 1, 2, 8, 0, 0))
        archive.writestr(info, "Danh sách tài liệu cần chuyển.\n")


def _elf_binary(path: Path) -> None:
    """The start of a 64-bit Linux executable."""
    header = b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + struct.pack("<HHI", 2, 0x3E, 1)
    path.write_bytes(header + b"\x00" * 4000)


def write_hostile_set(out_dir: Path) -> list[HostileCase]:
    """Write the hostile and broken inputs under ``out_dir/incoming/``; return the cases.

    The XXE DOCX is expected as ``hostile``, not ``corrupt``: the package is
    well formed and opens in Word, but its XML reaches for a local file, which
    is an attack to report rather than damage to repair.
    """
    folder = out_dir / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    scratch = out_dir / ".hostile-scratch"
    scratch.mkdir(exist_ok=True)
    cases = [
        HostileCase(folder / "bi-cat-cut.pdf", QuarantineReason.CORRUPT.value),
        HostileCase(folder / "co-mat-khau.pdf", QuarantineReason.ENCRYPTED.value),
        HostileCase(folder / "rong.pdf", QuarantineReason.EMPTY.value),
        HostileCase(folder / "anh-qua-lon.png", QuarantineReason.TOO_LARGE.value),
        HostileCase(folder / "xxe.docx", QuarantineReason.HOSTILE.value),
        HostileCase(folder / "thuc-ra-la-pdf.jpg", ARCHIVED),
        HostileCase(folder / "tai-lieu-nen.zip", QuarantineReason.UNSUPPORTED.value),
        HostileCase(folder / "chuong-trinh.bin", QuarantineReason.UNSUPPORTED.value),
    ]
    _truncated_pdf(cases[0].path, scratch / "whole.pdf")
    _encrypted_pdf(cases[1].path)
    cases[2].path.write_bytes(b"")
    _pixel_bomb_png(cases[3].path)
    _xxe_docx(cases[4].path, scratch / "plain.docx")
    _real_pdf(cases[5].path)
    _zip_archive(cases[6].path)
    _elf_binary(cases[7].path)
    for leftover in scratch.iterdir():
        leftover.unlink()
    scratch.rmdir()
    return cases
