"""Group days through the real services and database: quorum edges, days, and recomputation.

The hypothesis test replays random histories (logs for today or yesterday by several members,
joins, leaves, quorum changes, days passing) and after every step checks that the incremental
group streak equals a recomputation from the stored per-member minutes and quorum snapshots.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import FakeClock
from bot.core.errors import UserError
from bot.core.group_service import GroupChanges, GroupService
from bot.core.groups import GroupDayBecameActive, GroupEvent, GroupMilestone
from bot.core.progress import ProgressService
from bot.roadmap import load_roadmap
from bot.storage import migrate
from bot.storage.engine import create_engine
from bot.storage.group_days_repo import GroupDaysRepository
from bot.storage.group_repo import GroupRepository
from bot.storage.progress_repo import ProgressRepository
from bot.storage.settings_repo import SettingsRepository
from tests.databases import ENGINES, fresh_database

ROADMAP = load_roadmap(Path(__file__).resolve().parents[2] / "data" / "roadmap.yaml")
TOPIC = ROADMAP.topics[0]
GUILD = 1
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@dataclass
class World:
    clock: FakeClock
    settings: SettingsRepository
    study: ProgressService
    groups: GroupService
    days: GroupDaysRepository


@asynccontextmanager
async def world(url: str, zone: str = "UTC") -> AsyncIterator[World]:
    engine = create_engine(url)
    await migrate.upgrade(engine)
    clock = FakeClock(START)
    settings_repo = SettingsRepository(engine, default_timezone=zone, streak_minimum=15)
    days = GroupDaysRepository(engine)
    study = ProgressService(
        roadmap=ROADMAP,
        clock=clock,
        settings=settings_repo,
        repo=ProgressRepository(engine, groups=days),
    )
    groups = GroupService(
        clock=clock,
        settings=settings_repo,
        groups=GroupRepository(engine),
        days=days,
        max_groups_per_member=3,
    )
    try:
        yield World(clock, settings_repo, study, groups, days)
    finally:
        await engine.dispose()


def quorum(event: GroupEvent) -> tuple[str, int, int]:
    assert isinstance(event, GroupDayBecameActive)
    return (event.group_name, event.studied, event.required)


async def test_default_quorum_rounds_up_and_a_member_counts_in_two_groups(
    database_url: str,
) -> None:
    async with world(database_url) as w:
        owls = await w.groups.create(GUILD, 1, "Owls")
        larks = await w.groups.create(GUILD, 1, "Larks")
        for user in (2, 3):
            await w.groups.join(GUILD, user, "owls")
        await w.groups.join(GUILD, 2, "larks")
        first = await w.study.log(GUILD, 1, TOPIC, 20)
        # Larks (2 members) need 1: reached at once. Owls (3 members) need 2.
        assert [quorum(e) for e in first.group_events] == [("Larks", 1, 1)]
        second = await w.study.log(GUILD, 2, TOPIC, 15)
        assert [quorum(e) for e in second.group_events] == [("Owls", 2, 2)]
        info = await w.groups.info(GUILD, 3, None)
        assert (info.studied_today, info.required_today) == (2, 2)
        assert info.summary.streak.current == 1
        assert info.summary.group.id == owls.id
        assert (await w.groups.info(GUILD, 2, "larks")).summary.group.id == larks.id


async def test_a_leave_clamps_a_fixed_quorum_and_can_complete_today(database_url: str) -> None:
    async with world(database_url) as w:
        await w.groups.create(GUILD, 1, "Owls")
        for user in (2, 3):
            await w.groups.join(GUILD, user, "Owls")
        await w.groups.change(GUILD, 1, None, GroupChanges(quorum=3))
        await w.study.log(GUILD, 1, TOPIC, 30)
        await w.study.log(GUILD, 2, TOPIC, 30)
        info = await w.groups.info(GUILD, 1, None)
        assert (info.studied_today, info.required_today) == (2, 3)
        left = await w.groups.leave(GUILD, 3, None)
        assert [type(e) for e in left.events] == [GroupDayBecameActive]
        info = await w.groups.info(GUILD, 1, None)
        assert (info.studied_today, info.required_today) == (2, 2)
        assert info.summary.group.quorum == 3 and info.summary.group.required == 2
        # A newcomer raises the quorum again but never takes the earned day away.
        await w.groups.join(GUILD, 4, "Owls")
        await w.groups.join(GUILD, 5, "Owls")
        info = await w.groups.info(GUILD, 1, None)
        assert info.summary.streak.current == 1 and info.required_today == 2


async def test_a_members_own_day_differs_from_the_group_day(database_url: str) -> None:
    async with world(database_url) as w:
        await w.groups.create(GUILD, 1, "Owls")
        await w.settings.update_member(GUILD, 1, START, timezone="Asia/Tokyo")
        await w.clock.advance(hours=10)  # 22:00 UTC Monday = 07:00 Tuesday in Tokyo
        report = await w.study.log(GUILD, 1, TOPIC, 20)
        assert report.day.isoformat() == "2026-03-03"  # the member's Tuesday
        [event] = report.group_events
        assert isinstance(event, GroupDayBecameActive)
        assert event.day.isoformat() == "2026-03-02" and event.is_today  # the server's Monday
        yesterday = await w.study.log(GUILD, 1, TOPIC, 20, day="yesterday")
        assert yesterday.day.isoformat() == "2026-03-02"
        [event] = yesterday.group_events
        assert isinstance(event, GroupDayBecameActive) and not event.is_today
        assert event.day.isoformat() == "2026-03-01"


async def test_group_milestone_at_seven_days(database_url: str) -> None:
    async with world(database_url) as w:
        await w.groups.create(GUILD, 1, "Solo")
        seen = []
        for _ in range(7):
            report = await w.study.log(GUILD, 1, TOPIC, 15)
            seen += [e.days for e in report.group_events if isinstance(e, GroupMilestone)]
            await w.clock.advance(days=1)
        assert seen == [7]


async def test_members_logging_at_the_same_moment_complete_the_group_day(
    database_url: str,
) -> None:
    """Every member of a group logs at once, day after day: each day becomes active exactly once
    and no log fails (on PostgreSQL the group's row is locked before its day is judged)."""
    async with world(database_url) as w:
        await w.groups.create(GUILD, 1, "Owls")
        for user in (2, 3):
            await w.groups.join(GUILD, user, "Owls")
        await w.groups.change(GUILD, 1, None, GroupChanges(quorum=3))
        for day in range(8):
            reports = await asyncio.gather(
                *(w.study.log(GUILD, user, TOPIC, 20) for user in (1, 2, 3))
            )
            events = [e for r in reports for e in r.group_events]
            became_active = [e for e in events if isinstance(e, GroupDayBecameActive)]
            assert [quorum(e) for e in became_active] == [("Owls", 3, 3)], day
            info = await w.groups.info(GUILD, 1, None)
            assert (info.studied_today, info.required_today) == (3, 3)
            assert info.summary.streak.current == day + 1
            await w.clock.advance(days=1)


step = st.one_of(
    st.tuples(
        st.just("log"),
        st.integers(1, 4),
        st.sampled_from([10, 15, 30]),
        st.sampled_from(["today", "yesterday"]),
    ),
    st.tuples(st.just("wait"), st.integers(1, 30), st.just(0), st.just("")),
    st.tuples(st.just("join"), st.integers(2, 4), st.just(0), st.just("")),
    st.tuples(st.just("leave"), st.integers(2, 4), st.just(0), st.just("")),
    st.tuples(st.just("quorum"), st.integers(0, 4), st.just(0), st.just("")),
)


async def replay(
    steps: list[tuple[str, int, int, str]], zone: str, engine: str, admin: str | None
) -> None:
    with TemporaryDirectory() as folder:
        async with fresh_database(engine, Path(folder), admin) as url, world(url, zone) as w:
            group = await w.groups.create(GUILD, 1, "Owls", capacity=4)
            for kind, who, amount, day in steps:
                try:
                    if kind == "log":
                        await w.study.log(GUILD, who, TOPIC, amount, None, day)  # type: ignore[arg-type]
                    elif kind == "wait":
                        await w.clock.advance(hours=who * 3)
                    elif kind == "join":
                        await w.groups.join(GUILD, who, "Owls")
                    elif kind == "leave":
                        await w.groups.leave(GUILD, who, "Owls")
                    else:
                        await w.groups.change(GUILD, 1, "Owls", GroupChanges(quorum=who))
                except UserError:
                    pass  # refused (already in, not in, quorum too big): changes nothing
                today = await w.groups.server_today(GUILD)
                shown = (await w.days.streaks([group.id], today))[group.id]
                assert shown == await w.days.recompute(group.id, today, 15)


@pytest.mark.parametrize("engine", ENGINES)
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(step, min_size=1, max_size=30),
    zone=st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York"]),
)
def test_incremental_group_streak_matches_a_recomputation(
    request: pytest.FixtureRequest, engine: str, steps: list[tuple[str, int, int, str]], zone: str
) -> None:
    admin = request.getfixturevalue("postgres_admin_url") if engine == "postgresql" else None
    asyncio.run(replay(steps, zone, engine, admin))
