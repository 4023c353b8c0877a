"""Latency of each command on the seeded database, next to a command that touches no database.

One call at a time, so each figure is the time a member waits, not a queue: the fake Discord sends
INTERACTION_CREATE over its gateway, discord.py dispatches to the cog, the cog calls core and the
database, and the clock stops when the bot's answer reaches the fake over HTTP. The commands take
turns in a shuffled order each round, so drift during a run (the WAL growing, caches warming)
touches them all alike, and every ratio compares figures from the same run.
"""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.postgres import Postgres, seeded_copy
from bench.scale import Scale
from bench.stats import Latency
from bench.world import PING, Driven, forget_answered, quiet_fake, running_bot, seeded_world
from tests.fakediscord import FakeDiscord

TOPICS = (
    "postgresql",
    "git-basics",
    "docker",
    "http-basics",
    "api-design",
    "python-language",
    "redis",
)
# What members type into the topic box, one keystroke at a time.
TYPED = ("postgres", "docker", "http", "git", "kubern", "python", "sql", "cach", "test", "auth")
WARMUP_ROUNDS = 20
KEYSTROKES = 5

Call = Callable[[FakeDiscord, Driven, int], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class Probe:
    label: str
    call: Call
    baseline: bool = False
    needs_group: bool = False
    # Autocomplete fires once per keystroke: the same member sends KEYSTROKES calls in a row.
    keystrokes: bool = False


def _text(reply: Any) -> str:
    embeds = getattr(reply, "embeds", [])
    return str(getattr(reply, "content", "")) + "".join(str(e.get("title", "")) for e in embeds)


async def _ping(fake: FakeDiscord, who: Driven, i: int) -> bool:
    reply = await fake.slash(who.member, who.guild, PING)
    return reply.content == "pong"


async def _help(fake: FakeDiscord, who: Driven, i: int) -> bool:
    reply = await fake.slash(who.member, who.guild, "help")
    return bool(reply.embeds)


async def _log(fake: FakeDiscord, who: Driven, i: int) -> bool:
    topic = TOPICS[i % len(TOPICS)]
    reply = await fake.slash(who.member, who.guild, "log", topic=topic, minutes=5 + i % 40)
    return reply.content.startswith("Logged **")


async def _progress(fake: FakeDiscord, who: Driven, i: int) -> bool:
    reply = await fake.slash(who.member, who.guild, "progress")
    return bool(reply.embeds) and "sessions" in str(reply.embeds[0].get("description", ""))


async def _board_week(fake: FakeDiscord, who: Driven, i: int) -> bool:
    reply = await fake.slash(who.member, who.guild, "leaderboard")
    return _text(reply).startswith("Leaderboard")


async def _board_all(fake: FakeDiscord, who: Driven, i: int) -> bool:
    reply = await fake.slash(who.member, who.guild, "leaderboard", period="all")
    return _text(reply).startswith("Leaderboard")


async def _group_info(fake: FakeDiscord, who: Driven, i: int) -> bool:
    reply = await fake.slash(who.member, who.guild, "group info", group=who.group)
    return bool(reply.embeds) and str(who.group) in _text(reply)


async def _topic(fake: FakeDiscord, who: Driven, i: int) -> bool:
    reply = await fake.slash(who.member, who.guild, "topic", name=TOPICS[i % len(TOPICS)])
    return bool(reply.embeds)


async def _autocomplete(fake: FakeDiscord, who: Driven, i: int) -> bool:
    # Call i types the (i % KEYSTROKES + 1)-th prefix of a word: one member's keystrokes in a row.
    word = TYPED[(i // KEYSTROKES) % len(TYPED)]
    typed = word[: 2 + i % KEYSTROKES]
    choices = await fake.autocomplete(who.member, who.guild, "log", "topic", typed)
    return 0 < len(choices) <= 25


PROBES = (
    Probe("trivial: /bench-ping (no database)", _ping, baseline=True),
    Probe("/help (no database)", _help),
    Probe("/log", _log),
    Probe("/progress", _progress),
    Probe("/leaderboard (this week)", _board_week),
    Probe("/leaderboard period:all", _board_all),
    Probe("/group info", _group_info, needs_group=True),
    Probe("/topic", _topic),
    Probe("autocomplete: /log topic", _autocomplete, keystrokes=True),
)


@dataclass
class LatencyRun:
    figures: dict[str, Latency] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    violations: int = 0


async def run_once(
    scale: Scale, db: Path, workdir: Path, seed: int, pg: Postgres | None = None
) -> LatencyRun:
    """One run on a private copy of the seeded database `db` (on PostgreSQL with `pg`)."""
    rng = random.Random(seed)
    fake = quiet_fake()
    async with fake:
        driven = seeded_world(fake, db, per_server=40, rng=rng)
        in_groups = [d for d in driven if d.group is not None]
        async with (
            seeded_copy(db, workdir, pg) as url,
            running_bot(fake, workdir, database_url=url),
        ):
            timings: dict[str, list[float]] = {p.label: [] for p in PROBES}
            errors = dict.fromkeys(timings, 0)
            rounds = WARMUP_ROUNDS + scale.latency_calls
            for i in range(rounds):
                forget_answered(fake)
                order = list(PROBES)
                rng.shuffle(order)
                for probe in order:
                    people = in_groups if probe.needs_group else driven
                    turn = i // KEYSTROKES if probe.keystrokes else i
                    who = people[(turn * 7 + len(probe.label)) % len(people)]
                    start = time.perf_counter()
                    try:
                        ok = await probe.call(fake, who, i)
                    except AssertionError:
                        ok = False
                    elapsed = time.perf_counter() - start
                    if i >= WARMUP_ROUNDS:
                        timings[probe.label].append(elapsed)
                        errors[probe.label] += 0 if ok else 1
        return LatencyRun(
            figures={label: Latency.of(values) for label, values in timings.items()},
            errors=errors,
            violations=len(fake.violations) + len(fake.unknown_routes),
        )
