"""/remind: a nudge before a streak is lost, and personal study reminders."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import StudyBot
from bot.core.reminders import HOURS_DEFAULT
from bot.ui.format import timestamp


@app_commands.guild_only()
class ReminderCog(
    commands.GroupCog,
    name="Reminders",
    group_name="remind",
    group_description="Reminders by direct message",
):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.reminders = bot.services.reminders
        super().__init__()

    @app_commands.command(name="streak", description="A nudge before your day ends without study")
    @app_commands.describe(
        hours_before="How many hours before your midnight (1-12, default 4)",
        off="Stop these nudges",
    )
    async def streak(
        self, interaction: discord.Interaction, hours_before: int = HOURS_DEFAULT, off: bool = False
    ) -> None:
        assert interaction.guild_id is not None
        if off:
            removed = await self.reminders.turn_off(
                interaction.guild_id, interaction.user.id, "streak"
            )
            message = "Streak nudges are off." if removed else "You had no streak nudges."
        else:
            due = await self.reminders.set_streak(
                interaction.guild_id, interaction.user.id, hours_before
            )
            message = (
                f"🔥 I'll DM you {hours_before} h before your day ends when your streak (or a "
                "freeze) is at stake and you haven't studied yet. "
                f"Next check: {timestamp(due, 'f')}."
            )
        await interaction.response.send_message(message, ephemeral=True)

    @app_commands.command(name="study", description="A study reminder at a time on chosen days")
    @app_commands.describe(
        time="24-hour time in your timezone, like 18:30",
        days="Days like mon,wed,fri (default: every day)",
        off="Stop this reminder",
    )
    async def study(
        self,
        interaction: discord.Interaction,
        time: str | None = None,
        days: str | None = None,
        off: bool = False,
    ) -> None:
        assert interaction.guild_id is not None
        if off:
            removed = await self.reminders.turn_off(
                interaction.guild_id, interaction.user.id, "study"
            )
            message = "Study reminders are off." if removed else "You had no study reminder."
        else:
            due = await self.reminders.set_study(
                interaction.guild_id, interaction.user.id, time, days
            )
            message = f"📚 Study reminder set. The next one: {timestamp(due, 'F')}."
        await interaction.response.send_message(message, ephemeral=True)

    @app_commands.command(name="list", description="Your reminders")
    async def list_(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        rows = await self.reminders.repo.for_member(interaction.guild_id, interaction.user.id)
        if not rows:
            message = "You have no reminders. Try `/remind streak` or `/remind study time:18:30`."
        else:
            lines = []
            for row in rows:
                what = (
                    f"🔥 streak nudge, {row.hours_before} h before your day ends"
                    if row.kind == "streak"
                    else f"📚 study reminder, {row.days} at {row.at}"
                )
                lines.append(f"{what} · next {timestamp(row.next_due_at, 'R')}")
            message = "\n".join(lines)
        await interaction.response.send_message(message, ephemeral=True)

    @app_commands.command(name="clear", description="Remove all your reminders")
    async def clear(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        removed = await self.reminders.turn_off(interaction.guild_id, interaction.user.id)
        await interaction.response.send_message(
            f"Removed {removed} reminder{'s' if removed != 1 else ''}.", ephemeral=True
        )


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(ReminderCog(bot))
