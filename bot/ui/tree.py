"""The bot's CommandTree: every slash command error goes through `bot.ui.errors.report`."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.ui import errors


class StudyTree(app_commands.CommandTree[discord.Client]):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await errors.report(interaction, error)
