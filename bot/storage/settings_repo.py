"""Reads and writes guild and member settings; fills unset values with the configured defaults."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.core.settings import GuildConfig, MemberConfig
from bot.storage.tables import guild_settings, member_settings
from bot.storage.upsert import upsert


class SettingsRepository:
    def __init__(self, engine: AsyncEngine, *, default_timezone: str, streak_minimum: int) -> None:
        self._engine = engine
        self._default_timezone = default_timezone
        self._streak_minimum = streak_minimum
        # Autocomplete must answer from memory; a member's track is read once, then cached and
        # kept current by `update_member` (the only writer).
        self._tracks: dict[tuple[int, int], str | None] = {}

    async def track(self, guild_id: int, user_id: int) -> str | None:
        key = (guild_id, user_id)
        if key not in self._tracks:
            self._tracks[key] = (await self.member(guild_id, user_id)).track
        return self._tracks[key]

    def forget_member(self, guild_id: int, user_id: int) -> None:
        """Drop cached values after a member's rows were deleted."""
        self._tracks.pop((guild_id, user_id), None)

    async def guild(self, guild_id: int, conn: AsyncConnection | None = None) -> GuildConfig:
        query = select(guild_settings).where(guild_settings.c.guild_id == guild_id)
        row = await self._fetch_one(query, conn)
        return GuildConfig(
            guild_id=guild_id,
            timezone=(row and row.timezone) or self._default_timezone,
            moderator_role_id=row.moderator_role_id if row else None,
            streak_minimum=(row and row.streak_minimum) or self._streak_minimum,
            groups_channel_id=row.groups_channel_id if row else None,
            ping_role_id=row.ping_role_id if row else None,
            reminders_channel_id=row.reminders_channel_id if row else None,
        )

    async def update_guild(self, guild_id: int, now: datetime, **values: Any) -> GuildConfig:
        async with self._engine.begin() as conn:
            await upsert(
                conn,
                guild_settings,
                {"guild_id": guild_id, "updated_at": now, **values},
                keys=("guild_id",),
            )
            return await self.guild(guild_id, conn)

    async def member(
        self, guild_id: int, user_id: int, conn: AsyncConnection | None = None
    ) -> MemberConfig:
        query = select(member_settings).where(
            member_settings.c.guild_id == guild_id, member_settings.c.user_id == user_id
        )
        row = await self._fetch_one(query, conn)
        return MemberConfig(
            guild_id=guild_id,
            user_id=user_id,
            timezone=row.timezone if row else None,
            track=row.track if row else None,
        )

    async def update_member(
        self, guild_id: int, user_id: int, now: datetime, **values: Any
    ) -> MemberConfig:
        async with self._engine.begin() as conn:
            await upsert(
                conn,
                member_settings,
                {"guild_id": guild_id, "user_id": user_id, "updated_at": now, **values},
                keys=("guild_id", "user_id"),
            )
            member = await self.member(guild_id, user_id, conn)
        self._tracks[(guild_id, user_id)] = member.track
        return member

    async def _fetch_one(self, query: Any, conn: AsyncConnection | None) -> Any:
        if conn is not None:
            return (await conn.execute(query)).first()
        async with self._engine.connect() as own:
            return (await own.execute(query)).first()
