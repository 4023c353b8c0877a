"""Reminders sweep (issue 10): many members whose streak nudge is due at the same minute.

Members of the seeded database with a streak at stake (a current run or a freeze, nothing logged
today) each have a streak nudge 4 hours before their day ends: Thursday 20:00 in the seeded
servers' UTC. The bot starts at 08:00 (nothing due), the clock moves to 20:00, and `run_due` (the
timers' call, which ends with the sweep) runs until everyone is reminded. Timed: the first pass
(a pass takes at most the sweep's limit of due rows), and all of them. Then every member must
hold exactly one direct message. The fake is unthrottled: at Discord's 50 requests
per second, two requests a reminder (open the DM, send) would take 2 × members ÷ 50 seconds.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench.scale import NOW, Scale
from bench.seed import RULES, copy_to, sql_datetime
from bench.world import add_guild, quiet_fake, running_bot
from tests.fakediscord import FakeGuild, FakeMember

SWEEP_AT = NOW.replace(hour=20)
HOURS_BEFORE = 4


MAX_PASSES = 5


@dataclass
class ReminderRun:
    members: int
    first_pass_s: float
    first_pass_sent: int  # a pass takes at most the sweep's limit of due rows
    passes: int  # passes until every member was reminded
    seconds: float  # all of them
    delivered: int
    missing: int  # members without a DM
    doubled: int  # members with more than one

    @property
    def per_second(self) -> float:
        return self.delivered / self.seconds


def _at_stake(db: Path, count: int, rng: random.Random) -> list[tuple[int, int]]:
    """(guild, user) of members whose streak a nudge would save: active yesterday (so a run is
    going), nothing logged today."""
    yesterday = (NOW - timedelta(days=1)).date().isoformat()
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT guild_id, user_id FROM daily_totals WHERE day = ? AND minutes >= ?",
            (yesterday, RULES.minimum),
        ).fetchall()
    return rng.sample(rows, min(count, len(rows)))


def _remind(db: Path, members: list[tuple[int, int]]) -> None:
    due, now = sql_datetime(SWEEP_AT), sql_datetime(NOW)
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO reminders (guild_id, user_id, kind, hours_before, next_due_at, "
            "undeliverable, updated_at) VALUES (?, ?, 'streak', ?, ?, 0, ?)",
            [(guild, user, HOURS_BEFORE, due, now) for guild, user in members],
        )


async def run_once(scale: Scale, db: Path, workdir: Path, seed: int) -> ReminderRun:
    fake = quiet_fake()
    async with fake:
        copy = copy_to(db, workdir)
        members = _at_stake(copy, scale.reminder_members, random.Random(seed))
        _remind(copy, members)
        guilds: dict[int, FakeGuild] = {}
        for guild_id, user_id in sorted(members):
            if guild_id not in guilds:
                guilds[guild_id] = add_guild(fake, guild_id, f"Seeded server {len(guilds) + 1}")
            guilds[guild_id].members.append(
                FakeMember(id=user_id, name=f"member-{user_id % 100_000}", guild_id=guild_id)
            )
        async with running_bot(fake, workdir) as runner:
            await runner.run_due()  # waits for the catch-up pass at start: nothing is due yet
            runner.clock.set(SWEEP_AT)
            start = time.perf_counter()
            sent = [await runner.bot.run_due()]
            first = time.perf_counter() - start
            while sum(sent) < len(members) and sent[-1] > 0 and len(sent) < MAX_PASSES:
                sent.append(await runner.bot.run_due())
            seconds = time.perf_counter() - start
        dms = {channel.id: user for user, channel in fake.dm_channels.items()}
        received = Counter(dms[m.channel_id] for m in fake.messages.values() if m.channel_id in dms)
        users = [user for _, user in members]
        return ReminderRun(
            members=len(members),
            first_pass_s=first,
            first_pass_sent=sent[0],
            passes=len(sent),
            seconds=seconds,
            delivered=sum(received[u] for u in users),
            missing=sum(1 for u in users if received[u] == 0),
            doubled=sum(1 for u in users if received[u] > 1),
        )
