"""Settings served from memory stay right, and writers take turns without errors."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.engine import create_engine, run_write
from bot.storage.settings_repo import SettingsRepository
from bot.storage.tables import member_totals
from bot.storage.upsert import increment, increment_sync

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


async def test_run_write_commits_rolls_back_and_takes_turns_with_begin(engine: AsyncEngine) -> None:
    """One-call write transactions (`run_write`) and `begin()` writers, all at once: every
    addition lands, and a unit of work that raises leaves nothing behind."""
    key = {"guild_id": 1, "user_id": 4}

    def add(n: int, *, fail: bool = False) -> Callable[[Connection], int]:
        def work(conn: Connection) -> int:
            increment_sync(conn, member_totals, key, minutes=n, sessions=1)
            if fail:
                raise RuntimeError("rolled back")
            return n

        return work

    async def add_async(n: int) -> None:
        async with engine.begin() as conn:
            await increment(conn, member_totals, key, minutes=n, sessions=1)

    async def add_failing() -> None:
        with pytest.raises(RuntimeError):
            await run_write(engine, add(1000, fail=True))

    results = await asyncio.gather(
        *(run_write(engine, add(n)) for n in range(1, 26)),
        *(add_async(n) for n in range(26, 51)),
        add_failing(),
    )
    assert results[:25] == list(range(1, 26))
    async with engine.connect() as conn:
        row = (await conn.execute(select(member_totals).where(member_totals.c.user_id == 4))).one()
    assert (row.minutes, row.sessions) == (sum(range(1, 51)), 50)


async def test_run_write_on_a_memory_database_uses_that_database() -> None:
    engine = create_engine("sqlite+aiosqlite://")
    try:
        async with engine.begin() as conn:
            await conn.run_sync(member_totals.create)
        key = {"guild_id": 1, "user_id": 2}
        await run_write(
            engine,
            lambda conn: increment_sync(conn, member_totals, key, minutes=5, sessions=1),
        )
        async with engine.connect() as conn:
            assert (await conn.execute(select(member_totals.c.minutes))).scalar_one() == 5
    finally:
        await engine.dispose()
