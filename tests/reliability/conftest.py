"""Fixtures for the reliability tests: the real StudyBot against a fresh fake Discord per test.

Every test ends with `discord.violations == []`: whatever fault or input a test throws at the
bot, nothing it sends may break a Discord limit or ping anyone it should not.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import FakeClock
from tests.e2e.scheduling_helpers import SUNDAY_NOON
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
    """The bot on a Sunday noon, the day before the scheduling tests' Monday 09:00 post."""
    async with BotRunner(discord, data_dir=tmp_path, clock=FakeClock(SUNDAY_NOON)) as running:
        yield running
