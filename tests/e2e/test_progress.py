"""Progress through the real bot: a member studies for two weeks with a FakeClock."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.storage.tables import streak_adjustments
from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember


def content(reply: object) -> str:
    return str(getattr(reply, "content", "") or "")


async def log(discord: FakeDiscord, member: FakeMember, guild: FakeGuild, **options: Any) -> str:
    reply = await discord.slash(member, guild, "log", **options)
    assert reply.ephemeral
    return content(reply)


async def test_two_weeks_of_study_with_a_freeze(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    first = await log(discord, alice, guild, topic="git-basics", minutes=20, note="first steps")
    git = runner.bot.roadmap.topic("git-basics")
    assert git is not None
    assert f"Logged **20 min** on **{git.title}** (today, 2026-03-02)" in first
    assert "Streak: **1** day" in first
    assert "First session on" in first
    assert "20 min of the 15 min" in first

    replies = {1: first}
    for day in range(2, 15):
        await runner.clock.advance(days=1)
        if day == 9:
            continue  # a missed day, covered by the freeze earned on day 7
        replies[day] = await log(discord, alice, guild, topic="git-basics", minutes=20)
    assert "3-day streak" in replies[3]
    assert "7-day streak" in replies[7]
    assert "freezes: 1" in replies[7]
    assert "Streak: **8** days" in replies[8]
    assert "Streak: **9** days" in replies[10]
    assert "freezes: 0 (1 frozen)" in replies[10]
    assert "Streak: **13** days" in replies[14]
    assert "14-day streak" not in replies[14]

    shown = await discord.slash(alice, guild, "streak show")
    embed = shown.embeds[0]
    assert "**13** days" in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Longest"] == "13 days"
    assert "<t:" in fields["Your day ends"]

    progress = await discord.slash(alice, guild, "progress")
    description = progress.embeds[0]["description"]
    assert "13 sessions" in description
    assert "4 h 20 min" in description
    assert "0/" in description

    done = await discord.slash(alice, guild, "done", topic="git-basics")
    assert "marked done" in content(done)
    unlocked = [
        t.title
        for t in runner.bot.roadmap.dependents("git-basics")
        if set(t.prerequisites) == {"git-basics"}
    ]
    for title in unlocked:
        assert title in content(done)
    again = await discord.slash(alice, guild, "done", topic="git-basics")
    assert "already done" in content(again)
    topic = await discord.slash(alice, guild, "topic", name="git-basics")
    assert "✅ done" in str(topic.embeds[0])
    undo = await discord.slash(alice, guild, "done", topic="git-basics", undo=True)
    assert "no longer done" in content(undo)


async def test_today_open_does_not_break_and_yesterday_joins_runs(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    await log(discord, alice, guild, topic="dns", minutes=30)
    await runner.clock.advance(days=1)
    await log(discord, alice, guild, topic="dns", minutes=30)
    await runner.clock.advance(days=2)  # a day missed, no freeze held
    shown = await discord.slash(alice, guild, "streak show")
    assert "**0** days" in shown.embeds[0]["description"]
    joined = await log(discord, alice, guild, topic="dns", minutes=30, day="yesterday")
    assert "Streak: **3** days" in joined
    assert "3-day streak" in joined
    shown = await discord.slash(alice, guild, "streak show")
    assert "**3** days" in shown.embeds[0]["description"]
    assert shown.embeds[0].get("footer", {}).get("text") == "Study today to keep your streak going."


async def test_member_timezone_sets_the_study_day(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    await runner.bot.services.guild_settings.update_member(
        guild.id, alice.id, runner.clock.now(), timezone="Asia/Tokyo"
    )
    # 08:00 UTC on Monday is 17:00 in Tokyo; 16:00 UTC is already Tuesday there.
    monday = await log(discord, alice, guild, topic="dns", minutes=20)
    assert "2026-03-02" in monday
    await runner.clock.advance(hours=8)
    tuesday = await log(discord, alice, guild, topic="dns", minutes=20)
    assert "2026-03-03" in tuesday
    assert "Streak: **2** days" in tuesday


async def test_bad_input_is_refused_kindly_and_changes_nothing(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    cases: list[dict[str, Any]] = [
        {"topic": "dns", "minutes": 0},
        {"topic": "dns", "minutes": 721},
        {"topic": "dns", "minutes": 30, "note": "x" * 301},
        {"topic": "no-such-topic", "minutes": 30},
    ]
    for options in cases:
        reply = await discord.slash(alice, guild, "log", **options)
        assert reply.ephemeral
        assert "Logged" not in content(reply)
        assert "error id" not in content(reply)
    assert await runner.bot.services.progress_repo.totals(guild.id, alice.id) == (0, 0)


async def test_pause_resume_and_cooldown(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    await log(discord, alice, guild, topic="dns", minutes=20)
    too_long = await discord.slash(alice, guild, "streak pause", days=15)
    assert "1 to 14 days" in content(too_long)
    paused = await discord.slash(alice, guild, "streak pause", days=3)
    assert "paused from 2026-03-02 to 2026-03-04" in content(paused)
    again = await discord.slash(alice, guild, "streak pause", days=2)
    assert "30 days after" in content(again)
    # Today's log fell on a paused day, so it counts for nothing: the pause covers Mar 2-4.
    await runner.clock.advance(days=5)
    await log(discord, alice, guild, topic="dns", minutes=20, day="yesterday")
    shown = await discord.slash(alice, guild, "streak show")
    assert "**1** day" in shown.embeds[0]["description"]
    resume = await discord.slash(alice, guild, "streak resume")
    assert "isn't paused" in content(resume)


async def test_paused_days_neither_count_nor_break(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    await log(discord, alice, guild, topic="dns", minutes=20)
    await runner.clock.advance(days=1)
    await discord.slash(alice, guild, "streak pause", days=3)
    await runner.clock.advance(days=3)
    after = await log(discord, alice, guild, topic="dns", minutes=20)
    assert "Streak: **2** days" in after


async def test_adjust_is_for_moderators_and_audited(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember, mod: FakeMember
) -> None:
    refused = await discord.slash(alice, guild, "streak adjust", member=alice, days=50, reason="me")
    assert "Only moderators" in content(refused)
    done = await discord.slash(mod, guild, "streak adjust", member=alice, days=12, reason="outage")
    assert "from 0 to 12" in content(done)
    shown = await discord.slash(alice, guild, "streak show")
    assert "**12** days" in shown.embeds[0]["description"]
    async with runner.bot.engine.connect() as conn:
        rows = (await conn.execute(select(streak_adjustments))).all()
    assert [(r.user_id, r.moderator_id, r.value, r.previous, r.reason) for r in rows] == [
        (alice.id, mod.id, 12, 0, "outage")
    ]


async def test_topic_buttons_log_and_mark_done(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    bob = guild.add_member("bob")
    shared = await discord.slash(alice, guild, "topic", name="dns", share=True)
    ids = {
        c["label"]: c["custom_id"]
        for row in shared.components
        for c in row["components"]
        if c.get("type") == 2
    }
    logged = await discord.click(bob, guild, shared, ids["Log 30 minutes"])
    assert logged.ephemeral and "Logged **30 min**" in content(logged)
    marked = await discord.click(alice, guild, shared, ids["Mark done"])
    assert "marked done" in content(marked)
    assert await runner.bot.services.progress_repo.totals(guild.id, bob.id) == (30, 1)
    assert (await runner.bot.services.progress_repo.topic_progress(guild.id, alice.id)).done == {
        "dns"
    }


async def test_hidden_progress_is_refused_to_others(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    bob = guild.add_member("bob")
    await runner.bot.services.guild_settings.update_member(
        guild.id, alice.id, runner.clock.now(), hide_progress=True
    )
    refused = await discord.slash(bob, guild, "progress", member=alice)
    assert "private" in content(refused)
    own = await discord.slash(alice, guild, "progress")
    assert own.embeds
