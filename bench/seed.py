"""The seeded database: servers, members, study history and groups, bulk-inserted into the schema.

The schema comes from the bot's own migrations; the rows go straight in with `executemany` in
one big transaction per table (stdlib sqlite3, journal off while building: a half-built file is
thrown away, never used). Sessions are generated per member, then inserted in time order across
all members, as a live bot would have written them. Every running total (daily, topic, member,
streak checkpoint, group days and group streaks) is computed from those same sessions with the
bot's own rule functions, so the bot sees a database it could have built itself.

Values are stored in the exact text SQLAlchemy writes for SQLite (dates `YYYY-MM-DD`, datetimes
`YYYY-MM-DD HH:MM:SS.ffffff` in UTC, booleans 0/1).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any

from bench.scale import TODAY, Scale
from bot.core.groups import GROUP_RULES, day_active, effective_quorum
from bot.core.streaks import StreakRules, StreakState, checkpoint
from bot.roadmap import load_roadmap
from bot.roadmap.model import TRACKS
from bot.storage import migrate
from bot.storage.engine import create_engine

SEED_VERSION = "1"
REPO_ROOT = Path(__file__).resolve().parents[1]
ROADMAP = REPO_ROOT / "data" / "roadmap.yaml"
GUILD_BASE = 900_000_000_000_000_000
USER_BASE = 800_000_000_000_000_000
MINUTES = (10, 15, 20, 25, 30, 30, 45, 45, 60, 60, 90, 120)
RULES = StreakRules()  # the default server minimum (15): seeded servers keep the default
MAX_GROUPS_PER_MEMBER = 3
CHUNK = 50_000


def guild_id(index: int) -> int:
    return GUILD_BASE + index


def user_id(index: int) -> int:
    return USER_BASE + index


def members_of(scale: Scale, server: int) -> range:
    """Member indexes of one server: members are split evenly, the first servers take the rest."""
    base, extra = divmod(scale.members, scale.servers)
    start = server * base + min(server, extra)
    return range(start, start + base + (1 if server < extra else 0))


@dataclass
class SeedResult:
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    builds: list[float] = field(default_factory=list)  # every fresh build's time, this included


@dataclass
class _Member:
    guild: int
    user: int
    daily: dict[int, int] = field(default_factory=dict)  # days ago -> minutes


class _Clock:
    """Phase timings for the report."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.phases: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.phases[name] = now - self.last
        self.last = now

    def total(self) -> float:
        return time.perf_counter() - self.start


def build(path: Path, scale: Scale, *, seed: int = 7) -> SeedResult:
    """Create `path` from nothing: migrate, then bulk-insert the whole community."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    clock = _Clock()
    asyncio.run(migrate_fresh(path))
    clock.lap("schema (migrations)")
    rng = random.Random(seed)
    topics = [t.id for t in load_roadmap(ROADMAP).topics]
    days = [TODAY - timedelta(days=n) for n in range(scale.history_days + 1)]
    day_text = [d.isoformat() for d in days]
    rows: dict[str, int] = {}
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-262144"):
            db.execute(f"PRAGMA {pragma}")
        members, sessions = _sessions(scale, rng, topics, day_text)
        clock.lap("generate sessions")
        sessions.sort(key=itemgetter(6))
        rows["study_sessions"] = _insert(
            db,
            "study_sessions",
            ("guild_id", "user_id", "topic_id", "minutes", "note", "day", "logged_at"),
            sessions,
        )
        del sessions
        clock.lap("insert sessions")
        _totals(db, scale, rng, members, days, day_text, topics, rows)
        clock.lap("totals, streaks, settings")
        _groups(db, scale, rng, members, days, day_text, topics, rows)
        clock.lap("groups")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        clock.lap("finish")
    finally:
        db.close()
    return SeedResult(seconds=clock.total(), phases=clock.phases, rows=rows)


def sql_datetime(moment: datetime) -> str:
    """An aware datetime as SQLAlchemy stores it in SQLite (UTC, no offset, microseconds)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


