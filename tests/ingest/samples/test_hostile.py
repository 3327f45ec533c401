"""The hostile set really is what each case says it is."""

from __future__ import annotations

import zipfile

import defusedxml.ElementTree as SafeET
import pypdfium2 as pdfium
import pytest
from defusedxml import EntitiesForbidden
from PIL import Image

from ingest.samples.hostile import ARCHIVED, HostileCase, write_hostile_set
from kernel.errors import QuarantineReason


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, HostileCase]:
    out = tmp_path_factory.mktemp("hostile")
    written = write_hostile_set(out)
    assert all(case.path.parent == out / "incoming" for case in written)
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == sorted(
        c.path.name for c in written
    )
    return {case.path.name: case for case in written}


def test_expected_outcomes_are_known_codes(cases: dict[str, HostileCase]) -> None:
    codes = {reason.value for reason in QuarantineReason} | {ARCHIVED}
    assert {case.expected for case in cases.values()} <= codes
    assert {case.expected for case in cases.values()} == {
        "corrupt", "encrypted", "empty", "too_large", "hostile", "archived", "unsupported"
    }  # fmt: skip


def test_truncated_pdf_does_not_open(cases: dict[str, HostileCase]) -> None:
    path = cases["bi-cat-cut.pdf"].path
    assert path.read_bytes().startswith(b"%PDF")
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(str(path))


def test_encrypted_pdf_needs_password(cases: dict[str, HostileCase]) -> None:
    path = cases["co-mat-khau.pdf"].path
    with pytest.raises(pdfium.PdfiumError, match="password"):
        pdfium.PdfDocument(str(path))
    assert len(pdfium.PdfDocument(str(path), password="mat-khau")) == 1


def test_empty_file(cases: dict[str, HostileCase]) -> None:
    assert cases["rong.pdf"].path.stat().st_size == 0


def test_pixel_bomb_is_small_but_over_the_limit(cases: dict[str, HostileCase]) -> None:
    path = cases["anh-qua-lon.png"].path
    assert path.stat().st_size < 200_000
    with pytest.raises(Image.DecompressionBombError):
        Image.open(path)


def test_xxe_docx_is_refused_by_a_safe_parser(cases: dict[str, HostileCase]) -> None:
    path = cases["xxe.docx"].path
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml")
    assert b"<!ENTITY xxe SYSTEM" in xml
    with pytest.raises(EntitiesForbidden):
        SafeET.fromstring(xml)


def test_pdf_named_jpg_is_a_real_pdf(cases: dict[str, HostileCase]) -> None:
    path = cases["thuc-ra-la-pdf.jpg"].path
    document = pdfium.PdfDocument(str(path))
    assert "QĐ-UBND" in document[0].get_textpage().get_text_range()


def test_unsupported_binaries(cases: dict[str, HostileCase]) -> None:
    assert zipfile.is_zipfile(cases["tai-lieu-nen.zip"].path)
    assert cases["chuong-trinh.bin"].path.read_bytes().startswith(b"\x7fELF")
