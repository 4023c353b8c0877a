"""A smoke run of every benchmark at tiny sizes (`make bench` runs them at full size).

Nothing here asserts a timing: only that each benchmark runs through the real path without an
error and produces figures that make sense, on SQLite and on PostgreSQL, and that the seeded
database is one the bot could have written itself (its stored streaks agree with a recomputation
from the raw sessions), in the SQLite file and in its PostgreSQL copy.
"""

from __future__ import annotations

import asyncio
import math
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from bench.__main__ import BENCHES, parser, run
from bench.latency import PROBES
from bench.postgres import Postgres
from bench.report import render, targets
from bench.scale import SMOKE, TODAY
from bench.seed import seeded
from bot.core.streaks import StreakRules
from bot.storage.engine import create_engine
from bot.storage.group_days_repo import GroupDaysRepository
from bot.storage.progress_repo import ProgressRepository


@pytest.fixture(autouse=True)
def bench_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYBOT_BENCH_CACHE", str(tmp_path / "cache"))


async def _agrees(db: Path, url: str | None = None) -> None:
    """The stored streaks and totals agree with the raw sessions: in the file `db`, or (with
    `url`) in the database at `url` holding the same rows."""
    with sqlite3.connect(db) as conn:
        members = conn.execute("SELECT guild_id, user_id FROM streaks").fetchall()
        groups = [r[0] for r in conn.execute("SELECT id FROM study_groups")]
        sums = conn.execute(
            "SELECT COUNT(*) FROM member_totals t WHERE minutes != (SELECT SUM(minutes) "
            "FROM study_sessions s WHERE s.guild_id = t.guild_id AND s.user_id = t.user_id)"
        ).fetchone()[0]
    assert members and groups and sums == 0
    engine = create_engine(url or f"sqlite+aiosqlite:///{db}")
    try:
        progress, days = ProgressRepository(engine), GroupDaysRepository(engine)
        for guild_id, user_id in members:
            stored = await progress.streak(guild_id, user_id, TODAY, StreakRules())
            assert stored == await progress.recompute_streak(
                guild_id, user_id, TODAY, StreakRules()
            )
        shown = await days.streaks(groups, TODAY)
        for group_id in groups:
            assert shown[group_id] == await days.recompute(group_id, TODAY, 15)
    finally:
        await engine.dispose()


def test_the_seeded_database_is_consistent() -> None:
    built = seeded(SMOKE)
    assert built.fresh and built.result.rows["study_sessions"] == SMOKE.sessions
    asyncio.run(_agrees(built.path))
    assert not seeded(SMOKE).fresh  # the second call reuses the cached file


async def _postgres_copy_agrees(admin_url: str, db: Path, rows: int) -> None:
    pg = Postgres(admin_url)
    await pg.open()
    try:
        load = await pg.load_seeded(db)
        assert load.rows == rows and load.seconds > 0
        url = pg.url(pg.seeded)  # the template itself: dropped below
        await _agrees(db, url)
        engine = create_engine(url)
        try:
            async with engine.begin() as conn:
                # The serial ids' sequences were moved past the copied ids.
                new_id = await conn.scalar(
                    text(
                        "INSERT INTO study_sessions (guild_id, user_id, topic_id, minutes, "
                        "day, logged_at) VALUES (1, 1, 'git-basics', 5, CURRENT_DATE, "
                        "CURRENT_TIMESTAMP) RETURNING id"
                    )
                )
            assert new_id == SMOKE.sessions + 1
        finally:
            await engine.dispose()
    finally:
        await pg.close()


def test_the_postgresql_copy_holds_the_seeded_data(postgres_admin_url: str) -> None:
    built = seeded(SMOKE)
    rows = sum(built.result.rows.values())
    asyncio.run(_postgres_copy_agrees(postgres_admin_url, built.path, rows))


def test_every_benchmark_runs_and_reports(postgres_admin_url: str) -> None:
    results = run(SMOKE, BENCHES, postgres_url=postgres_admin_url)

    assert results.seed is not None and results.seed.result.seconds > 0
    (lat,) = results.latency
    assert set(lat.figures) == {p.label for p in PROBES}
    for label, figure in lat.figures.items():
        assert figure.calls == SMOKE.latency_calls, label
        assert 0 < figure.p50 <= figure.p95 <= figure.p99 < 10_000, label
    assert sum(lat.errors.values()) == 0 and lat.violations == 0

    (tp,) = results.throughput
    assert tp.answered > 0 and tp.errors == 0 and tp.violations == 0

    for fan in (*results.fanout_free, *results.fanout_throttled):
        assert fan.posts == SMOKE.fanout_servers == fan.sent
        assert fan.lost == 0 and fan.doubled == 0
    (limited,) = results.fanout_throttled
    assert limited.rate_limited > 0  # the fake's global limit did push back

    for start in (*results.startup_own, *results.startup_public):
        assert 0 < start.ready_s < 60 and start.rss_ready_mb > 10
        assert not math.isnan(start.rss_settled_mb)

    (reminded,) = results.reminders
    assert reminded.delivered == reminded.members == SMOKE.reminder_members
    assert reminded.missing == 0 and reminded.doubled == 0

    pg = results.postgres
    assert pg is not None and pg.engine == "PostgreSQL" and pg.pg_version
    assert pg.pg_load is not None and pg.pg_load.rows == sum(results.seed.result.rows.values())
    (pg_lat,) = pg.latency
    for label, figure in pg_lat.figures.items():
        assert figure.calls == SMOKE.latency_calls, label
    assert sum(pg_lat.errors.values()) == 0 and pg_lat.violations == 0
    (pg_tp,) = pg.throughput
    assert pg_tp.answered > 0 and pg_tp.errors == 0 and pg_tp.violations == 0
    (pg_fan,) = pg.fanout_free
    assert pg_fan.posts == SMOKE.fanout_servers == pg_fan.sent and not pg_fan.doubled
    (pg_start,) = pg.startup_own
    assert 0 < pg_start.ready_s < 60
    assert not (pg.fanout_throttled or pg.startup_public or pg.reminders)

    report = render(results)
    for heading in ("## Targets", "## 1. Seeding", "## 2. Latency", "## 3. Throughput"):
        assert heading in report
    for heading in ("## 4. Fan-out", "## 5. Start-up", "## 6. Reminders sweep"):
        assert heading in report
    assert f"| PostgreSQL server | {pg.pg_version} |" in report
    assert "| PostgreSQL: /log p99 |" in report and "PostgreSQL, 1 run(s)" in report
    assert all(t.met is not None for t in targets(results))
    assert all(t.met is not None for t in targets(pg))

    # `--engines postgresql`: the report holds PostgreSQL's figures alone.
    assert parser().parse_args(["--engines", "postgresql"]).engines == "postgresql"
    alone = render(replace(results, latency=[], throughput=[], fanout_free=[], startup_own=[]))
    for heading in ("## 2. Latency", "## 3. Throughput", "## 4. Fan-out", "## 5. Start-up"):
        assert heading in alone
    assert "SQLite, 1 run(s)" not in alone and "PostgreSQL, 1 run(s)" in alone
