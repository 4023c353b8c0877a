"""`backup` copies a consistent database while writes continue."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.backup import backup_sqlite
from bot.storage.engine import sqlite_path
from bot.storage.settings_repo import SettingsRepository

NOW = datetime(2026, 5, 1, tzinfo=UTC)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # PostgreSQL uses pg_dump
async def test_backup_during_writes_holds_every_earlier_write(
    engine: AsyncEngine, database_url: str, tmp_path: Path
) -> None:
    repo = SettingsRepository(engine, default_timezone="UTC", streak_minimum=15)
    for guild_id in range(50):
        await repo.update_guild(guild_id, NOW, streak_minimum=guild_id + 1)

    stop = asyncio.Event()

    async def keep_writing() -> None:
        guild_id = 1000
        while not stop.is_set():
            await repo.update_guild(guild_id, NOW, streak_minimum=5)
            guild_id += 1

    writer = asyncio.create_task(keep_writing())
    await asyncio.sleep(0.05)
    source = sqlite_path(database_url)
    assert source is not None
    target = tmp_path / "copies" / "backup.db"
    await asyncio.to_thread(backup_sqlite, source, target)
    stop.set()
    await writer

    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = dict(copy.execute("SELECT guild_id, streak_minimum FROM guild_settings").fetchall())
    finally:
        copy.close()
    for guild_id in range(50):
        assert rows[guild_id] == guild_id + 1
