"""/challenge: this week's challenge, submissions, and the moderators' pool and queue."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import StudyBot
from bot.core.challenge_service import parse_week
from bot.ui import challenge_lists
from bot.ui.challenge_embeds import challenge_embed
from bot.ui.challenge_modals import AddChallengeModal, submit_reply
from bot.ui.checks import moderator_only
from bot.ui.format import truncate
from bot.ui.paginator import Paginator


@app_commands.guild_only()
class ChallengeCog(
    commands.GroupCog,
    name="Challenges",
    group_name="challenge",
    group_description="Weekly challenges: the current one, submissions, the pool",
):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.services = bot.services
        self.challenges = bot.services.challenges
        super().__init__()

    @app_commands.command(name="current", description="This week's challenge and its deadline")
    async def current(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        current = await self.challenges.current(interaction.guild_id)
        embed = challenge_embed(
            current.challenge, self.bot.roadmap, current.deadline, week=current.period
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="submit", description="Submit your work for this week's challenge")
    @app_commands.describe(
        link="An http(s) link to your work (up to 400 characters)",
        note="A word about it (up to 300 characters)",
        minutes="Minutes spent: logged as study time on the challenge's first topic",
    )
    async def submit(
        self,
        interaction: discord.Interaction,
        link: str,
        note: str | None = None,
        minutes: int | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        report = await self.challenges.submit(
            interaction.guild_id, interaction.user.id, link, note, minutes
        )
        await interaction.response.send_message(submit_reply(report), ephemeral=True)

    @app_commands.command(name="history", description="Challenges a member has submitted")
    async def history(
        self, interaction: discord.Interaction, member: discord.Member | None = None
    ) -> None:
        assert interaction.guild_id is not None
        target = member or interaction.user
        rows = await self.challenges.history(interaction.guild_id, target.id)
        pages = challenge_lists.history_pages(target.display_name, rows)
        await self._send_pages(interaction, pages)

    @app_commands.command(name="add", description="Moderators: add a challenge to the pool")
    @moderator_only()
    async def add(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(AddChallengeModal())

    @app_commands.command(name="queue", description="Moderators: post this challenge next")
    @app_commands.describe(
        challenge="Start typing a challenge", week="A specific ISO week, like 2026-W14"
    )
    @moderator_only()
    async def queue(
        self, interaction: discord.Interaction, challenge: str, week: str | None = None
    ) -> None:
        assert interaction.guild_id is not None
        item = await self.challenges.queue(interaction.guild_id, challenge, week)
        when = f"for {week.upper()}" if week else "next"
        await interaction.response.send_message(
            truncate(f"Queued **{item.title}** {when}.", 2000), ephemeral=True
        )

    @app_commands.command(name="unqueue", description="Moderators: take a challenge off the queue")
    @moderator_only()
    async def unqueue(self, interaction: discord.Interaction, challenge: str) -> None:
        assert interaction.guild_id is not None
        item = await self.challenges.unqueue(interaction.guild_id, challenge)
        await interaction.response.send_message(
            truncate(f"Took **{item.title}** off the queue.", 2000), ephemeral=True
        )

    @app_commands.command(name="pool", description="Moderators: the queue and what comes next")
    @moderator_only()
    async def pool(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        guild_id = interaction.guild_id
        posting = self.services.posting
        queued = await self.services.challenge_repo.queue(guild_id)
        pool = await posting.pool(guild_id)
        posted = await posting.schedules.item_counts(guild_id, "challenges")
        upcoming = await posting.next_challenge(guild_id)
        embed = challenge_lists.pool_embed(pool, queued, posted, upcoming)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="submissions", description="Moderators: submissions, with links")
    @app_commands.describe(challenge="A challenge week like 2026-W14 (default: the current one)")
    @moderator_only()
    async def submissions(
        self, interaction: discord.Interaction, challenge: str | None = None
    ) -> None:
        assert interaction.guild_id is not None
        period = parse_week(challenge) if challenge else None
        if period is None:
            period = (await self.challenges.current(interaction.guild_id)).period
        rows = await self.services.challenge_repo.submissions(interaction.guild_id, period=period)
        await self._send_pages(interaction, challenge_lists.submission_pages(period, rows))

    @app_commands.command(name="remove", description="Moderators: remove a challenge they added")
    @moderator_only()
    async def remove(self, interaction: discord.Interaction, challenge: str) -> None:
        assert interaction.guild_id is not None
        item = await self.challenges.remove(interaction.guild_id, challenge)
        await interaction.response.send_message(
            truncate(f"Removed **{item.title}** from the pool.", 2000), ephemeral=True
        )

    @queue.autocomplete("challenge")
    @unqueue.autocomplete("challenge")
    @remove.autocomplete("challenge")
    async def _challenge_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        needle = current.casefold().strip()
        pool = await self.services.posting.pool(interaction.guild_id)
        found = [c for c in pool if needle in c.title.casefold() or needle in c.id]
        return [app_commands.Choice(name=truncate(c.title, 100), value=c.id) for c in found[:25]]

    async def _send_pages(
        self, interaction: discord.Interaction, pages: list[discord.Embed]
    ) -> None:
        if len(pages) == 1:
            await interaction.response.send_message(embed=pages[0], ephemeral=True)
            return
        view = Paginator(pages, owner_id=interaction.user.id)
        await interaction.response.send_message(embed=view.current, view=view, ephemeral=True)
        view.message = await interaction.original_response()


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(ChallengeCog(bot))