async def migrate_fresh(path: Path) -> None:
    """An empty database at the latest schema, made by the bot's own migrations."""
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()


def _at_minute(day: str, minute_of_day: int) -> str:
    return f"{day} {minute_of_day // 60:02d}:{minute_of_day % 60:02d}:00.000000"


def _session_counts(scale: Scale, rng: random.Random) -> list[int]:
    """Sessions per member: a long tail (most log a little, a few log daily), summing exactly."""
    weights = [rng.lognormvariate(0.0, 1.0) for _ in range(scale.members)]
    total = sum(weights)
    counts = [int(scale.sessions * w / total) for w in weights]
    for index in rng.sample(range(scale.members), scale.sessions - sum(counts)):
        counts[index] += 1
    return counts


def _sessions(
    scale: Scale, rng: random.Random, topics: list[str], day_text: list[str]
) -> tuple[list[_Member], list[tuple[Any, ...]]]:
    counts = _session_counts(scale, rng)
    span = scale.history_days
    stamps: dict[tuple[int, int], str] = {}
    members: list[_Member] = []
    sessions: list[tuple[Any, ...]] = []
    random_ = rng.random
    for server in range(scale.servers):
        gid = guild_id(server)
        for index in members_of(scale, server):
            member = _Member(gid, user_id(index))
            members.append(member)
            focus = rng.sample(topics, 5)
            daily = member.daily
            for _ in range(counts[index]):
                # Days ago, 1..span, denser towards yesterday: recent study shapes the streaks.
                ago = 1 + int((span - 1) * random_() ** 2)
                topic = focus[int(random_() * 5)] if random_() < 0.8 else rng.choice(topics)
                minutes = MINUTES[int(random_() * len(MINUTES))]
                at = (ago, 360 + int(random_() * 960))
                stamp = stamps.get(at)
                if stamp is None:
                    stamp = stamps[at] = _at_minute(day_text[ago], at[1])
                note = "worked through the exercises" if random_() < 0.1 else None
                sessions.append((gid, member.user, topic, minutes, note, day_text[ago], stamp))
                daily[ago] = daily.get(ago, 0) + minutes
    return members, sessions


def _insert(
    db: sqlite3.Connection, table: str, columns: tuple[str, ...], rows: Iterable[Any]
) -> int:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    count = 0
    db.execute("BEGIN")
    iterator = iter(rows)
    while True:
        chunk = [row for _, row in zip(range(CHUNK), iterator, strict=False)]
        if not chunk:
            break
        db.executemany(sql, chunk)
        count += len(chunk)
    db.execute("COMMIT")
    return count


STATE_COLUMNS = ("checkpoint_day", "current", "longest", "freezes", "frozen_days", "last_active")


def _state(state: StreakState) -> tuple[Any, ...]:
    """A streak checkpoint as the `streaks` / `group_streaks` columns STATE_COLUMNS."""
    return (
        state.day.isoformat() if state.day else None,
        state.current,
        state.longest,
        state.freezes,
        state.frozen_days,
        state.last_active.isoformat() if state.last_active else None,
    )


