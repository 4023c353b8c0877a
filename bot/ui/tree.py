"""The bot's CommandTree: every slash command error goes through `bot.ui.errors.report`, and
every command is timed for the metrics."""

from __future__ import annotations

import time
from typing import Any

import discord
from discord import app_commands

from bot.ui import errors


class StudyTree(app_commands.CommandTree[discord.Client]):
    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        interaction.extras["started"] = time.perf_counter()
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        metrics = getattr(interaction.client, "metrics", None)
        if metrics is not None:
            outcome = "refused" if errors.describe(error) is not None else "error"
            metrics.command(command_name(interaction), outcome, elapsed(interaction))
        await errors.report(interaction, error)


def command_name(interaction: discord.Interaction[Any]) -> str:
    command = interaction.command
    return command.qualified_name if command is not None else "unknown"


def elapsed(interaction: discord.Interaction[Any]) -> float | None:
    started = interaction.extras.get("started")
    return None if started is None else time.perf_counter() - started
