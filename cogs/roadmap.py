"""/roadmap, /topic, /resources, /path and /track: finding your way through the curriculum."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import StudyBot
from bot.core.errors import InvalidInput
from bot.ui import autocomplete, roadmap_embeds
from bot.ui.stage_browser import StageBrowser
from bot.ui.topic_actions import TopicActions

ResourceKind = Literal["docs", "book", "course", "video", "article", "practice"]
TRACK_NAMES = {
    "javascript": "JavaScript (Node.js)",
    "python": "Python",
    "java": "Java",
    "go": "Go",
}


class RoadmapCog(commands.Cog, name="Roadmap"):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.services = bot.services

    @app_commands.command(name="roadmap", description="The roadmap's stages and your progress")
    @app_commands.describe(stage="Open one stage's topics")
    @app_commands.guild_only()
    async def roadmap(self, interaction: discord.Interaction, stage: str | None = None) -> None:
        assert interaction.guild_id is not None
        stage_id = autocomplete.resolve_stage(self.services, stage)[1].id if stage else None
        user = interaction.user.id
        track = await self.services.guild_settings.track(interaction.guild_id, user)
        progress = await self.services.progress.topic_progress(interaction.guild_id, user)
        view = StageBrowser(
            self.services.roadmap, progress, track, owner_id=user, stage_id=stage_id
        )
        await interaction.response.send_message(embed=view.current, view=view, ephemeral=True)
        view.message = await interaction.original_response()

    @roadmap.autocomplete("stage")
    async def _stage_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return autocomplete.stage_choices(self.services, current)

    @app_commands.command(name="path", description="The learning path, month by month")
    @app_commands.guild_only()
    async def path(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        user = interaction.user.id
        track = await self.services.guild_settings.track(interaction.guild_id, user)
        progress = await self.services.progress.topic_progress(interaction.guild_id, user)
        embed = roadmap_embeds.path_embed(self.services.roadmap, progress, track)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="track", description="Choose your language track, or see it")
    @app_commands.describe(language="The language whose frameworks and ORMs you want to see")
    @app_commands.guild_only()
    async def track(
        self,
        interaction: discord.Interaction,
        language: Literal["javascript", "python", "java", "go", "all"] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        guild, user = interaction.guild_id, interaction.user.id
        if language is None:
            current = await self.services.guild_settings.track(guild, user)
            message = (
                f"Your track is **{TRACK_NAMES[current]}**."
                if current
                else "You have no track yet, so you see every language's topics."
            )
            message += " Change it with `/track language:`."
        else:
            if language != "all" and language not in TRACK_NAMES:  # a forged value
                raise InvalidInput("Pick a track from the list: javascript, python, java or go.")
            chosen = None if language == "all" else language
            await self.services.guild_settings.update_member(
                guild, user, self.services.clock.now(), track=chosen
            )
            visible = len(self.services.roadmap.visible_topics(chosen))
            message = (
                f"Track set to **{TRACK_NAMES[chosen]}**: /roadmap, /topic and autocomplete now "
                f"show its frameworks and ORMs and hide the other languages' ({visible} topics)."
                if chosen
                else f"Track cleared: you see every language's topics ({visible} topics)."
            )
        await interaction.response.send_message(message, ephemeral=True)

    @app_commands.command(name="topic", description="A topic: why it matters, checklist, resources")
    @app_commands.describe(name="Start typing a topic", share="Post it in the channel for everyone")
    @app_commands.guild_only()
    async def topic(self, interaction: discord.Interaction, name: str, share: bool = False) -> None:
        assert interaction.guild_id is not None
        topic = autocomplete.resolve_topic(self.services, name)
        user = interaction.user.id
        track = await self.services.guild_settings.track(interaction.guild_id, user)
        progress = await self.services.progress.topic_progress(interaction.guild_id, user)
        embed = roadmap_embeds.topic_embed(self.services.roadmap, topic, progress, track)
        view = TopicActions(self.services, topic)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=not share)
        view.message = await interaction.original_response()

    @app_commands.command(name="resources", description="A topic's learning resources")
    @app_commands.describe(topic="Start typing a topic", kind="Only this kind of resource")
    @app_commands.guild_only()
    async def resources(
        self, interaction: discord.Interaction, topic: str, kind: ResourceKind | None = None
    ) -> None:
        found = autocomplete.resolve_topic(self.services, topic)
        embed = roadmap_embeds.resources_embed(found, kind)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @topic.autocomplete("name")
    @resources.autocomplete("topic")
    async def _topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await autocomplete.topic_choices(self.services, interaction, current)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(RoadmapCog(bot))
