"""The bot starts against the fake Discord, answers, and handles every kind of error kindly."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import discord as discord_py
import pytest
from discord import app_commands

from bot.core.errors import UserError
from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember


async def test_help_lists_every_command_from_the_tree(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    reply = await discord.slash(alice, guild, "help")
    assert reply.ephemeral
    text = "\n".join(field["value"] for embed in reply.embeds for field in embed.get("fields", []))
    for command in runner.bot.tree.get_commands():
        assert f"/{command.name}" in text
    assert "/about" in text


async def test_about_shows_version_and_roadmap(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    await runner.clock.advance(hours=3, minutes=5)
    reply = await discord.slash(alice, guild, "about")
    assert reply.ephemeral
    embed = reply.embeds[0]
    fields = {field["name"]: field["value"] for field in embed["fields"]}
    assert fields["Version"] == runner.bot.version
    assert fields["Uptime"] == "3h 5m"
    assert runner.bot.roadmap.name in embed["description"]
    assert f"{len(runner.bot.roadmap.topics)} topics" in fields["Roadmap"]


async def test_unexpected_error_gives_an_apology_with_an_id(
    runner: BotRunner,
    discord: FakeDiscord,
    guild: FakeGuild,
    alice: FakeMember,
    caplog: pytest.LogCaptureFixture,
) -> None:
    @app_commands.command(name="boom", description="fails")
    async def boom(interaction: discord_py.Interaction) -> None:
        raise RuntimeError("kaboom")

    @app_commands.command(name="late-boom", description="defers, then fails")
    async def late_boom(interaction: discord_py.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        raise RuntimeError("late kaboom")

    runner.bot.tree.add_command(boom)
    runner.bot.tree.add_command(late_boom)
    with caplog.at_level(logging.ERROR):
        reply = await discord.slash(alice, guild, "boom")
        late = await discord.slash(alice, guild, "late-boom")
    for answer in (reply, late):
        assert answer.ephemeral
        found = re.search(r"error id `([0-9a-f]{8})`", answer.content or "")
        assert found, answer.content
        assert "kaboom" not in (answer.content or "")
        logged = [r for r in caplog.records if found.group(1) in r.getMessage()]
        assert logged and logged[0].exc_info is not None


async def test_user_error_is_the_members_message(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    @app_commands.command(name="refuse", description="refuses")
    async def refuse(interaction: discord_py.Interaction) -> None:
        raise UserError("You can't do that yet: finish the basics first.")

    runner.bot.tree.add_command(refuse)
    reply = await discord.slash(alice, guild, "refuse")
    assert reply.ephemeral
    assert reply.content == "You can't do that yet: finish the basics first."


async def test_an_over_long_embed_title_lands_in_violations(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    @app_commands.command(name="too-long", description="breaks a limit on purpose")
    async def too_long(interaction: discord_py.Interaction) -> None:
        await interaction.response.send_message(embed=discord_py.Embed(title="x" * 300))

    runner.bot.tree.add_command(too_long)
    await discord.slash(alice, guild, "too-long")
    assert any("title" in v and "256" in v for v in discord.violations), discord.violations
    discord.violations.clear()


async def test_sync_payload_passes_discords_limits(runner: BotRunner, discord: FakeDiscord) -> None:
    synced = await runner.bot.tree.sync()
    assert {c.name for c in synced} == {c.name for c in runner.bot.tree.get_commands()}
    assert discord.violations == []


async def test_restart_on_the_same_data_dir_keeps_the_database(
    discord: FakeDiscord, guild: FakeGuild, alice: FakeMember, tmp_path: Path
) -> None:
    async with BotRunner(discord, data_dir=tmp_path) as first:
        await discord.slash(alice, guild, "track", language="go")
        assert first.bot.is_ready()
    async with BotRunner(discord, data_dir=tmp_path):
        reply = await discord.slash(alice, guild, "track")
    assert "Go" in (reply.content or "")


async def test_the_token_is_never_logged(
    discord: FakeDiscord,
    guild: FakeGuild,
    alice: FakeMember,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG):
        async with BotRunner(discord, data_dir=tmp_path):
            await discord.slash(alice, guild, "about")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert caplog.records
    assert discord.token not in text
