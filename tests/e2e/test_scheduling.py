"""Scheduled challenge posts: on time, in the server's timezone, exactly once, never lost.

Discord failing under a post (5xx, 429, network, 403, 404):
tests/reliability/test_discord_faults.py.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.triggers.date import DateTrigger

from bot.clock import FakeClock
from tests.e2e.scheduling_helpers import (
    SUNDAY_NOON,
    add_channel,
    posts,
    schedule_challenges,
    submit_button,
)
from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember


async def test_monday_nine_posts_once_at_nine_and_never_again(
    discord: FakeDiscord, guild: FakeGuild, mod: FakeMember, tmp_path: Path
) -> None:
    channel = guild.add_text_channel("challenges")
    clock = FakeClock(SUNDAY_NOON)
    async with BotRunner(discord, data_dir=tmp_path, clock=clock) as runner:
        saved = await schedule_challenges(discord, mod, guild, channel)
        assert "Next post" in saved.embeds[0]["description"]
        clock.set(datetime(2026, 3, 2, 8, 59, tzinfo=UTC))
        await runner.run_due()
        assert posts(discord, channel) == []
        await clock.advance(minutes=1)
        await runner.run_due()
        assert len(posts(discord, channel)) == 1
        await runner.run_due()
        await clock.advance(hours=2)
        await runner.run_due()
        assert len(posts(discord, channel)) == 1
    async with BotRunner(discord, data_dir=tmp_path, clock=clock) as runner:
        await asyncio.sleep(0.2)  # the start-up catch-up runs once the bot is ready
        await runner.run_due()
    assert len(posts(discord, channel)) == 1
    post = posts(discord, channel)[0]
    assert post.embeds[0]["title"].startswith("🏁 Weekly challenge:")
    assert post.nonce


async def test_downtime_posts_within_grace_and_records_a_miss_beyond(
    discord: FakeDiscord, guild: FakeGuild, mod: FakeMember, tmp_path: Path
) -> None:
    channel = guild.add_text_channel("challenges")
    clock = FakeClock(SUNDAY_NOON)
    async with BotRunner(discord, data_dir=tmp_path, clock=clock):
        await schedule_challenges(discord, mod, guild, channel)
    clock.set(datetime(2026, 3, 2, 15, 0, tzinfo=UTC))  # down until 6 h after the due time
    async with BotRunner(discord, data_dir=tmp_path, clock=clock) as runner:
        await asyncio.sleep(0.2)
        await runner.run_due()
        assert len(posts(discord, channel)) == 1
    clock.set(datetime(2026, 3, 9, 22, 0, tzinfo=UTC))  # 13 h late: beyond the 12 h grace
    async with BotRunner(discord, data_dir=tmp_path, clock=clock) as runner:
        await asyncio.sleep(0.2)
        await runner.run_due()
        assert len(posts(discord, channel)) == 1
        shown = await discord.slash(mod, guild, "schedule show")
    text = shown.embeds[0]["fields"][0]["value"]
    assert "Missed" in text and "2026-W11" in text


async def test_a_channel_the_bot_cannot_post_in_is_refused_before_saving(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, mod: FakeMember
) -> None:
    closed = await add_channel(runner, guild, "closed", deny_bot={"send_messages"})
    reply = await discord.slash(
        mod, guild, "schedule challenges", channel=closed, day="mon", time="09:00"
    )
    assert "Send Messages" in (reply.content or "")
    assert await runner.bot.services.posting.schedules.get(guild.id, "challenges") is None


async def test_bad_days_and_times_get_clear_messages(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, mod: FakeMember
) -> None:
    channel = await add_channel(runner, guild, "tips")
    for days, time, expected in (
        ("mon,wed", "25:00", "isn't a time"),
        ("funday", "09:00", "isn't a list of days"),
        ("mon", "9am", "isn't a time"),
    ):
        reply = await discord.slash(
            mod, guild, "schedule tips", channel=channel, days=days, time=time
        )
        assert expected in (reply.content or "")
    assert await runner.bot.services.posting.schedules.get(guild.id, "tips") is None
    ok = await discord.slash(
        mod, guild, "schedule tips", channel=channel, days="mon,wed,fri", time="18:30"
    )
    assert "mon,wed,fri at 18:30" in ok.embeds[0]["description"]


async def test_submit_button_works_after_a_restart(
    discord: FakeDiscord, guild: FakeGuild, mod: FakeMember, alice: FakeMember, tmp_path: Path
) -> None:
    channel = guild.add_text_channel("challenges")
    clock = FakeClock(SUNDAY_NOON)
    async with BotRunner(discord, data_dir=tmp_path, clock=clock) as runner:
        await schedule_challenges(discord, mod, guild, channel)
        clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        await runner.run_due()
    post = posts(discord, channel)[0]
    await clock.advance(hours=3)
    async with BotRunner(discord, data_dir=tmp_path, clock=clock) as runner:
        shown = await discord.click(alice, guild, post, submit_button(post))
        assert shown.modal is not None
        inputs = [
            c.get("component", c.get("components", [{}])[0])["custom_id"]
            for c in shown.modal["components"]
        ]
        values = dict(
            zip(inputs, ["https://github.com/alice/shortener", "done!", "90"], strict=True)
        )
        submitted = await discord.submit_modal(
            alice, guild, shown, shown.modal["custom_id"], values
        )
        assert "Submitted" in (submitted.content or "")
        assert "Logged **1 h 30 min**" in (submitted.content or "")
        rows = await runner.bot.services.challenge_repo.submissions(guild.id, user_id=alice.id)
        assert [r.link for r in rows] == ["https://github.com/alice/shortener"]


async def test_two_years_of_weekly_challenges_repeat_only_after_the_pool(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, mod: FakeMember
) -> None:
    channel = await add_channel(runner, guild, "challenges")
    runner.clock.set(SUNDAY_NOON)
    await schedule_challenges(discord, mod, guild, channel)
    runner.clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    for _ in range(104):
        await runner.run_due()
        await runner.clock.advance(days=7)
    sent = posts(discord, channel)
    assert len(sent) == 104
    titles = [m.embeds[0]["title"] for m in sent]
    pool = len(runner.bot.roadmap.challenges)
    assert len(set(titles[:pool])) == pool
    assert len(set(titles[pool:])) == 104 - pool


async def test_apscheduler_fires_run_due_in_real_time(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, mod: FakeMember
) -> None:
    channel = await add_channel(runner, guild, "challenges")
    runner.clock.set(SUNDAY_NOON)
    await schedule_challenges(discord, mod, guild, channel)
    runner.clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    fire_at = datetime.now(UTC) + timedelta(seconds=1)
    timers = runner.bot.scheduler.timers
    assert timers is not None
    timers.set(guild.id, "challenges", DateTrigger(run_date=fire_at))
    for _ in range(50):
        if posts(discord, channel):
            break
        await asyncio.sleep(0.1)
    assert len(posts(discord, channel)) == 1


async def test_the_ping_role_is_the_only_mention(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, mod: FakeMember
) -> None:
    channel = await add_channel(runner, guild, "challenges")
    role = guild.add_role("challengers", mentionable=True)
    discord.permitted_pings.add(role.id)
    await discord.slash(mod, guild, "config ping-role", role=role)
    runner.clock.set(SUNDAY_NOON)
    await schedule_challenges(discord, mod, guild, channel)
    runner.clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    await runner.run_due()
    post = discord.requests_to("POST /channels/{id}/messages")[-1].json
    assert post is not None
    assert f"<@&{role.id}>" in post["content"]
    allowed = post["allowed_mentions"]
    assert allowed["parse"] == [] and [int(r) for r in allowed["roles"]] == [role.id]
    assert not allowed.get("users")