def _totals(
    db: sqlite3.Connection,
    scale: Scale,
    rng: random.Random,
    members: list[_Member],
    days: list[date],
    day_text: list[str],
    topics: list[str],
    rows: dict[str, int],
) -> None:
    """Daily, topic and member totals and the streak checkpoint: all from the same sessions."""
    rows["daily_totals"] = _insert(
        db,
        "daily_totals",
        ("guild_id", "user_id", "day", "minutes"),
        (
            (m.guild, m.user, day_text[ago], minutes)
            for m in members
            for ago, minutes in sorted(m.daily.items(), reverse=True)
        ),
    )
    by_topic = db.execute(
        "SELECT guild_id, user_id, topic_id, SUM(minutes), COUNT(*) FROM study_sessions "
        "GROUP BY guild_id, user_id, topic_id"
    ).fetchall()
    rows["topic_totals"] = _insert(
        db, "topic_totals", ("guild_id", "user_id", "topic_id", "minutes", "sessions"), by_topic
    )
    rows["member_totals"] = _insert(
        db,
        "member_totals",
        ("guild_id", "user_id", "minutes", "sessions"),
        db.execute(
            "SELECT guild_id, user_id, SUM(minutes), SUM(sessions) FROM topic_totals "
            "GROUP BY guild_id, user_id"
        ).fetchall(),
    )
    rows["streaks"] = _insert(
        db,
        "streaks",
        ("guild_id", "user_id", *STATE_COLUMNS),
        (
            (
                m.guild,
                m.user,
                *_state(
                    checkpoint(
                        StreakState(), TODAY, {days[a]: n for a, n in m.daily.items()}, RULES
                    )
                ),
            )
            for m in members
            if m.daily
        ),
    )
    now = _at_minute(day_text[1], 720)
    rows["guild_settings"] = _insert(
        db,
        "guild_settings",
        ("guild_id", "timezone", "updated_at"),
        ((guild_id(s), "UTC", now) for s in range(scale.servers)),
    )
    rows["member_settings"] = _insert(
        db,
        "member_settings",
        ("guild_id", "user_id", "track", "hide_from_leaderboards", "hide_progress", "updated_at"),
        _member_settings(members, rng, now),
    )
    rows["topic_completions"] = _insert(
        db,
        "topic_completions",
        ("guild_id", "user_id", "topic_id", "completed_at"),
        (
            (m.guild, m.user, topic, now)
            for m in members
            if m.daily and rng.random() < 0.5
            for topic in topics[: rng.randint(1, 12)]
        ),
    )


def _member_settings(
    members: list[_Member], rng: random.Random, now: str
) -> Iterator[tuple[Any, ...]]:
    """One member in five has a settings row: a track, and a few hide from boards or progress."""
    for m in members:
        if rng.random() < 0.2:
            track = rng.choice((*TRACKS, None))
            yield (m.guild, m.user, track, int(rng.random() < 0.1), int(rng.random() < 0.1), now)


def _groups(
    db: sqlite3.Connection,
    scale: Scale,
    rng: random.Random,
    members: list[_Member],
    days: list[date],
    day_text: list[str],
    topics: list[str],
    rows: dict[str, int],
) -> None:
    """Study groups of 3-8 studying members (at most 3 groups each), joined before any session, so
    every session of theirs counted for each of their groups' days."""
    by_server: dict[int, list[_Member]] = {}
    for m in members:
        if m.daily:
            by_server.setdefault(m.guild, []).append(m)
    joined = _at_minute(day_text[-1], 0)
    groups: list[tuple[Any, ...]] = []
    memberships: list[tuple[Any, ...]] = []
    member_days: list[tuple[Any, ...]] = []
    group_days: list[tuple[Any, ...]] = []
    streaks: list[tuple[Any, ...]] = []
    taken: dict[int, int] = {}
    base, extra = divmod(scale.groups, scale.servers)
    group_id = 0
    for server in range(scale.servers):
        gid = guild_id(server)
        pool = by_server.get(gid, [])
        for number in range(base + (1 if server < extra else 0)):
            free = [m for m in rng.sample(pool, min(len(pool), 40)) if taken.get(m.user, 0) < 3]
            crew = free[: rng.randint(3, 8)]
            if not crew:
                continue
            group_id += 1
            name = f"Study Circle {number + 1}"
            # id, guild, name, name_key, topic, description, capacity, open, quorum, owner,
            # thread, created
            topic = rng.choice(topics)
            owner = crew[0].user
            groups.append(
                (group_id, gid, name, name.casefold(), topic, None, 8, 1, None, owner, None, joined)
            )
            required = effective_quorum(None, len(crew))
            by_day: dict[int, dict[int, int]] = {}
            for m in crew:
                taken[m.user] = taken.get(m.user, 0) + 1
                memberships.append((group_id, m.user, gid, joined))
                for ago, minutes in m.daily.items():
                    by_day.setdefault(ago, {})[m.user] = minutes
                    member_days.append((group_id, day_text[ago], m.user, minutes))
            active = set()
            for ago, minutes_by_member in by_day.items():
                is_active = day_active(minutes_by_member, RULES.minimum, required)
                group_days.append((group_id, day_text[ago], required, int(is_active)))
                if is_active:
                    active.add(days[ago])
            state = checkpoint(StreakState(), TODAY, dict.fromkeys(active, 1), GROUP_RULES)
            streaks.append((group_id, *_state(state)))
    columns = "id guild_id name name_key topic_id description capacity is_open quorum owner_id"
    rows["study_groups"] = _insert(
        db, "study_groups", (*columns.split(), "thread_id", "created_at"), groups
    )
    rows["group_members"] = _insert(
        db, "group_members", ("group_id", "user_id", "guild_id", "joined_at"), memberships
    )
    rows["group_member_days"] = _insert(
        db, "group_member_days", ("group_id", "day", "user_id", "minutes"), sorted(member_days)
    )
    rows["group_days"] = _insert(
        db, "group_days", ("group_id", "day", "required", "active"), sorted(group_days)
    )
    rows["group_streaks"] = _insert(
        db,
        "group_streaks",
        ("group_id", *STATE_COLUMNS),
        streaks,
    )


