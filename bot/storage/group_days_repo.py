"""Group days and group streaks: the quorum state a study log updates, and what groups show.

`record_session` runs on the study log's own connection, inside its transaction, so a session row
and every group day it counts for change together or not at all. Like the log it is synchronous, a
part of the log's `run_write` unit of work; async readers reach its helpers through `run_sync`.
Its cost is a handful of statements per group the member is in (at most `max_groups_per_member`),
whatever the history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.groups import (
    GROUP_RULES,
    Group,
    GroupDayBecameActive,
    GroupEvent,
    GroupMilestone,
    day_active,
    effective_quorum,
    group_streak,
    milestones_crossed,
    studied_count,
)
from bot.core.streaks import StreakState, StreakView, checkpoint, recompute
from bot.storage.engine import run_write
from bot.storage.group_repo import counted_groups, group_of
from bot.storage.tables import (
    group_days,
    group_member_days,
    group_members,
    group_streaks,
    study_groups,
)
from bot.storage.upsert import increment_sync, upsert_sync


class GroupDaysRepository:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    def record_session(
        self,
        conn: Connection,
        *,
        guild_id: int,
        user_id: int,
        minutes: int,
        day: date,
        today: date,
        minimum: int,
    ) -> list[GroupEvent]:
        """Count a session for `day` (a server-local group day) in each of the member's groups."""
        events: list[GroupEvent] = []
        groups = _member_groups(conn, guild_id, user_id)
        _lock_groups(conn, [group.id for group in groups])
        for group in groups:
            increment_sync(
                conn,
                group_member_days,
                {"group_id": group.id, "day": day, "user_id": user_id},
                minutes=minutes,
            )
            flipped = _refresh_day(conn, group, day, minimum)
            state, active = _streak_context(conn, group.id, lock=True)
            before = group_streak(state, today, active - {day} if flipped else active)
            after = group_streak(state, today, active)
            _save_state(
                conn, group.id, checkpoint(state, today, dict.fromkeys(active, 1), GROUP_RULES)
            )
            if flipped:
                studied = studied_count(_day_minutes(conn, group.id, day), minimum)
                events.append(
                    GroupDayBecameActive(
                        group.id,
                        group.name,
                        group.thread_id,
                        day,
                        day == today,
                        studied,
                        effective_quorum(group.quorum, group.member_count),
                    )
                )
            events.extend(
                GroupMilestone(group.id, group.name, group.thread_id, n)
                for n in milestones_crossed(before.current, after.current)
            )
        return events

    async def refresh_today(self, group: Group, today: date, minimum: int) -> bool:
        """After a join, leave or quorum change: re-judge today against the new quorum.

        Only today: past days keep the quorum they had. A day already active stays so (its
        snapshot is kept), so a newcomer never takes away a day the group already earned.
        """

        def work(conn: Connection) -> bool:
            _lock_groups(conn, [group.id])
            exists = conn.scalar(
                select(func.count()).where(
                    group_days.c.group_id == group.id, group_days.c.day == today
                )
            )
            return bool(exists) and _refresh_day(conn, group, today, minimum)

        return await run_write(self._engine, work)

    async def streaks(self, group_ids: Iterable[int], today: date) -> dict[int, StreakView]:
        def read(conn: Connection) -> dict[int, StreakView]:
            result = {}
            for group_id in group_ids:
                state, active = _streak_context(conn, group_id, lock=False)
                result[group_id] = group_streak(state, today, active)
            return result

        async with self._engine.connect() as conn:
            return await conn.run_sync(read)

    async def day_state(self, group_id: int, day: date) -> tuple[int, bool] | None:
        """(required, active) of a group day as last updated, or None when nobody studied."""
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(group_days.c.required, group_days.c.active).where(
                        group_days.c.group_id == group_id, group_days.c.day == day
                    )
                )
            ).first()
        return None if row is None else (row.required, bool(row.active))

    async def day_minutes(self, group_id: int, day: date) -> dict[int, int]:
        async with self._engine.connect() as conn:
            return await conn.run_sync(_day_minutes, group_id, day)

    async def week_minutes(
        self, group_ids: Iterable[int], start: date, end: date
    ) -> dict[int, dict[int, int]]:
        """{group: {member: minutes}} over start..end, members who logged nothing left out."""
        ids = list(group_ids)
        result: dict[int, dict[int, int]] = defaultdict(dict)
        if not ids:
            return result
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(
                    group_member_days.c.group_id,
                    group_member_days.c.user_id,
                    func.sum(group_member_days.c.minutes),
                )
                .where(
                    group_member_days.c.group_id.in_(ids),
                    group_member_days.c.day.between(start, end),
                )
                .group_by(group_member_days.c.group_id, group_member_days.c.user_id)
            )
            for group_id, user_id, minutes in rows:
                result[group_id][user_id] = int(minutes)
        return result

    async def recompute(self, group_id: int, today: date, minimum: int) -> StreakView:
        """The group streak from the per-member minutes and quorum snapshots alone.

        Ignores the stored `active` flags and the checkpoint: the reference the incremental path
        is tested against, and the repair tool if that state is ever in doubt.
        """
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(
                    group_member_days.c.day,
                    group_member_days.c.user_id,
                    group_member_days.c.minutes,
                ).where(group_member_days.c.group_id == group_id)
            )
            by_day: dict[date, dict[int, int]] = defaultdict(dict)
            for day, user_id, minutes in rows:
                by_day[day][user_id] = minutes
            snapshots = await conn.execute(
                select(group_days.c.day, group_days.c.required).where(
                    group_days.c.group_id == group_id
                )
            )
            required = {r.day: r.required for r in snapshots}
        active = {
            day: 1
            for day, minutes in by_day.items()
            if day in required and day_active(minutes, minimum, required[day])
        }
        return recompute(active, today, GROUP_RULES)


