"""200 `/log` at once, through the real bot: totals, streaks and group days come out exact.

Each batch is 200 interactions dispatched together; the bot handles them as concurrent tasks,
each its own transaction. The minutes are chosen so that a single lost update changes a visible
result: a member or a group member lands one minute short of the streak minimum (15), a day
stays inactive and the streak breaks. The group test, with the most locking, also runs on
PostgreSQL: the two engines serialise concurrent writers differently (one writer lock; row
locks).
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.storage.tables import daily_totals, group_member_days, member_totals, topic_totals
from bot.ui import respond
from tests.e2e.conftest import database_engine
from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember

__all__ = ["database_engine"]  # the fixture that runs a test on both engines
SQLITE_ONLY = pytest.mark.parametrize("database_engine", ["sqlite"], indirect=True)

SATURDAY, SUNDAY, MONDAY = date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 2)
MONDAY_NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
SATURDAY_NOON = datetime(2026, 2, 28, 12, 0, tzinfo=UTC)
THAT_DAY = re.compile(r"That day: (.+?) of the")


async def _all(
    discord: FakeDiscord, guild: FakeGuild, logs: list[tuple[FakeMember, str]]
) -> list[str]:
    """Dispatch every (member, day) one-minute `/log` at once; return the replies."""
    replies = await asyncio.gather(
        *(
            discord.slash(member, guild, "log", topic="git-basics", minutes=1, day=day)
            for member, day in logs
        )
    )
    for reply in replies:
        assert "Logged **1 min**" in reply.content, reply.content
    return [reply.content for reply in replies]


async def _rows(runner: BotRunner, *columns: Any) -> list[tuple[Any, ...]]:
    async with runner.bot.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(select(*columns))]


@SQLITE_ONLY
async def test_200_logs_at_once_by_one_member_add_up_exactly(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    runner.clock.set(SATURDAY_NOON)
    await discord.slash(alice, guild, "log", topic="git-basics", minutes=20)
    runner.clock.set(MONDAY_NOON)
    # Sunday has nothing yet: 15 of the 100 "yesterday" minutes make it active, so the streak
    # is 3 only if every one of them counted.
    replies = await _all(discord, guild, [(alice, "yesterday"), (alice, "today")] * 100)

    today = [THAT_DAY.search(r) for r in replies[1::2]]
    reported = [m.group(1) for m in today if m]
    assert len(set(reported)) == 100, "two logs saw the same day total: not serialised"
    assert "1 h 40 min" in reported  # the last one saw all 100 minutes

    rows = await _rows(runner, daily_totals.c.day, daily_totals.c.minutes)
    assert sorted(rows) == [(SATURDAY, 20), (SUNDAY, 100), (MONDAY, 100)]
    totals = await _rows(runner, member_totals.c.minutes, member_totals.c.sessions)
    assert totals == [(220, 201)]
    topics = await _rows(runner, topic_totals.c.minutes, topic_totals.c.sessions)
    assert topics == [(220, 201)]

    study = runner.bot.services.study
    shown, where = await study.streak(guild.id, alice.id)
    assert (shown.current, shown.longest) == (3, 3)
    rules = await study.rules(guild.id)
    assert shown == await runner.bot.services.progress_repo.recompute_streak(
        guild.id, alice.id, where.today, rules
    )


async def test_200_logs_at_once_by_a_group_keep_its_days_exact(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    members = [alice, *(guild.add_member(f"member{i}") for i in range(1, 5))]
    runner.clock.set(SATURDAY_NOON)
    await discord.slash(alice, guild, "group create", name="Night Owls")
    for member in members[1:]:
        await discord.slash(member, guild, "group join", name="Night Owls")
    for member in members[:3]:  # Saturday: 3 of 5 study, the quorum
        await discord.slash(member, guild, "log", topic="git-basics", minutes=15)

    runner.clock.set(MONDAY_NOON)
    # Sunday and Monday: three members log exactly the minimum, one minute at a time (a lost
    # minute leaves one short, the day inactive, the streak broken); the other two add noise.
    logs: list[tuple[FakeMember, str]] = []
    for member in members[:3]:
        logs += [(member, "yesterday"), (member, "today")] * 15
    logs += [(members[3], "today")] * 55 + [(members[4], "yesterday")] * 55
    assert len(logs) == 200
    await _all(discord, guild, logs)

    per_member_day = await _rows(
        runner,
        group_member_days.c.day,
        group_member_days.c.user_id,
        group_member_days.c.minutes,
    )
    expected: Counter[tuple[date, int]] = Counter()
    for member in members[:3]:
        expected[(SATURDAY, member.id)] = 15
        expected[(SUNDAY, member.id)] = 15
        expected[(MONDAY, member.id)] = 15
    expected[(MONDAY, members[3].id)] = 55
    expected[(SUNDAY, members[4].id)] = 55
    assert Counter({(d, u): m for d, u, m in per_member_day}) == expected

    groups = runner.bot.services.groups
    group = (await groups.member_groups(guild.id, alice.id))[0]
    for day in (SATURDAY, SUNDAY, MONDAY):
        assert await groups.days.day_state(group.id, day) == (3, True), day
    summary = (await groups.summaries(guild.id, [group]))[0]
    assert (summary.streak.current, summary.streak.longest) == (3, 3)
    assert summary.week_minutes == 3 * 15 + 55  # this ISO week is Monday only

    info = await discord.slash(members[3], guild, "group info")
    # Today: the three at the minimum, and members[3]'s 55 minutes; members[4] logged Sunday.
    assert "4 of 3 needed have studied today" in str(info.embeds[0])
    by_member: defaultdict[int, int] = defaultdict(int)
    for _day, user, minutes in per_member_day:
        by_member[user] += minutes
    totals = dict(await _rows(runner, member_totals.c.user_id, member_totals.c.minutes))
    assert totals == dict(by_member)


@SQLITE_ONLY
async def test_a_log_that_cannot_answer_in_time_defers_then_answers(
    runner: BotRunner,
    discord: FakeDiscord,
    guild: FakeGuild,
    alice: FakeMember,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The path a burst takes when the database queue is long: "thinking...", then the answer.
    Forced here by a zero budget, so it is exercised whatever the machine's speed."""
    monkeypatch.setattr(respond, "DEFER_AFTER_S", 0.0)
    reply = await discord.slash(alice, guild, "log", topic="git-basics", minutes=20)
    assert reply.callback_type == 5 and reply.ephemeral
    assert "Logged **20 min**" in reply.content
    shared = await discord.slash(alice, guild, "log", topic="git-basics", minutes=5, share=True)
    assert shared.callback_type == 5 and not shared.ephemeral
    assert "Logged **5 min**" in shared.content
