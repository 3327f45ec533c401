"""Build ``ExtractedContent`` from text, the way the extractors hand it over."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ingest.extract.base import ExtractedContent, PageContent, TextLine, Word
from kernel.model import FieldSource, PageInfo

RESOURCES = Path(__file__).parent / "resources"


def content_of(
    text: str,
    *,
    source: FieldSource = "text",
    first_zones: dict[str, str] | None = None,
    last_zones: dict[str, str] | None = None,
) -> ExtractedContent:
    """One page per form feed; zones on the first and last page as given."""
    pages = [
        PageContent(PageInfo(number=i, ocr=source == "ocr"), page, source)
        for i, page in enumerate(text.split("\f"), start=1)
    ]
    pages[0].zones.update(first_zones or {})
    pages[-1].zones.update(last_zones or {})
    return ExtractedContent("pdf", "application/pdf", pages)


def ocr_pages(name: str) -> dict[str, dict[str, Any]]:
    """First pages Tesseract returned for real documents, with their zones, kept in
    ``resources/<name>.json``: the describer's input, byte for byte."""
    pages: dict[str, dict[str, Any]] = json.loads(
        (RESOURCES / f"{name}.json").read_text(encoding="utf-8"))
    return pages


def ocr_content(page: dict[str, Any]) -> ExtractedContent:
    """One of ``ocr_pages``' pages as the OCR extractor hands it over."""
    return content_of(page["text"], source="ocr", first_zones=page["zones"])


def ocr_content_of(pages: list[dict[str, Any]]) -> ExtractedContent:
    """Pages as Tesseract returned them (``resources/ocr_subject_pages.json``): text,
    zones, words with their boxes and confidences, lines with their confidences."""
    return ExtractedContent("pdf", "application/pdf", [
        PageContent(
            PageInfo(number=number, ocr=page["source"] == "ocr"), page["text"], page["source"],
            zones=dict(page["zones"]),
            words=[Word(text, x0, y0, x1, y1, confidence)
                   for text, x0, y0, x1, y1, confidence in page["words"]],
            lines=[TextLine(text, confidence) for text, confidence in page["lines"]],
        )
        for number, page in enumerate(pages, start=1)
    ])  # fmt: skip


@pytest.fixture
def resource_text():
    def read(name: str) -> str:
        return (RESOURCES / name).read_text(encoding="utf-8")

    return read
