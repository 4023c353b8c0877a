"""GroupService: what the /group commands do, as Discord-free steps with member-facing refusals.

The cog hands in ids, option values and whether the caller is a moderator; it gets back groups
and plain results to render, and the thread chores (add, remove, archive) to carry out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.core.batching import gather_bounded
from bot.core.days import local_day
from bot.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.core.groups import (
    DEFAULT_CAPACITY,
    Group,
    GroupDayBecameActive,
    GroupEvent,
    GroupMember,
    activity_order,
    check_capacity,
    check_quorum,
    clean_description,
    clean_name,
    invite_expiry,
    name_key,
    studied_count,
)
from bot.core.leaderboard import week_bounds
from bot.core.streaks import StreakView

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.storage.group_days_repo import GroupDaysRepository
    from bot.storage.group_repo import Departure, GroupRepository
    from bot.storage.settings_repo import SettingsRepository

CLEAR = "-"  # an option value that clears a description or topic


@dataclass(frozen=True, slots=True)
class GroupSummary:
    group: Group
    streak: StreakView
    week_minutes: int


@dataclass(frozen=True, slots=True)
class GroupInfo:
    summary: GroupSummary
    members: list[GroupMember]
    today: date
    studied_today: int
    required_today: int
    week_start: date
    week_by_member: dict[int, int]


@dataclass(frozen=True, slots=True)
class Membership:
    """After a leave or a kick: the group as it was, what changed, and any quorum now reached."""

    group: Group
    departure: Departure
    events: list[GroupEvent] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class GroupChanges:
    """`/group settings` options; None = unchanged, CLEAR = remove (description, topic)."""

    quorum: int | None = None
    capacity: int | None = None
    is_open: bool | None = None
    description: str | None = None
    topic_id: str | None = None


class GroupService:
    def __init__(
        self,
        *,
        clock: Clock,
        settings: SettingsRepository,
        groups: GroupRepository,
        days: GroupDaysRepository,
        max_groups_per_member: int,
    ) -> None:
        self.clock = clock
        self.settings = settings
        self.groups = groups
        self.days = days
        self.max_groups = max_groups_per_member

    async def server_today(self, guild_id: int) -> date:
        return local_day(self.clock.now(), (await self.settings.guild(guild_id)).zone)

    # --- finding the group a command is about ---------------------------------------------------

    async def find(self, guild_id: int, name: str) -> Group:
        group = await self.groups.by_name(guild_id, name_key(name))
        if group is None:
            raise NotFound(
                f"There is no study group called “{_plain(name)}” here. "
                "`/group list` shows the groups with free places."
            )
        return group

    async def pick(
        self, guild_id: int, user_id: int, name: str | None, *, owned: bool = False
    ) -> Group:
        """The named group, or the caller's only group (only owned one, for owner commands)."""
        if name:
            return await self.find(guild_id, name)
        mine = await self.groups.member_groups(guild_id, user_id)
        if owned:
            mine = [g for g in mine if g.owner_id == user_id]
        if len(mine) == 1:
            return mine[0]
        if not mine:
            if owned:
                raise NotAllowed(
                    "You don't own a study group. Name the group with the `group` option."
                )
            raise NotFound(
                "You aren't in a study group yet: find one with `/group list` or start one "
                "with `/group create`."
            )
        names = ", ".join(f"**{g.name}**" for g in mine)
        raise InvalidInput(
            f"You're in several groups ({names}): say which with the `group` option."
        )

    async def member_groups(self, guild_id: int, user_id: int) -> list[Group]:
        return await self.groups.member_groups(guild_id, user_id)

    async def guild_groups(self, guild_id: int) -> list[Group]:
        return await self.groups.guild_groups(guild_id)

    # --- membership -----------------------------------------------------------------------------

    async def create(
        self,
        guild_id: int,
        user_id: int,
        name: str,
        *,
        topic_id: str | None = None,
        capacity: int = DEFAULT_CAPACITY,
        is_open: bool = True,
        description: str | None = None,
    ) -> Group:
        name = clean_name(name)
        check_capacity(capacity)
        text = clean_description(description)
        await self._check_room_for(guild_id, user_id)
        if await self.groups.by_name(guild_id, name_key(name)) is not None:
            raise Conflict(_taken(name))
        values = {
            "guild_id": guild_id,
            "name": name,
            "name_key": name_key(name),
            "topic_id": topic_id,
            "description": text,
            "capacity": capacity,
            "is_open": is_open,
            "quorum": None,
        }
        group_id = await self.groups.create(values=values, owner_id=user_id, now=self.clock.now())
        group = None if group_id is None else await self.groups.get(group_id)
        if group is None:
            raise Conflict(_taken(name))
        return group

    async def set_thread(self, group: Group, thread_id: int | None) -> None:
        await self.groups.update(group.id, thread_id=thread_id)

    async def join(self, guild_id: int, user_id: int, name: str) -> Group:
        group = await self.find(guild_id, name)
        if await self._is_member(group, user_id):
            raise Conflict(f"You're already in **{group.name}**.")
        await self._check_room_for(guild_id, user_id)
        if group.free_places == 0:
            raise NotAllowed(_full(group))
        if not group.is_open:
            expires = await self.groups.invite_expiry(group.id, user_id)
            if expires is None:
                raise NotAllowed(
                    f"**{group.name}** is invite-only: ask its owner, <@{group.owner_id}>, to "
                    "`/group invite` you."
                )
            if expires <= self.clock.now():
                raise NotAllowed(
                    f"Your invite to **{group.name}** expired on {expires.date().isoformat()}: "
                    "ask its owner for a new one."
                )
        if not await self.groups.add_member(group, user_id, self.clock.now()):
            raise NotAllowed(_full(group))
        return await self._reload(group)

    async def leave(self, guild_id: int, user_id: int, name: str | None) -> Membership:
        group = await self.pick(guild_id, user_id, name)
        if not await self._is_member(group, user_id):
            raise NotFound(f"You aren't in **{group.name}**.")
        return await self._remove(group, user_id)

    async def leave_all(self, guild_id: int, user_id: int) -> list[Membership]:
        """Leave every group (a member deleting their data): ownership passes on as usual."""
        return [
            await self._remove(group, user_id)
            for group in await self.member_groups(guild_id, user_id)
        ]

    async def kick(
        self, guild_id: int, actor_id: int, target_id: int, name: str | None, *, moderator: bool
    ) -> Membership:
        group = await self._pick_to_manage(guild_id, actor_id, name, moderator=moderator)
        self._check_manager(group, actor_id, moderator=moderator)
        if target_id == actor_id:
            raise InvalidInput("To leave a group yourself, use `/group leave`.")
        if not await self._is_member(group, target_id):
            raise NotFound(f"<@{target_id}> isn't in **{group.name}**.")
        return await self._remove(group, target_id)

    async def invite(
        self, guild_id: int, owner_id: int, target_id: int, name: str | None
    ) -> tuple[Group, datetime]:
        group = await self.pick(guild_id, owner_id, name, owned=True)
        self._check_owner(group, owner_id)
        if await self._is_member(group, target_id):
            raise Conflict(f"<@{target_id}> is already in **{group.name}**.")
        if group.free_places == 0:
            raise NotAllowed(_full(group))
        expires = invite_expiry(self.clock.now())
        await self.groups.invite(group.id, target_id, owner_id, expires)
        return group, expires

    async def transfer(
        self, guild_id: int, owner_id: int, target_id: int, name: str | None
    ) -> Group:
        group = await self.pick(guild_id, owner_id, name, owned=True)
        self._check_owner(group, owner_id)
        if target_id == owner_id:
            raise InvalidInput("You already own this group.")
        if not await self._is_member(group, target_id):
            raise NotFound(f"<@{target_id}> isn't in **{group.name}**; only a member can own it.")
        await self.groups.update(group.id, owner_id=target_id)
        return await self._reload(group)

    async def change(
        self, guild_id: int, owner_id: int, name: str | None, changes: GroupChanges
    ) -> tuple[Group, list[GroupEvent]]:
        group = await self.pick(guild_id, owner_id, name, owned=True)
        self._check_owner(group, owner_id)
        values: dict[str, object] = {}
        if changes.quorum is not None:
            values["quorum"] = check_quorum(changes.quorum, group.member_count)
        if changes.capacity is not None:
            values["capacity"] = check_capacity(changes.capacity, group.member_count)
        if changes.is_open is not None:
            values["is_open"] = changes.is_open
        if changes.description is not None:
            values["description"] = clean_description(changes.description)
        if changes.topic_id is not None:
            values["topic_id"] = None if changes.topic_id == CLEAR else changes.topic_id
        if not values:
            raise InvalidInput(
                "Give at least one setting to change: quorum, capacity, open, description, topic."
            )
        await self.groups.update(group.id, **values)
        updated = await self._reload(group)
        return updated, await self._rejudge_today(updated)

    async def check_disband(
        self, guild_id: int, actor_id: int, name: str | None, *, moderator: bool
    ) -> Group:
        """The group `/group disband` would end, refused to anyone but its owner or a moderator."""
        group = await self._pick_to_manage(guild_id, actor_id, name, moderator=moderator)
        self._check_manager(group, actor_id, moderator=moderator)
        return group

    async def disband(self, group: Group) -> None:
        await self.groups.delete(group.id)

    # --- what groups show -----------------------------------------------------------------------

    async def summaries(self, guild_id: int, groups: list[Group]) -> list[GroupSummary]:
        today = await self.server_today(guild_id)
        start, end = week_bounds(today)
        ids = [g.id for g in groups]
        streaks = await self.days.streaks(ids, today)
        weeks = await self.days.week_minutes(ids, start, end)
        return [GroupSummary(g, streaks[g.id], sum(weeks[g.id].values())) for g in groups]

    async def info(self, guild_id: int, user_id: int, name: str | None) -> GroupInfo:
        group = await self.pick(guild_id, user_id, name)
        config = await self.settings.guild(guild_id)
        today = local_day(self.clock.now(), config.zone)
        start, end = week_bounds(today)
        # Independent reads on their own pooled connections: the reply waits for the slowest.
        streaks, weeks, state, members, minutes_today = await asyncio.gather(
            self.days.streaks([group.id], today),
            self.days.week_minutes([group.id], start, end),
            self.days.day_state(group.id, today),
            self.groups.members(group.id),
            self.days.day_minutes(group.id, today),
        )
        week = weeks[group.id]
        required = state[0] if state is not None and state[1] else group.required
        return GroupInfo(
            summary=GroupSummary(group, streaks[group.id], sum(week.values())),
            members=members,
            today=today,
            studied_today=studied_count(minutes_today, config.streak_minimum),
            required_today=required,
            week_start=start,
            week_by_member=week,
        )

    async def listing(self, guild_id: int, topic_id: str | None = None) -> list[GroupSummary]:
        """Groups with free places (of a topic, if given), most active first."""
        groups = [
            g
            for g in await self.groups.guild_groups(guild_id)
            if g.free_places > 0 and (topic_id is None or g.topic_id == topic_id)
        ]
        return _ranked(await self.summaries(guild_id, groups))

    async def leaderboard(self, guild_id: int) -> list[GroupSummary]:
        """Every group, by current streak, then this week's minutes."""
        return _ranked(await self.summaries(guild_id, await self.groups.guild_groups(guild_id)))

    async def leaderboards(self, guild_ids: Iterable[int]) -> dict[int, list[GroupSummary]]:
        """`leaderboard` for many servers: one read finds which have groups at all."""
        found = await self.groups.guild_groups_for(guild_ids)
        boards = await gather_bounded(
            (self.summaries(guild_id, groups) for guild_id, groups in found.items()), 8
        )
        return {guild_id: _ranked(board) for guild_id, board in zip(found, boards, strict=True)}

    async def joinable(self, guild_id: int, user_id: int) -> list[Group]:
        """For autocomplete: groups the member could join now, those with most free places first."""
        groups = await self.groups.guild_groups(guild_id)
        mine = {g.id for g in await self.groups.member_groups(guild_id, user_id)}
        open_now = [g for g in groups if g.id not in mine and g.free_places > 0]
        return sorted(open_now, key=lambda g: (not g.is_open, -g.free_places, g.name.casefold()))

    # --- helpers --------------------------------------------------------------------------------

    async def _remove(self, group: Group, user_id: int) -> Membership:
        departure = await self.groups.remove_member(group, user_id)
        events: list[GroupEvent] = []
        if not departure.ended:
            events = await self._rejudge_today(await self._reload(group))
        return Membership(group, departure, events)

    async def _rejudge_today(self, group: Group) -> list[GroupEvent]:
        """A smaller quorum (a leave, a new setting) may complete today: say so once."""
        today = await self.server_today(group.guild_id)
        minimum = (await self.settings.guild(group.guild_id)).streak_minimum
        if not await self.days.refresh_today(group, today, minimum):
            return []
        studied = studied_count(await self.days.day_minutes(group.id, today), minimum)
        return [
            GroupDayBecameActive(
                group.id, group.name, group.thread_id, today, True, studied, group.required
            )
        ]

    async def _reload(self, group: Group) -> Group:
        fresh = await self.groups.get(group.id)
        if fresh is None:
            raise NotFound(f"**{group.name}** no longer exists.")
        return fresh

    async def _is_member(self, group: Group, user_id: int) -> bool:
        return any(m.user_id == user_id for m in await self.groups.members(group.id))

    async def _check_room_for(self, guild_id: int, user_id: int) -> None:
        count = len(await self.groups.member_groups(guild_id, user_id))
        if count >= self.max_groups:
            raise NotAllowed(
                f"You're already in {count} study groups, the most one member can be in here "
                f"({self.max_groups}). Leave one with `/group leave` first."
            )

    async def _pick_to_manage(
        self, guild_id: int, actor_id: int, name: str | None, *, moderator: bool
    ) -> Group:
        if name or not moderator:
            return await self.pick(guild_id, actor_id, name, owned=True)
        try:
            return await self.pick(guild_id, actor_id, None, owned=True)
        except NotAllowed:
            raise InvalidInput("Name the group with the `group` option.") from None

    @staticmethod
    def _check_owner(group: Group, user_id: int) -> None:
        if group.owner_id != user_id:
            raise NotAllowed(
                f"Only the owner of **{group.name}** (<@{group.owner_id}>) can do that."
            )

    def _check_manager(self, group: Group, user_id: int, *, moderator: bool) -> None:
        if not moderator:
            self._check_owner(group, user_id)


def _ranked(summaries: list[GroupSummary]) -> list[GroupSummary]:
    return sorted(
        summaries, key=lambda s: activity_order(s.streak.current, s.week_minutes, s.group.name)
    )


def _full(group: Group) -> str:
    return f"**{group.name}** is full ({group.member_count}/{group.capacity} members)."


def _taken(name: str) -> str:
    return f"There is already a group called **{name}** here (names ignore case). Pick another."


def _plain(text: str) -> str:
    """Echo member input without markdown or mention syntax surprises."""
    cleaned = text.replace("`", "'").replace("@", "@\u200b").replace("*", "").replace("\n", " ")
    return cleaned[:60]
