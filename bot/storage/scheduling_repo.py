"""Schedules and the posts ledger: what is due where, and what was already sent."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.scheduling_tables import posts, schedules
from bot.storage.upsert import upsert


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    guild_id: int
    kind: str
    channel_id: int
    days: str
    at: str
    enabled: bool
    status: str
    reason: str | None
    active_since: datetime


@dataclass(frozen=True, slots=True)
class PostRow:
    id: int
    guild_id: int
    kind: str
    period: str
    status: str
    due_at: datetime
    item_id: str | None
    channel_id: int | None
    message_id: int | None
    nonce: str
    attempts: int
    error: str | None
    sent_at: datetime | None


class SchedulingRepository:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def save(
        self, guild_id: int, kind: str, *, channel_id: int, days: str, at: str, now: datetime
    ) -> ScheduleRow:
        """Create or replace a schedule; it starts active and clears any broken status."""
        values = {
            "guild_id": guild_id,
            "kind": kind,
            "channel_id": channel_id,
            "days": days,
            "at": at,
            "enabled": True,
            "status": "active",
            "reason": None,
            "active_since": now,
            "updated_at": now,
        }
        async with self._engine.begin() as conn:
            await upsert(conn, schedules, values, keys=("guild_id", "kind"))
        return ScheduleRow(**{k: v for k, v in values.items() if k != "updated_at"})  # type: ignore[arg-type]

    async def get(self, guild_id: int, kind: str) -> ScheduleRow | None:
        rows = await self._schedules(
            and_(schedules.c.guild_id == guild_id, schedules.c.kind == kind)
        )
        return rows[0] if rows else None

    async def for_guild(self, guild_id: int) -> list[ScheduleRow]:
        return await self._schedules(schedules.c.guild_id == guild_id)

    async def runnable(
        self, guild_id: int | None = None, kind: str | None = None
    ) -> list[ScheduleRow]:
        """Enabled, not broken schedules (optionally one server's, one kind)."""
        where = [schedules.c.enabled.is_(True), schedules.c.status == "active"]
        if guild_id is not None:
            where.append(schedules.c.guild_id == guild_id)
        if kind is not None:
            where.append(schedules.c.kind == kind)
        return await self._schedules(and_(*where))

    async def set_state(
        self,
        guild_id: int,
        kind: str,
        *,
        now: datetime,
        enabled: bool | None = None,
        status: str | None = None,
        reason: str | None = None,
        reactivate: bool = False,
    ) -> None:
        values: dict[str, Any] = {"updated_at": now}
        if enabled is not None:
            values["enabled"] = enabled
        if status is not None:
            values["status"] = status
            values["reason"] = reason
        if reactivate:
            values["active_since"] = now
        async with self._engine.begin() as conn:
            await conn.execute(
                update(schedules)
                .where(schedules.c.guild_id == guild_id, schedules.c.kind == kind)
                .values(**values)
            )

    async def post(self, guild_id: int, kind: str, period: str) -> PostRow | None:
        rows = await self._posts(
            and_(posts.c.guild_id == guild_id, posts.c.kind == kind, posts.c.period == period)
        )
        return rows[0] if rows else None

    async def pending(self) -> list[PostRow]:
        """Claimed posts not yet delivered: what a retry pass looks at."""
        return await self._posts(posts.c.status == "claimed")

    async def claim(
        self,
        *,
        guild_id: int,
        kind: str,
        period: str,
        due_at: datetime,
        item_id: str | None,
        channel_id: int,
        nonce: str,
        now: datetime,
        status: str = "claimed",
    ) -> bool:
        """Insert the ledger row; False when this period already has one (someone else won)."""
        try:
            async with self._engine.begin() as conn:
                await conn.execute(
                    posts.insert().values(
                        guild_id=guild_id,
                        kind=kind,
                        period=period,
                        status=status,
                        due_at=due_at,
                        item_id=item_id,
                        channel_id=channel_id,
                        nonce=nonce,
                        attempts=0,
                        created_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True

    async def finish(
        self,
        post_id: int,
        *,
        status: str,
        now: datetime,
        message_id: int | None = None,
        error: str | None = None,
        attempted: bool = True,
    ) -> None:
        values: dict[str, Any] = {"status": status, "error": error}
        if message_id is not None:
            values["message_id"] = message_id
            values["sent_at"] = now
        if attempted:
            values["attempts"] = posts.c.attempts + 1
        async with self._engine.begin() as conn:
            await conn.execute(update(posts).where(posts.c.id == post_id).values(**values))

    async def last_sent(self, guild_id: int, kind: str) -> PostRow | None:
        rows = await self._posts(
            and_(posts.c.guild_id == guild_id, posts.c.kind == kind, posts.c.status == "sent"),
            order=posts.c.due_at.desc(),
            limit=1,
        )
        return rows[0] if rows else None

    async def missed(self, guild_id: int, kind: str, limit: int = 5) -> list[PostRow]:
        return await self._posts(
            and_(posts.c.guild_id == guild_id, posts.c.kind == kind, posts.c.status == "missed"),
            order=posts.c.due_at.desc(),
            limit=limit,
        )

    async def item_counts(self, guild_id: int, kind: str) -> Counter[str]:
        """How often each item was posted (or is being posted) in this server."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(posts.c.item_id, func.count())
                .where(
                    posts.c.guild_id == guild_id,
                    posts.c.kind == kind,
                    posts.c.status.in_(("sent", "claimed")),
                    posts.c.item_id.is_not(None),
                )
                .group_by(posts.c.item_id)
            )
            return Counter({item: count for item, count in rows})

    async def sent_in_periods(self, kind: str, guild_id: int) -> list[PostRow]:
        return await self._posts(
            and_(posts.c.guild_id == guild_id, posts.c.kind == kind, posts.c.status == "sent"),
            order=posts.c.due_at,
        )

    async def _schedules(self, where: Any) -> list[ScheduleRow]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(schedules).where(where).order_by(schedules.c.guild_id, schedules.c.kind)
            )
            return [
                ScheduleRow(
                    guild_id=r.guild_id,
                    kind=r.kind,
                    channel_id=r.channel_id,
                    days=r.days,
                    at=r.at,
                    enabled=r.enabled,
                    status=r.status,
                    reason=r.reason,
                    active_since=r.active_since,
                )
                for r in rows
            ]

    async def _posts(
        self, where: Any, *, order: Any = None, limit: int | None = None
    ) -> list[PostRow]:
        query = select(posts).where(where).order_by(order if order is not None else posts.c.id)
        if limit is not None:
            query = query.limit(limit)
        async with self._engine.connect() as conn:
            rows = await conn.execute(query)
            return [
                PostRow(
                    id=r.id,
                    guild_id=r.guild_id,
                    kind=r.kind,
                    period=r.period,
                    status=r.status,
                    due_at=r.due_at,
                    item_id=r.item_id,
                    channel_id=r.channel_id,
                    message_id=r.message_id,
                    nonce=r.nonce,
                    attempts=r.attempts,
                    error=r.error,
                    sent_at=r.sent_at,
                )
                for r in rows
            ]
