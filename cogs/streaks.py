"""/streak show, pause, resume and adjust."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import StudyBot
from bot.ui import progress_embeds
from bot.ui.checks import moderator_only
from bot.ui.format import truncate


class StreakCog(
    commands.GroupCog, name="Streaks", group_name="streak", group_description="Your study streak"
):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.services = bot.services
        super().__init__()

    @app_commands.command(name="show", description="Current and longest streak, freezes, pause")
    @app_commands.guild_only()
    async def show(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        streak, where = await self.services.study.streak(interaction.guild_id, interaction.user.id)
        embed = progress_embeds.streak_embed(streak, where)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="pause", description="Pause your streak for 1-14 days from today")
    @app_commands.describe(days="How many days, starting today (1-14)")
    @app_commands.guild_only()
    async def pause(self, interaction: discord.Interaction, days: int) -> None:
        assert interaction.guild_id is not None
        pause = await self.services.study.pause(interaction.guild_id, interaction.user.id, days)
        await interaction.response.send_message(
            f"⏸️ Streak paused from {pause.start.isoformat()} to {pause.end.isoformat()} "
            "(inclusive). Paused days neither count nor break it; `/streak resume` ends it early.",
            ephemeral=True,
        )

    @app_commands.command(name="resume", description="End your streak pause early")
    @app_commands.guild_only()
    async def resume(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await self.services.study.resume(interaction.guild_id, interaction.user.id)
        await interaction.response.send_message(
            "▶️ Pause ended: today counts again.", ephemeral=True
        )

    @app_commands.command(name="adjust", description="Moderators: set a member's current streak")
    @app_commands.describe(
        member="Whose streak",
        days="The corrected current streak",
        reason="Why (kept in the audit log)",
    )
    @app_commands.guild_only()
    @moderator_only()
    async def adjust(
        self, interaction: discord.Interaction, member: discord.Member, days: int, reason: str
    ) -> None:
        assert interaction.guild_id is not None
        before, after = await self.services.study.adjust(
            interaction.guild_id, interaction.user.id, member.id, days, reason
        )
        await interaction.response.send_message(
            truncate(
                f"Set {member.mention}'s streak from {before} to {after} days. "
                f"Reason recorded: {reason.strip()}",
                2000,
            ),
            ephemeral=True,
        )


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(StreakCog(bot))
