"""The registry of formats: one entry per kind, each naming a reader that loads."""

from __future__ import annotations

import inspect

import pytest

from ingest.extract.formats import FORMATS, extractor_modules, format_of, preview_style
from ingest.extract.kinds import FileKind, PreviewStyle, file_kind


def test_one_entry_per_kind() -> None:
    assert sorted(entry.kind for entry in FORMATS) == sorted(FileKind)


@pytest.mark.parametrize("kind", list(FileKind))
def test_every_kind_names_an_extractor_that_loads(kind: FileKind) -> None:
    entry = format_of(kind)
    parameters = list(inspect.signature(entry.extractor().extract).parameters)
    assert parameters == ["path", "detected", "limits", "ocr"]
    assert entry.extractor() is entry.extractor()  # built once
    assert entry.signatures or entry.zip_part or entry.sniff, "no way to recognise it"


def test_kinds_are_the_strings_the_register_stores() -> None:
    assert FileKind.PDF == "pdf" and file_kind("tiff") is FileKind.TIFF
    assert file_kind("wordperfect") is None


def test_preview_styles() -> None:
    assert [preview_style(kind) for kind in ("pdf", "tiff", "png", "docx", "text")] == [
        PreviewStyle.VIEWER, PreviewStyle.PAGES, PreviewStyle.IMAGE, PreviewStyle.TEXT,
        PreviewStyle.TEXT]
    assert preview_style("") is PreviewStyle.TEXT


def test_workers_preload_every_extractor_module_once() -> None:
    modules = extractor_modules()
    assert len(modules) == len(set(modules)) == 4
    assert all(module.startswith("ingest.extract.") for module in modules)
