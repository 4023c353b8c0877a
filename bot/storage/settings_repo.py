"""Reads and writes guild and member settings; fills unset values with the configured defaults."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.core.settings import GuildConfig, MemberConfig
from bot.storage.tables import guild_settings, member_settings
from bot.storage.upsert import upsert

CACHE_SECONDS = 60.0
MEMBERS_KEPT = 100_000  # about 20 MB at most


class SettingsRepository:
    def __init__(self, engine: AsyncEngine, *, default_timezone: str, streak_minimum: int) -> None:
        self._engine = engine
        self._default_timezone = default_timezone
        self._streak_minimum = streak_minimum
        # Settings are read by nearly every command (a /log needed the server's three times and
        # the member's once) and change rarely: they are kept in memory, replaced at once by
        # `update_guild` / `update_member` (the only writers), and read again after
        # CACHE_SECONDS in case another process changed them. Autocomplete needs the member's
        # track from memory.
        self._guilds: dict[int, tuple[float, GuildConfig]] = {}
        self._members: dict[tuple[int, int], tuple[float, MemberConfig]] = {}

    async def track(self, guild_id: int, user_id: int) -> str | None:
        return (await self.member(guild_id, user_id)).track

    def forget_member(self, guild_id: int, user_id: int) -> None:
        """Drop cached values after a member's rows were deleted."""
        self._members.pop((guild_id, user_id), None)

    async def guild(self, guild_id: int, conn: AsyncConnection | None = None) -> GuildConfig:
        """The server's settings; from memory unless inside a transaction (`conn`)."""
        if conn is None:
            cached = self._guilds.get(guild_id)
            if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
                return cached[1]
        query = select(guild_settings).where(guild_settings.c.guild_id == guild_id)
        config = self._config(guild_id, await self._fetch_one(query, conn))
        if conn is None:  # values read inside a transaction are cached once it commits
            self._guilds[guild_id] = (time.monotonic(), config)
        return config

    async def guilds(self, guild_ids: Iterable[int]) -> dict[int, GuildConfig]:
        """Many servers' settings in one query per thousand (the scheduler's passes, start-up)."""
        now = time.monotonic()
        found: dict[int, GuildConfig] = {}
        missing = []
        for guild_id in set(guild_ids):
            cached = self._guilds.get(guild_id)
            if cached is not None and now - cached[0] < CACHE_SECONDS:
                found[guild_id] = cached[1]
            else:
                missing.append(guild_id)
        if not missing:
            return found
        async with self._engine.connect() as conn:
            for start in range(0, len(missing), 1000):
                chunk = missing[start : start + 1000]
                rows = await conn.execute(
                    select(guild_settings).where(guild_settings.c.guild_id.in_(chunk))
                )
                by_id = {row.guild_id: row for row in rows}
                for guild_id in chunk:
                    found[guild_id] = self._config(guild_id, by_id.get(guild_id))
                    self._guilds[guild_id] = (now, found[guild_id])
        return found

    def _config(self, guild_id: int, row: Any) -> GuildConfig:
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
            config = await self.guild(guild_id, conn)
        self._guilds[guild_id] = (time.monotonic(), config)
        return config

    async def member(
        self, guild_id: int, user_id: int, conn: AsyncConnection | None = None
    ) -> MemberConfig:
        """The member's settings; from memory unless inside a transaction (`conn`)."""
        key = (guild_id, user_id)
        if conn is None:
            cached = self._members.get(key)
            if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
                return cached[1]
        query = select(member_settings).where(
            member_settings.c.guild_id == guild_id, member_settings.c.user_id == user_id
        )
        row = await self._fetch_one(query, conn)
        member = MemberConfig(
            guild_id=guild_id,
            user_id=user_id,
            timezone=row.timezone if row else None,
            track=row.track if row else None,
        )
        if conn is None:
            self._remember(key, member)
        return member

    def _remember(self, key: tuple[int, int], member: MemberConfig) -> None:
        if len(self._members) >= MEMBERS_KEPT:
            self._members.pop(next(iter(self._members)))  # the oldest entry
        self._members[key] = (time.monotonic(), member)

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
        self._remember((guild_id, user_id), member)
        return member

    async def _fetch_one(self, query: Any, conn: AsyncConnection | None) -> Any:
        if conn is not None:
            return (await conn.execute(query)).first()
        async with self._engine.connect() as own:
            return (await own.execute(query)).first()
