"""Scale-out: shards split across bot processes, one scheduler among them, health and metrics."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
from collections import Counter
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
from sqlalchemy import text

from bot.clock import FakeClock
from bot.storage import migrate
from bot.storage.engine import create_engine
from tests.e2e.scheduling_helpers import (
    SUNDAY_NOON,
    challenge_due_now,
    posts,
    schedule_challenges,
)
from tests.fakediscord import BotRunner, FakeChannel, FakeDiscord, FakeGuild, FakeMember
from tests.fakediscord.process import BotProcess, until
from tests.fakediscord.runner import DATABASE_URL_VARIABLE

pytestmark = pytest.mark.parametrize("database_engine", ["postgresql"], indirect=True)

#: What a process logs when it takes the scheduler's advisory lock (bot/scheduling/leader.py).
LEADER_LINE = "this process now runs the scheduler"
CALLBACK = "POST /interactions/{id}/{token}/callback"
CHANNEL_POST = "POST /channels/{id}/messages"


@pytest.fixture
def database_url(database_engine: str) -> str:
    """This test's fresh PostgreSQL database (made by the e2e `database_engine` fixture)."""
    return os.environ[DATABASE_URL_VARIABLE]


def shard_env(ids: list[int], count: int = 4) -> dict[str, str]:
    return {
        "STUDYBOT_DISCORD__SHARD_COUNT": str(count),
        "STUDYBOT_DISCORD__SHARD_IDS": json.dumps(ids),
        "STUDYBOT_SCHEDULING__LEADER_RETRY_SECONDS": "0.2",
    }


async def wait_for(condition: Callable[[], bool]) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


def recorder(seen: list[int]) -> Callable[[discord.Interaction], Coroutine[Any, Any, None]]:
    async def record(interaction: discord.Interaction) -> None:
        seen.append(interaction.guild_id or 0)

    return record


async def test_two_processes_with_two_shards_each_answer_every_server_once(tmp_path: Path) -> None:
    async with FakeDiscord(shard_count=4) as discord:
        guilds = [discord.create_guild(f"Server {n}") for n in range(16)]
        members = [guild.add_member(f"member-{n}") for n, guild in enumerate(guilds)]
        shards_used = {(guild.id >> 22) % 4 for guild in guilds}
        assert len(shards_used) > 1, "the fake's ids should spread servers over shards"
        async with (
            BotRunner(discord, data_dir=tmp_path / "a", env=shard_env([0, 1])) as first,
            BotRunner(discord, data_dir=tmp_path / "b", env=shard_env([2, 3])) as second,
        ):
            answered: dict[str, list[int]] = {"first": [], "second": []}
            for name, runner in (("first", first), ("second", second)):
                runner.bot.add_listener(recorder(answered[name]), "on_interaction")
            for guild, member in zip(guilds, members, strict=True):
                reply = await discord.slash(member, guild, "about")
                assert reply.embeds
            for guild in guilds:
                by_first = answered["first"].count(guild.id)
                by_second = answered["second"].count(guild.id)
                assert by_first + by_second == 1
                expected_first = (guild.id >> 22) % 4 in (0, 1)
                assert (by_first == 1) == expected_first
            assert sorted(first.bot.shards) == [0, 1]
            assert sorted(second.bot.shards) == [2, 3]
        assert discord.violations == []


