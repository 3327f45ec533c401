"""The Vietnamese working-day calendar of state bodies, and deadline arithmetic.

Saturdays and Sundays are days off; so are the public holidays and the days
the government announces each year (Tết, swapped days); some Saturdays become
make-up working days.  The announced schedule lives in a data file
(``holidays.toml`` beside this module, or a file an admin keeps), one
``[[year]]`` table per year.  A year the file does not cover counts weekends
and the four fixed solar holidays of the Labour Code (art. 112) only, and
``covers(year)`` says so, so a caller can warn.

Counting follows the Civil Code 2015, art. 147-148: a period of N days does not
count the day of the event (registration) and starts on the next day.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from kernel.errors import ConfigError

DATA_FILE = "holidays.toml"
# Labour Code 2019, art. 112: the solar-calendar holidays, known for any year.
FIXED_HOLIDAYS = ((1, 1), (4, 30), (5, 1), (9, 2))
SATURDAY = 5
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class YearSchedule:
    """One year's announced days off and make-up working days."""

    year: int
    source: str
    days_off: Mapping[date, str]
    working_days: Mapping[date, str]


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days; built by ``load_calendar``."""

    years: Mapping[int, YearSchedule] = field(default_factory=dict)
    origin: str = "(empty)"

    def covers(self, year: int) -> bool:
        """True when the data file holds the government's schedule for ``year``."""
        return year in self.years

    def day_off_name(self, day: date) -> str | None:
        """Why ``day`` is not a working day (holiday name, "weekend"), or None."""
        schedule = self.years.get(day.year)
        if schedule is not None:
            if day in schedule.working_days:
                return None
            if day in schedule.days_off:
                return schedule.days_off[day]
        elif (day.month, day.day) in FIXED_HOLIDAYS:
            return "holiday (Labour Code art. 112)"
        return "weekend" if day.weekday() >= SATURDAY else None

    def is_working_day(self, day: date) -> bool:
        """True when state bodies work on ``day``."""
        return self.day_off_name(day) is None

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += _DAY
        return day

    def add_working_days(self, start: date, n: int) -> date:
        """The deadline of "N working days" counted from ``start`` (a registration date).

        ``start`` itself never counts (Civil Code art. 147): the first working
        day after it is day 1, and the N-th working day is the deadline.  With
        ``n == 0`` the deadline is ``start`` itself (same day), even on a day off.
        """
        if n < 0:
            raise ValueError(f"a number of working days cannot be negative: {n}")
        day = start
        for _ in range(n):
            day = self.next_working_day(day + _DAY)
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """The working days ``d`` with ``a < d <= b``; negative when ``b`` is before ``a``.

        The inverse of ``add_working_days``: ``working_days_between(s,
        add_working_days(s, n)) == n``; ``working_days_between(deadline, today)``
        is how many working days late ``today`` is.
        """
        if b < a:
            return -self.working_days_between(b, a)
        count, day = 0, a + _DAY
        while day <= b:
            count += self.is_working_day(day)
            day += _DAY
        return count


def _line_of(text: str, needle: str, after: int = 0) -> int:
    """The 1-based line number of ``needle`` in ``text`` at or after line ``after``."""
    lines = text.splitlines()
    for number in range(max(after, 1), len(lines) + 1):
        if needle in lines[number - 1]:
            return number
    return after or 1


