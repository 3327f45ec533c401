"""Filters as FTS5 tags: the date-range cover and the expressions built from filters."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from search.model import SearchFilters
from search.sqlite_tags import (
    DateBounds,
    MatchesNothing,
    _date_cover,
    filter_expression,
    restrict,
    secrecy_tag,
)

HELD = (date(2023, 11, 20), date(2026, 2, 3))


def _days(tags: list[str]) -> set[date]:
    """Every day the cover's tags stand for."""
    days: set[date] = set()
    for tag in tags:
        level, digits = tag[2], tag[3:]
        if level == "y":
            first, last = date(int(digits), 1, 1), date(int(digits), 12, 31)
        elif level == "m":
            first = date(int(digits[:4]), int(digits[4:]), 1)
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        else:
            first = last = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return days


def test_date_cover_is_exact_and_small() -> None:
    rng = random.Random(3)
    span = (HELD[1] - HELD[0]).days
    for _ in range(300):
        low = HELD[0] + timedelta(days=rng.randrange(-400, span + 400))
        high = low + timedelta(days=rng.randrange(0, 1200))
        wanted = {
            HELD[0] + timedelta(days=n)
            for n in range(span + 1)
            if low <= HELD[0] + timedelta(days=n) <= high
        }
        if not wanted:
            with pytest.raises(MatchesNothing):
                _date_cover("i", low, high, HELD)
            continue
        tags = _date_cover("i", low, high, HELD)
        assert len(tags) == len(set(tags)) <= 90
        covered = _days(tags)
        assert wanted <= covered
        assert not {d for d in covered - wanted if HELD[0] <= d <= HELD[1]}


def test_open_ended_ranges_stop_at_the_dates_held() -> None:
    assert _days(_date_cover("e", None, None, HELD)) >= {HELD[0], HELD[1]}
    assert min(_days(_date_cover("e", None, date(2024, 1, 1), HELD))) >= HELD[0] - timedelta(30)
    with pytest.raises(MatchesNothing):
        _date_cover("e", date(2020, 1, 1), None, None)  # an empty index holds no date


def test_secrecy_is_always_applied() -> None:
    bounds = DateBounds(issued=None, received=None)
    assert filter_expression(SearchFilters(), bounds) is None
    assert filter_expression(SearchFilters(max_secrecy=0), bounds) == f'"{secrecy_tag(0)}"'
    narrowed = restrict('"lut"', SearchFilters(max_secrecy=1, language="vi"), bounds)
    assert narrowed.endswith(f'NOT ("{secrecy_tag(2)}" OR "{secrecy_tag(3)}")')
    assert restrict('"lut"', SearchFilters(), bounds) == '"lut"'
    with pytest.raises(MatchesNothing):
        restrict('"lut"', SearchFilters(max_secrecy=-1), bounds)
