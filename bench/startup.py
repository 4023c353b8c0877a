"""Start-up: `python -m bot run` as its own process, from launch to ready, and its memory.

The database holds every server's two schedules (weekly challenge, tips) and settings, so the
start builds one timer per schedule. Two worlds: the fake Discord has one server (the time is the
bot's own work), or it has every server too, spread over shards as Discord requires (2,500
servers a shard), so discord.py loads them all before it is ready; Discord spaces the shards'
logins 5 s apart (`max_concurrency` 1), and the fake's answer to discord.py says so too.

Ready is the bot's own "ready as ... in N servers" log line (its `on_ready`); then the time until
every timer is set ("timers set for N schedules": they are built in the background after ready).
Memory is the process's resident set (VmRSS) at ready, and again once the timers and the start-up
catch-up pass are done. `guild_ready_timeout` is 0.05 s, as in the tests: the default 2 s is a
fixed wait discord.py adds after the last server arrives.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import random
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.postgres import Postgres, holding
from bench.scale import Scale
from bench.seed import REPO_ROOT, ROADMAP, migrate_fresh, sql_datetime
from bench.world import quiet_fake

READY_LINE = "ready as "
TIMERS_LINE = "timers set for "
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney")
GUILDS_PER_SHARD = 2_500
GUILD_READY_TIMEOUT = 0.05


@dataclass
class StartupRun:
    servers: int
    schedules: int
    ready_s: float
    timers_s: float  # until every schedule's timer is set (built in the background after ready)
    rss_ready_mb: float
    rss_settled_mb: float
    guild_ready_timeout: float


def _fresh_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bot.db").unlink(missing_ok=True)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return math.nan


def _schedules(db: Path, guilds: list[tuple[int, int]], rng: random.Random) -> int:
    now = sql_datetime(datetime.now(UTC))
    settings = [(guild, ZONES[n % len(ZONES)], now) for n, (guild, _) in enumerate(guilds)]
    rows = []
    for guild, channel in guilds:
        at = f"{rng.randrange(24):02d}:{rng.choice((0, 15, 30, 45)):02d}"
        rows.append((guild, "challenges", channel, rng.choice(("mon", "tue", "wed")), at, now))
        rows.append((guild, "tips", channel, "mon,wed,fri", at, now))
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO guild_settings (guild_id, timezone, updated_at) VALUES (?, ?, ?)",
            settings,
        )
        conn.executemany(
            "INSERT INTO schedules (guild_id, kind, channel_id, days, at, enabled, status, "
            "active_since, updated_at) VALUES (?, ?, ?, ?, ?, 1, 'active', ?, ?)",
            [(*row, row[-1]) for row in rows],
        )
    return len(rows)


def bot_env(
    fake_api: str, fake_gateway: str, database_url: str, guild_ready_timeout: float
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_")}
    env.update(
        DISCORD_TOKEN="fake-token",
        STUDYBOT_DATABASE__URL=database_url,
        STUDYBOT_DISCORD__API_BASE_URL=fake_api,
        STUDYBOT_DISCORD__GATEWAY_URL=fake_gateway,
        STUDYBOT_DISCORD__GUILD_READY_TIMEOUT=str(guild_ready_timeout),
        STUDYBOT_ROADMAP__PATH=str(ROADMAP),
        STUDYBOT_LOG_LEVEL="INFO",
        PYTHONPATH=str(REPO_ROOT),
    )
    return env


class LogWatch:
    """Reads the bot's log lines into a file and notes when each awaited line first appears."""

    def __init__(self, stream: asyncio.StreamReader, log: Path, marks: tuple[str, ...]) -> None:
        self.seen: dict[str, float] = {}
        self._events = {mark: asyncio.Event() for mark in marks}
        self._ended = asyncio.Event()
        self._task = asyncio.create_task(self._read(stream, log))

    async def _read(self, stream: asyncio.StreamReader, log: Path) -> None:
        with log.open("ab") as out:
            while line := await stream.readline():
                out.write(line)
                text = line.decode(errors="replace")
                for mark, event in self._events.items():
                    if mark in text and not event.is_set():
                        self.seen[mark] = time.perf_counter()
                        event.set()
        self._ended.set()

    async def wait(self, mark: str, timeout: float) -> float:  # noqa: ASYNC109
        """When `mark` was logged (perf_counter); fails if the bot exits or times out first."""
        ended = asyncio.create_task(self._ended.wait())
        seen = asyncio.create_task(self._events[mark].wait())
        await asyncio.wait({ended, seen}, timeout=timeout, return_when="FIRST_COMPLETED")
        ended.cancel()
        seen.cancel()
        if mark not in self.seen:
            raise AssertionError(f"the bot did not log {mark!r} (exited or timed out)")
        return self.seen[mark]

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._task, timeout=15)


async def run_once(
    scale: Scale, workdir: Path, *, gateway_servers: bool, seed: int = 3, pg: Postgres | None = None
) -> StartupRun:
    """One start; the database is built as a SQLite file, and copied into PostgreSQL with `pg`."""
    servers = scale.startup_schedules
    shards = max(1, math.ceil(servers / GUILDS_PER_SHARD)) if gateway_servers else 1
    fake = quiet_fake(shard_count=shards)
    async with fake:
        guilds = []
        for number in range(servers):
            if gateway_servers or number == 0:
                guild = fake.create_guild(f"Server {number + 1}")
                guilds.append((guild.id, guild.add_text_channel("general").id))
            else:
                guilds.append((fake.ids(), fake.ids()))
        db = workdir / "bot.db"
        await asyncio.to_thread(_fresh_folder, workdir)
        await migrate_fresh(db)
        schedules = _schedules(db, guilds, random.Random(seed))
        async with holding(db, pg) as url:
            env = bot_env(fake.api_base_url, fake.gateway_url, url, GUILD_READY_TIMEOUT)
            log = workdir / "bot-stderr.log"
            start = time.perf_counter()
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=workdir,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
            assert process.stderr is not None
            watch = LogWatch(process.stderr, log, (READY_LINE, TIMERS_LINE))
            try:
                ready = await watch.wait(READY_LINE, timeout=120) - start
                rss_ready = rss_mb(process.pid)
                timers = await watch.wait(TIMERS_LINE, timeout=120) - start
                await asyncio.sleep(scale.startup_settle_s)
                rss_settled = rss_mb(process.pid)
            finally:
                if process.returncode is None:
                    process.send_signal(signal.SIGINT)
                    try:
                        await asyncio.wait_for(process.wait(), timeout=15)
                    except TimeoutError:
                        process.kill()
                        await process.wait()
                await watch.close()
    return StartupRun(
        servers, schedules, ready, timers, rss_ready, rss_settled, GUILD_READY_TIMEOUT
    )
