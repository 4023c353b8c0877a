"""Throughput: members logging study time at the same time, for a fixed while.

Each member sends `/log`, waits for the answer and sends the next at once, so the bot always has
as many commands in flight as there are members. Counted: commands answered with a normal reply
per second, and errors (no answer within the fake's timeout, or an error reply): both through the
same real path as the latency benchmark.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from pathlib import Path

from bench.latency import TOPICS
from bench.postgres import Postgres, seeded_copy
from bench.scale import Scale
from bench.stats import Latency
from bench.world import Driven, forget_answered, quiet_fake, running_bot, seeded_world
from tests.fakediscord import FakeDiscord


@dataclass
class ThroughputRun:
    answered: int
    errors: int
    seconds: float
    latency: Latency
    violations: int

    @property
    def per_second(self) -> float:
        return self.answered / self.seconds


async def _member_loop(
    fake: FakeDiscord, who: Driven, deadline: float, seconds: list[float], errors: list[int]
) -> None:
    i = 0
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        try:
            reply = await fake.slash(
                who.member, who.guild, "log", topic=TOPICS[i % len(TOPICS)], minutes=20
            )
            ok = reply.content.startswith("Logged **")
        except AssertionError:
            ok = False
        seconds.append(time.perf_counter() - start)
        if not ok:
            errors.append(1)
        i += 1


async def _tidy(fake: FakeDiscord, keep: int) -> None:
    """Forget answered interactions every second (each member has at most one in flight, among
    the newest `keep`)."""
    while True:
        await asyncio.sleep(1)
        forget_answered(fake, keep)


async def run_once(
    scale: Scale, db: Path, workdir: Path, seed: int, pg: Postgres | None = None
) -> ThroughputRun:
    """One run on a private copy of the seeded database `db` (on PostgreSQL with `pg`)."""
    rng = random.Random(seed)
    fake = quiet_fake()
    async with fake:
        driven = seeded_world(fake, db, per_server=10, rng=rng)
        # One member from each server while there are servers, then more from the same ones.
        by_server: dict[int, list[Driven]] = {}
        for who in driven:
            by_server.setdefault(who.guild.id, []).append(who)
        rounds = [who for picks in zip(*by_server.values(), strict=False) for who in picks]
        players = rounds[: scale.throughput_members]
        async with (
            seeded_copy(db, workdir, pg) as url,
            running_bot(fake, workdir, database_url=url),
        ):
            seconds: list[float] = []
            errors: list[int] = []
            start = time.perf_counter()
            deadline = start + scale.throughput_seconds
            tidy = asyncio.create_task(_tidy(fake, keep=4 * len(players)))
            await asyncio.gather(
                *(_member_loop(fake, who, deadline, seconds, errors) for who in players)
            )
            elapsed = time.perf_counter() - start
            tidy.cancel()
        return ThroughputRun(
            answered=len(seconds) - len(errors),
            errors=len(errors),
            seconds=elapsed,
            latency=Latency.of(seconds),
            violations=len(fake.violations) + len(fake.unknown_routes),
        )
