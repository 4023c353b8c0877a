"""Schedule arithmetic: parsing, due times, periods, and the DST edges, without a clock."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import InvalidInput
from bot.core.schedules import Timing, days_text, nonce, parse_days, parse_time, period_key

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon", {0}),
        ("mon,wed,fri", {0, 2, 4}),
        ("Monday, Friday", {0, 4}),
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("sat-mon", {5, 6, 0}),
        ("daily", set(range(7))),
    ],
)
def test_days_parse(text: str, expected: set[int]) -> None:
    assert parse_days(text) == expected


@pytest.mark.parametrize("text", ["", "funday", "mo", "mon,,xyz", "1,2"])
def test_bad_days_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_days(text)


@pytest.mark.parametrize("text", ["24:00", "9am", "12:60", "", "1230"])
def test_bad_times_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_time(text)


def test_times_and_day_names_round_trip() -> None:
    assert parse_time(" 9:05 ") == time(9, 5)
    assert days_text(parse_days("fri,mon")) == "mon,fri"
    assert days_text(parse_days("daily")) == "every day"


def test_latest_and_next_due_around_the_minute() -> None:
    timing = Timing(frozenset({0}), time(9, 0), ZoneInfo("UTC"))
    monday_nine = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert timing.latest_due(monday_nine - timedelta(minutes=1)) == monday_nine - timedelta(days=7)
    assert timing.latest_due(monday_nine) == monday_nine
    assert timing.latest_due(monday_nine, after=monday_nine - timedelta(hours=1)) == monday_nine
    assert timing.latest_due(monday_nine, after=monday_nine) is None
    assert timing.next_due(monday_nine) == monday_nine + timedelta(days=7)


def test_spring_forward_time_that_does_not_exist_posts_once_after_the_gap() -> None:
    timing = Timing(frozenset(range(7)), time(2, 30), NEW_YORK)
    moment = timing.occurrence(datetime(2026, 3, 8).date())  # noqa: DTZ001
    assert moment == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT


def test_fall_back_time_that_happens_twice_posts_at_the_first() -> None:
    timing = Timing(frozenset(range(7)), time(1, 30), NEW_YORK)
    moment = timing.occurrence(datetime(2026, 11, 1).date())  # noqa: DTZ001
    assert moment == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, the first one


def test_periods_and_nonces() -> None:
    due = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)  # still Dec 31 in New York
    assert period_key("challenges", due, NEW_YORK) == "2026-W01"
    assert period_key("tips", due, NEW_YORK) == "2025-12-31@22:00"
    assert nonce(1, "challenges", "2026-W01") == nonce(1, "challenges", "2026-W01")
    assert nonce(1, "challenges", "2026-W01") != nonce(2, "challenges", "2026-W01")
    assert len(nonce(123456789012345678, "tips", "2026-12-31@22:00")) <= 25
