"""The describer: Vietnamese official-document metadata from extracted text.

``describe(content)`` returns the fields of ``kernel.model.METADATA_FIELDS``
(and, on a copy, of ``COPY_FIELDS``) it found, each with the source of the
page it came from and a confidence; a field not found is absent.
"""

from __future__ import annotations

from ingest.describe.context import DescribeContext
from ingest.describe.registry import FIELD_READERS
from ingest.extract.base import ExtractedContent
from kernel.model import METADATA_FIELDS, ExtractedField, FieldSource

# OCR text is less sure than a text layer or a DOCX, whatever the rule.
SOURCE_WEIGHT: dict[FieldSource, float] = {"text": 1.0, "docx": 1.0, "ocr": 0.85, "filename": 0.5}

# The fields that say a document is a copy and which (part of METADATA_FIELDS).
COPY_FIELDS = tuple(name for name in METADATA_FIELDS if name.startswith("copy_"))
DESCRIBED_FIELDS = METADATA_FIELDS

# A field read with at least this confidence is taken as read; below it (or
# missing) a clerk should check it.  Measured on the real-document set
# (bench/extraction.py --real): confident fields must be right >= 99.5%.
# Every field read by OCR weighs in under it (0.85 x at most 0.97): OCR
# misreads a digit or a mark in ways no rule of the text can see (561 read
# 961, TIỀN read TIÊN), so a scanned document's fields are all checked.
REVIEW_THRESHOLD = 0.83

__all__ = ["COPY_FIELDS", "DESCRIBED_FIELDS", "REVIEW_THRESHOLD", "describe", "needs_review"]


def needs_review(found: ExtractedField | None) -> bool:
    """Whether a clerk should check a field: missing, or read below ``REVIEW_THRESHOLD``."""
    return found is None or found.confidence < REVIEW_THRESHOLD


def describe(content: ExtractedContent) -> dict[str, ExtractedField]:
    """Read the metadata fields of one document from its extracted text."""
    ctx = DescribeContext(content)
    for read_fields in FIELD_READERS:
        for name, found in read_fields(ctx).items():
            if name in DESCRIBED_FIELDS and name not in ctx.found:
                ctx.found[name] = found
    result: dict[str, ExtractedField] = {}
    for name in DESCRIBED_FIELDS:
        if name not in ctx.found:
            continue
        found = ctx.found[name]
        source = ctx.source(found.region)
        confidence = max(0.0, min(1.0, found.confidence * SOURCE_WEIGHT[source]))
        result[name] = ExtractedField(
            value=found.value, source=source, confidence=round(confidence, 3)
        )
    return result
