"""Leaderboard rules without Discord or a database: period bounds, ranks with ties, the top cut."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import InvalidInput
from bot.core.leaderboard import (
    Bounds,
    Standing,
    build_board,
    month_bounds,
    period_bounds,
    standings,
    week_bounds,
)

WEEK = Bounds("week", date(2026, 3, 2), date(2026, 3, 8))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 2), (date(2026, 3, 2), date(2026, 3, 8))),  # a Monday
        (date(2026, 3, 8), (date(2026, 3, 2), date(2026, 3, 8))),  # a Sunday
        # ISO week 1 of 2026 starts on Monday 29 Dec 2025.
        (date(2025, 12, 31), (date(2025, 12, 29), date(2026, 1, 4))),
        (date(2026, 1, 1), (date(2025, 12, 29), date(2026, 1, 4))),
        (date(2021, 1, 3), (date(2020, 12, 28), date(2021, 1, 3))),  # ISO week 53 of 2020
    ],
)
def test_week_bounds_are_monday_to_sunday_across_year_ends(
    today: date, expected: tuple[date, date]
) -> None:
    assert week_bounds(today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 1, 15), (date(2026, 1, 1), date(2026, 1, 31))),
        (date(2026, 2, 28), (date(2026, 2, 1), date(2026, 2, 28))),
        (date(2024, 2, 1), (date(2024, 2, 1), date(2024, 2, 29))),  # leap year
        (date(2025, 12, 31), (date(2025, 12, 1), date(2025, 12, 31))),
        (date(2026, 4, 30), (date(2026, 4, 1), date(2026, 4, 30))),
    ],
)
def test_month_bounds(today: date, expected: tuple[date, date]) -> None:
    assert month_bounds(today) == expected


def test_period_bounds_use_the_given_zone_for_today() -> None:
    # 23:30 UTC on Sunday 8 Mar is already Monday 9 Mar in Berlin: a new week there.
    now = datetime(2026, 3, 8, 23, 30, tzinfo=UTC)
    assert period_bounds("week", now, ZoneInfo("UTC")) == WEEK
    berlin = period_bounds("week", now, ZoneInfo("Europe/Berlin"))
    assert (berlin.start, berlin.end) == (date(2026, 3, 9), date(2026, 3, 15))
    # 1 Apr 02:00 UTC is still 31 Mar in New York.
    april = datetime(2026, 4, 1, 2, 0, tzinfo=UTC)
    new_york = period_bounds("month", april, ZoneInfo("America/New_York"))
    assert (new_york.start, new_york.end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert period_bounds("all", now, ZoneInfo("UTC")) == Bounds("all", None, None)


def test_an_unknown_period_is_refused_kindly() -> None:
    with pytest.raises(InvalidInput, match="week, month, all"):
        period_bounds("year", datetime(2026, 3, 2, tzinfo=UTC), ZoneInfo("UTC"))


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    rows = [(1, 300), (2, 200), (3, 200), (4, 100), (5, 100), (6, 50)]
    assert [s.rank for s in standings(rows)] == [1, 2, 2, 4, 4, 6]


def test_board_shows_the_top_and_the_callers_rank_when_outside_it() -> None:
    rows = [(user, 1000 - user * 10) for user in range(1, 13)]  # 12 members, no ties
    board = build_board(WEEK, rows, caller_id=12)
    assert [s.user_id for s in board.top] == list(range(1, 11))
    assert board.caller == Standing(12, 12, 880)
    assert not board.caller_in_top
    assert board.entrants == 12


def test_caller_in_the_top_gets_no_extra_line() -> None:
    board = build_board(WEEK, [(1, 60), (2, 30)], caller_id=2)
    assert board.caller is None and board.caller_in_top


def test_caller_tied_outside_the_top_shows_the_shared_rank() -> None:
    # Eleven members tie on 100 minutes after a leader: the caller is 12th in line but ranks 2nd.
    rows = [(1, 500)] + [(user, 100) for user in range(2, 13)]
    board = build_board(WEEK, rows, caller_id=12)
    assert board.caller == Standing(2, 12, 100)
    assert [s.rank for s in board.top] == [1] + [2] * 9


def test_caller_without_minutes_has_no_line_and_zero_rows_are_dropped() -> None:
    board = build_board(WEEK, [(1, 60), (2, 0)], caller_id=2)
    assert board.caller is None and not board.caller_in_top
    assert board.entrants == 1


def test_cogs_strip_what_the_heatmap_font_cannot_draw() -> None:
    from cogs.stats import drawable_name

    assert drawable_name("alice") == "alice"
    assert drawable_name("Zoë ✨ dev") == "Zo dev"
    assert drawable_name("✨🔥") == "member"
    assert drawable_name("日本語") == "member"
    assert drawable_name("O'Brien (mod)") == "O'Brien (mod)"
    assert len(drawable_name("x" * 100)) <= 40
