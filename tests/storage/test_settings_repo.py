from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.settings_repo import SettingsRepository
from bot.storage.tables import guild_settings

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


async def test_guild_defaults_then_updates(engine: AsyncEngine) -> None:
    repo = SettingsRepository(engine, default_timezone="Europe/Berlin", streak_minimum=15)
    config = await repo.guild(42)
    assert (config.timezone, config.streak_minimum, config.moderator_role_id) == (
        "Europe/Berlin",
        15,
        None,
    )
    await repo.update_guild(42, NOW, timezone="Asia/Tokyo")
    updated = await repo.update_guild(42, NOW, streak_minimum=30)
    assert (updated.timezone, updated.streak_minimum) == ("Asia/Tokyo", 30)
    assert (await repo.guild(43)).timezone == "Europe/Berlin"


async def test_member_settings_round_trip(engine: AsyncEngine) -> None:
    repo = SettingsRepository(engine, default_timezone="UTC", streak_minimum=15)
    member = await repo.member(1, 2)
    assert (member.timezone, member.track) == (None, None)
    await repo.update_member(1, 2, NOW, track="go")
    member = await repo.update_member(1, 2, NOW, timezone="America/New_York")
    assert (member.timezone, member.track) == ("America/New_York", "go")
    assert str(member.zone(await repo.guild(1))) == "America/New_York"


async def test_times_come_back_aware_and_naive_times_are_refused(engine: AsyncEngine) -> None:
    repo = SettingsRepository(engine, default_timezone="UTC", streak_minimum=15)
    await repo.update_guild(7, NOW, timezone="UTC")
    async with engine.connect() as conn:
        stored = (await conn.execute(guild_settings.select())).one().updated_at
    assert stored == NOW
    assert stored.tzinfo is not None
    with pytest.raises(Exception, match="naive"):
        await repo.update_guild(7, datetime(2026, 1, 1), timezone="UTC")  # noqa: DTZ001
