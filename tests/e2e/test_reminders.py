"""Reminders through the real bot: streak nudges and study reminders, by DM, with fallbacks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.e2e.scheduling_helpers import add_channel
from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember

MONDAY_7AM_NEW_YORK = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


async def set_up_new_yorker(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    runner.clock.set(MONDAY_7AM_NEW_YORK)
    await discord.slash(alice, guild, "timezone", zone="America/New_York")
    await discord.slash(alice, guild, "log", topic="dns", minutes=20)
    reply = await discord.slash(alice, guild, "remind streak")
    assert "4 h before your day ends" in (reply.content or "")


def notices(discord: FakeDiscord) -> list[object]:
    return [
        r
        for r in discord.requests_to("POST /webhooks/{app_id}/{token}")
        if r.json and "couldn't deliver your last reminder" in str(r.json.get("content"))
    ]


async def wait_for(condition: Callable[[], bool]) -> None:
    for _ in range(100):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition never became true")


async def step_until(
    runner: BotRunner, until: datetime, step: timedelta = timedelta(minutes=15)
) -> None:
    while runner.clock.now() + step <= until:
        await runner.clock.advance(seconds=step.total_seconds())
        await runner.run_due()


async def test_streak_nudge_at_20_local_only_on_a_day_without_study(
    discord: FakeDiscord, guild: FakeGuild, alice: FakeMember, tmp_path: Path
) -> None:
    async with BotRunner(discord, data_dir=tmp_path) as runner:
        await set_up_new_yorker(runner, discord, guild, alice)
        # Monday was studied: nothing at 20:00 New York time (01:00 UTC Tuesday).
        await step_until(runner, datetime(2026, 3, 3, 2, 0, tzinfo=UTC))
        assert discord.dms_to(alice) == []
        # Tuesday has no study: one DM at 20:00 New York (01:00 UTC Wednesday), not earlier.
        await step_until(runner, datetime(2026, 3, 4, 0, 45, tzinfo=UTC))
        assert discord.dms_to(alice) == []
        await step_until(runner, datetime(2026, 3, 4, 1, 0, tzinfo=UTC))
        dms = discord.dms_to(alice)
        assert len(dms) == 1
        assert "1-day study streak in **Backend Learners** needs today" in dms[0].content
        await runner.run_due()
        await step_until(runner, datetime(2026, 3, 4, 4, 0, tzinfo=UTC))
        clock = runner.clock
    async with BotRunner(discord, data_dir=tmp_path, clock=clock) as runner:
        await runner.run_due()
    assert len(discord.dms_to(alice)) == 1


async def test_the_dst_change_day_nudges_at_20_local(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    await set_up_new_yorker(runner, discord, guild, alice)
    runner.clock.set(datetime(2026, 3, 7, 15, 0, tzinfo=UTC))  # Saturday: keep a streak going
    await discord.slash(alice, guild, "log", topic="dns", minutes=20)
    await runner.run_due()
    runner.clock.set(
        datetime(2026, 3, 8, 23, 0, tzinfo=UTC)
    )  # Sunday 19:00 EDT, clocks sprang forward
    await runner.run_due()
    before = len(discord.dms_to(alice))
    await step_until(runner, datetime(2026, 3, 8, 23, 45, tzinfo=UTC))
    assert len(discord.dms_to(alice)) == before
    await step_until(runner, datetime(2026, 3, 9, 0, 15, tzinfo=UTC))  # 20:00 EDT = 00:00 UTC
    assert len(discord.dms_to(alice)) == before + 1


async def test_a_nudge_found_after_midnight_is_dropped(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    await set_up_new_yorker(runner, discord, guild, alice)
    runner.clock.set(
        datetime(2026, 3, 4, 6, 0, tzinfo=UTC)
    )  # down through Tuesday's nudge and midnight
    await runner.run_due()
    assert discord.dms_to(alice) == []


async def test_closed_dms_fall_back_to_the_channel_then_to_a_notice(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember, mod: FakeMember
) -> None:
    alice.accepts_dms = False
    channel = await add_channel(runner, guild, "reminders")
    await discord.slash(mod, guild, "config reminders-channel", channel=channel)
    discord.permitted_pings.add(alice.id)
    await set_up_new_yorker(runner, discord, guild, alice)
    await step_until(runner, datetime(2026, 3, 4, 1, 0, tzinfo=UTC))
    posted = discord.messages_in(channel.id)
    assert len(posted) == 1
    assert posted[0].content.startswith(f"<@{alice.id}> ")
    request = discord.requests_to("POST /channels/{id}/messages")[-1].json
    assert request is not None
    assert [int(u) for u in request["allowed_mentions"]["users"]] == [alice.id]

    await discord.slash(alice, guild, "log", topic="dns", minutes=20)  # still Tuesday in New York
    await discord.slash(mod, guild, "config reminders-channel", clear=True)
    await step_until(runner, datetime(2026, 3, 5, 1, 0, tzinfo=UTC))
    assert len(discord.messages_in(channel.id)) == 1
    notices_before = len(notices(discord))
    await discord.slash(alice, guild, "remind list")
    await wait_for(lambda: len(notices(discord)) > notices_before)
    await discord.slash(alice, guild, "remind list")
    await asyncio.sleep(0.1)
    assert len(notices(discord)) == notices_before + 1  # told once, not at every command


async def test_study_reminder_on_chosen_days_with_a_log_button(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    runner.clock.set(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))  # Sunday, UTC server
    await discord.slash(alice, guild, "log", topic="docker", minutes=20)
    reply = await discord.slash(alice, guild, "remind study", time="18:30", days="mon,wed")
    assert "Study reminder set" in (reply.content or "")
    await step_until(runner, datetime(2026, 3, 8, 12, 0, tzinfo=UTC), step=timedelta(minutes=30))
    dms = discord.dms_to(alice)
    assert len(dms) == 2
    docker = runner.bot.roadmap.topic("docker")
    assert docker is not None
    assert all(f"You last worked on **{docker.title}**" in m.content for m in dms)
    button = dms[0].components[0]["components"][0]
    assert button["label"] == "Log 30 minutes"
    logged = await discord.click(alice, guild, dms[0], button["custom_id"])
    assert "Logged **30 min**" in (logged.content or "")
    listed = await discord.slash(alice, guild, "remind list")
    assert "mon,wed at 18:30" in (listed.content or "")
    cleared = await discord.slash(alice, guild, "remind clear")
    assert "Removed 1 reminder" in (cleared.content or "")


async def test_bad_reminder_options_are_refused(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    for command, options, expected in (
        ("remind streak", {"hours_before": 13}, "1 to 12 hours"),
        ("remind study", {}, "Give a time"),
        ("remind study", {"time": "25:99"}, "isn't a time"),
        ("remind study", {"time": "18:00", "days": "someday"}, "isn't a list of days"),
    ):
        reply = await discord.slash(alice, guild, command, **options)
        assert expected in (reply.content or "")
    assert await runner.bot.services.reminders.repo.for_member(guild.id, alice.id) == []


async def test_many_members_are_swept_in_one_pass(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild
) -> None:
    runner.clock.set(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    members = [guild.add_member(f"member{n}") for n in range(40)]
    services = runner.bot.services
    topic = runner.bot.roadmap.topic("dns")
    assert topic is not None
    for member in members:
        await services.study.log(guild.id, member.id, topic, 20)
        await services.reminders.set_streak(guild.id, member.id, 4)
    runner.clock.set(datetime(2026, 3, 2, 20, 0, tzinfo=UTC))  # Monday was studied: no nudge
    assert await runner.bot.run_due() == 0
    runner.clock.set(datetime(2026, 3, 3, 20, 0, tzinfo=UTC))  # Tuesday 20:00 UTC, nobody studied
    sent = await runner.bot.run_due()
    assert sent == 40
    assert all(len(discord.dms_to(m)) == 1 for m in members)
