"""The describer: Vietnamese official-document metadata from extracted text.

``describe(content)`` returns the fields of ``kernel.model.METADATA_FIELDS``
(and, on a copy, of ``COPY_FIELDS``) it found, each with the source of the
page it came from and a confidence; a field not found is absent.
"""

from __future__ import annotations

from ingest.describe.context import DescribeContext
from ingest.describe.evidence import ocr_lines, read_confidences
from ingest.describe.registry import FIELD_READERS
from ingest.extract.base import ExtractedContent
from kernel.model import METADATA_FIELDS, REVIEW_CONFIDENCE, ExtractedField, FieldSource

# A text layer or a DOCX is read as printed; a file name is a guess.
SOURCE_WEIGHT: dict[FieldSource, float] = {"text": 1.0, "docx": 1.0, "ocr": 1.0, "filename": 0.5}

# The fields that say a document is a copy and which (part of METADATA_FIELDS).
COPY_FIELDS = tuple(name for name in METADATA_FIELDS if name.startswith("copy_"))
DESCRIBED_FIELDS = METADATA_FIELDS

# A field read with at least ``REVIEW_CONFIDENCE`` is taken as read; below it
# (or missing) a clerk checks it (ingest/review.py).  On OCR text a rule's
# confidence holds only where OCR vouches for what it read (see
# ``ocr_weight``); measured on the real-document set (bench/extraction.py
# --real), confident fields must be right >= 99.5% of the time.
#
# Fields whose reading a form or a closed list checks (a number/symbol's
# shape, a valid date, a type name, a body whose place the gazetteer spells
# as read) keep their rule's confidence when every word they were read from
# read at SURE_OCR_WORD or more.  A signer's name or a subject is free text: OCR
# misreads a tone mark there at any word confidence (Thụ read Thu at 96,
# vi read vỉ at 94, on 300 dpi scans), so no word confidence vouches for it.
VOUCHED_FIELDS = frozenset(("number_symbol", "issue_date", "doc_type", "issuing_body"))
SURE_OCR_WORD = 90.0
# A date's day and month are checked by the calendar alone (any day to 28, any
# month to 12 makes a date): a digit misread there stays a valid date, so its
# digits must read a point surer (a fax read "tháng 09" as 08 at 90.7; of the
# confident dates of the real set, 5 read their digits at 90-91, that one wrong).
SURE_DATE_DIGIT = 91.0
# An OCR field nothing vouches for: weighed so that no rule lifts it to
# REVIEW_CONFIDENCE (0.97 x 0.7 < 0.7); a checked field the less, the less
# sure its words.
UNSURE_OCR_WEIGHT = 0.7

__all__ = [
    "COPY_FIELDS",
    "DESCRIBED_FIELDS",
    "REVIEW_CONFIDENCE",
    "SURE_DATE_DIGIT",
    "SURE_OCR_WORD",
    "describe",
    "needs_review",
    "ocr_weight",
]


def needs_review(found: ExtractedField | None) -> bool:
    """Whether a clerk should check a field: missing, or read below ``REVIEW_CONFIDENCE``."""
    return found is None or found.confidence < REVIEW_CONFIDENCE


def ocr_weight(words: list[float]) -> float:
    """What OCR's reading is worth to a checked field read from words of these confidences.

    No words: no OCR line holds the value as read (a rule repaired or
    completed it), and nothing vouches for it.
    """
    if words and min(words) >= SURE_OCR_WORD:
        return 1.0
    return UNSURE_OCR_WEIGHT * (min(words) / 100 if words else 1.0)


def describe(content: ExtractedContent) -> dict[str, ExtractedField]:
    """Read the metadata fields of one document from its extracted text."""
    ctx = DescribeContext(content)
    for read_fields in FIELD_READERS:
        for name, found in read_fields(ctx).items():
            if name in DESCRIBED_FIELDS and name not in ctx.found:
                ctx.found[name] = found
    result: dict[str, ExtractedField] = {}
    lines = ocr_lines(content)
    for name in DESCRIBED_FIELDS:
        if name not in ctx.found:
            continue
        found = ctx.found[name]
        source = ctx.source(found.region)
        weight = SOURCE_WEIGHT[source]
        if source == "ocr" and name in VOUCHED_FIELDS and found.listed:
            # The head's fields come from the first page; the tail's from any.
            pages = range(1) if found.region == "head" else range(len(content.pages))
            value = _as_text(found.value)
            weight *= ocr_weight(read_confidences(lines, name, value, pages))
            if name == "issue_date" and min(read_confidences(
                    lines, name, value, pages, digits=True), default=100.0) < SURE_DATE_DIGIT:
                weight = min(weight, UNSURE_OCR_WEIGHT)
        elif source == "ocr":
            weight *= UNSURE_OCR_WEIGHT
        confidence = max(0.0, min(1.0, found.confidence * weight))
        result[name] = ExtractedField(
            value=found.value, source=source, confidence=round(confidence, 3)
        )
    return result


def _as_text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else " ".join(value)