async def test_two_bot_processes_with_two_shards_each_answer_every_server_once(
    tmp_path: Path, database_url: str
) -> None:
    """The same split as above with real OS processes: two `python -m bot run`, started at the
    same moment on one fresh PostgreSQL database (they migrate it together), shards 0-1 and
    2-3 of 4. Every server's /about is answered once, by the process that holds its shard."""
    async with FakeDiscord(shard_count=4) as fake:
        guilds: list[FakeGuild] = []
        per_shard: Counter[int] = Counter()
        while len(per_shard) < 4 or min(per_shard.values()) < 4:  # 16 with the fake's ids
            guilds.append(fake.create_guild(f"Server {len(guilds)}"))
            per_shard[(guilds[-1].id >> 22) % 4] += 1
        members = [guild.add_member(f"member-{n}") for n, guild in enumerate(guilds)]
        env = {"STUDYBOT_LOG_LEVEL": "INFO"}
        first = BotProcess(
            fake,
            data_dir=tmp_path / "first",
            database_url=database_url,
            env={**env, **shard_env([0, 1])},
            name="first",
        )
        second = BotProcess(
            fake,
            data_dir=tmp_path / "second",
            database_url=database_url,
            env={**env, **shard_env([2, 3])},
            name="second",
        )
        async with first, second:
            await asyncio.gather(first.connected(shards=2), second.connected(shards=2))
            assert first.shards() == {0, 1}
            assert second.shards() == {2, 3}
            for guild, member in zip(guilds, members, strict=True):
                shard = (guild.id >> 22) % 4
                holder, other = (first, second) if shard in (0, 1) else (second, first)
                reply = await fake.slash(member, guild, "about")
                assert reply.embeds and reply.ephemeral
                # It went out on the websocket of the guild's shard, which `holder` holds...
                assert reply.shard_id == shard
                assert holder.owns(reply.gateway_peer) and not other.owns(reply.gateway_peer)
                # ...and exactly one callback answered it, over one of `holder`'s connections.
                callbacks = [
                    r
                    for r in fake.requests_to(CALLBACK)
                    if f"/interactions/{reply.interaction_id}/" in r.path
                ]
                assert [r.status for r in callbacks] == [200], (guild.name, callbacks)
                assert holder.owns(callbacks[0].peer), (guild.name, holder, callbacks[0].peer)
            assert len(fake.requests_to(CALLBACK)) == len(guilds)
            codes = await asyncio.gather(first.stop(signal.SIGTERM), second.stop(signal.SIGINT))
            assert codes == [0, 0], (first.tail(), second.tail())
        for process in (first, second):
            assert "Traceback" not in process.text(), process.tail()
        assert fake.violations == []


