"""Buttons under /topic: mark it done or log half an hour, for whoever presses them.

A shared topic is a study prompt for the channel, so the buttons act for the member who presses
them rather than being locked to the one who posted it.
"""

from __future__ import annotations

import discord

from bot.roadmap import Topic
from bot.services import Services
from bot.ui import progress_embeds
from bot.ui.views import StudyView

QUICK_LOG_MINUTES = 30


class TopicActions(StudyView):
    def __init__(self, services: Services, topic: Topic, *, timeout: float | None = 600) -> None:
        super().__init__(timeout=timeout)
        self.services = services
        self.topic = topic

    @discord.ui.button(label="Mark done", style=discord.ButtonStyle.success, emoji="✅")
    async def mark_done(
        self, interaction: discord.Interaction, _: discord.ui.Button[TopicActions]
    ) -> None:
        assert interaction.guild_id is not None
        report = await self.services.study.mark_done(
            interaction.guild_id, interaction.user.id, self.topic, undo=False
        )
        await interaction.response.send_message(progress_embeds.done_reply(report), ephemeral=True)

    @discord.ui.button(
        label=f"Log {QUICK_LOG_MINUTES} minutes", style=discord.ButtonStyle.primary, emoji="⏱️"
    )
    async def quick_log(
        self, interaction: discord.Interaction, _: discord.ui.Button[TopicActions]
    ) -> None:
        assert interaction.guild_id is not None
        report = await self.services.study.log(
            interaction.guild_id, interaction.user.id, self.topic, QUICK_LOG_MINUTES
        )
        await interaction.response.send_message(progress_embeds.log_reply(report), ephemeral=True)
