"""Group rules as pure functions: quorum edges, names, succession, and the shared streak fold."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.errors import InvalidInput
from bot.core.groups import (
    GROUP_RULES,
    GroupMember,
    check_capacity,
    check_quorum,
    clean_description,
    clean_name,
    day_active,
    default_quorum,
    effective_quorum,
    group_day,
    group_streak,
    milestones_crossed,
    name_key,
    next_owner,
    studied_count,
)
from bot.core.streaks import StreakState, checkpoint

MONDAY = date(2026, 3, 2)


@pytest.mark.parametrize(("members", "needed"), [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (25, 13)])
def test_default_quorum_is_half_rounded_up(members: int, needed: int) -> None:
    assert default_quorum(members) == needed
    assert effective_quorum(None, members) == needed


@pytest.mark.parametrize(
    ("setting", "members", "needed"), [(3, 3, 3), (3, 2, 2), (3, 1, 1), (1, 5, 1), (2, 0, 1)]
)
def test_a_fixed_quorum_is_clamped_to_the_members_left(
    setting: int, members: int, needed: int
) -> None:
    assert effective_quorum(setting, members) == needed


def test_quorum_setting_accepts_zero_for_default_and_refuses_more_than_members() -> None:
    assert check_quorum(0, 4) is None
    assert check_quorum(1, 4) == 1
    assert check_quorum(4, 4) == 4
    for bad in (5, -1):
        with pytest.raises(InvalidInput, match="number of members"):
            check_quorum(bad, 4)


def test_a_member_counts_only_with_the_days_minimum() -> None:
    minutes = {1: 15, 2: 14, 3: 40}
    assert studied_count(minutes, 15) == 2
    assert day_active(minutes, 15, 2)
    assert not day_active(minutes, 15, 3)
    assert not day_active({}, 15, 1)


def test_sessions_for_yesterday_count_for_the_servers_yesterday() -> None:
    assert group_day(MONDAY, "today") == MONDAY
    assert group_day(MONDAY, "yesterday") == MONDAY - timedelta(days=1)


def test_names_ignore_case_and_extra_spaces_and_have_a_length() -> None:
    assert clean_name("  Night   Owls ") == "Night Owls"
    assert name_key("STRASSE") == name_key("straße")
    assert name_key("Night  owls") == name_key("night owls")
    for bad in ("x", "y" * 41, "   "):
        with pytest.raises(InvalidInput, match="2 to 40"):
            clean_name(bad)
    assert clean_name("ab") == "ab" and clean_name("z" * 40) == "z" * 40


def test_capacity_and_description_limits() -> None:
    assert check_capacity(2) == 2 and check_capacity(25) == 25
    for bad in (1, 26):
        with pytest.raises(InvalidInput):
            check_capacity(bad)
    with pytest.raises(InvalidInput, match="already has 5"):
        check_capacity(4, members=5)
    assert clean_description(" - ") is None
    assert clean_description("x" * 200) == "x" * 200
    with pytest.raises(InvalidInput):
        clean_description("x" * 201)


def test_the_longest_standing_member_inherits_the_group() -> None:
    t = datetime(2026, 3, 1, tzinfo=UTC)
    members = [GroupMember(9, t + timedelta(hours=1)), GroupMember(7, t), GroupMember(3, t)]
    heir = next_owner(members)
    assert heir is not None and heir.user_id == 3
    assert next_owner([]) is None


def test_group_streak_uses_the_member_fold_with_freezes() -> None:
    active = [MONDAY + timedelta(days=i) for i in range(7)]  # 7 days: a freeze earned
    active.append(MONDAY + timedelta(days=8))  # day 8 missed, frozen
    today = MONDAY + timedelta(days=9)  # open, not active yet
    shown = group_streak(StreakState(), today, active)
    assert (shown.current, shown.longest, shown.freezes, shown.frozen_days) == (8, 8, 0, 1)
    assert shown.at_risk
    # A checkpointed state gives the same view.
    state = checkpoint(StreakState(), today, dict.fromkeys(active, 1), GROUP_RULES)
    later = {d for d in active if d > (state.day or date.min)}
    assert group_streak(state, today, later) == shown
    # Two missed days with no freeze left end it.
    gone = group_streak(StreakState(), today + timedelta(days=2), active)
    assert gone.current == 0 and gone.longest == 8


def test_group_streak_survives_a_today_behind_the_checkpoint() -> None:
    state = StreakState(day=MONDAY, current=3, longest=3)
    assert group_streak(state, MONDAY, []).current == 3


def test_milestones_are_7_30_100_each_once() -> None:
    assert milestones_crossed(6, 7) == [7]
    assert milestones_crossed(7, 8) == []
    assert milestones_crossed(0, 100) == [7, 30, 100]