async def posts_table(database_url: str, guild: FakeGuild) -> list[tuple[Any, ...]]:
    """The scheduled-post ledger rows of one server: (kind, period, status, message_id)."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT kind, period, status, message_id FROM posts WHERE guild_id = :guild"),
                {"guild": guild.id},
            )
            return [tuple(row) for row in rows]
    finally:
        await engine.dispose()


def channel_posts_by(fake: FakeDiscord, channel: FakeChannel) -> list[Any]:
    """Every request that asked to post in the channel (a resend with the same nonce counts)."""
    return [r for r in fake.requests_to(CHANNEL_POST) if r.path.endswith(f"/{channel.id}/messages")]


async def test_killing_the_leader_process_hands_its_due_post_to_the_other_process(
    discord: FakeDiscord, guild: FakeGuild, tmp_path: Path, database_url: str
) -> None:
    """Two `python -m bot run` processes on one PostgreSQL database; the scheduler's leader is
    killed with SIGKILL just after a weekly challenge it has not seen became due. The other
    process takes the advisory lock and its catch-up pass posts the challenge, exactly once.

    Timing, on the real clock: the schedules are written straight into the database, due this
    minute and active since an hour ago, so they are due as soon as they exist and stay within
    the 12-hour grace whenever the pass comes (the minute may turn meanwhile). The leader only
    reads schedules in its catch-up pass at election (done once the first server's post is
    out), in a schedule's own timer (it has none for a schedule it never loaded) and in its
    two-minute retry pass (two minutes after election: far beyond this test), so it cannot
    post the second schedule before the kill."""
    first_channel = guild.add_text_channel("challenges")
    late = discord.create_guild("Late Learners")
    late_channel = late.add_text_channel("challenges")
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    # Due before any process starts: the first leader's catch-up posts it.
    first_week = await challenge_due_now(database_url, guild, first_channel)
    env = {"STUDYBOT_SCHEDULING__LEADER_RETRY_SECONDS": "0.2", "STUDYBOT_LOG_LEVEL": "INFO"}
    first = BotProcess(
        discord, data_dir=tmp_path / "first", database_url=database_url, env=env, name="first"
    )
    second = BotProcess(
        discord, data_dir=tmp_path / "second", database_url=database_url, env=env, name="second"
    )
    async with first:  # SIGKILLed on the way out if still running (so is `second`)
        await first.logged(LEADER_LINE)
        await first.connected()
        # The election's catch-up pass has read the schedules once it posted.
        await until(lambda: len(posts(discord, first_channel)) == 1, "the first leader's post")
        async with second:
            await second.connected()
            assert LEADER_LINE not in second.text()  # the lock is held while `first` lives

            week = await challenge_due_now(database_url, late, late_channel)
            assert await first.stop(signal.SIGKILL) == -signal.SIGKILL
            assert not channel_posts_by(discord, late_channel), "the dead leader posted it"

            await second.logged(LEADER_LINE)
            await until(lambda: channel_posts_by(discord, late_channel), "the new leader's post")
            assert second.owns(channel_posts_by(discord, late_channel)[0].peer)
            await until(lambda: len(posts(discord, late_channel)) == 1, "the post on Discord")
            message = posts(discord, late_channel)[0]
            expected = [("challenges", week, "sent", message.id)]
            for _ in range(400):  # the ledger records the send just after Discord answered
                if await posts_table(database_url, late) == expected:
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)  # a second pass, a timer or a retry would show up meanwhile
            assert len(channel_posts_by(discord, late_channel)) == 1
            assert len(posts(discord, late_channel)) == 1
            assert len(posts(discord, first_channel)) == 1
            assert len(channel_posts_by(discord, first_channel)) == 1
            assert await posts_table(database_url, late) == expected
            assert await posts_table(database_url, guild) == [
                ("challenges", first_week, "sent", posts(discord, first_channel)[0].id)
            ]
            assert await second.stop(signal.SIGTERM) == 0, second.tail()
    assert "Traceback" not in second.text(), second.tail()


async def test_one_scheduler_and_fail_over_when_the_leader_dies(
    discord: FakeDiscord, guild: FakeGuild, mod: FakeMember, tmp_path: Path
) -> None:
    channel = guild.add_text_channel("challenges")
    clock_a, clock_b = FakeClock(SUNDAY_NOON), FakeClock(SUNDAY_NOON)
    env = {"STUDYBOT_SCHEDULING__LEADER_RETRY_SECONDS": "0.2"}
    leader = BotRunner(discord, data_dir=tmp_path / "a", clock=clock_a, env=env)
    await leader.__aenter__()
    try:
        await wait_for(lambda: leader.bot.scheduler.leadership.is_leader)
        async with BotRunner(discord, data_dir=tmp_path / "b", clock=clock_b, env=env) as follower:
            await asyncio.sleep(0.5)
            assert not follower.bot.scheduler.leadership.is_leader
            await schedule_challenges(discord, mod, guild, channel)
            due = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
            clock_a.set(due)
            clock_b.set(due)
            assert await follower.bot.run_due() == 0  # a follower never posts
            await leader.__aexit__(None, None, None)  # the leader goes away before posting
            await wait_for(lambda: follower.bot.scheduler.leadership.is_leader)
            await wait_for(lambda: len(posts(discord, channel)) == 1)
            await follower.run_due()
            await asyncio.sleep(0.3)
            assert len(posts(discord, channel)) == 1
    finally:
        if leader._bot is not None and not leader.bot.is_closed():
            await leader.__aexit__(None, None, None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_health_and_metrics_endpoint(
    discord: FakeDiscord, guild: FakeGuild, alice: FakeMember, tmp_path: Path
) -> None:
    port = free_port()
    env = {"STUDYBOT_METRICS__PORT": str(port)}
    async with BotRunner(discord, data_dir=tmp_path, env=env):
        await discord.slash(alice, guild, "about")
        await discord.slash(alice, guild, "topic", name="no-such-topic")
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                health = await response.json()
                assert response.status == 200
            async with session.get(f"http://127.0.0.1:{port}/metrics") as response:
                text = await response.text()
    assert health["gateway"] == "connected"
    assert health["database"] == "reachable"
    assert health["scheduler"] == "leader"
    assert 'studybot_commands_total{command="about",outcome="ok"} 1.0' in text
    assert 'studybot_commands_total{command="topic",outcome="refused"} 1.0' in text
    assert 'studybot_command_seconds_count{command="about"} 1.0' in text
    assert "studybot_gateway_latency_seconds" in text
