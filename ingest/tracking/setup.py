"""What the ``tracking_*`` settings configure, built once: policy, calendar and units."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ingest.tracking.calendar import WorkingCalendar, load_calendar, packaged_calendar
from ingest.tracking.deadlines import TrackingPolicy, default_deadline, policy_of
from ingest.tracking.units import Unit, UnitDirectory, units_of
from kernel.settings import Settings


@dataclass(frozen=True)
class TrackingSetup:
    """The office's deadline policy, working-day calendar and units."""

    policy: TrackingPolicy = TrackingPolicy()
    calendar: WorkingCalendar = field(default_factory=packaged_calendar)
    units: UnitDirectory = UnitDirectory()

    def default_deadline(self, registered: date, urgency: str | None) -> date:
        """The handling deadline of a document registered on ``registered``."""
        return default_deadline(registered, urgency, self.policy, self.calendar)

    def unit(self, code: str) -> Unit | None:
        return self.units.get(code)


def tracking_setup(settings: Settings) -> TrackingSetup:
    """The setup ``settings`` describe; ``ConfigError`` names what is wrong."""
    return TrackingSetup(policy_of(settings), load_calendar(settings.tracking_holidays_file),
                         units_of(settings))
