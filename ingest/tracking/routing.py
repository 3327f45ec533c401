"""Routing at registration: a file from ``incoming/<unit folder>/`` is pre-assigned.

The unit's folder names the lead unit; the deadline is the default one for the
document's urgency, counted from its registration day in the office's time
zone.  The history names ``ROUTER`` as who assigned it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from ingest.tracking.assignments import Assignment, HistoryEntry, assign
from ingest.tracking.setup import TrackingSetup
from kernel.model import DocumentRecord

ROUTER = "docket"  # the history's "who" for an assignment made by the inbox folder


def routed_assignments(records: Iterable[DocumentRecord], setup: TrackingSetup,
                       tz: ZoneInfo) -> list[tuple[Assignment, HistoryEntry]]:
    """The pre-assignments of the registered ``records`` their inbox folder routes."""
    made = []
    for record in records:
        if record.registration is None or record.direction != "incoming":
            continue
        unit = setup.units.route(PurePosixPath("incoming", record.folder or ".",
                                               record.original_name))
        if unit is None:
            continue
        at = record.registration.registered_at.astimezone(tz)
        deadline = setup.default_deadline(at.date(), record.meta("urgency"))
        made.append(assign(record.doc_id, unit.code, deadline, ROUTER, at))
    return made
