"""/stats: a member's daily study minutes as a heatmap picture, with totals beside it."""

from __future__ import annotations

import asyncio
import io
import re
import string

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import StudyBot
from bot.core.leaderboard import LeaderboardService, MemberStats
from bot.ui.charts import render_heatmap
from bot.ui.format import truncate
from cogs.leaderboard import COLOUR

FILENAME = "stats.png"
TITLE_NAME_MAX = 40
# The heatmap's bundled font draws Latin text only; anything else would come out as boxes.
DRAWABLE = frozenset(string.ascii_letters + string.digits + " .,'!?&()+-_")


def drawable_name(name: str) -> str:
    """`name` without characters the default font cannot draw (emoji, other scripts), or "member".

    Characters are dropped, not replaced, so "Zoë ✨" still reads "Zo" rather than a row of boxes.
    """
    kept = "".join(ch if ch in DRAWABLE else " " for ch in name)
    kept = re.sub(r"\s+", " ", kept).strip(" .,-_")
    if not any(ch.isalnum() for ch in kept):
        return "member"
    return truncate(kept, TITLE_NAME_MAX)


def stats_embed(name: str, stats: MemberStats, weeks: int) -> discord.Embed:
    hours = stats.total_minutes / 60
    days = stats.active_days
    embed = discord.Embed(
        title=truncate(f"Study time: {name}", 256),
        description=(
            f"**{hours:.1f} hours** in the last {weeks} weeks · "
            f"**{days}** active day{'s' if days != 1 else ''}"
        ),
        colour=COLOUR,
    )
    embed.set_image(url=f"attachment://{FILENAME}")
    embed.set_footer(text=f"Days in {stats.zone.key}")
    return embed


class StatsCog(commands.Cog, name="Stats"):
    def __init__(self, bot: StudyBot, boards: LeaderboardService) -> None:
        self.bot = bot
        self.boards = boards

    @app_commands.command(name="stats", description="A heatmap of daily study time")
    @app_commands.describe(member="Whose stats (default: yours)", weeks="How many weeks to show")
    @app_commands.guild_only()
    async def stats(
        self,
        interaction: discord.Interaction,
        member: discord.Member | None = None,
        weeks: app_commands.Range[int, 4, 52] = 26,
    ) -> None:
        assert interaction.guild_id is not None
        # Rendering takes a moment on a busy host; Discord wants an answer within 3 s.
        await interaction.response.defer(ephemeral=True, thinking=True)
        target = member or interaction.user
        stats = await self.boards.member_stats(
            interaction.guild_id, interaction.user.id, target.id, weeks
        )
        name = drawable_name(target.display_name)
        png = await asyncio.to_thread(
            render_heatmap,
            stats.minutes_by_day,
            end=stats.today,
            weeks=weeks,
            title=f"{name}'s study time",
            timezone_label=stats.zone.key,
        )
        await interaction.followup.send(
            embed=stats_embed(name, stats, weeks),
            file=discord.File(io.BytesIO(png), filename=FILENAME),
            ephemeral=True,
        )


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(StatsCog(bot, bot.services.leaderboards))
