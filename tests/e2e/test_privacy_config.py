"""/timezone, /privacy and /config through the fake Discord, checked against the database."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.core.pauses import Pause
from bot.storage.challenges_repo import Submission
from bot.storage.privacy_repo import ALL_MEMBER_TABLES, GROUP_SCOPED_TABLES
from bot.storage.tables import guild_settings, member_settings
from bot.ui.checks import NOT_A_MODERATOR
from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember


def button(reply: object, label_start: str) -> str:
    for row in getattr(reply, "components", None) or []:
        for component in row.get("components", []):
            if component.get("type") == 2 and component.get("label", "").startswith(label_start):
                return str(component["custom_id"])
    raise AssertionError(f"no button starting with {label_start!r}")


async def member_row(runner: BotRunner, guild: FakeGuild, member: FakeMember) -> Any:
    async with runner.bot.engine.connect() as conn:
        query = select(member_settings).where(
            member_settings.c.guild_id == guild.id, member_settings.c.user_id == member.id
        )
        return (await conn.execute(query)).first()


async def guild_row(runner: BotRunner, guild: FakeGuild) -> Any:
    async with runner.bot.engine.connect() as conn:
        query = select(guild_settings).where(guild_settings.c.guild_id == guild.id)
        return (await conn.execute(query)).first()


async def row_counts(runner: BotRunner, guild: FakeGuild, member: FakeMember) -> dict[str, int]:
    counts: dict[str, int] = {}
    async with runner.bot.engine.connect() as conn:
        for table in ALL_MEMBER_TABLES:
            query = select(func.count()).where(
                table.c.guild_id == guild.id, table.c.user_id == member.id
            )
            counts[table.name] = int((await conn.execute(query)).scalar_one())
    return counts


async def seed(runner: BotRunner, guild: FakeGuild, member: FakeMember) -> None:
    """Rows in every member table: sessions, totals, a completion, streak, pause, adjustment."""
    services = runner.bot.services
    await services.groups.create(guild.id, member.id, f"{member.name}'s group")
    for topic_id, minutes in (("docker", 30), ("postgresql", 45)):
        topic = runner.bot.roadmap.topic(topic_id)
        assert topic is not None
        await services.study.log(guild.id, member.id, topic, minutes)
    now = services.clock.now()
    repo = services.progress_repo
    await repo.set_done(guild.id, member.id, "docker", done=True, now=now)
    await repo.add_pause(guild.id, member.id, Pause(date(2026, 4, 1), date(2026, 4, 3)))
    await repo.adjust(
        guild_id=guild.id,
        user_id=member.id,
        moderator_id=1,
        value=3,
        previous=1,
        reason="test",
        day=date(2026, 3, 1),
        now=now,
    )
    await services.guild_settings.update_member(guild.id, member.id, now, timezone="Asia/Tokyo")
    await services.challenge_repo.submit(
        guild.id,
        Submission(member.id, "2026-W10", "some-challenge", "https://example.com", None, now),
    )


# --- /timezone -----------------------------------------------------------------------------------


async def test_timezone_set_show_and_unknown_refused(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    before = await discord.slash(alice, guild, "timezone")
    assert before.ephemeral
    assert "server's zone **UTC**" in before.content
    assert "Monday 08:00" in before.content  # the runner's FakeClock: Monday 08:00 UTC

    chosen = await discord.slash(alice, guild, "timezone", zone="asia/tokyo")
    assert chosen.ephemeral and "**Asia/Tokyo**" in chosen.content
    assert (await member_row(runner, guild, alice)).timezone == "Asia/Tokyo"

    shown = await discord.slash(alice, guild, "timezone")
    assert "Your timezone is **Asia/Tokyo**" in shown.content
    assert "Monday 17:00" in shown.content

    refused = await discord.slash(alice, guild, "timezone", zone="Mars/Olympus")
    assert refused.ephemeral and "don't know a timezone" in refused.content
    assert (await member_row(runner, guild, alice)).timezone == "Asia/Tokyo"


async def test_timezone_autocomplete(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    found = await discord.autocomplete(alice, guild, "timezone", "zone", "tok")
    assert found[0][1] == "Asia/Tokyo"
    assert len(await discord.autocomplete(alice, guild, "timezone", "zone", "")) == 25
    assert await discord.autocomplete(alice, guild, "timezone", "zone", "zzqqxx") == []
    # Suggestions are harmless, so /config's autocomplete answers anyone; running it is checked.
    config = await discord.autocomplete(alice, guild, "config timezone", "zone", "berl")
    assert config[0][1] == "Europe/Berlin"


# --- /privacy ------------------------------------------------------------------------------------


async def test_privacy_toggles_change_what_is_stored(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    panel = await discord.slash(alice, guild, "privacy")
    assert panel.ephemeral
    assert "shown" in str(panel.embeds[0])

    toggled = await discord.click(alice, guild, panel, button(panel, "Hide me from leaderboards"))
    row = await member_row(runner, guild, alice)
    assert row.hide_from_leaderboards and not row.hide_progress
    assert button(toggled, "Hide me from leaderboards: on")
    privacy = runner.bot.get_cog("Privacy").privacy  # type: ignore[union-attr]
    assert await privacy.hidden_from_leaderboards(guild.id) == {alice.id}

    toggled = await discord.click(alice, guild, toggled, button(toggled, "Hide my progress"))
    row = await member_row(runner, guild, alice)
    assert row.hide_from_leaderboards and row.hide_progress
    assert await privacy.hides_progress(guild.id, alice.id)

    toggled = await discord.click(alice, guild, toggled, button(toggled, "Hide me from"))
    row = await member_row(runner, guild, alice)
    assert not row.hide_from_leaderboards and row.hide_progress
    assert "Hide me from leaderboards: off" in str(toggled.components)


async def test_privacy_buttons_refuse_another_member(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    bob = guild.add_member("bob")
    await seed(runner, guild, alice)
    panel = await discord.slash(alice, guild, "privacy")
    for label in ("Hide me from", "Hide my progress", "Export", "Delete"):
        refused = await discord.click(bob, guild, panel, button(panel, label))
        assert refused.ephemeral and "someone else" in refused.content
        assert not refused.files
    row = await member_row(runner, guild, alice)
    assert not row.hide_from_leaderboards and not row.hide_progress
    confirm = await discord.click(alice, guild, panel, button(panel, "Delete"))
    refused = await discord.click(bob, guild, confirm, button(confirm, "Confirm"))
    assert "someone else" in refused.content
    assert (await row_counts(runner, guild, alice))["study_sessions"] == 2


async def test_export_holds_every_row_as_json(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    bob = guild.add_member("bob")
    await seed(runner, guild, alice)
    await seed(runner, guild, bob)
    panel = await discord.slash(alice, guild, "privacy")
    assert "2 study sessions" in str(panel.embeds[0])
    exported = await discord.click(alice, guild, panel, button(panel, "Export"))
    assert exported.ephemeral
    [(name, data)] = exported.files.items()
    assert name.endswith(".json")
    document = json.loads(data)
    assert document["user_id"] == str(alice.id)
    tables = document["tables"]
    assert {t.name for t in (*ALL_MEMBER_TABLES, *GROUP_SCOPED_TABLES)} == set(tables)
    sessions = tables["study_sessions"]
    assert sorted((s["topic_id"], s["minutes"]) for s in sessions) == [
        ("docker", 30),
        ("postgresql", 45),
    ]
    assert all(s["user_id"] == alice.id for rows in tables.values() for s in rows)
    assert sessions[0]["day"] == "2026-03-02"
    assert sessions[0]["logged_at"].startswith("2026-03-02T08:00:00")
    assert tables["member_settings"][0]["timezone"] == "Asia/Tokyo"
    counts = await row_counts(runner, guild, alice)
    counts |= {"group_invites": 0, "group_member_days": 1}  # one group day of study, no invite
    assert {name: len(rows) for name, rows in tables.items()} == counts


async def test_delete_confirms_and_cancel_keeps_data(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    bob = guild.add_member("bob")
    await seed(runner, guild, alice)
    await seed(runner, guild, bob)
    before = await row_counts(runner, guild, alice)
    assert all(before.values()), before
    bob_before = await row_counts(runner, guild, bob)

    panel = await discord.slash(alice, guild, "privacy")
    confirm = await discord.click(alice, guild, panel, button(panel, "Delete"))
    assert confirm.ephemeral and "cannot be undone" in confirm.content
    assert await row_counts(runner, guild, alice) == before  # asking deletes nothing
    cancelled = await discord.click(alice, guild, confirm, button(confirm, "Cancel"))
    assert "nothing was deleted" in cancelled.content and not cancelled.components
    assert await row_counts(runner, guild, alice) == before

    confirm = await discord.click(alice, guild, panel, button(panel, "Delete"))
    done = await discord.click(alice, guild, confirm, button(confirm, "Confirm"))
    assert "deleted" in done.content and not done.components
    assert set((await row_counts(runner, guild, alice)).values()) == {0}
    async with runner.bot.engine.connect() as conn:
        for table in GROUP_SCOPED_TABLES:
            left = await conn.scalar(
                select(func.count()).select_from(table).where(table.c.user_id == alice.id)
            )
            assert left == 0, table.name
    assert await row_counts(runner, guild, bob) == bob_before
    shown = await discord.slash(alice, guild, "timezone")
    assert "haven't set a timezone" in shown.content


# --- /config -------------------------------------------------------------------------------------

CONFIG_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("config show", {}),
    ("config timezone", {"zone": "Europe/Berlin"}),
    ("config streak-minimum", {"minutes": 45}),
    ("config moderator-role", {"clear": True}),
]


async def test_every_config_command_is_refused_to_members(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    role = guild.add_role("helpers")
    calls = [*CONFIG_CALLS, ("config moderator-role", {"role": role})]
    for command, options in calls:
        refused = await discord.slash(alice, guild, command, **options)
        assert refused.ephemeral, command
        assert refused.content == NOT_A_MODERATOR, command
        assert not refused.embeds
    assert await guild_row(runner, guild) is None


async def test_moderators_configure_the_server(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, mod: FakeMember
) -> None:
    shown = await discord.slash(mod, guild, "config show")
    assert shown.ephemeral
    fields = {f["name"]: f["value"] for f in shown.embeds[0]["fields"]}
    assert fields["Timezone"] == "UTC (default)"
    assert "(default)" in fields["Streak minimum"] and "(default)" in fields["Moderator role"]

    zone = await discord.slash(mod, guild, "config timezone", zone="europe/berlin")
    assert "**Europe/Berlin**" in zone.content
    refused = await discord.slash(mod, guild, "config timezone", zone="Nowhere/Land")
    assert "don't know a timezone" in refused.content
    minimum = await discord.slash(mod, guild, "config streak-minimum", minutes=45)
    assert "45 min" in minimum.content
    role = guild.add_role("helpers")
    set_role = await discord.slash(mod, guild, "config moderator-role", role=role)
    assert f"<@&{role.id}>" in set_role.content
    everyone = await discord.slash(mod, guild, "config moderator-role", role=guild.everyone)
    assert "not @everyone" in everyone.content

    row = await guild_row(runner, guild)
    assert (row.timezone, row.streak_minimum, row.moderator_role_id) == (
        "Europe/Berlin",
        45,
        role.id,
    )
    fields = {
        f["name"]: f["value"]
        for f in (await discord.slash(mod, guild, "config show")).embeds[0]["fields"]
    }
    assert fields["Timezone"] == "Europe/Berlin"
    assert fields["Streak minimum"] == "45 min"
    assert fields["Moderator role"] == f"<@&{role.id}>"

    # A member without the zone of their own now sees the server's.
    alice = guild.add_member("alice2")
    assert (
        "server's zone **Europe/Berlin**" in (await discord.slash(alice, guild, "timezone")).content
    )

    cleared = await discord.slash(mod, guild, "config moderator-role", clear=True)
    assert "cleared" in cleared.content
    assert (await guild_row(runner, guild)).moderator_role_id is None


@pytest.mark.parametrize(("command", "options"), CONFIG_CALLS)
async def test_the_moderator_role_grants_config(
    runner: BotRunner,
    discord: FakeDiscord,
    guild: FakeGuild,
    mod: FakeMember,
    command: str,
    options: dict[str, Any],
) -> None:
    role = guild.add_role("helpers")
    helper = guild.add_member("helper", roles=[role])
    assert (await discord.slash(helper, guild, "config show")).content == NOT_A_MODERATOR
    await discord.slash(mod, guild, "config moderator-role", role=role)
    reply = await discord.slash(helper, guild, command, **options)
    assert reply.ephemeral
    assert reply.content != NOT_A_MODERATOR
    assert reply.embeds or reply.content
    row = await guild_row(runner, guild)
    if command == "config timezone":
        assert row.timezone == "Europe/Berlin"
    elif command == "config streak-minimum":
        assert row.streak_minimum == 45
    elif command == "config moderator-role":
        assert row.moderator_role_id is None


@pytest.mark.parametrize(
    ("command", "option", "field", "shown_as"),
    [
        ("config moderator-role", "role", "Moderator role", "<@&{}>"),
        ("config ping-role", "role", "Challenge ping role", "<@&{}>"),
        ("config groups-channel", "channel", "Groups channel", "<#{}>"),
        ("config reminders-channel", "channel", "Reminders channel", "<#{}>"),
    ],
)
async def test_each_role_and_channel_setting_is_shown_set_and_cleared(
    runner: BotRunner,
    discord: FakeDiscord,
    guild: FakeGuild,
    mod: FakeMember,
    command: str,
    option: str,
    field: str,
    shown_as: str,
) -> None:
    async def shown() -> str:
        embed = (await discord.slash(mod, guild, "config show")).embeds[0]
        return {f["name"]: f["value"] for f in embed["fields"]}[field]

    target = guild.add_role("studiers") if option == "role" else guild.add_text_channel("study")
    mention = shown_as.format(target.id)
    given: dict[str, Any] = {option: target}
    assert "(default)" in await shown()
    asked = await discord.slash(mod, guild, command)
    assert asked.ephemeral and mention not in asked.content
    chosen = await discord.slash(mod, guild, command, **given)
    assert mention in chosen.content
    assert await shown() == mention
    assert mention in (await discord.slash(mod, guild, command)).content

    both = await discord.slash(mod, guild, command, **given, clear=True)
    assert f"Give a {option} or `clear`, not both." in both.content
    assert await shown() == mention  # refused: nothing changed
    await discord.slash(mod, guild, command, clear=True)
    assert "(default)" in await shown()