# --- the cache -----------------------------------------------------------------------------------


def cache_key(scale: Scale) -> str:
    """Changes with the schema (every migration file), this generator, and the sizes."""
    digest = hashlib.sha256()
    sizes = (scale.servers, scale.members, scale.sessions, scale.groups, scale.history_days)
    digest.update(f"{SEED_VERSION}|{TODAY}|{sizes}".encode())
    digest.update(Path(__file__).read_bytes())
    for migration in sorted((migrate.MIGRATIONS / "versions").glob("*.py")):
        digest.update(migration.name.encode())
        digest.update(migration.read_bytes())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    return Path(os.environ.get("STUDYBOT_BENCH_CACHE", tempfile.gettempdir())) / "studybot-bench"


@dataclass
class Seeded:
    path: Path
    result: SeedResult
    fresh: bool  # built by this run (else reused from the cache, with its recorded timings)
    built_at: str


def seeded(scale: Scale, *, fresh: bool = False, builds: int = 1) -> Seeded:
    """The seeded database for `scale`: from the cache, or built now `builds` times (each from
    nothing, for the timing's spread) and the last one cached."""
    folder = cache_dir() / f"{scale.name}-{cache_key(scale)}"
    path, meta = folder / "bot.db", folder / "seed.json"
    if not fresh and path.exists() and meta.exists():
        data = json.loads(meta.read_text())
        return Seeded(path, SeedResult(**data["result"]), False, data["built_at"])
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    times = []
    for _ in range(max(1, builds)):
        result = build(folder / "building.db", scale)
        times.append(result.seconds)
    result.builds = times
    (folder / "building.db").rename(path)
    built_at = time.strftime("%Y-%m-%d %H:%M:%S %z")
    meta.write_text(json.dumps({"result": asdict(result), "built_at": built_at}, indent=2))
    return Seeded(path, result, True, built_at)


def copy_to(source: Path, folder: Path) -> Path:
    """A private copy for one bot run (its logs change the database).

    The copy is flushed to disk before the bot opens it: otherwise the bot's first WAL checkpoint
    (which fsyncs the database file) would pay for writing the whole copy, a bench artefact.
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "bot.db"
    shutil.copyfile(source, target)
    with target.open("rb+") as copied:
        os.fsync(copied.fileno())
    return target
