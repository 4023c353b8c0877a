"""/stats and /leaderboard through the fake Discord, against the real bot and database."""

from __future__ import annotations

import io

from PIL import Image

from bot.roadmap import Topic
from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def topic(runner: BotRunner) -> Topic:
    found = runner.bot.roadmap.topic("postgresql")
    assert found is not None
    return found


async def log(runner: BotRunner, guild: FakeGuild, member: FakeMember, minutes: int) -> None:
    await runner.bot.services.study.log(guild.id, member.id, topic(runner), minutes)


async def hide(runner: BotRunner, guild: FakeGuild, member: FakeMember, **flags: bool) -> None:
    await runner.bot.services.guild_settings.update_member(
        guild.id, member.id, runner.clock.now(), **flags
    )


def lines(reply: object) -> list[str]:
    embeds = getattr(reply, "embeds", [])
    return str(embeds[0]["description"]).splitlines()


async def test_stats_sends_a_heatmap_png_with_totals(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    await log(runner, guild, alice, 90)
    await runner.clock.advance(days=1)
    await log(runner, guild, alice, 30)
    reply = await discord.slash(alice, guild, "stats", weeks=8)
    assert reply.deferred and reply.ephemeral
    png = reply.files["stats.png"]
    assert png.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(png)) as image:
        image.verify()
    embed = reply.embeds[0]
    assert embed["image"]["url"] == "attachment://stats.png"
    assert "alice" in embed["title"]
    assert "2.0 hours" in embed["description"]
    assert "**2** active days" in embed["description"]


async def test_stats_default_weeks_and_a_name_the_font_cannot_draw(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild
) -> None:
    zoe = guild.add_member("zoe")
    zoe.nick = "✨🔥"
    reply = await discord.slash(zoe, guild, "stats")
    assert reply.files["stats.png"].startswith(PNG_SIGNATURE)
    assert "last 26 weeks" in reply.embeds[0]["description"]
    assert reply.embeds[0]["title"] == "Study time: member"


async def test_stats_weeks_out_of_range_gets_a_friendly_answer(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    # Discord enforces the 4-52 range; the fake does not, so the bot's own check answers.
    for weeks in (3, 53):
        reply = await discord.slash(alice, guild, "stats", weeks=weeks)
        assert reply.ephemeral
        assert "between 4 and 52 weeks" in reply.content
        assert "stats.png" not in reply.files


async def test_hidden_progress_is_refused_to_others_but_shown_to_the_member(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    bob = guild.add_member("bob")
    await log(runner, guild, bob, 45)
    await hide(runner, guild, bob, hide_progress=True)
    refused = await discord.slash(alice, guild, "stats", member=bob)
    assert refused.ephemeral
    assert "private" in refused.content
    assert "stats.png" not in refused.files
    own = await discord.slash(bob, guild, "stats", member=bob)
    assert own.files["stats.png"].startswith(PNG_SIGNATURE)
    # Hiding from leaderboards alone does not hide the heatmap.
    await hide(runner, guild, bob, hide_progress=False, hide_from_leaderboards=True)
    shown = await discord.slash(alice, guild, "stats", member=bob)
    assert shown.files["stats.png"].startswith(PNG_SIGNATURE)
    assert "bob" in shown.embeds[0]["title"]


async def test_leaderboard_orders_members_by_minutes_and_leaves_hidden_ones_out(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    bob, cara, dan = guild.add_member("bob"), guild.add_member("cara"), guild.add_member("dan")
    await log(runner, guild, alice, 30)
    await log(runner, guild, bob, 120)
    await log(runner, guild, cara, 60)
    await log(runner, guild, dan, 500)
    await hide(runner, guild, dan, hide_from_leaderboards=True)
    reply = await discord.slash(alice, guild, "leaderboard")
    assert reply.ephemeral
    shown = lines(reply)
    assert len(shown) == 3
    assert f"<@{bob.id}>" in shown[0] and "2 h" in shown[0]
    assert f"<@{cara.id}>" in shown[1]
    assert f"<@{alice.id}>" in shown[2] and "(you)" in shown[2]
    assert f"<@{dan.id}>" not in reply.embeds[0]["description"]
    assert "this week (2 Mar - 8 Mar)" in reply.embeds[0]["title"]
    hidden_view = await discord.slash(dan, guild, "leaderboard")
    assert "hidden from leaderboards" in hidden_view.embeds[0]["footer"]["text"]
    shared = await discord.slash(alice, guild, "leaderboard", share=True)
    assert not shared.ephemeral


async def test_caller_outside_the_top_ten_gets_their_own_rank_line(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild
) -> None:
    members = [guild.add_member(f"member{n:02d}") for n in range(12)]
    for n, member in enumerate(members):
        await log(runner, guild, member, 200 - n * 10)
    last = members[-1]
    reply = await discord.slash(last, guild, "leaderboard", period="week")
    shown = lines(reply)
    assert len(shown) == 12  # ten, an ellipsis, the caller
    assert shown[10] == "…"
    assert shown[11].startswith("**12.**") and f"<@{last.id}>" in shown[11]
    assert "(you)" in shown[11]
    top = await discord.slash(members[0], guild, "leaderboard")
    assert len(lines(top)) == 10
    assert "(you)" in lines(top)[0]


async def test_week_and_all_time_differ_once_the_week_is_over(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    bob = guild.add_member("bob")
    await log(runner, guild, alice, 60)
    await log(runner, guild, bob, 30)
    await runner.clock.advance(days=7)
    await log(runner, guild, bob, 45)
    week = lines(await discord.slash(alice, guild, "leaderboard", period="week"))
    assert len(week) == 1 and f"<@{bob.id}>" in week[0] and "45 min" in week[0]
    everything = lines(await discord.slash(alice, guild, "leaderboard", period="all"))
    assert [f"<@{bob.id}>" in everything[0], f"<@{alice.id}>" in everything[1]] == [True, True]
    assert "1 h 15 min" in everything[0]
    month = await discord.slash(alice, guild, "leaderboard", period="month")
    assert "Mar 2026" in month.embeds[0]["title"]
    assert len(lines(month)) == 2


async def test_empty_board_and_the_groups_board(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    empty = await discord.slash(alice, guild, "leaderboard")
    assert "Nobody has logged" in empty.embeds[0]["description"]
    assert "no study time" in empty.embeds[0]["footer"]["text"]
    groups = await discord.slash(alice, guild, "leaderboard", board="groups")
    assert groups.ephemeral
    assert "No study groups yet" in groups.embeds[0]["description"]