def _member_groups(conn: Connection, guild_id: int, user_id: int) -> list[Group]:
    mine = select(group_members.c.group_id).where(
        group_members.c.guild_id == guild_id, group_members.c.user_id == user_id
    )
    rows = conn.execute(
        counted_groups().where(study_groups.c.id.in_(mine)).order_by(study_groups.c.id)
    )
    return [group_of(r) for r in rows]


def _lock_groups(conn: Connection, group_ids: list[int]) -> None:
    """On PostgreSQL, take the groups' rows FOR UPDATE (in id order, so two logs never wait on
    each other crosswise) before a group day is read and written: two members logging at once
    would otherwise both find no day row and both insert it, or both judge it on their own minutes
    alone. SQLite's single writer already runs these one at a time."""
    if group_ids and conn.dialect.name == "postgresql":
        conn.execute(
            select(study_groups.c.id)
            .where(study_groups.c.id.in_(group_ids))
            .order_by(study_groups.c.id)
            .with_for_update()
        )


def _day_minutes(conn: Connection, group_id: int, day: date) -> dict[int, int]:
    rows = conn.execute(
        select(group_member_days.c.user_id, group_member_days.c.minutes).where(
            group_member_days.c.group_id == group_id, group_member_days.c.day == day
        )
    )
    return {r.user_id: r.minutes for r in rows}


def _refresh_day(conn: Connection, group: Group, day: date, minimum: int) -> bool:
    """Re-judge one group day with the current quorum; True when it has just become active."""
    key = and_(group_days.c.group_id == group.id, group_days.c.day == day)
    row = conn.execute(select(group_days.c.active).where(key)).first()
    if row is not None and row.active:
        return False  # active days keep their snapshot: a later join cannot undo them
    required = effective_quorum(group.quorum, group.member_count)
    active = day_active(_day_minutes(conn, group.id, day), minimum, required)
    if row is None:
        conn.execute(
            group_days.insert().values(group_id=group.id, day=day, required=required, active=active)
        )
    else:
        conn.execute(update(group_days).where(key).values(required=required, active=active))
    return active


def _streak_context(
    conn: Connection, group_id: int, *, lock: bool
) -> tuple[StreakState, set[date]]:
    query: Any = select(group_streaks).where(group_streaks.c.group_id == group_id)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    state = (
        StreakState(
            row.checkpoint_day,
            row.current,
            row.longest,
            row.freezes,
            row.frozen_days,
            row.last_active,
        )
        if row
        else StreakState()
    )
    where = [group_days.c.group_id == group_id, group_days.c.active.is_(True)]
    if state.day is not None:
        where.append(group_days.c.day > state.day)
    days = conn.execute(select(group_days.c.day).where(*where))
    return state, set(days.scalars())


def _save_state(conn: Connection, group_id: int, state: StreakState) -> None:
    upsert_sync(
        conn,
        group_streaks,
        {
            "group_id": group_id,
            "checkpoint_day": state.day,
            "current": state.current,
            "longest": state.longest,
            "freezes": state.freezes,
            "frozen_days": state.frozen_days,
            "last_active": state.last_active,
        },
        keys=("group_id",),
    )
