"""Challenge commands, tips, DST, and moderator-only refusals, through the real bot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.e2e.scheduling_helpers import SUNDAY_NOON, add_channel, posts, schedule_challenges
from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember


async def start_challenge(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, mod: FakeMember
) -> Any:
    channel = await add_channel(runner, guild, "challenges")
    runner.clock.set(SUNDAY_NOON)
    await schedule_challenges(discord, mod, guild, channel)
    runner.clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    await runner.run_due()
    return channel


async def test_current_submit_replace_history_and_deadline(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, mod: FakeMember, alice: FakeMember
) -> None:
    none_yet = await discord.slash(alice, guild, "challenge current")
    assert "no challenge running" in (none_yet.content or "")
    await start_challenge(runner, discord, guild, mod)
    current = await discord.slash(alice, guild, "challenge current")
    assert current.embeds[0]["title"].startswith("🏁 Weekly challenge:")
    bad = await discord.slash(alice, guild, "challenge submit", link="ftp://example.com/x")
    assert "http://" in (bad.content or "")
    first = await discord.slash(alice, guild, "challenge submit", link="https://example.com/a")
    assert "Submitted" in (first.content or "")
    second = await discord.slash(
        alice, guild, "challenge submit", link="https://example.com/b", minutes=45
    )
    assert "Replaced your submission" in (second.content or "")
    assert "Logged **45 min**" in (second.content or "")
    history = await discord.slash(alice, guild, "challenge history")
    assert "https://example.com/b" in history.embeds[0]["description"]
    assert "https://example.com/a" not in history.embeds[0]["description"]
    listed = await discord.slash(mod, guild, "challenge submissions")
    assert f"<@{alice.id}>" in listed.embeds[0]["description"]
    await runner.clock.advance(days=7)  # the deadline is the next post
    late = await discord.slash(alice, guild, "challenge submit", link="https://example.com/c")
    assert "deadline has passed" in (late.content or "")


async def test_moderators_add_queue_and_remove_challenges(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, mod: FakeMember
) -> None:
    opened = await discord.slash(mod, guild, "challenge add")
    assert opened.modal is not None
    ids = [
        c.get("component", c.get("components", [{}])[0])["custom_id"]
        for c in opened.modal["components"]
    ]
    values = dict(
        zip(
            ids,
            [
                "Build a status page",
                "Ping three services.",
                "A repo link.",
                "beginner",
                "http-basics, docker",
            ],
            strict=True,
        )
    )
    added = await discord.submit_modal(mod, guild, opened, opened.modal["custom_id"], values)
    assert "custom-1" in (added.content or "")
    choices = await discord.autocomplete(mod, guild, "challenge queue", "challenge", "status")
    assert ("Build a status page", "custom-1") in choices
    queued = await discord.slash(mod, guild, "challenge queue", challenge="custom-1")
    assert "Queued" in (queued.content or "")
    again = await discord.slash(mod, guild, "challenge queue", challenge="custom-1")
    assert "already queued" in (again.content or "")
    pool = await discord.slash(mod, guild, "challenge pool")
    assert "Build a status page" in str(pool.embeds[0])
    channel = await start_challenge(runner, discord, guild, mod)
    assert "Build a status page" in posts(discord, channel)[0].embeds[0]["title"]
    roadmap_one = runner.bot.roadmap.challenges[0].id
    refused = await discord.slash(mod, guild, "challenge remove", challenge=roadmap_one)
    assert "Only challenges added by moderators" in (refused.content or "")
    removed = await discord.slash(mod, guild, "challenge remove", challenge="custom-1")
    assert "Removed" in (removed.content or "")
    bad_week = await discord.slash(
        mod, guild, "challenge queue", challenge=roadmap_one, week="next"
    )
    assert "2026-W14" in (bad_week.content or "")


async def test_tips_post_without_repeats(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, mod: FakeMember
) -> None:
    channel = await add_channel(runner, guild, "tips")
    runner.clock.set(SUNDAY_NOON)
    await discord.slash(mod, guild, "schedule tips", channel=channel, days="daily", time="11:00")
    preview = await discord.slash(mod, guild, "schedule preview", kind="tips")
    assert preview.ephemeral and preview.embeds[0]["title"] == "💡 Tip"
    assert posts(discord, channel) == []
    for _ in range(30):
        await runner.clock.advance(days=1)
        await runner.run_due()
    texts = [m.embeds[0]["description"] for m in posts(discord, channel)]
    assert len(texts) == 30
    assert len(set(texts)) == 30


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("America/New_York", datetime(2026, 3, 8, tzinfo=UTC)),  # spring forward: 02:30 is skipped
        ("America/New_York", datetime(2026, 11, 1, tzinfo=UTC)),  # fall back: 01:30 happens twice
        ("Europe/Berlin", datetime(2026, 3, 29, tzinfo=UTC)),
        ("Europe/Berlin", datetime(2026, 10, 25, tzinfo=UTC)),
    ],
)
async def test_dst_days_post_once(
    runner: BotRunner,
    discord: FakeDiscord,
    guild: FakeGuild,
    mod: FakeMember,
    zone: str,
    day: datetime,
) -> None:
    channel = await add_channel(runner, guild, "tips")
    await discord.slash(mod, guild, "config timezone", zone=zone)
    runner.clock.set(day - timedelta(days=1))
    time = "02:30" if day.month == 3 else "01:30"
    if zone == "Europe/Berlin" and day.month == 10:
        time = "02:30"
    await discord.slash(mod, guild, "schedule tips", channel=channel, days="daily", time=time)
    before = len(posts(discord, channel))
    for _ in range(2 * 24 * 4):  # two days in 15-minute steps
        await runner.clock.advance(minutes=15)
        await runner.run_due()
    assert len(posts(discord, channel)) - before == 2


MODERATOR_COMMANDS: list[tuple[str, dict[str, Any]]] = [
    ("schedule show", {}),
    ("schedule challenges", {"day": "mon", "time": "09:00"}),
    ("schedule tips", {"days": "mon", "time": "09:00"}),
    ("schedule pause", {"kind": "tips"}),
    ("schedule resume", {"kind": "tips"}),
    ("schedule preview", {"kind": "tips"}),
    ("schedule post-now", {"kind": "tips"}),
    ("challenge add", {}),
    ("challenge queue", {"challenge": "x"}),
    ("challenge unqueue", {"challenge": "x"}),
    ("challenge pool", {}),
    ("challenge submissions", {}),
    ("challenge remove", {"challenge": "x"}),
    ("config ping-role", {}),
]


@pytest.mark.parametrize(("command", "options"), MODERATOR_COMMANDS)
async def test_moderator_commands_are_refused_to_members(
    runner: BotRunner,
    discord: FakeDiscord,
    guild: FakeGuild,
    alice: FakeMember,
    command: str,
    options: dict[str, Any],
) -> None:
    if command.startswith("schedule") and command.split()[1] in ("challenges", "tips"):
        options = {**options, "channel": await add_channel(runner, guild, "somewhere")}
    reply = await discord.slash(alice, guild, command, **options)
    assert reply.ephemeral
    assert "Only moderators" in (reply.content or "")
    assert reply.modal is None
    assert await runner.bot.services.posting.schedules.for_guild(guild.id) == []


async def test_the_next_post_recaps_last_week_without_pinging(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, mod: FakeMember, alice: FakeMember
) -> None:
    channel = await start_challenge(runner, discord, guild, mod)
    await discord.slash(alice, guild, "group create", name="Night Owls")
    await discord.slash(alice, guild, "challenge submit", link="https://example.com/mine")
    for _ in range(7):  # Monday to Sunday, every day
        await discord.slash(alice, guild, "log", topic="dns", minutes=30)
        await runner.clock.advance(days=1)
    await runner.run_due()
    second = posts(discord, channel)[-1]
    assert len(second.embeds) == 2
    recap = second.embeds[1]["description"]
    assert "**1** submitted" in recap and f"<@{alice.id}>" in recap
    assert f"<@{alice.id}> 7 days" in recap
    assert "**Night Owls** 7 days" in recap
    request = discord.requests_to("POST /channels/{id}/messages")[-1].json
    assert request is not None
    assert request["allowed_mentions"]["parse"] == []
    assert not request["allowed_mentions"].get("users")
