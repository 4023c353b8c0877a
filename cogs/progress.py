"""/log, /done and /progress: recording study and seeing it add up."""

from __future__ import annotations

import asyncio
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import StudyBot
from bot.core.errors import NotAllowed
from bot.core.group_service import GroupSummary
from bot.ui import autocomplete, group_embeds, progress_embeds, respond
from bot.ui.group_threads import GroupThreads


class ProgressCog(commands.Cog, name="Progress"):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.services = bot.services
        self.group_threads = GroupThreads(bot)

    @app_commands.command(name="log", description="Log study time on a topic")
    @app_commands.describe(
        topic="Start typing a topic",
        minutes="How long you studied (1-720)",
        note="What you did (up to 300 characters)",
        day="Today (default) or yesterday, in your timezone",
        share="Post it in the channel",
    )
    @app_commands.guild_only()
    async def log(
        self,
        interaction: discord.Interaction,
        topic: str,
        minutes: int,
        note: str | None = None,
        day: Literal["today", "yesterday"] = "today",
        share: bool = False,
    ) -> None:
        assert interaction.guild_id is not None
        found = autocomplete.resolve_topic(self.services, topic)
        report = await respond.in_time(
            interaction,
            self.services.study.log(
                interaction.guild_id, interaction.user.id, found, minutes, note, day
            ),
            ephemeral=not share,
        )
        await respond.send(interaction, progress_embeds.log_reply(report), ephemeral=not share)
        # After the reply: a thread post that fails is logged and never costs the member theirs.
        await self.group_threads.announce(report.group_events)

    @app_commands.command(name="done", description="Mark a topic complete (or undo it)")
    @app_commands.describe(topic="Start typing a topic", undo="Mark it not done again")
    @app_commands.guild_only()
    async def done(self, interaction: discord.Interaction, topic: str, undo: bool = False) -> None:
        assert interaction.guild_id is not None
        found = autocomplete.resolve_topic(self.services, topic)
        report = await self.services.study.mark_done(
            interaction.guild_id, interaction.user.id, found, undo=undo
        )
        await interaction.response.send_message(progress_embeds.done_reply(report), ephemeral=True)

    @log.autocomplete("topic")
    @done.autocomplete("topic")
    async def _topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await autocomplete.topic_choices(self.services, interaction, current)

    @app_commands.command(name="progress", description="Completion, hours, streak and recent study")
    @app_commands.describe(member="Someone else's progress (unless they hid it)")
    @app_commands.guild_only()
    async def progress(
        self, interaction: discord.Interaction, member: discord.Member | None = None
    ) -> None:
        assert interaction.guild_id is not None
        guild_id = interaction.guild_id
        target = member or interaction.user
        if target.id != interaction.user.id and await self._hidden(guild_id, target.id):
            raise NotAllowed(f"{target.display_name} keeps their progress private.")
        services, repo = self.services, self.services.progress_repo
        # Independent reads, each on its own pooled connection: the reply waits for the slowest
        # one instead of the sum of all (each database call is a thread hop with aiosqlite).
        track, (streak, _), groups, progress, totals, recent = await asyncio.gather(
            services.guild_settings.track(guild_id, target.id),
            services.study.streak(guild_id, target.id),
            self._group_summaries(guild_id, target.id),
            repo.topic_progress(guild_id, target.id),
            repo.totals(guild_id, target.id),
            repo.recent_sessions(guild_id, target.id),
        )
        embed = progress_embeds.progress_embed(
            target.display_name,
            services.roadmap,
            progress,
            track,
            totals,
            streak,
            recent,
            groups=group_embeds.member_groups_text(groups),
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    async def _group_summaries(self, guild_id: int, user_id: int) -> list[GroupSummary]:
        groups = self.services.groups
        return await groups.summaries(guild_id, await groups.member_groups(guild_id, user_id))

    async def _hidden(self, guild_id: int, user_id: int) -> bool:
        return await self.services.privacy.hides_progress(guild_id, user_id)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(ProgressCog(bot))
