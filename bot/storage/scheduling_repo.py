"""Schedules and the posts ledger: what is due where, and what was already sent."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.batch import chunked
from bot.storage.scheduling_tables import posts, schedules
from bot.storage.upsert import upsert

_latest = posts.alias("latest")
PostKey = tuple[int, str, str]  # (guild_id, kind, period): what the ledger is unique on
KEYS_PER_QUERY = 900  # three bound values each, well under SQLite's limit


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

    async def finish_sent(self, sent: list[tuple[int, int]], now: datetime) -> None:
        """Record many posts as sent, [(post_id, message_id)], in one transaction."""
        if not sent:
            return
        statement = (
            update(posts)
            .where(posts.c.id == bindparam("post_id"))
            .values(
                status="sent",
                error=None,
                message_id=bindparam("sent_message_id"),
                sent_at=now,
                attempts=posts.c.attempts + 1,
            )
        )
        async with self._engine.begin() as conn:
            await conn.execute(
                statement, [{"post_id": post, "sent_message_id": message} for post, message in sent]
            )

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
        return (await self.item_counts_for([guild_id], kind))[guild_id]

    async def item_counts_for(self, guild_ids: Iterable[int], kind: str) -> dict[int, Counter[str]]:
        found: dict[int, Counter[str]] = defaultdict(Counter)
        async with self._engine.connect() as conn:
            for chunk in chunked(guild_ids):
                rows = await conn.execute(
                    select(posts.c.guild_id, posts.c.item_id, func.count())
                    .where(
                        posts.c.guild_id.in_(chunk),
                        posts.c.kind == kind,
                        posts.c.status.in_(("sent", "claimed")),
                        posts.c.item_id.is_not(None),
                    )
                    .group_by(posts.c.guild_id, posts.c.item_id)
                )
                for guild_id, item, count in rows:
                    found[guild_id][item] = count
        return found

    async def last_sent_for(self, guild_ids: Iterable[int], kind: str) -> dict[int, PostRow]:
        """Each server's latest sent post of `kind` (servers without one are left out)."""
        found: dict[int, PostRow] = {}
        for chunk in chunked(guild_ids):
            latest = (
                select(func.max(posts.c.due_at))
                .where(
                    posts.c.guild_id == _latest.c.guild_id,
                    posts.c.kind == kind,
                    posts.c.status == "sent",
                )
                .scalar_subquery()
            )
            where = and_(
                _latest.c.guild_id.in_(chunk),
                _latest.c.kind == kind,
                _latest.c.status == "sent",
                _latest.c.due_at == latest,
            )
            async with self._engine.connect() as conn:
                rows = await conn.execute(select(_latest).where(where))
                for post in map(_post_row, rows):
                    found.setdefault(post.guild_id, post)
        return found

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

    async def posts_for(self, keys: Iterable[PostKey]) -> dict[PostKey, PostRow]:
        """The ledger rows of many (server, kind, period) at once: a scheduler pass reads every
        due schedule's row with a query per thousand, not a query per schedule."""
        wanted = list(dict.fromkeys(keys))
        found: dict[PostKey, PostRow] = {}
        for start in range(0, len(wanted), KEYS_PER_QUERY):
            chunk = wanted[start : start + KEYS_PER_QUERY]
            where = tuple_(posts.c.guild_id, posts.c.kind, posts.c.period).in_(chunk)
            for post in await self._posts(where):
                found[(post.guild_id, post.kind, post.period)] = post
        return found

    async def claim_many(self, values: list[dict[str, Any]]) -> list[PostRow]:
        """Insert many ledger rows in one transaction; return those inserted (a row whose period
        already has one is left out, as `claim` would return False for it)."""
        if not values:
            return []
        async with self._engine.begin() as conn:
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            statement = (
                dialect.insert(posts)
                .on_conflict_do_nothing(index_elements=["guild_id", "kind", "period"])
                .returning(*posts.c)
            )
            rows = await conn.execute(statement, [{"attempts": 0, **v} for v in values])
            return [_post_row(r) for r in rows]

    async def mark_missed(self, post_ids: list[int]) -> None:
        """Record claimed posts whose grace window passed (one statement for all)."""
        if not post_ids:
            return
        async with self._engine.begin() as conn:
            await conn.execute(
                update(posts)
                .where(posts.c.id.in_(post_ids))
                .values(status="missed", error="grace window passed")
            )

    async def _posts(
        self, where: Any, *, order: Any = None, limit: int | None = None
    ) -> list[PostRow]:
        query = select(posts).where(where).order_by(order if order is not None else posts.c.id)
        if limit is not None:
            query = query.limit(limit)
        async with self._engine.connect() as conn:
            rows = await conn.execute(query)
            return [_post_row(r) for r in rows]


def _post_row(r: Any) -> PostRow:
    return PostRow(
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
