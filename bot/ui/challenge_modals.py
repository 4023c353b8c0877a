"""Modals for challenges: a member's submission and a moderator's new challenge."""

from __future__ import annotations

from typing import Any

import discord

from bot.ui import progress_embeds
from bot.ui.format import timestamp
from bot.ui.views import StudyModal


class SubmitModal(StudyModal, title="Submit your challenge"):
    link: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Link (repository, post, demo)", placeholder="https://…", max_length=400
    )
    note: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Note (optional)", style=discord.TextStyle.paragraph, required=False, max_length=300
    )
    minutes: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Minutes spent, to log (optional)", required=False, max_length=3
    )

    def __init__(self, period: str) -> None:
        super().__init__(timeout=900)
        self.period = period

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        from bot.core.errors import InvalidInput

        assert interaction.guild_id is not None
        raw = self.minutes.value.strip()
        if raw and not raw.isdigit():
            raise InvalidInput("Minutes must be a whole number, like 90.")
        services = interaction.client.services
        report = await services.challenges.submit(
            interaction.guild_id,
            interaction.user.id,
            self.link.value,
            self.note.value,
            int(raw) if raw else None,
            period=self.period,
        )
        await interaction.response.send_message(submit_reply(report), ephemeral=True)


def submit_reply(report: Any) -> str:
    verb = "Replaced your submission" if report.replaced else "Submitted"
    lines = [
        f"📤 {verb} for **{report.challenge.title}**. Deadline {timestamp(report.deadline, 'R')}."
    ]
    if report.log is not None:
        lines.append(progress_embeds.log_reply(report.log))
    return "\n".join(lines)[:2000]


class AddChallengeModal(StudyModal, title="Add a challenge"):
    challenge_title: discord.ui.TextInput[Any] = discord.ui.TextInput(label="Title", max_length=100)
    brief: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Brief: what to build", style=discord.TextStyle.paragraph, max_length=1500
    )
    deliverable: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Deliverable: what to submit", style=discord.TextStyle.paragraph, max_length=500
    )
    difficulty: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Difficulty", placeholder="beginner, intermediate or advanced", max_length=12
    )
    topics: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Topic ids, comma-separated",
        placeholder="rest-principles, sql-basics",
        max_length=300,
    )

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        assert interaction.guild_id is not None
        item = await interaction.client.services.challenges.add(
            interaction.guild_id,
            interaction.user.id,
            title=self.challenge_title.value,
            brief=self.brief.value,
            deliverable=self.deliverable.value,
            difficulty=self.difficulty.value,
            topics=self.topics.value,
        )
        await interaction.response.send_message(
            f"Added **{item.title}** to the pool as `{item.id}`. Queue it with "
            f"`/challenge queue challenge:{item.id}`.",
            ephemeral=True,
        )
