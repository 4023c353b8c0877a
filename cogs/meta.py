"""/help and /about: what the bot can do and how it is doing."""

from __future__ import annotations

import math

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import StudyBot
from bot.ui import help as help_ui
from bot.ui.format import duration


class Meta(commands.Cog, name="General"):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="Every command, grouped by feature")
    async def help(self, interaction: discord.Interaction) -> None:
        embeds = help_ui.embeds(help_ui.entries(self.bot.tree))
        await interaction.response.send_message(embeds=embeds, ephemeral=True)

    @app_commands.command(name="about", description="Version, uptime, latency and the roadmap")
    async def about(self, interaction: discord.Interaction) -> None:
        roadmap = self.bot.roadmap
        counts = roadmap.counts()
        latency = self.bot.latency
        embed = discord.Embed(
            title="Roadmap Study Bot",
            description=f"Studying **{roadmap.name}** together.",
            colour=help_ui.COLOUR,
        )
        embed.add_field(name="Version", value=self.bot.version)
        embed.add_field(name="Uptime", value=duration(self.bot.clock.now() - self.bot.started_at))
        embed.add_field(
            name="Gateway latency",
            value="measuring…"
            if math.isnan(latency) or math.isinf(latency)
            else f"{latency * 1000:.0f} ms",
        )
        embed.add_field(
            name="Roadmap",
            value=(
                f"{counts['stages']} stages, {counts['topics']} topics, "
                f"{counts['resources']} resources\n"
                f"{counts['challenges']} challenges, {counts['tips']} tips"
            ),
            inline=False,
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Meta(bot))
