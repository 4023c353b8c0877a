"""The fake Discord side of the in-process benchmarks, and the real bot started against it.

The seeded database has fixed server and member ids, so the fake's servers and members are made
with those ids (the fake's `create_guild` would pick fresh ones). Only the members a benchmark
drives are in the fake; the other members exist in the database alone, which is all a command
about them needs (the bot has no privileged member intent).
"""

from __future__ import annotations

import logging
import random
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import discord
from discord import app_commands

from bench.scale import NOW
from bot.clock import FakeClock
from bot.logs import setup_logging
from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember

PING = "bench-ping"


@dataclass(frozen=True, slots=True)
class Driven:
    """A seeded member the benchmark plays: their server, themselves, and a group they are in."""

    guild: FakeGuild
    member: FakeMember
    group: str | None


def quiet_fake(**options: int | None) -> FakeDiscord:
    """A fake Discord without the optional OpenAPI validation (it would time the validator)."""
    fake = FakeDiscord(**options)  # type: ignore[arg-type]
    fake.spec = None
    return fake


def add_guild(fake: FakeDiscord, guild_id: int, name: str) -> FakeGuild:
    """`fake.create_guild` with a given id (before the bot connects)."""
    guild = FakeGuild(
        guild_id=guild_id,
        name=name,
        ids=fake.ids,
        bot_user=fake.bot_user,
        bot_permissions=fake.bot_permissions,
    )
    guild.on_event = fake.gateway.event_sink()
    fake.guilds.append(guild)
    return guild


def seeded_world(fake: FakeDiscord, db: Path, per_server: int, rng: random.Random) -> list[Driven]:
    """Put every seeded server in the fake, with `per_server` of its studying members.

    About a third of the members picked are in a study group (for /group info), the rest are
    drawn from everyone who has logged study time.
    """
    with sqlite3.connect(db) as conn:
        servers = [r[0] for r in conn.execute("SELECT guild_id FROM guild_settings ORDER BY 1")]
        studying = conn.execute("SELECT guild_id, user_id FROM member_totals").fetchall()
        grouped = conn.execute(
            "SELECT m.guild_id, m.user_id, MIN(g.name) FROM group_members m "
            "JOIN study_groups g ON g.id = m.group_id GROUP BY m.guild_id, m.user_id"
        ).fetchall()
    by_server: dict[int, list[tuple[int, str | None]]] = {}
    for guild_id, user_id in studying:
        by_server.setdefault(guild_id, []).append((user_id, None))
    in_groups: dict[int, list[tuple[int, str | None]]] = {}
    for guild_id, user_id, name in grouped:
        in_groups.setdefault(guild_id, []).append((user_id, name))
    driven: list[Driven] = []
    for number, guild_id in enumerate(servers):
        guild = add_guild(fake, guild_id, f"Seeded server {number + 1}")
        grouped_here = in_groups.get(guild_id, [])
        picks = rng.sample(grouped_here, min(len(grouped_here), max(1, per_server // 3)))
        chosen = {user for user, _ in picks}
        others = [p for p in by_server.get(guild_id, []) if p[0] not in chosen]
        picks += rng.sample(others, min(len(others), per_server - len(picks)))
        for user_id, group in picks:
            member = FakeMember(id=user_id, name=f"member-{user_id % 100_000}", guild_id=guild_id)
            guild.members.append(member)
            driven.append(Driven(guild, member, group))
    rng.shuffle(driven)
    return driven


def forget_answered(fake: FakeDiscord, keep: int = 64) -> None:
    """Drop the fake's record of answered interactions (all but the last `keep`).

    The fake keeps every request, message and interaction for tests to inspect; over tens of
    thousands of calls that record becomes most of the process's heap, and the garbage
    collector's pauses on it would be charged to the bot. Call between calls, not during one.
    """
    fake.requests.clear()
    fake.messages.clear()
    for token in list(fake.pending)[:-keep]:
        del fake.pending[token]


async def _ping(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("pong", ephemeral=True)


def add_ping(runner: BotRunner) -> None:
    """A bench-only command that answers without touching the database: the baseline."""
    runner.bot.tree.add_command(
        app_commands.Command(name=PING, description="Benchmark baseline", callback=_ping)
    )


class LogCounter(logging.Handler):
    """Counts the bot's log records by level (an exception in a command logs an ERROR)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.levelname] += 1


def production_logging(log_file: Path) -> LogCounter:
    """Logging configured as `python -m bot run` does, written to a file, plus a counter."""
    handler = setup_logging("INFO")
    if isinstance(handler, logging.StreamHandler):
        handler.setStream(log_file.open("a", encoding="utf-8"))
    counter = LogCounter()
    logging.getLogger().addHandler(counter)
    return counter


@asynccontextmanager
async def running_bot(
    fake: FakeDiscord, data_dir: Path, start: datetime = NOW, database_url: str | None = None
) -> AsyncIterator[BotRunner]:
    """The real StudyBot on `database_url` (default `data_dir/bot.db`), connected to `fake`, at a
    fake time."""
    env = {"STUDYBOT_DATABASE__URL": database_url} if database_url else None
    async with BotRunner(fake, data_dir=data_dir, clock=FakeClock(start), env=env) as runner:
        add_ping(runner)
        yield runner
