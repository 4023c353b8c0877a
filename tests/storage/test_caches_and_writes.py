"""Settings served from memory stay right, and SQLite writers take turns without errors."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.settings_repo import SettingsRepository
from bot.storage.tables import member_totals
from bot.storage.upsert import increment

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


async def test_a_settings_change_is_seen_at_once(engine: AsyncEngine) -> None:
    repo = SettingsRepository(engine, default_timezone="UTC", streak_minimum=15)
    assert (await repo.guild(1)).timezone == "UTC"  # now remembered
    await repo.update_guild(1, NOW, timezone="Asia/Tokyo", streak_minimum=30)
    assert (await repo.guild(1)).timezone == "Asia/Tokyo"
    assert (await repo.guilds([1, 2])) == {
        1: await repo.guild(1),
        2: await repo.guild(2),
    }
    assert (await repo.guilds([2]))[2].streak_minimum == 15

    assert await repo.track(1, 5) is None
    await repo.update_member(1, 5, NOW, track="python", timezone="Europe/Berlin")
    assert await repo.track(1, 5) == "python"
    assert (await repo.member(1, 5)).timezone == "Europe/Berlin"


async def test_many_concurrent_writers_all_land(engine: AsyncEngine) -> None:
    """50 tasks adding to the same running total at once: every addition counted, none lost."""

    async def add(n: int) -> None:
        async with engine.begin() as conn:
            key = {"guild_id": 1, "user_id": 2}
            await increment(conn, member_totals, key, minutes=n, sessions=1)

    await asyncio.gather(*(add(n) for n in range(1, 51)))
    async with engine.connect() as conn:
        row = (await conn.execute(select(member_totals))).one()
    assert (row.minutes, row.sessions) == (sum(range(1, 51)), 50)


async def test_a_task_may_nest_write_transactions(engine: AsyncEngine) -> None:
    async with engine.begin() as outer:
        await increment(outer, member_totals, {"guild_id": 1, "user_id": 3}, minutes=1, sessions=1)
        async with engine.begin() as inner:  # a read in its own transaction, same task
            await inner.execute(select(member_totals))
