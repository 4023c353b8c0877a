"""The stored, incremental streak agrees with a recomputation from raw sessions.

Random histories of logs (today or yesterday, any minutes), pauses and days passing run through
the real ProgressService and repository on a real database; after every step what the bot would
show equals what the raw sessions say.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import FakeClock
from bot.core.errors import UserError
from bot.core.progress import ProgressService
from bot.roadmap import load_roadmap
from bot.storage import migrate
from bot.storage.engine import create_engine
from bot.storage.progress_repo import ProgressRepository
from bot.storage.settings_repo import SettingsRepository
from tests.databases import ENGINES, fresh_database

ROADMAP = load_roadmap(Path(__file__).resolve().parents[2] / "data" / "roadmap.yaml")
TOPIC = ROADMAP.topics[0]
GUILD, USER = 1, 2

step = st.one_of(
    st.tuples(st.just("log"), st.integers(1, 40), st.sampled_from(["today", "yesterday"])),
    st.tuples(st.just("wait"), st.integers(1, 4), st.just("")),
    st.tuples(st.just("pause"), st.integers(1, 5), st.just("")),
    st.tuples(st.just("resume"), st.just(0), st.just("")),
)


async def replay(
    steps: list[tuple[str, int, str]], zone: str, engine_name: str, admin: str | None
) -> None:
    with TemporaryDirectory() as folder:
        async with fresh_database(engine_name, Path(folder), admin) as url:
            await _replay(steps, zone, url)


async def _replay(steps: list[tuple[str, int, str]], zone: str, url: str) -> None:
    engine = create_engine(url)
    await migrate.upgrade(engine)
    clock = FakeClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    settings_repo = SettingsRepository(engine, default_timezone=zone, streak_minimum=15)
    repo = ProgressRepository(engine)
    service = ProgressService(roadmap=ROADMAP, clock=clock, settings=settings_repo, repo=repo)
    try:
        for kind, amount, day in steps:
            try:
                if kind == "log":
                    await service.log(GUILD, USER, TOPIC, amount, None, day)  # type: ignore[arg-type]
                elif kind == "wait":
                    await clock.advance(hours=amount * 9)
                elif kind == "pause":
                    await service.pause(GUILD, USER, amount)
                else:
                    await service.resume(GUILD, USER)
            except UserError:
                pass  # refused (pause cooldown, nothing to resume): changes nothing
            shown, where = await service.streak(GUILD, USER)
            rules = await service.rules(GUILD)
            assert shown == await repo.recompute_streak(GUILD, USER, where.today, rules)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("engine", ENGINES)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(step, min_size=1, max_size=30),
    zone=st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York"]),
)
def test_incremental_streak_matches_raw_sessions(
    request: pytest.FixtureRequest, engine: str, steps: list[tuple[str, int, str]], zone: str
) -> None:
    admin = request.getfixturevalue("postgres_admin_url") if engine == "postgresql" else None
    asyncio.run(replay(steps, zone, engine, admin))


async def test_concurrent_logs_by_one_member_are_exact(database_url: str) -> None:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    clock = FakeClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    settings_repo = SettingsRepository(engine, default_timezone="UTC", streak_minimum=15)
    repo = ProgressRepository(engine)
    service = ProgressService(roadmap=ROADMAP, clock=clock, settings=settings_repo, repo=repo)
    try:
        await asyncio.gather(*(service.log(GUILD, USER, TOPIC, 5) for _ in range(60)))
        assert await repo.totals(GUILD, USER) == (300, 60)
        progress = await repo.topic_progress(GUILD, USER)
        assert progress.minutes_on(TOPIC.id) == 300
        shown, where = await service.streak(GUILD, USER)
        assert shown.today_minutes == 300
        assert shown == await repo.recompute_streak(
            GUILD, USER, where.today, await service.rules(GUILD)
        )
    finally:
        await engine.dispose()
