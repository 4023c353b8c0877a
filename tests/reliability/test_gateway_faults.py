"""The gateway drops under the bot: it resumes or identifies again and keeps answering, and a
scheduled post in flight across the drop goes out exactly once.

discord.py waits 5 s before a fresh IDENTIFY after an invalid session (its default
`before_identify_hook`, which paces identifies the way Discord asks). StudyBot keeps that default,
so the non-resumable case takes those 5 s here too: it tests what runs in production.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.storage.tables import study_sessions
from tests.e2e.scheduling_helpers import add_channel, posts, schedule_challenges
from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember
from tests.reliability.helpers import until

ROUTE = "POST /channels/{id}/messages"
MONDAY_NINE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _close(discord: FakeDiscord) -> Awaitable[None]:
    return discord.gateway_close(code=4000)


def _reconnect(discord: FakeDiscord) -> Awaitable[None]:
    return discord.gateway_send_reconnect()


def _invalid_resumable(discord: FakeDiscord) -> Awaitable[None]:
    return discord.gateway_invalid_session(resumable=True)


def _invalid(discord: FakeDiscord) -> Awaitable[None]:
    return discord.gateway_invalid_session(resumable=False)


FAULTS: dict[str, tuple[Callable[[FakeDiscord], Awaitable[None]], str]] = {
    "websocket closed (4000)": (_close, "resume"),
    "op 7 reconnect": (_reconnect, "resume"),
    "op 9 invalid session, resumable": (_invalid_resumable, "resume"),
    "op 9 invalid session": (_invalid, "identify"),
}


async def _notes(runner: BotRunner) -> list[str]:
    async with runner.bot.engine.connect() as conn:
        rows = await conn.execute(select(study_sessions.c.note).order_by(study_sessions.c.id))
        return [str(note) for (note,) in rows]


@pytest.mark.parametrize(("fault", "expected"), FAULTS.values(), ids=FAULTS.keys())
async def test_the_bot_comes_back_and_the_post_in_flight_goes_out_once(
    fault: Callable[[FakeDiscord], Awaitable[None]],
    expected: str,
    runner: BotRunner,
    discord: FakeDiscord,
    guild: FakeGuild,
    mod: FakeMember,
    alice: FakeMember,
) -> None:
    channel = await add_channel(runner, guild, "challenges")
    await schedule_challenges(discord, mod, guild, channel)
    runner.clock.set(MONDAY_NINE)
    before = await discord.slash(alice, guild, "log", topic="git-basics", minutes=20, note="before")
    assert "Logged" in before.content
    gateway = discord.gateway
    identifies, resumes = gateway.identify_count, gateway.resume_count

    # The timer fires; its post is in flight (held by the fake) when the gateway drops.
    held = discord.hold_next(ROUTE)
    run = asyncio.create_task(runner.bot.run_due())
    await held.reached.wait()
    await fault(discord)
    if expected == "resume":
        await until(
            lambda: gateway.resume_count == resumes + 1 and gateway.session_for(guild.id),
            "a RESUME",
        )
        assert gateway.identify_count == identifies
    else:
        await until(
            lambda: gateway.identify_count == identifies + 1 and gateway.session_for(guild.id),
            "a fresh IDENTIFY",
        )
        assert gateway.resume_count == resumes

    after = await discord.slash(alice, guild, "log", topic="git-basics", minutes=25, note="after")
    assert "Logged" in after.content
    assert not run.done()
    held.release()
    assert await run == 1
    await runner.run_due()  # a later run (the retry job) finds nothing left to send
    assert len(posts(discord, channel)) == 1
    assert len(discord.requests_to(ROUTE)) == 1
    assert await _notes(runner) == ["before", "after"]
    # The server's cache came back whole: the moderator's schedule commands still resolve it.
    assert runner.bot.get_channel(channel.id) is not None
    shown = await discord.slash(mod, guild, "schedule show")
    assert "Last post" in shown.embeds[0]["fields"][0]["value"]