class _Reader:
    """Validates the parsed data file; errors name the file and the line."""

    def __init__(self, text: str, origin: str) -> None:
        self.text = text
        self.origin = origin
        self.headers = [i + 1 for i, line in enumerate(text.splitlines())
                        if re.match(r"\s*\[\[\s*year\s*\]\]", line)]

    def fail(self, message: str, index: int | None = None, needle: str = "") -> ConfigError:
        start = self.headers[index] if index is not None and index < len(self.headers) else 1
        line = _line_of(self.text, needle, start) if needle else start
        return ConfigError(f"{self.origin}, line {line}: {message}")

    def days(self, entry: Mapping[str, Any], index: int, year: int) -> list[date]:
        if "date" in entry:
            first = last = entry["date"]
        elif "from" in entry and "to" in entry:
            first, last = entry["from"], entry["to"]
        else:
            raise self.fail("an entry needs `date`, or `from` and `to`", index,
                            str(entry.get("name", "")) or "{")
        for value in (first, last):
            if not isinstance(value, date):
                raise self.fail(f"not a date (write 2026-02-16, no quotes): {value!r}",
                                index, str(value))
            if value.year != year:
                raise self.fail(f"{value.isoformat()} is not in the year {year}",
                                index, value.isoformat())
        if last < first:
            raise self.fail(f"`to` {last.isoformat()} is before `from` {first.isoformat()}",
                            index, last.isoformat())
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def entries(self, table: Mapping[str, Any], key: str, index: int) -> list[Mapping[str, Any]]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
            raise self.fail(f"`{key}` must be a list of {{ date = ..., name = ... }}",
                            index, key)
        return value

    def schedule(self, table: Mapping[str, Any], index: int) -> YearSchedule:
        year = table.get("year")
        if not isinstance(year, int) or not 1945 <= year <= 2200:
            raise self.fail(f"`year` must be a year such as 2026, not {year!r}", index)
        days_off: dict[date, str] = {}
        for entry in self.entries(table, "days_off", index):
            days = self.days(entry, index, year)
            # A single weekend date is a typo; a range (Tết) may span a weekend.
            if "date" in entry and days[0].weekday() >= SATURDAY:
                raise self.fail(f"{days[0].isoformat()} is a weekend day, already off",
                                index, days[0].isoformat())
            days_off.update(dict.fromkeys(days, str(entry.get("name", ""))))
        working: dict[date, str] = {}
        for entry in self.entries(table, "working_saturdays", index):
            for day in self.days(entry, index, year):
                if day.weekday() < SATURDAY:
                    raise self.fail(f"{day.isoformat()} is a weekday, not a make-up "
                                    "weekend day", index, day.isoformat())
                working[day] = str(entry.get("name", ""))
            swapped = entry.get("instead_of")
            if swapped is not None and swapped not in days_off:
                raise self.fail(f"instead_of {swapped} is not listed in days_off",
                                index, f"instead_of = {swapped}")
        return YearSchedule(year, str(table.get("source", "")), days_off, working)


def parse_calendar(text: str, origin: str = DATA_FILE) -> WorkingCalendar:
    """A calendar from the text of a data file; ``ConfigError`` naming the line if wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: {exc}") from exc
    reader = _Reader(text, origin)
    tables = data.get("year", [])
    if not isinstance(tables, list):
        raise reader.fail("use [[year]] tables, one per year")
    years: dict[int, YearSchedule] = {}
    for index, table in enumerate(tables):
        schedule = reader.schedule(table, index)
        if schedule.year in years:
            raise reader.fail(f"the year {schedule.year} is listed twice", index)
        years[schedule.year] = schedule
    return WorkingCalendar(years, origin)


@lru_cache(maxsize=1)
def packaged_calendar() -> WorkingCalendar:
    """The calendar shipped with Docket (``ingest/tracking/holidays.toml``)."""
    text = files("ingest.tracking").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_calendar(text, DATA_FILE)


def load_calendar(path: Path | None = None) -> WorkingCalendar:
    """The admin's data file at ``path``, or the packaged one when ``path`` is None."""
    if path is None:
        return packaged_calendar()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the holiday calendar {path}: {exc}") from exc
    return parse_calendar(text, str(path))


def uncovered_years(calendar: WorkingCalendar, days: Iterable[date]) -> list[int]:
    """The years among ``days`` the calendar has no announced schedule for."""
    return sorted({d.year for d in days if not calendar.covers(d.year)})


def is_working_day(day: date, calendar: WorkingCalendar | None = None) -> bool:
    """True when state bodies work on ``day`` (the packaged calendar by default)."""
    return (calendar or packaged_calendar()).is_working_day(day)


def add_working_days(start: date, n: int, calendar: WorkingCalendar | None = None) -> date:
    """The deadline of N working days after ``start``; see ``WorkingCalendar``."""
    return (calendar or packaged_calendar()).add_working_days(start, n)


def working_days_between(a: date, b: date, calendar: WorkingCalendar | None = None) -> int:
    """Working days in ``(a, b]``; see ``WorkingCalendar.working_days_between``."""
    return (calendar or packaged_calendar()).working_days_between(a, b)
