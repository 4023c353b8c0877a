"""Migrations build the schema that `bot.storage.tables` describes, from an empty database."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import migrate
from bot.storage.engine import create_engine
from bot.storage.schema import metadata


async def test_empty_database_migrates_to_head(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/new/folder/bot.db"
    engine = create_engine(url)
    try:
        assert await migrate.current_revision(engine) is None
        assert not await migrate.is_up_to_date(engine)
        await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) == migrate.head_revision()
        await migrate.upgrade(engine)  # a second run is a no-op
        assert await migrate.is_up_to_date(engine)
    finally:
        await engine.dispose()
    assert (tmp_path / "new" / "folder" / "bot.db").exists()


async def test_migrations_match_the_table_definitions(engine: AsyncEngine) -> None:
    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    async with engine.connect() as connection:
        differences = await connection.run_sync(diff)
    assert differences == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_sqlite_pragmas_are_applied(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        journal = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
        foreign_keys = (await connection.execute(text("PRAGMA foreign_keys"))).scalar_one()
        synchronous = (await connection.execute(text("PRAGMA synchronous"))).scalar_one()
    assert journal == "wal"
    assert foreign_keys == 1
    assert synchronous == 1  # NORMAL


async def test_every_migration_downgrades_cleanly(engine: AsyncEngine) -> None:
    def down(connection: Connection) -> None:
        from alembic import command

        config = migrate.alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "base")

    async with engine.begin() as connection:
        await connection.run_sync(down)
    assert await migrate.current_revision(engine) is None
    await migrate.upgrade(engine)
    assert await migrate.is_up_to_date(engine)
