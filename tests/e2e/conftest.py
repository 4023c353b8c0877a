"""Fixtures for end-to-end tests: the real StudyBot against a fresh fake Discord per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember


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


@pytest.fixture
async def runner(
    discord: FakeDiscord, guild: FakeGuild, tmp_path: Path
) -> AsyncIterator[BotRunner]:
    async with BotRunner(discord, data_dir=tmp_path) as running:
        yield running
