"""Default handling deadlines by urgency mark, in working days.

HỎA TỐC (flash) is handled the day it is registered; THƯỢNG KHẨN (top
urgent), KHẨN (urgent) and ordinary documents get a number of working days
from ``TrackingPolicy``.  The policy is passed in; ``policy_of(settings)``
builds it from the ``tracking_*`` settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ingest.tracking.calendar import WorkingCalendar, packaged_calendar
from kernel.errors import ConfigError
from kernel.settings import Settings
from kernel.text import normalize_text

FLASH = "HỎA TỐC"
TOP_URGENT = "THƯỢNG KHẨN"
URGENT = "KHẨN"


@dataclass(frozen=True)
class TrackingPolicy:
    """How many working days each urgency gets, and what "due soon" means.

    Built from the settings ``tracking_days_ordinary``, ``tracking_days_urgent``,
    ``tracking_days_top_urgent`` and ``tracking_due_soon_days`` by ``policy_of``.
    """

    ordinary_days: int = 10
    urgent_days: int = 3  # KHẨN
    top_urgent_days: int = 1  # THƯỢNG KHẨN
    due_soon_days: int = 2  # the digest warns this many working days ahead

    def __post_init__(self) -> None:
        days = (self.ordinary_days, self.urgent_days, self.top_urgent_days, self.due_soon_days)
        if any(not isinstance(n, int) or n < 0 for n in days):
            raise ConfigError(f"tracking days must be whole numbers of 0 or more: {days}")
        if not self.top_urgent_days <= self.urgent_days <= self.ordinary_days:
            raise ConfigError(
                "tracking days must shorten with urgency: THƯỢNG KHẨN "
                f"({self.top_urgent_days}) <= KHẨN ({self.urgent_days}) <= ordinary "
                f"({self.ordinary_days})")

    def days_for(self, urgency: str | None) -> int:
        """Working days allowed for a document marked ``urgency`` (None: ordinary)."""
        mark = " ".join(normalize_text(urgency or "").upper().split())  # "HOẢ" too
        if mark == FLASH:
            return 0
        if mark == TOP_URGENT:
            return self.top_urgent_days
        if mark == URGENT:
            return self.urgent_days
        return self.ordinary_days


def policy_of(settings: Settings) -> TrackingPolicy:
    """The policy the ``tracking_*`` settings describe (``ConfigError`` if they do not shorten
    with urgency)."""
    return TrackingPolicy(ordinary_days=settings.tracking_days_ordinary,
                          urgent_days=settings.tracking_days_urgent,
                          top_urgent_days=settings.tracking_days_top_urgent,
                          due_soon_days=settings.tracking_due_soon_days)


def default_deadline(registered: date, urgency: str | None,
                     policy: TrackingPolicy | None = None,
                     calendar: WorkingCalendar | None = None) -> date:
    """The handling deadline of a document registered on ``registered``.

    HỎA TỐC: the registration day itself.  Otherwise the N-th working day after
    it (the registration day does not count; see ``WorkingCalendar``).
    """
    days = (policy or TrackingPolicy()).days_for(urgency)
    return (calendar or packaged_calendar()).add_working_days(registered, days)
