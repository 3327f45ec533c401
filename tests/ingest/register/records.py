"""Document records for register tests, built the way the ingest builds them.

Kept in a module (not a fixture) so worker processes in the concurrency
tests can build the same records.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from kernel.model import (
    DocumentRecord,
    ExtractedField,
    Registration,
    doc_id_for,
    original_key,
    record_key,
    text_key,
)


def make_record(
    seed: str,
    direction: str = "incoming",
    *,
    folder: str = "",
    received_at: datetime | None = None,
    registration: Registration | None = None,
    **metadata: str | list[str],
) -> DocumentRecord:
    """A record for the (pretend) file whose bytes are ``seed``."""
    sha = hashlib.sha256(seed.encode()).hexdigest()
    doc_id = doc_id_for(sha)
    return DocumentRecord(
        doc_id=doc_id,
        sha256=sha,
        size=len(seed),
        original_name=f"{seed}.pdf",
        direction=direction,  # type: ignore[arg-type]
        folder=folder,
        detected_type="pdf",
        mime="application/pdf",
        page_count=1,
        received_at=received_at or datetime.now(UTC),
        registration=registration,
        metadata={
            name: ExtractedField(value=value, source="text", confidence=0.9)
            for name, value in metadata.items()
        },
        original_key=original_key(sha),
        text_key=text_key(sha),
        record_key=record_key(doc_id),
    )
