"""Local days at their edges: midnight, far-east zones, DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.days import day_end, day_start, local_day
from bot.core.streaks import StreakRules, recompute

TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def test_midnight_in_the_members_zone_starts_a_new_day() -> None:
    before = datetime(2026, 6, 1, 21, 59, 59, tzinfo=UTC)  # 23:59:59 in Berlin (UTC+2)
    after = before + timedelta(seconds=1)
    assert local_day(before, BERLIN) == date(2026, 6, 1)
    assert local_day(after, BERLIN) == date(2026, 6, 2)
    assert day_end(date(2026, 6, 1), BERLIN) == after


def test_two_sessions_on_one_utc_date_are_two_local_days_at_utc_plus_9() -> None:
    morning = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo, June 1
    evening = datetime(2026, 6, 1, 20, 0, tzinfo=UTC)  # 05:00 in Tokyo, June 2
    days = {local_day(morning, TOKYO): 20}
    days[local_day(evening, TOKYO)] = days.get(local_day(evening, TOKYO), 0) + 20
    assert sorted(days) == [date(2026, 6, 1), date(2026, 6, 2)]
    assert recompute(days, date(2026, 6, 2), StreakRules()).current == 2


def test_dst_days_are_23_and_25_hours_long() -> None:
    spring = date(2026, 3, 8)  # clocks go forward in New York
    autumn = date(2026, 11, 1)  # clocks go back
    assert day_end(spring, NEW_YORK) - day_start(spring, NEW_YORK) == timedelta(hours=23)
    assert day_end(autumn, NEW_YORK) - day_start(autumn, NEW_YORK) == timedelta(hours=25)
    # 03:30 UTC on March 9 is 23:30 on March 8 in New York (EDT, UTC-4).
    assert local_day(datetime(2026, 3, 9, 3, 30, tzinfo=UTC), NEW_YORK) == spring


def test_a_timezone_change_mid_streak_keeps_recorded_days() -> None:
    # Days already recorded keep their dates; the next log lands on the new zone's date.
    days = {date(2026, 6, 1): 30, date(2026, 6, 2): 30}
    moved = datetime(2026, 6, 2, 21, 0, tzinfo=UTC)  # June 3 in Tokyo, still June 2 in Berlin
    assert local_day(moved, BERLIN) == date(2026, 6, 2)
    days[local_day(moved, TOKYO)] = 30
    assert recompute(days, date(2026, 6, 3), StreakRules()).current == 3
