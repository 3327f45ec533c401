"""Default deadlines by urgency mark, counted in working days."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.tracking.deadlines import TrackingPolicy, default_deadline
from kernel.errors import ConfigError

THURSDAY_BEFORE_TET = date(2026, 2, 12)


@pytest.mark.parametrize(("urgency", "deadline"), [
    ("HỎA TỐC", THURSDAY_BEFORE_TET),
    ("Hoả tốc", THURSDAY_BEFORE_TET),  # old-style tone placement, lower case
    ("THƯỢNG KHẨN", date(2026, 2, 13)),
    ("KHẨN", date(2026, 2, 24)),
    (None, date(2026, 3, 5)),
    ("", date(2026, 3, 5)),
])
def test_urgency_shortens_the_default_deadline(urgency: str | None, deadline: date) -> None:
    assert default_deadline(THURSDAY_BEFORE_TET, urgency) == deadline


def test_the_policy_sets_the_days() -> None:
    policy = TrackingPolicy(ordinary_days=5, urgent_days=2, top_urgent_days=0)
    assert default_deadline(THURSDAY_BEFORE_TET, "THƯỢNG KHẨN", policy) == THURSDAY_BEFORE_TET
    assert default_deadline(THURSDAY_BEFORE_TET, "KHẨN", policy) == date(2026, 2, 23)
    assert default_deadline(THURSDAY_BEFORE_TET, None, policy) == date(2026, 2, 26)
    assert default_deadline(date(2026, 12, 5), "HỎA TỐC", policy) == date(2026, 12, 5)


@pytest.mark.parametrize("days", [
    {"ordinary_days": -1},
    {"urgent_days": 20},
    {"top_urgent_days": 5, "urgent_days": 3},
])
def test_a_policy_that_makes_no_sense_is_refused(days: dict[str, int]) -> None:
    with pytest.raises(ConfigError):
        TrackingPolicy(**days)
