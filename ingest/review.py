"""Which documents a clerk must check: the review rule, in one place.

A document needs review when one of its key fields (the ones the register book
prints and the search relies on) is missing, or was read with a confidence
below ``REVIEW_CONFIDENCE``, and no person has corrected or confirmed that
field since.  The register keeps the answer on each document's row (updated on
registration, correction and ``docket reindex``), so the review queue is one
indexed query, never a walk over the records.
"""

from __future__ import annotations

from kernel.model import DocumentRecord, FieldCorrection
from kernel.settings import REVIEW_CONFIDENCE as REVIEW_CONFIDENCE

# Key fields, in the order the review queue and the correction form show them.
KEY_FIELDS: tuple[str, ...] = (
    "number_symbol",
    "issue_date",
    "doc_type",
    "issuing_body",
    "signer_name",
    "subject",
)


def latest_correction(record: DocumentRecord, name: str) -> FieldCorrection | None:
    """The last correction or confirmation of field ``name``, or None."""
    for correction in reversed(record.corrections):
        if correction.field == name:
            return correction
    return None


def current_value(record: DocumentRecord, name: str) -> str | None:
    field = record.metadata.get(name)
    if field is None:
        return None
    return field.value if isinstance(field.value, str) else "; ".join(field.value)


def review_fields(
    record: DocumentRecord, threshold: float = REVIEW_CONFIDENCE
) -> dict[str, float | None]:
    """Key fields of ``record`` a person should check: name -> confidence (None: missing).

    A field a person corrected or confirmed is settled as long as its value is
    still the one they left.
    """
    doubtful: dict[str, float | None] = {}
    for name in KEY_FIELDS:
        field = record.metadata.get(name)
        if field is not None and field.confidence >= threshold:
            continue
        settled = latest_correction(record, name)
        if settled is not None and settled.new_value == current_value(record, name):
            continue
        doubtful[name] = None if field is None else field.confidence
    return doubtful
