"""Reminder texts and the "Log 30 minutes" button that works from a DM, even after a restart."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.core.reminder_service import ReminderToSend
from bot.ui import progress_embeds
from bot.ui.format import truncate

QUICK_MINUTES = 30
UNDELIVERABLE_NOTICE = (
    "🔕 I couldn't deliver your last reminder: your DMs from this server are closed and no "
    "reminders channel is set. Allow direct messages from server members, or ask a moderator "
    "to set one with `/config reminders-channel`."
)


def reminder_message(
    item: ReminderToSend, guild_name: str, minimum: int
) -> tuple[str, discord.ui.View]:
    server = truncate(guild_name, 80)
    if item.row.kind == "streak":
        if item.streak:
            text = (
                f"🔥 Your {item.streak}-day study streak in **{server}** needs today: "
                f"log at least {minimum} minutes before midnight to keep it."
            )
        else:
            text = (
                f"🧊 Study at least {minimum} minutes today in **{server}**, or a streak freeze "
                "will be spent."
            )
        return text + " `/log` there.", discord.ui.View(timeout=None)
    view = discord.ui.View(timeout=None)
    if item.topic is None:
        return f"📚 Time to study! Pick a topic with `/roadmap` in **{server}**.", view
    view.add_item(QuickLogButton(item.row.guild_id, item.topic.id))
    return (
        f"📚 Time to study! You last worked on **{item.topic.title}** in **{server}**.",
        view,
    )


class QuickLogButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"remind:log:(?P<guild>\d+):(?P<topic>[a-z0-9-]+)",
):
    """Carries the server and topic in its custom id: a DM has no server of its own."""

    def __init__(self, guild_id: int, topic_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=f"Log {QUICK_MINUTES} minutes",
                style=discord.ButtonStyle.primary,
                custom_id=f"remind:log:{guild_id}:{topic_id}",
            )
        )
        self.guild_id = guild_id
        self.topic_id = topic_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> QuickLogButton:
        return cls(int(match["guild"]), match["topic"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        from bot.core.errors import NotFound

        services = interaction.client.services
        topic = services.roadmap.topic(self.topic_id)
        if topic is None:
            raise NotFound("That topic is no longer on the roadmap.")
        report = await services.study.log(self.guild_id, interaction.user.id, topic, QUICK_MINUTES)
        await interaction.response.send_message(progress_embeds.log_reply(report), ephemeral=True)
