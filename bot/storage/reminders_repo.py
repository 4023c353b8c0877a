"""Reminder rows and the send ledger."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.reminders_tables import reminder_sends, reminders
from bot.storage.upsert import upsert

#: How stale this process's list of members whose reminders could not be delivered may be. The
#: leader process flags them; another process (another shard) learns of a flag within this time.
FLAGS_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class ReminderRow:
    guild_id: int
    user_id: int
    kind: str
    hours_before: int | None
    at: str | None
    days: str | None
    next_due_at: datetime
    undeliverable: bool


class RemindersRepository:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        # Every command asks whether its member has an undeliverable reminder; nearly all
        # have not. The few who have are kept in memory so the others cost no query.
        self._flagged: set[tuple[int, int]] = set()
        self._flagged_at = -FLAGS_SECONDS
        self._flags_read = asyncio.Lock()

    async def save(
        self,
        guild_id: int,
        user_id: int,
        kind: str,
        *,
        next_due_at: datetime,
        now: datetime,
        hours_before: int | None = None,
        at: str | None = None,
        days: str | None = None,
    ) -> None:
        async with self._engine.begin() as conn:
            await upsert(
                conn,
                reminders,
                {
                    "guild_id": guild_id,
                    "user_id": user_id,
                    "kind": kind,
                    "hours_before": hours_before,
                    "at": at,
                    "days": days,
                    "next_due_at": next_due_at,
                    "updated_at": now,
                },
                keys=("guild_id", "user_id", "kind"),
            )

    async def remove(self, guild_id: int, user_id: int, kind: str | None = None) -> int:
        where = [reminders.c.guild_id == guild_id, reminders.c.user_id == user_id]
        if kind is not None:
            where.append(reminders.c.kind == kind)
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(reminders).where(*where))
            return max(result.rowcount or 0, 0)

    async def for_member(self, guild_id: int, user_id: int) -> list[ReminderRow]:
        return await self._rows(
            and_(reminders.c.guild_id == guild_id, reminders.c.user_id == user_id)
        )

    async def in_guild(self, guild_id: int) -> list[ReminderRow]:
        return await self._rows(reminders.c.guild_id == guild_id)

    async def due(self, now: datetime, limit: int = 5000) -> list[ReminderRow]:
        """Reminders due at or before `now`, oldest first (the indexed sweep query)."""
        return await self._rows(reminders.c.next_due_at <= now, limit=limit)

    async def reschedule(self, row: ReminderRow, next_due_at: datetime) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(reminders)
                .where(
                    reminders.c.guild_id == row.guild_id,
                    reminders.c.user_id == row.user_id,
                    reminders.c.kind == row.kind,
                )
                .values(next_due_at=next_due_at)
            )

    async def set_undeliverable(self, guild_id: int, user_id: int, value: bool) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(reminders)
                .where(reminders.c.guild_id == guild_id, reminders.c.user_id == user_id)
                .values(undeliverable=value)
            )
        async with self._flags_read:  # not overwritten by a re-read that began before this
            if value:
                self._flagged.add((guild_id, user_id))
            else:
                self._flagged.discard((guild_id, user_id))

    async def has_undeliverable(self, guild_id: int, user_id: int) -> bool:
        """Whether a reminder could not reach the member: from memory for everyone not flagged,
        checked against the database for the flagged (their reminder may be gone since)."""
        if (guild_id, user_id) not in await self._flagged_members():
            return False
        async with self._engine.connect() as conn:
            found = await conn.scalar(
                select(reminders.c.kind).where(
                    reminders.c.guild_id == guild_id,
                    reminders.c.user_id == user_id,
                    reminders.c.undeliverable.is_(True),
                )
            )
        return found is not None

    async def _flagged_members(self) -> set[tuple[int, int]]:
        if time.monotonic() - self._flagged_at < FLAGS_SECONDS:
            return self._flagged
        async with self._flags_read:
            if time.monotonic() - self._flagged_at >= FLAGS_SECONDS:
                async with self._engine.connect() as conn:
                    rows = await conn.execute(
                        select(reminders.c.guild_id, reminders.c.user_id)
                        .where(reminders.c.undeliverable.is_(True))
                        .distinct()
                    )
                    self._flagged = {(r.guild_id, r.user_id) for r in rows}
                self._flagged_at = time.monotonic()
        return self._flagged

    async def claim_send(self, row: ReminderRow, local_date: date, via: str, now: datetime) -> bool:
        """Record a send for the member, kind and local date; False if one exists already."""
        try:
            async with self._engine.begin() as conn:
                await conn.execute(
                    reminder_sends.insert().values(
                        guild_id=row.guild_id,
                        user_id=row.user_id,
                        kind=row.kind,
                        local_date=local_date,
                        via=via,
                        sent_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True

    async def update_send(self, row: ReminderRow, local_date: date, via: str) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(reminder_sends)
                .where(
                    reminder_sends.c.guild_id == row.guild_id,
                    reminder_sends.c.user_id == row.user_id,
                    reminder_sends.c.kind == row.kind,
                    reminder_sends.c.local_date == local_date,
                )
                .values(via=via)
            )

    async def _rows(self, where: object, limit: int | None = None) -> list[ReminderRow]:
        query = select(reminders).where(where).order_by(reminders.c.next_due_at)  # type: ignore[arg-type]
        if limit is not None:
            query = query.limit(limit)
        async with self._engine.connect() as conn:
            rows = await conn.execute(query)
            return [
                ReminderRow(
                    guild_id=r.guild_id,
                    user_id=r.user_id,
                    kind=r.kind,
                    hours_before=r.hours_before,
                    at=r.at,
                    days=r.days,
                    next_due_at=r.next_due_at,
                    undeliverable=r.undeliverable,
                )
                for r in rows
            ]
