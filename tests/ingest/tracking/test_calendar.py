"""The working-day calendar: the announced 2025 and 2026 schedules, and its data file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingest.tracking.calendar import (
    add_working_days,
    is_working_day,
    load_calendar,
    packaged_calendar,
    parse_calendar,
    uncovered_years,
    working_days_between,
)
from kernel.errors import ConfigError


@pytest.mark.parametrize("day", [
    date(2025, 1, 1), date(2025, 1, 27), date(2025, 1, 31), date(2025, 4, 7),
    date(2025, 5, 2), date(2025, 9, 1), date(2026, 1, 2), date(2026, 2, 16),
    date(2026, 2, 20), date(2026, 4, 27), date(2026, 8, 31), date(2026, 9, 1),
    date(2026, 9, 2), date(2026, 2, 14), date(2026, 12, 6),
])
def test_announced_days_off_and_weekends_are_not_working_days(day: date) -> None:
    assert not is_working_day(day)


@pytest.mark.parametrize("day", [
    date(2025, 4, 26), date(2026, 1, 10), date(2026, 8, 22),  # make-up Saturdays
    date(2025, 2, 3), date(2026, 2, 23), date(2026, 4, 28), date(2026, 9, 3),
])
def test_make_up_saturdays_and_ordinary_weekdays_are_working_days(day: date) -> None:
    assert is_working_day(day)


def test_a_deadline_runs_across_tet() -> None:
    # Registered Thursday 12/02/2026: Friday 13/02 is day 1, then nine days of Tết.
    assert add_working_days(date(2026, 2, 12), 1) == date(2026, 2, 13)
    assert add_working_days(date(2026, 2, 12), 2) == date(2026, 2, 23)
    assert add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 26)
    assert working_days_between(date(2026, 2, 12), date(2026, 2, 26)) == 5


def test_a_make_up_saturday_counts_and_the_swapped_friday_does_not() -> None:
    # Wednesday 31/12/2025 + 1: Thursday 1/1 and Friday 2/1 are off, the next
    # working day is Monday 5/1; the Saturday 10/1 is a working day.
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 5)
    assert add_working_days(date(2026, 1, 9), 1) == date(2026, 1, 10)
    assert add_working_days(date(2026, 1, 9), 2) == date(2026, 1, 12)
    # 30/4 - 4/5/2025 off, worked on Saturday 26/4 instead of Friday 2/5.
    assert add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 26)
    assert add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 5)


def test_the_registration_day_never_counts_and_zero_days_is_the_same_day() -> None:
    saturday = date(2026, 12, 5)
    assert add_working_days(saturday, 0) == saturday
    assert add_working_days(saturday, 1) == date(2026, 12, 7)
    assert add_working_days(date(2026, 12, 7), 1) == date(2026, 12, 8)
    with pytest.raises(ValueError):
        add_working_days(saturday, -1)


def test_working_days_between_is_the_inverse_of_adding() -> None:
    start = date(2025, 12, 15)
    for n in range(0, 60, 7):
        assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(date(2026, 2, 26), date(2026, 2, 12)) == -5
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0


def test_a_year_without_a_schedule_keeps_weekends_and_the_fixed_holidays() -> None:
    calendar = packaged_calendar()
    assert calendar.covers(2025) and calendar.covers(2026) and not calendar.covers(2027)
    assert not calendar.is_working_day(date(2027, 1, 1))
    assert not calendar.is_working_day(date(2027, 4, 30))
    assert calendar.is_working_day(date(2027, 1, 4))
    assert uncovered_years(calendar, [date(2026, 12, 31), date(2027, 1, 4)]) == [2027]


def test_an_admin_file_overrides_the_packaged_one(tmp_path: Path) -> None:
    path = tmp_path / "ngay-nghi.toml"
    path.write_text(
        '[[year]]\nyear = 2027\nsource = "test"\n'
        'days_off = [ { from = 2027-02-04, to = 2027-02-12, name = "Tết Đinh Mùi" } ]\n'
        "working_saturdays = []\n", encoding="utf-8")
    calendar = load_calendar(path)
    assert calendar.covers(2027) and not calendar.covers(2026)
    assert calendar.day_off_name(date(2027, 2, 8)) == "Tết Đinh Mùi"
    assert add_working_days(date(2027, 2, 3), 1, calendar) == date(2027, 2, 15)


@pytest.mark.parametrize(("text", "line", "words"), [
    ('[[year]]\nyear = 2026\n\ndays_off = [\n  { date = 2026-02-14, name = "x" },\n]\n',
     5, "weekend"),
    ('[[year]]\nyear = 2026\n[[year]]\nyear = 2026\n', 3, "listed twice"),
    ('[[year]]\nyear = 2026\ndays_off = [ { date = 2025-02-16, name = "x" } ]\n',
     3, "not in the year 2026"),
    ('[[year]]\nyear = 2026\ndays_off = [\n { date = "2026-02-16", name = "x" },\n]\n',
     4, "not a date"),
    ('[[year]]\nyear = 2026\ndays_off = []\nworking_saturdays = [\n'
     '  { date = 2026-01-09, name = "x" },\n]\n', 5, "weekday"),
    ('[[year]]\nyear = 2026\ndays_off = []\nworking_saturdays = [\n'
     '  { date = 2026-01-10, instead_of = 2026-01-02 },\n]\n', 5, "not listed in days_off"),
    ('[[year]]\nyear = 2026\ndays_off = [\n  { from = 2026-02-20, to = 2026-02-16 },\n]\n',
     4, "before"),
    ('[[year]]\nyear = 2026\ndays_off = [ { date = 2026-02-16 ]\n', 3, "line 3"),
])
def test_a_wrong_data_file_is_refused_naming_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_calendar(text, "ngay-nghi.toml")
    assert caught.value.message.startswith("ngay-nghi.toml")
    assert f"line {line}" in caught.value.message and words in caught.value.message


def test_a_missing_admin_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the holiday calendar"):
        load_calendar(tmp_path / "none.toml")
