"""Edge cases of the streak rules, each named after the rule it pins down."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import UserError
from bot.core.streaks import (
    Adjustment,
    Pause,
    StreakRules,
    StreakState,
    advance,
    can_pause,
    checkpoint,
    end_pause,
    milestones_reached,
    pause_window,
    recompute,
    view,
)

RULES = StreakRules()
TODAY = date(2026, 3, 20)


def day(offset: int) -> date:
    """TODAY + offset days (negative: the past)."""
    return TODAY + timedelta(days=offset)


def active(*offsets: int, minutes: int = 30) -> dict[date, int]:
    return {day(o): minutes for o in offsets}


def test_minutes_just_below_minimum_is_not_active() -> None:
    shown = recompute({day(-1): 14, day(0): 14}, TODAY, RULES)
    assert (shown.current, shown.today_active, shown.today_minutes) == (0, False, 14)


def test_minutes_at_minimum_is_active() -> None:
    shown = recompute({day(-1): 15, day(0): 15}, TODAY, RULES)
    assert (shown.current, shown.today_active) == (2, True)


def test_streak_ending_yesterday_stays_intact_while_today_is_open() -> None:
    totals = active(-3, -2, -1) | {day(0): 5}
    shown = recompute(totals, TODAY, RULES)
    assert shown.current == 3
    assert shown.today_active is False
    assert shown.at_risk is True


def test_open_today_never_spends_a_freeze() -> None:
    shown = recompute(active(*range(-7, 0)), TODAY, RULES)
    assert (shown.current, shown.freezes, shown.frozen_days) == (7, 1, 0)


def test_missed_day_without_freeze_breaks() -> None:
    shown = recompute(active(-4, -3, -1), TODAY, RULES)
    assert shown.current == 1
    shown = recompute(active(-4, -3), TODAY, RULES)  # yesterday closed and missed
    assert (shown.current, shown.longest, shown.at_risk) == (0, 2, False)


def test_freeze_earned_on_day_7_covers_day_8() -> None:
    totals = active(*range(-8, -1))  # seven active days ending the day before yesterday
    shown = recompute(totals, TODAY, RULES)  # yesterday missed, frozen
    assert (shown.current, shown.freezes, shown.frozen_days) == (7, 0, 1)
    totals[day(0)] = 20
    shown = recompute(totals, TODAY, RULES)
    assert (shown.current, shown.frozen_days, shown.today_active) == (8, 1, True)


def test_at_most_two_freezes_are_held() -> None:
    shown = recompute(active(*range(-21, 0)), TODAY, RULES)
    assert (shown.current, shown.freezes) == (21, 2)
    capped = recompute(active(*range(-14, 0)), TODAY, StreakRules(max_freezes=1))
    assert capped.freezes == 1


def test_gap_longer_than_the_freezes_held_ends_the_streak() -> None:
    totals = active(*range(-17, -3))  # 14 active days: 2 freezes; then 3 missed days
    shown = recompute(totals, TODAY, RULES)
    assert (shown.current, shown.freezes, shown.frozen_days, shown.longest) == (0, 0, 0, 14)
    totals = active(*range(-16, -2))  # same run, only 2 missed days: both frozen
    shown = recompute(totals, TODAY, RULES)
    assert (shown.current, shown.freezes, shown.frozen_days) == (14, 0, 2)


def test_broken_streak_loses_its_freezes() -> None:
    totals = active(*range(-20, -13)) | active(-1, 0)  # 7 days (1 freeze), 12 missed, 2 active
    shown = recompute(totals, TODAY, RULES)
    assert (shown.current, shown.freezes, shown.longest) == (2, 0, 7)


def test_pause_in_the_middle_neither_counts_nor_breaks() -> None:
    pause = Pause(day(-7), day(-3))  # five paused days, some with minutes that must not count
    totals = active(-10, -9, -8, -5, -2, -1, 0)
    shown = recompute(totals, TODAY, RULES, [pause])
    assert (shown.current, shown.frozen_days, shown.freezes) == (6, 0, 0)


def test_paused_today_shows_until_and_is_not_at_risk() -> None:
    pause = Pause(day(-1), day(3))
    shown = recompute(active(-3, -2), TODAY, RULES, [pause])
    assert (shown.current, shown.paused_until, shown.at_risk) == (2, day(3), False)


def test_pause_cooldown_is_thirty_days_from_the_last_start() -> None:
    assert can_pause(None, TODAY)
    assert not can_pause(day(-29), TODAY)
    assert can_pause(day(-30), TODAY)


@pytest.mark.parametrize("days", [0, 15, -1])
def test_pause_length_out_of_range_is_refused(days: int) -> None:
    with pytest.raises(ValueError, match="1 to 14"):
        pause_window(TODAY, days)
    with pytest.raises(UserError):
        pause_window(TODAY, days)


def test_pause_window_starts_today_and_is_inclusive() -> None:
    assert pause_window(TODAY, 1) == (TODAY, TODAY)
    assert pause_window(TODAY, 14) == (TODAY, day(13))


def test_resume_ends_the_pause_yesterday() -> None:
    assert end_pause(Pause(day(-3), day(5)), TODAY) == Pause(day(-3), day(-1))
    assert end_pause(Pause(TODAY, day(5)), TODAY) is None
    assert end_pause(Pause(day(-9), day(-5)), TODAY) == Pause(day(-9), day(-5))


def test_late_log_for_yesterday_joins_two_runs() -> None:
    totals = active(-3, -2, 0)
    state = checkpoint(StreakState(), TODAY, totals, RULES)
    assert state.day == day(-2)
    assert state.current == 2
    assert view(state, TODAY, totals, RULES).current == 1  # yesterday missed, no freeze
    totals[day(-1)] = 25
    state = checkpoint(state, TODAY, totals, RULES)
    shown = view(state, TODAY, totals, RULES)
    assert shown == recompute(totals, TODAY, RULES)
    assert (shown.current, shown.longest) == (4, 4)


def test_adjustment_sets_current_and_longest() -> None:
    totals = active(-2, -1, 0)
    shown = recompute(totals, TODAY, RULES, adjustments=[Adjustment(day(-1), 40)])
    assert (shown.current, shown.longest) == (41, 41)
    shown = recompute(totals, TODAY, RULES, adjustments=[Adjustment(day(0), 1)])
    assert (shown.current, shown.longest) == (1, 3)


def test_longest_is_kept_after_a_break() -> None:
    shown = recompute(active(-10, -9, -8, -7, -1, 0), TODAY, RULES)
    assert (shown.current, shown.longest) == (2, 4)


@pytest.mark.parametrize(
    ("before", "after", "reached"),
    [(2, 3, [3]), (6, 14, [7, 14]), (5, 5, []), (0, 400, [3, 7, 14, 30, 50, 100, 365]), (9, 2, [])],
)
def test_milestones(before: int, after: int, reached: list[int]) -> None:
    assert milestones_reached(before, after) == reached


def test_advance_across_ten_years_skips_empty_days() -> None:
    start = StreakState(day=date(2016, 1, 1), current=30, longest=30, freezes=2)
    totals = {date(2026, 1, 1): 20, date(2026, 1, 2): 20, date(2026, 1, 3): 20}
    state = advance(start, date(2026, 1, 3), totals, RULES)
    assert state == StreakState(date(2026, 1, 3), 3, 30, 0, 0, date(2026, 1, 3))
    far = advance(StreakState(), date(9999, 12, 30), totals, RULES)
    assert (far.current, far.longest, far.day) == (0, 3, date(9999, 12, 30))


def test_advance_never_refolds_final_days() -> None:
    state = advance(StreakState(), day(-2), active(-2), RULES)
    assert advance(state, day(-3), active(-3, -2), RULES) is state
    with pytest.raises(ValueError, match="final"):
        view(state, day(-2), active(-2), RULES)


def test_utc_plus_nine_member_gets_two_local_days_from_one_utc_date() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    sessions = [
        (datetime(2026, 3, 1, 10, 0, tzinfo=UTC), 20),  # 19:00 on March 1st in Tokyo
        (datetime(2026, 3, 1, 16, 0, tzinfo=UTC), 20),  # 01:00 on March 2nd in Tokyo
    ]
    assert len({started.date() for started, _ in sessions}) == 1
    totals: defaultdict[date, int] = defaultdict(int)
    for started, minutes in sessions:
        totals[started.astimezone(tokyo).date()] += minutes
    shown = recompute(totals, date(2026, 3, 2), RULES)
    assert (shown.current, shown.today_active) == (2, True)


def test_touching_and_overlapping_pauses_merge_for_display() -> None:
    pauses = [Pause(day(-2), day(1)), Pause(day(2), day(4)), Pause(day(3), day(6))]
    shown = recompute(active(-4, -3), TODAY, RULES, pauses)
    assert (shown.current, shown.paused_until) == (2, day(6))
