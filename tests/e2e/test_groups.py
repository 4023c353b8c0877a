"""Study groups through the real bot: shared streaks, owners, limits, invites and threads."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember

NAME = "Night Owls"


async def eventually(check: Callable[[], bool]) -> None:
    """Thread chores run right after the reply, so the test may see the reply first."""
    for _ in range(200):
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition never became true")


def text(reply: Any) -> str:
    return str(getattr(reply, "content", "") or "")


def fields(reply: Any) -> dict[str, str]:
    return {f["name"].split(" (")[0]: f["value"] for f in reply.embeds[0].get("fields", [])}


async def log(
    discord: FakeDiscord, member: FakeMember, guild: FakeGuild, minutes: int = 20, **extra: Any
) -> str:
    reply = await discord.slash(member, guild, "log", topic="dns", minutes=minutes, **extra)
    assert "Logged" in text(reply), text(reply)
    return text(reply)


async def trio(
    discord: FakeDiscord, guild: FakeGuild, alice: FakeMember, **options: Any
) -> tuple[FakeMember, FakeMember]:
    bob, carol = guild.add_member("bob"), guild.add_member("carol")
    created = await discord.slash(alice, guild, "group create", name=NAME, **options)
    assert "is ready" in text(created), text(created)
    for member in (bob, carol):
        joined = await discord.slash(member, guild, "group join", name=NAME.lower())
        assert "You joined" in text(joined), text(joined)
    return bob, carol


async def test_three_members_through_ten_days(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    bob, carol = await trio(discord, guild, alice)
    people = {"a": alice, "b": bob, "c": carol}
    # Who studies (>= the 15 min minimum) each day; the default quorum of 3 members is 2.
    plan = {1: "ab", 2: "bc", 3: "ac", 4: "abc", 5: "ab", 6: "a", 7: "ab", 8: "c", 9: "abc",
            10: "bc"}  # fmt: skip
    for day in range(1, 11):
        if day > 1:
            await runner.clock.advance(days=1)
        if day == 7:  # bob's session for yesterday completes day 6 (a group day, not his day)
            await log(discord, bob, guild, day="yesterday")
        for key in plan[day]:
            await log(discord, people[key], guild)
        if day == 2:
            await log(discord, alice, guild, minutes=10)  # under the minimum: not counted
    info = await discord.slash(carol, guild, "group info")
    shown = fields(info)
    # Days 1-7 active (7 days, a freeze earned), day 8 covered by it, days 9-10 active.
    assert "🔥 **9 days** · longest 9 · 🧊 freezes: 0 (1 frozen)" in shown["Streak"]
    assert "2 of 2 needed have studied today" in shown["Today"]
    assert f"<@{alice.id}>" in shown["Owner"]
    members = next(f for f in info.embeds[0]["fields"] if f["name"].startswith("Members"))
    assert "Members (3/8)" in members["name"]
    assert f"<@{carol.id}> · 1 h" in members["value"]  # Mon 2 Mar .. Sun 8 Mar: days 8-10
    board = await discord.slash(alice, guild, "leaderboard", board="groups")
    assert f"**{NAME}** · 🔥 9 days" in board.embeds[0]["description"]
    progress = await discord.slash(bob, guild, "progress")
    assert any(
        f["name"] == "Study groups" and f"**{NAME}** · 🔥 9 days" in f["value"]
        for f in progress.embeds[0]["fields"]
    )


OWNER_ONLY: list[tuple[str, dict[str, Any]]] = [
    ("group invite", {"member": "carol"}),
    ("group kick", {"member": "carol"}),
    ("group transfer", {"member": "carol"}),
    ("group settings", {"quorum": 1}),
    ("group settings", {"open": False}),
    ("group disband", {}),
]


@pytest.mark.parametrize(("command", "options"), OWNER_ONLY)
async def test_owner_only_commands_are_refused_to_others(
    runner: BotRunner,
    discord: FakeDiscord,
    guild: FakeGuild,
    alice: FakeMember,
    command: str,
    options: dict[str, Any],
) -> None:
    bob, carol = await trio(discord, guild, alice)
    resolved: dict[str, Any] = {k: carol if v == "carol" else v for k, v in options.items()}
    refused = await discord.slash(bob, guild, command, group=NAME, **resolved)
    assert refused.ephemeral
    assert "Only the owner of **Night Owls**" in text(refused), text(refused)
    # Without naming it, bob owns no group at all.
    unnamed = await discord.slash(bob, guild, command, **resolved)
    assert "You don't own a study group" in text(unnamed)
    info = await discord.slash(alice, guild, "group info")
    assert "Members (3/8)" in str(info.embeds[0])
    assert f"<@{alice.id}>" in fields(info)["Owner"]


async def test_moderators_may_kick_and_disband_any_group(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember, mod: FakeMember
) -> None:
    bob, _ = await trio(discord, guild, alice)
    kicked = await discord.slash(mod, guild, "group kick", member=bob, group=NAME)
    assert "Removed" in text(kicked)
    asked = await discord.slash(mod, guild, "group disband", group=NAME)
    ids = {c["label"]: c["custom_id"] for r in asked.components for c in r["components"]}
    other = await discord.click(alice, guild, asked, ids["Disband"])
    assert "belong to someone else" in text(other)
    done = await discord.click(mod, guild, asked, ids["Disband"])
    assert "has been disbanded" in text(done)
    gone = await discord.slash(alice, guild, "group info", group=NAME)
    assert "There is no study group" in text(gone)


async def test_capacity_and_per_member_limits(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    bob, carol = guild.add_member("bob"), guild.add_member("carol")
    await discord.slash(alice, guild, "group create", name="Pair", capacity=2)
    assert "You joined" in text(await discord.slash(bob, guild, "group join", name="Pair"))
    full = await discord.slash(carol, guild, "group join", name="Pair")
    assert "**Pair** is full (2/2 members)" in text(full)
    taken = await discord.slash(carol, guild, "group create", name="PAIR")
    assert "already a group called" in text(taken)
    short = await discord.slash(carol, guild, "group create", name="x")
    assert "2 to 40 characters" in text(short)
    for name in ("Two", "Three"):
        assert "is ready" in text(await discord.slash(alice, guild, "group create", name=name))
    fourth = await discord.slash(alice, guild, "group create", name="Four")
    assert "already in 3 study groups" in text(fourth)
    await discord.slash(carol, guild, "group create", name="Carol's")
    joining = await discord.slash(alice, guild, "group join", name="Carol's")
    assert "already in 3 study groups" in text(joining)
    quorum = await discord.slash(alice, guild, "group settings", group="Pair", quorum=3)
    assert "1 to the number of members (2)" in text(quorum)
    listed = await discord.slash(carol, guild, "group list")
    description = listed.embeds[0]["description"]
    assert "**Two**" in description and "**Pair**" not in description  # Pair is full
    choices = await discord.autocomplete(carol, guild, "group join", "name", "")
    assert [value for _, value in choices] == ["Three", "Two"]


async def test_invites_for_a_closed_group_expire_after_seven_days(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    bob, carol = guild.add_member("bob"), guild.add_member("carol")
    await discord.slash(alice, guild, "group create", name=NAME, open=False)
    closed = await discord.slash(bob, guild, "group join", name=NAME)
    assert "invite-only" in text(closed)
    for member in (bob, carol):
        invited = await discord.slash(alice, guild, "group invite", member=member)
        assert "may join **Night Owls** until" in text(invited)
    assert "You joined" in text(await discord.slash(bob, guild, "group join", name=NAME))
    again = await discord.slash(alice, guild, "group invite", member=bob)
    assert "already in" in text(again)
    await runner.clock.advance(days=7, minutes=1)
    late = await discord.slash(carol, guild, "group join", name=NAME)
    assert "expired on 2026-03-09" in text(late)


async def test_ownership_passes_to_the_longest_standing_member(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    bob, carol = await trio(discord, guild, alice)
    left = await discord.slash(alice, guild, "group leave")
    assert f"<@{bob.id}>, its longest-standing member, owns it now" in text(left)
    assert f"<@{bob.id}>" in fields(await discord.slash(carol, guild, "group info"))["Owner"]
    await discord.slash(bob, guild, "group leave")
    last = await discord.slash(carol, guild, "group leave")
    assert "the group has ended" in text(last)
    gone = await discord.slash(alice, guild, "group join", name=NAME)
    assert "There is no study group" in text(gone)


async def test_threads_follow_the_group_when_a_groups_channel_is_set(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember, mod: FakeMember
) -> None:
    channel = guild.add_text_channel("groups")
    await eventually(lambda: runner.bot.get_channel(channel.id) is not None)
    await discord.slash(alice, guild, "group create", name="No Thread")
    assert guild.threads == []
    assert discord.requests_to("POST /channels/{id}/threads") == []
    refused = await discord.slash(alice, guild, "config groups-channel", channel=channel)
    assert "Only moderators" in text(refused)
    setting = await discord.slash(mod, guild, "config groups-channel", channel=channel)
    assert "gets a public thread" in text(setting)
    await discord.slash(alice, guild, "group disband", group="No Thread")  # not confirmed
    bob, carol = await trio(discord, guild, mod)
    await eventually(lambda: len(guild.threads) == 1)
    [thread] = guild.threads
    assert (thread.name, thread.type, thread.parent_id) == (NAME, 11, channel.id)
    await eventually(lambda: {mod.id, bob.id, carol.id} <= thread.thread_member_ids)
    await log(discord, bob, guild)
    assert discord.messages_in(thread.id) == []
    await log(discord, carol, guild)
    await eventually(lambda: len(discord.messages_in(thread.id)) == 1)
    [post] = discord.messages_in(thread.id)
    assert post.content == "Quorum reached today: 2 of 2 studied 🎉"
    assert post.allowed_mentions == {"parse": []}
    await discord.slash(carol, guild, "group leave")
    await eventually(lambda: carol.id not in thread.thread_member_ids)
    asked = await discord.slash(mod, guild, "group disband")
    ids = {c["label"]: c["custom_id"] for r in asked.components for c in r["components"]}
    await discord.click(mod, guild, asked, ids["Disband"])
    await eventually(lambda: thread.archived and thread.locked)


async def test_a_thread_post_that_fails_never_breaks_the_log(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember, mod: FakeMember
) -> None:
    channel = guild.add_text_channel("groups")
    await eventually(lambda: runner.bot.get_channel(channel.id) is not None)
    setting = await discord.slash(mod, guild, "config groups-channel", channel=channel)
    assert "gets a public thread" in text(setting)
    await discord.slash(alice, guild, "group create", name=NAME)
    await eventually(lambda: bool(guild.threads) and alice.id in guild.threads[0].thread_member_ids)
    discord.fail_next("POST /channels/{id}/messages", status=403, code=50013)
    reply = await log(discord, alice, guild)
    assert "Quorum" not in reply
    await asyncio.sleep(0.1)  # the failed post is logged after the reply
    follow = await log(discord, alice, guild)
    assert "Logged" in follow
    [thread] = guild.threads
    assert discord.messages_in(thread.id) == []
