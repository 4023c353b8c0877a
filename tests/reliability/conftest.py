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
from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild


@pytest.fixture
async def runner(
    discord: FakeDiscord, guild: FakeGuild, tmp_path: Path
) -> AsyncIterator[BotRunner]:
    """The bot on a Sunday noon, the day before the scheduling tests' Monday 09:00 post."""
    async with BotRunner(discord, data_dir=tmp_path, clock=FakeClock(SUNDAY_NOON)) as running:
        yield running
