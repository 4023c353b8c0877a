"""Study groups: the rules, as pure functions and plain values.

A group's streak is a member's streak run on group days: a group day (a date in the SERVER's
timezone, so every member of the group shares it) is active when at least `quorum` distinct
members each logged an active study day's worth of minutes in it. The active days are then fed to
the one streak fold in `bot.core.streaks` as `{day: 1}` with `GROUP_RULES`, so group freezes and
longest streaks behave exactly like a member's without a second implementation.

Discord-free; the service (`bot.core.group_service`) and the repositories only call these.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.core.errors import InvalidInput
from bot.core.streaks import StreakRules, StreakState, StreakView, view

NAME_MIN, NAME_MAX = 2, 40
CAPACITY_MIN, CAPACITY_MAX = 2, 25
DEFAULT_CAPACITY = 8
DESCRIPTION_MAX = 200
INVITE_DAYS = 7
GROUP_MILESTONES: tuple[int, ...] = (7, 30, 100)
# A group day is 1 "minute" when active: the fold's minimum of 1 then means "active".
GROUP_RULES = StreakRules(minimum=1)
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Group:
    id: int
    guild_id: int
    name: str
    topic_id: str | None
    description: str | None
    capacity: int
    is_open: bool
    quorum: int | None  # the owner's fixed number; None = half the members, rounded up
    owner_id: int
    thread_id: int | None
    created_at: datetime
    member_count: int

    @property
    def free_places(self) -> int:
        return max(0, self.capacity - self.member_count)

    @property
    def required(self) -> int:
        """Today's quorum for the current member count."""
        return effective_quorum(self.quorum, self.member_count)


@dataclass(frozen=True, slots=True)
class GroupMember:
    user_id: int
    joined_at: datetime


@dataclass(frozen=True, slots=True)
class GroupDayBecameActive:
    """A log made a group day reach its quorum (posted in the group's thread)."""

    group_id: int
    group_name: str
    thread_id: int | None
    day: date
    is_today: bool
    studied: int
    required: int


@dataclass(frozen=True, slots=True)
class GroupMilestone:
    """The group streak reached one of GROUP_MILESTONES days."""

    group_id: int
    group_name: str
    thread_id: int | None
    days: int


GroupEvent = GroupDayBecameActive | GroupMilestone


@dataclass(frozen=True, slots=True)
class GroupDay:
    """A session as the groups see it: the group day it counts for, and the server's today."""

    day: date
    today: date


# --- validation ----------------------------------------------------------------------------------


def clean_name(raw: str) -> str:
    """A group name with runs of whitespace collapsed; 2-40 characters."""
    name = " ".join(raw.split())
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise InvalidInput(
            f"A group name has {NAME_MIN} to {NAME_MAX} characters ({len(name)} given)."
        )
    return name


def name_key(name: str) -> str:
    """What makes two names the same group: case does not matter (casefold, not lower: ß = ss)."""
    return " ".join(name.split()).casefold()


def check_capacity(capacity: int, members: int = 0) -> int:
    if not CAPACITY_MIN <= capacity <= CAPACITY_MAX:
        raise InvalidInput(
            f"A group holds {CAPACITY_MIN} to {CAPACITY_MAX} members ({capacity} given)."
        )
    if capacity < members:
        raise InvalidInput(
            f"The group already has {members} members, so its capacity can't be below that."
        )
    return capacity


def clean_description(raw: str | None) -> str | None:
    """Stripped; `-` or nothing means no description."""
    text = (raw or "").strip()
    if text in ("", "-"):
        return None
    if len(text) > DESCRIPTION_MAX:
        raise InvalidInput(
            f"A description can be at most {DESCRIPTION_MAX} characters ({len(text)} given)."
        )
    return text


def check_quorum(value: int, members: int) -> int | None:
    """The owner's quorum setting: 0 = back to the default, else 1..member count."""
    if value == 0:
        return None
    if not 1 <= value <= members:
        raise InvalidInput(
            f"The quorum is 1 to the number of members ({members}), or 0 for the default "
            "(half the members, rounded up)."
        )
    return value


# --- quorum --------------------------------------------------------------------------------------


def default_quorum(members: int) -> int:
    """Half the members, rounded up; at least 1."""
    return max(1, (members + 1) // 2)


def effective_quorum(setting: int | None, members: int) -> int:
    """The quorum a day needs: the owner's number clamped to the members left, or the default."""
    if setting is None:
        return default_quorum(members)
    return max(1, min(setting, max(members, 1)))


def studied_count(minutes_by_member: Mapping[int, int], minimum: int) -> int:
    """Distinct members whose minutes that group day reach the server's streak minimum."""
    return sum(1 for minutes in minutes_by_member.values() if minutes >= minimum)


def day_active(minutes_by_member: Mapping[int, int], minimum: int, required: int) -> bool:
    return studied_count(minutes_by_member, minimum) >= required


def group_day(server_today: date, day_name: str) -> date:
    """The group day a session counts for: sessions logged for yesterday count for yesterday."""
    return server_today - _DAY if day_name == "yesterday" else server_today


# --- streak --------------------------------------------------------------------------------------


def group_streak(state: StreakState, today: date, active_days: Iterable[date]) -> StreakView:
    """The group streak shown on `today`, from the checkpoint and the active days after it.

    A server's timezone change can move "today" back a day behind the checkpoint; the view then
    starts the day after the checkpoint so the fold never sees a final day as open.
    """
    if state.day is not None and state.day >= today:
        today = state.day + _DAY
    return view(state, today, {d: 1 for d in active_days}, GROUP_RULES)


def milestones_crossed(before: int, after: int) -> list[int]:
    return [m for m in GROUP_MILESTONES if before < m <= after]


def next_owner(members: Iterable[GroupMember]) -> GroupMember | None:
    """Who takes over when the owner leaves: the longest-standing member (ties: lowest id)."""
    return min(members, key=lambda m: (m.joined_at, m.user_id), default=None)


def invite_expiry(now: datetime) -> datetime:
    return now + timedelta(days=INVITE_DAYS)


def activity_order(streak: int, week_minutes: int, name: str) -> tuple[int, int, str]:
    """Sort key, best first: longer current streak, then more minutes this week, then name."""
    return (-streak, -week_minutes, name.casefold())
