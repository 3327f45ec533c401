"""Document tracking for the demo: units for the samples' folders, one overdue, one handled.

The samples drop incoming documents into ``incoming/phong-hanh-chinh/``,
``incoming/phong-kinh-te/`` and ``incoming/phong-noi-vu/`` (and some straight
into ``incoming/``).  ``DEMO_UNITS`` configures a unit for each of those
folders (the demo passes them as ``DOCKET_TRACKING_UNITS``), so the ingest
routes those documents to their units with the default deadline.
``stage_demo_tracking`` then does what a clerk and a unit would, through the
tracking service: assigns one unrouted document with a deadline a few
working days back (so it is overdue today) and marks one routed document
handled.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.audit import AuditLog
from ingest.backends import Backends
from ingest.register.tracking import TrackedAssignment
from ingest.tracking.calendar import WorkingCalendar
from ingest.tracking.routing import ROUTER
from ingest.tracking.setup import TrackingSetup
from ingest.tracking_service import Actor, assign_document, mark_handled

DEMO_UNITS = [
    {"code": "phong-hanh-chinh", "name": "Phòng Hành chính", "members": ["lan.nguyen"]},
    {"code": "phong-kinh-te", "name": "Phòng Kinh tế", "members": ["minh.tran"]},
    {"code": "phong-noi-vu", "name": "Phòng Nội vụ", "members": ["hoa.le"]},
]
CLERK = Actor("van.thu", max_secrecy=0)
DAYS_LATE = 3


def demo_units_json() -> str:
    """``DEMO_UNITS`` as ``DOCKET_TRACKING_UNITS`` takes them."""
    return json.dumps(DEMO_UNITS, ensure_ascii=False)


@dataclass(frozen=True)
class DemoTracking:
    """What the demo did: documents routed per unit, the overdue one, the handled one."""

    routed: dict[str, int]
    overdue: TrackedAssignment | None
    handled: TrackedAssignment | None


def working_days_before(calendar: WorkingCalendar, day: date, n: int) -> date:
    """The ``n``-th working day before ``day``."""
    while n > 0:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            n -= 1
    return day


def stage_demo_tracking(backends: Backends, setup: TrackingSetup, today: date) -> DemoTracking:
    """Count the routed documents, mark the first routed one handled and assign the first
    unassigned incoming document to a unit with a deadline ``DAYS_LATE`` working days
    before ``today``."""
    register = backends.register
    audit = AuditLog(register.engine)
    audit.create_schema()
    routed = [t for t in register.assignments_registered(today.year, max_secrecy=0)
              if t.assigned_by == ROUTER]
    handled = None
    waiting = [t.assignment for t in routed if t.assignment.status.is_open]
    if waiting:
        handled = mark_handled(backends, audit, setup, waiting[0].doc_id, waiting[0].unit,
                               CLERK, "Đã báo cáo lãnh đạo, lưu hồ sơ")
    overdue = None
    unit = setup.units.units[-1].code if setup.units.units else None
    for row in register.register_book(today.year, "incoming"):
        if unit is None or register.assignments_of(row.doc_id, max_secrecy=0):
            continue
        deadline = working_days_before(setup.calendar, today, DAYS_LATE)
        [overdue] = assign_document(backends, audit, setup, row.doc_id, unit, CLERK,
                                    deadline=deadline,
                                    instruction="Tham mưu văn bản trả lời")
        break
    counts = Counter(t.assignment.unit for t in routed)
    return DemoTracking(dict(sorted(counts.items())), overdue, handled)
