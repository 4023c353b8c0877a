"""Shared steps for the scheduling tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.schedules import WEEKDAYS, period_key
from bot.storage.engine import create_engine
from bot.storage.scheduling_repo import SchedulingRepository
from tests.fakediscord import FakeChannel, FakeDiscord, FakeGuild, FakeMember, FakeMessage

SUNDAY_NOON = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # the day before Monday 2026-03-02


async def schedule_challenges(
    discord: FakeDiscord, mod: FakeMember, guild: FakeGuild, channel: FakeChannel, **options: Any
) -> Any:
    reply = await discord.slash(
        mod,
        guild,
        "schedule challenges",
        channel=channel,
        day=options.get("day", "mon"),
        time=options.get("time", "09:00"),
    )
    assert reply.ephemeral
    return reply


async def challenge_due_now(database_url: str, guild: FakeGuild, channel: FakeChannel) -> str:
    """Write straight into the database a weekly challenge schedule (server in UTC) that is due
    this very minute of the real clock, for a bot running as its own process (SystemClock).
    Returns the ledger period of that post (its ISO week).

    The schedule is active since an hour ago, so its due time (this minute, second 0) is always
    in the past once this returns, and stays within the default grace (12 hours) for the rest of
    the test: a pass after the minute has turned still posts it."""
    now = datetime.now(UTC)
    engine = create_engine(database_url)
    try:
        await SchedulingRepository(engine).save(
            guild.id,
            "challenges",
            channel_id=channel.id,
            days=WEEKDAYS[now.weekday()],
            at=now.strftime("%H:%M"),
            now=now - timedelta(hours=1),
        )
    finally:
        await engine.dispose()
    return period_key("challenges", now.replace(second=0, microsecond=0), ZoneInfo("UTC"))


def posts(discord: FakeDiscord, channel: FakeChannel) -> list[FakeMessage]:
    return discord.messages_in(channel.id)


def titles(messages: list[FakeMessage]) -> list[str]:
    return [str(m.embeds[0]["title"]) for m in messages]


def submit_button(message: FakeMessage) -> str:
    for row in message.components:
        for component in row.get("components", []):
            if str(component.get("custom_id", "")).startswith("challenge:submit:"):
                return str(component["custom_id"])
    raise AssertionError("no Submit button on the post")


async def add_channel(runner: Any, guild: FakeGuild, name: str, **options: Any) -> FakeChannel:
    """Create a channel while the bot runs and wait until its CHANNEL_CREATE reached the cache,
    as a real server would before anyone could pick the channel in a command."""
    import asyncio

    channel = guild.add_text_channel(name, **options)
    for _ in range(100):
        if runner.bot.get_channel(channel.id) is not None:
            return channel
        await asyncio.sleep(0.01)
    raise AssertionError(f"the bot never learned about #{name}")
