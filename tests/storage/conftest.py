from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import migrate
from bot.storage.engine import create_engine
from tests.databases import ENGINES, create_database, drop_database


@pytest.fixture(params=ENGINES)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Every storage test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/db/bot.db"
        return
    admin = request.getfixturevalue("postgres_admin_url")
    url = await create_database(admin)
    try:
        yield url
    finally:
        await drop_database(admin, url)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated database of its own for each test."""
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    try:
        yield engine
    finally:
        await engine.dispose()
