"""Fixtures for end-to-end tests: the real StudyBot against a fresh fake Discord per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.databases import ENGINES, create_database, drop_database
from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild
from tests.fakediscord.runner import DATABASE_URL_VARIABLE


@pytest.fixture
async def runner(
    discord: FakeDiscord, guild: FakeGuild, tmp_path: Path
) -> AsyncIterator[BotRunner]:
    async with BotRunner(discord, data_dir=tmp_path) as running:
        yield running


@pytest.fixture(autouse=True, params=ENGINES)
async def database_engine(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[str]:
    """Every end-to-end test runs twice: on SQLite and on PostgreSQL (one database per test,
    kept across a restart within the test, as a deployment's database would be)."""
    if request.param == "sqlite":
        yield "sqlite"
        return
    admin = request.getfixturevalue("postgres_admin_url")
    url = await create_database(admin)
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    try:
        yield "postgresql"
    finally:
        await drop_database(admin, url)
