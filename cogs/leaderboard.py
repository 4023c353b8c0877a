"""/leaderboard: who studied most this week, this month or ever, in this server."""

from __future__ import annotations

from datetime import date
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import StudyBot
from bot.core.leaderboard import Board, Bounds, Standing
from bot.ui import group_embeds
from bot.ui.format import minutes_text

COLOUR = discord.Colour(0x2EA043)
MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(day: date) -> str:
    """`2 Mar`: built by hand because strftime follows the host's locale."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def period_title(bounds: Bounds) -> str:
    if bounds.start is None or bounds.end is None:
        return "Leaderboard · all time"
    if bounds.period == "week":
        return f"Leaderboard · this week ({_day(bounds.start)} - {_day(bounds.end)})"
    return f"Leaderboard · {MONTHS[bounds.start.month - 1]} {bounds.start.year}"


def _line(standing: Standing, caller_id: int) -> str:
    """`🥇 <@id> · 2 h 05 min`: a mention in an embed shows the name and never pings."""
    place = MEDALS.get(standing.rank, f"**{standing.rank}.**")
    you = " (you)" if standing.user_id == caller_id else ""
    return f"{place} <@{standing.user_id}> · {minutes_text(standing.minutes)}{you}"


def board_embed(board: Board, caller_id: int) -> discord.Embed:
    lines = [_line(s, caller_id) for s in board.top]
    if board.caller is not None:
        lines += ["…", _line(board.caller, caller_id)]
    if not lines:
        lines = ["Nobody has logged study time in this period yet. Be the first with `/log`!"]
    embed = discord.Embed(
        title=period_title(board.bounds), description="\n".join(lines), colour=COLOUR
    )
    if board.caller_hidden:
        footer = "You chose to be hidden from leaderboards, so you don't appear here."
    elif not board.caller_in_top and board.caller is None:
        footer = "You have no study time in this period yet: log some with /log."
    else:
        footer = f"{board.entrants} member{'s' if board.entrants != 1 else ''} on the board"
    embed.set_footer(text=footer)
    return embed


class LeaderboardCog(commands.Cog, name="Leaderboard"):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.boards = bot.services.leaderboards

    @app_commands.command(name="leaderboard", description="Who studied most in this server")
    @app_commands.describe(
        period="This week, this month (in the server's timezone) or all time",
        board="Members, or study groups",
        share="Post it in the channel for everyone",
    )
    @app_commands.guild_only()
    async def leaderboard(
        self,
        interaction: discord.Interaction,
        period: Literal["week", "month", "all"] = "week",
        board: Literal["members", "groups"] = "members",
        share: bool = False,
    ) -> None:
        assert interaction.guild_id is not None
        if board == "groups":
            # Groups rank by their live streak, then this week's minutes, whatever the period.
            groups = await self.bot.services.groups.leaderboard(interaction.guild_id)
            await interaction.response.send_message(
                embed=group_embeds.leaderboard_embed(groups), ephemeral=not share
            )
            return
        caller = interaction.user.id
        result = await self.boards.board(interaction.guild_id, caller, period)
        await interaction.response.send_message(
            embed=board_embed(result, caller), ephemeral=not share
        )


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(LeaderboardCog(bot))
