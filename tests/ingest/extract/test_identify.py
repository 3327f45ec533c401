"""identify(): type by content, never by name."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PIL import Image

from ingest.extract.identify import identify
from kernel.errors import PermanentError, QuarantineReason
from tests.ingest.extract.documents import page_image, write_docx, write_text_pdf


def _image(path: Path, fmt: str) -> Path:
    page_image(["x"], width=64, height=48).save(path, format=fmt)
    return path


@pytest.mark.parametrize(
    ("fmt", "kind", "mime"),
    [("PNG", "png", "image/png"), ("JPEG", "jpeg", "image/jpeg"), ("TIFF", "tiff", "image/tiff")],
)
def test_images_by_content(tmp_path: Path, fmt: str, kind: str, mime: str) -> None:
    detected = identify(_image(tmp_path / "scan.bin", fmt))
    assert (detected.kind, detected.mime) == (kind, mime)


def test_pdf_named_jpg_is_pdf(tmp_path: Path) -> None:
    path = write_text_pdf(tmp_path / "photo.jpg", [["Công văn số 45/UBND-VX"]])
    assert identify(path).kind == "pdf"


def test_docx_by_content(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "letter.pdf", body=["Kính gửi: Sở Nội vụ"])
    assert identify(path).kind == "docx"


@pytest.mark.parametrize(
    "data",
    [
        "Quyết định số 12/QĐ-UBND\nVề việc ...\n".encode(),
        "\ufeffVăn bản có BOM".encode(),
        "Văn bản UTF-16".encode("utf-16"),
    ],
)
def test_text(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "note.docx"
    path.write_bytes(data)
    assert identify(path).kind == "text"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(PermanentError) as caught:
        identify(path)
    assert caught.value.reason is QuarantineReason.EMPTY


def _plain_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return path


def _gif(path: Path) -> Path:
    Image.new("L", (8, 8)).save(path, format="GIF")
    return path


def _elf(path: Path) -> Path:
    path.write_bytes(b"\x7fELF\x02\x01\x01\0" + b"\0" * 56)
    return path


def _binary(path: Path) -> Path:
    path.write_bytes(bytes(range(256)) * 4)
    return path


def _latin1_text(path: Path) -> Path:
    path.write_bytes("Hà Nội, ngày".encode()[:2] + b"\xe9t\xe9 \xe0 Paris" * 10)
    return path


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (_plain_zip, "ZIP archive"),
        (_gif, "GIF image"),
        (_elf, "ELF executable"),
        (_binary, "unknown binary data (not text in UTF-8, UTF-16, Windows-1258, "
                  "Windows-1252, Latin-1)"),
    ],
)
def test_unsupported_names_the_type(tmp_path: Path, make, named: str) -> None:
    path = make(tmp_path / "document.pdf")
    with pytest.raises(PermanentError) as caught:
        identify(path)
    assert caught.value.reason is QuarantineReason.UNSUPPORTED
    assert caught.value.message == f"unsupported type: {named}"


def test_latin1_text_is_text_with_its_charset_named(tmp_path: Path) -> None:
    detected = identify(_latin1_text(tmp_path / "note.txt"))
    assert detected.kind == "text"
    assert detected.mime in ("text/plain; charset=windows-1252",
                             "text/plain; charset=windows-1258",
                             "text/plain; charset=iso-8859-1")


def test_zip_bomb_refused_from_listed_sizes(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/zeros.bin", b"\0" * (30 * 1024 * 1024))
    with pytest.raises(PermanentError) as caught:
        identify(path)
    assert caught.value.reason is QuarantineReason.HOSTILE


def test_broken_zip_is_corrupt(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "cut.docx", body=["Kính gửi"])
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(PermanentError) as caught:
        identify(path)
    assert caught.value.reason is QuarantineReason.CORRUPT
