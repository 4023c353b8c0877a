"""Fan-out: many servers whose weekly challenge is due in the same minute.

Every server has a challenge schedule for Monday 09:00 (UTC) and last week's challenge already
posted, so each post also builds last week's recap, as it would in a running community. The bot
starts at 08:00 with nothing due; the clock moves to 09:00 and one `run_due` (what the timers
call) posts everything. Timed: from that call until it returns with every post made. Then every
channel must hold exactly one new message: none lost, none doubled.

Run twice: against an unthrottled fake, and against one enforcing Discord's global limit of 50
requests per second (429 + retry_after), whose floor is posts / 50 seconds.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.postgres import Postgres, holding
from bench.scale import Scale
from bench.seed import ROADMAP, migrate_fresh, sql_datetime
from bench.world import quiet_fake, running_bot
from bot.core.challenges import roadmap_challenges
from bot.core.schedules import nonce, period_key
from bot.roadmap import load_roadmap

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday morning, nothing due yet
DUE = START.replace(hour=9)  # when every server's challenge is due
LAST_WEEK = DUE - timedelta(days=7)


@dataclass
class FanoutRun:
    posts: int
    seconds: float
    lost: int
    doubled: int
    sent: int  # what run_due reported
    requests: int  # POST /channels/{id}/messages the fake received, 429s included
    rate_limited: int  # of those, answered 429
    idle_pass_s: float  # a run_due with nothing due (the retry timer's pass), before the minute

    @property
    def per_second(self) -> float:
        return self.posts / self.seconds


def _schedule_rows(db: Path, channels: list[tuple[int, int]]) -> None:
    """Each server: a Monday 09:00 challenge schedule, and last week's post sent."""
    challenge = roadmap_challenges(load_roadmap(ROADMAP))[0].id
    since = sql_datetime(START - timedelta(days=30))
    previous = period_key("challenges", LAST_WEEK, ZoneInfo("UTC"))
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO schedules (guild_id, kind, channel_id, days, at, enabled, status, "
            "active_since, updated_at) VALUES (?, 'challenges', ?, 'mon', '09:00', 1, 'active', "
            "?, ?)",
            [(guild, channel, since, since) for guild, channel in channels],
        )
        conn.executemany(
            "INSERT INTO posts (guild_id, kind, period, status, due_at, item_id, channel_id, "
            "message_id, nonce, attempts, created_at, sent_at) VALUES "
            "(?, 'challenges', ?, 'sent', ?, ?, ?, ?, ?, 1, ?, ?)",
            [
                (
                    guild,
                    previous,
                    sql_datetime(LAST_WEEK),
                    challenge,
                    channel,
                    guild + 1,
                    nonce(guild, "challenges", previous),
                    sql_datetime(LAST_WEEK),
                    sql_datetime(LAST_WEEK),
                )
                for guild, channel in channels
            ],
        )


async def run_once(
    scale: Scale, workdir: Path, *, throttled: bool, pg: Postgres | None = None
) -> FanoutRun:
    """One run; the database is built as a SQLite file, and copied into PostgreSQL with `pg`."""
    fake = quiet_fake(global_rate_limit=scale.rate_limit if throttled else None)
    async with fake:
        channels = []
        for number in range(scale.fanout_servers):
            guild = fake.create_guild(f"Community {number + 1}")
            channels.append((guild.id, guild.add_text_channel("challenges").id))
        db = workdir / "bot.db"
        await migrate_fresh(db)
        _schedule_rows(db, channels)
        async with (
            holding(db, pg) as url,
            running_bot(fake, workdir, START, database_url=url) as runner,
        ):
            # The catch-up at start runs first (nothing is due at 08:00); this pass waits for it
            # (runs are serialised), and the second one is timed: what the retry timer costs.
            await runner.run_due()
            await asyncio.sleep(0.1)
            idle_start = time.perf_counter()
            await runner.run_due()
            idle = time.perf_counter() - idle_start
            first_request = len(fake.requests)
            runner.clock.set(DUE)
            start = time.perf_counter()
            sent = await runner.bot.run_due()
            seconds = time.perf_counter() - start
        posted = Counter(
            m.channel_id for m in fake.messages.values() if not m.ephemeral and not m.deleted
        )
        wanted = [channel for _, channel in channels]
        sends = [
            r
            for r in fake.requests[first_request:]
            if r.method == "POST" and r.path.endswith("/messages")
        ]
        return FanoutRun(
            posts=sum(posted[c] for c in wanted),
            seconds=seconds,
            lost=sum(1 for c in wanted if posted[c] == 0),
            doubled=sum(1 for c in wanted if posted[c] > 1),
            sent=sent,
            requests=len(sends),
            rate_limited=sum(1 for r in sends if r.status == 429),
            idle_pass_s=idle,
        )
