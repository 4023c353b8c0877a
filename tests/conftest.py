"""Fixtures shared by every test package: the PostgreSQL server of this run, and a fresh fake
Discord with a server and two members for the tests that drive the bot."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.databases import start_postgres
from tests.fakediscord import FakeDiscord, FakeGuild, FakeMember


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    # Not under pytest's basetemp: a second pytest run on the machine rotates old basetemp
    # folders away, and must not delete a live server's data directory.
    folder = Path(tempfile.mkdtemp(prefix="studybot-postgres-"))
    try:
        yield from start_postgres(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
async def discord() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as fake:
        yield fake
        assert fake.violations == [], "the bot broke a Discord limit or schema"


@pytest.fixture
async def guild(discord: FakeDiscord) -> FakeGuild:
    return discord.create_guild("Backend Learners")


@pytest.fixture
async def alice(guild: FakeGuild) -> FakeMember:
    return guild.add_member("alice")


@pytest.fixture
async def mod(guild: FakeGuild) -> FakeMember:
    return guild.add_member("mod", permissions={"manage_guild"})
