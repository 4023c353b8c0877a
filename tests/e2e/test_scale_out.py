"""Scale-out: shards split across bot processes, one scheduler among them, health and metrics."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest

from bot.clock import FakeClock
from tests.e2e.scheduling_helpers import SUNDAY_NOON, posts, schedule_challenges
from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember

pytestmark = pytest.mark.parametrize("database_engine", ["postgresql"], indirect=True)


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
