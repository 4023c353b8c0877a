"""A smoke run of every benchmark at tiny sizes (`make bench` runs them at full size).

Nothing here asserts a timing: only that each benchmark runs through the real path without an
error and produces figures that make sense, and that the seeded database is one the bot could
have written itself (its stored streaks agree with a recomputation from the raw sessions).
"""

from __future__ import annotations

import asyncio
import math
import sqlite3
from pathlib import Path

import pytest

from bench.__main__ import BENCHES, run
from bench.latency import PROBES
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


async def _agrees(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        members = conn.execute("SELECT guild_id, user_id FROM streaks").fetchall()
        groups = [r[0] for r in conn.execute("SELECT id FROM study_groups")]
        sums = conn.execute(
            "SELECT COUNT(*) FROM member_totals t WHERE minutes != (SELECT SUM(minutes) "
            "FROM study_sessions s WHERE s.guild_id = t.guild_id AND s.user_id = t.user_id)"
        ).fetchone()[0]
    assert members and groups and sums == 0
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
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


def test_every_benchmark_runs_and_reports() -> None:
    results = run(SMOKE, BENCHES)

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

    text = render(results)
    for heading in ("## Targets", "## 1. Seeding", "## 2. Latency", "## 3. Throughput"):
        assert heading in text
    for heading in ("## 4. Fan-out", "## 5. Start-up", "## 6. Reminders sweep"):
        assert heading in text
    assert all(t.met is not None for t in targets(results))
