"""Study groups and their membership: who is in which group, owners, invites, settings.

The per-day quorum state and the group streaks live in `group_days_repo`, which the study log
calls inside its own transaction. Ending a group deletes every row about it, so its name is free
again and nothing about a group that no longer exists is kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.core.groups import Group, GroupMember, next_owner
from bot.storage.batch import chunked
from bot.storage.tables import (
    group_days,
    group_invites,
    group_member_days,
    group_members,
    group_streaks,
    study_groups,
)
from bot.storage.upsert import upsert

GROUP_TABLES = (group_members, group_invites, group_days, group_member_days, group_streaks)


@dataclass(frozen=True, slots=True)
class Departure:
    """What a member leaving changed: the new owner (if the owner left), or the group ended."""

    new_owner_id: int | None
    ended: bool


class _Full(Exception):
    """Raised inside a transaction to roll it back when the group has no free place."""


def counted_groups() -> Any:
    """SELECT of groups with their member count (`member_count`), to add WHERE to.

    The count is a correlated subquery, answered from the members' primary key for just the
    groups selected (a GROUP BY subquery would count every group's members first).
    """
    count = (
        select(func.count())
        .select_from(group_members)
        .where(group_members.c.group_id == study_groups.c.id)
        .correlate(study_groups)
        .scalar_subquery()
    )
    return select(study_groups, count.label("member_count"))


def group_of(row: Any) -> Group:
    return Group(
        id=row.id,
        guild_id=row.guild_id,
        name=row.name,
        topic_id=row.topic_id,
        description=row.description,
        capacity=row.capacity,
        is_open=bool(row.is_open),
        quorum=row.quorum,
        owner_id=row.owner_id,
        thread_id=row.thread_id,
        created_at=row.created_at,
        member_count=int(row.member_count),
    )


class GroupRepository:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _groups(self, query: Any) -> list[Group]:
        async with self._engine.connect() as conn:
            return [group_of(r) for r in await conn.execute(query)]

    async def get(self, group_id: int) -> Group | None:
        found = await self._groups(counted_groups().where(study_groups.c.id == group_id))
        return found[0] if found else None

    async def by_name(self, guild_id: int, key: str) -> Group | None:
        found = await self._groups(
            counted_groups().where(
                study_groups.c.guild_id == guild_id, study_groups.c.name_key == key
            )
        )
        return found[0] if found else None

    async def guild_groups(self, guild_id: int) -> list[Group]:
        return await self._groups(
            counted_groups().where(study_groups.c.guild_id == guild_id).order_by(study_groups.c.id)
        )

    async def guild_groups_for(self, guild_ids: Iterable[int]) -> dict[int, list[Group]]:
        """Each server's groups (servers without one are left out)."""
        found: dict[int, list[Group]] = defaultdict(list)
        for chunk in chunked(guild_ids):
            query = counted_groups().where(study_groups.c.guild_id.in_(chunk))
            for group in await self._groups(query.order_by(study_groups.c.id)):
                found[group.guild_id].append(group)
        return found

    async def member_groups(self, guild_id: int, user_id: int) -> list[Group]:
        mine = select(group_members.c.group_id).where(
            group_members.c.guild_id == guild_id, group_members.c.user_id == user_id
        )
        return await self._groups(
            counted_groups().where(study_groups.c.id.in_(mine)).order_by(study_groups.c.id)
        )

    async def members(self, group_id: int) -> list[GroupMember]:
        async with self._engine.connect() as conn:
            return await _members(conn, group_id)

    async def create(self, *, values: dict[str, Any], owner_id: int, now: datetime) -> int | None:
        """Insert the group with its owner as first member; None when the name was just taken."""
        try:
            async with self._engine.begin() as conn:
                group_id = int(
                    await conn.scalar(
                        study_groups.insert()
                        .values(**values, owner_id=owner_id, created_at=now)
                        .returning(study_groups.c.id)
                    )
                    or 0
                )
                await conn.execute(
                    group_members.insert().values(
                        group_id=group_id,
                        user_id=owner_id,
                        guild_id=values["guild_id"],
                        joined_at=now,
                    )
                )
        except IntegrityError:
            return None
        return group_id

    async def add_member(self, group: Group, user_id: int, now: datetime) -> bool:
        """Add a member and use up their invite; False when the group filled up meanwhile."""
        try:
            async with self._engine.begin() as conn:
                # The first statement writes, so SQLite takes its write lock at once and the
                # count below cannot let two joins take the last place.
                await conn.execute(
                    delete(group_invites).where(
                        group_invites.c.group_id == group.id, group_invites.c.user_id == user_id
                    )
                )
                count = await conn.scalar(
                    select(func.count()).where(group_members.c.group_id == group.id)
                )
                if int(count or 0) >= group.capacity:
                    raise _Full
                await conn.execute(
                    group_members.insert().values(
                        group_id=group.id, user_id=user_id, guild_id=group.guild_id, joined_at=now
                    )
                )
        except _Full:
            return False  # rolled back: the invite is kept for when a place frees up
        return True

    async def remove_member(self, group: Group, user_id: int) -> Departure:
        """Remove a member; the owner's place passes on, and the last one out ends the group."""
        async with self._engine.begin() as conn:
            await conn.execute(
                delete(group_members).where(
                    group_members.c.group_id == group.id, group_members.c.user_id == user_id
                )
            )
            left = await _members(conn, group.id)
            if not left:
                await _delete_group(conn, group.id)
                return Departure(new_owner_id=None, ended=True)
            if user_id != group.owner_id:
                return Departure(new_owner_id=None, ended=False)
            heir = next_owner(left)
            assert heir is not None
            await conn.execute(
                update(study_groups)
                .where(study_groups.c.id == group.id)
                .values(owner_id=heir.user_id)
            )
            return Departure(new_owner_id=heir.user_id, ended=False)

    async def update(self, group_id: int, **values: Any) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(study_groups).where(study_groups.c.id == group_id).values(**values)
            )

    async def delete(self, group_id: int) -> None:
        async with self._engine.begin() as conn:
            await _delete_group(conn, group_id)

    async def invite(self, group_id: int, user_id: int, by: int, expires_at: datetime) -> None:
        async with self._engine.begin() as conn:
            await upsert(
                conn,
                group_invites,
                {
                    "group_id": group_id,
                    "user_id": user_id,
                    "invited_by": by,
                    "expires_at": expires_at,
                },
                keys=("group_id", "user_id"),
            )

    async def invite_expiry(self, group_id: int, user_id: int) -> datetime | None:
        async with self._engine.connect() as conn:
            result: datetime | None = await conn.scalar(
                select(group_invites.c.expires_at).where(
                    group_invites.c.group_id == group_id, group_invites.c.user_id == user_id
                )
            )
            return result


async def _members(conn: AsyncConnection, group_id: int) -> list[GroupMember]:
    rows = await conn.execute(
        select(group_members.c.user_id, group_members.c.joined_at)
        .where(group_members.c.group_id == group_id)
        .order_by(group_members.c.joined_at, group_members.c.user_id)
    )
    return [GroupMember(r.user_id, r.joined_at) for r in rows]


async def _delete_group(conn: AsyncConnection, group_id: int) -> None:
    for table in GROUP_TABLES:
        await conn.execute(delete(table).where(table.c.group_id == group_id))
    await conn.execute(delete(study_groups).where(study_groups.c.id == group_id))
