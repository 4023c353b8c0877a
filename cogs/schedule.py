"""/schedule: moderators decide when challenges and tips are posted, and see how it is going."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import StudyBot
from bot.core.errors import InvalidInput
from bot.core.posting import check_kind
from bot.core.schedules import Kind
from bot.ui import schedule_embeds
from bot.ui.checks import NotModerator, is_moderator

KindOption = Literal["challenges", "tips"]
NEEDED = ("view_channel", "send_messages", "embed_links")


@app_commands.guild_only()
class ScheduleCog(
    commands.GroupCog,
    name="Scheduling",
    group_name="schedule",
    group_description="Moderators: when challenges and tips are posted",
):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.posting = bot.services.posting
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Every /schedule subcommand is for moderators (a class decorator would not reach
        the subcommands of a GroupCog)."""
        if not await is_moderator(interaction):
            raise NotModerator
        return True

    @app_commands.command(name="show", description="Every schedule: channel, next run, status")
    async def show(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        rows = await self.posting.schedules.for_guild(interaction.guild_id)
        details = []
        for row in rows:
            timing = await self.posting.timing(row)
            details.append(
                schedule_embeds.ScheduleDetail(
                    row=row,
                    next_due=timing.next_due(self.bot.clock.now()) if row.enabled else None,
                    last=await self.posting.schedules.last_sent(row.guild_id, row.kind),
                    missed=await self.posting.schedules.missed(row.guild_id, row.kind),
                )
            )
        zone = (await self.bot.services.guild_settings.guild(interaction.guild_id)).timezone
        embed = schedule_embeds.show(details, zone)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(
        name="challenges", description="Post the weekly challenge on a day and time"
    )
    @app_commands.describe(
        channel="Where to post",
        day="The weekday, like mon",
        time="24-hour local time, HH:MM (the server's timezone)",
    )
    async def challenges(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        day: str,
        time: str,
    ) -> None:
        if "," in day or "-" in day:
            raise InvalidInput("Challenges are weekly: give one day, like `mon`.")
        await self._save(interaction, "challenges", channel, day, time)

    @app_commands.command(name="tips", description="Post a tip on chosen days at a time")
    @app_commands.describe(
        channel="Where to post",
        days="Days like mon,wed,fri (or daily)",
        time="24-hour local time, HH:MM (the server's timezone)",
    )
    async def tips(
        self, interaction: discord.Interaction, channel: discord.TextChannel, days: str, time: str
    ) -> None:
        await self._save(interaction, "tips", channel, days, time)

    async def _save(
        self,
        interaction: discord.Interaction,
        kind: Kind,
        channel: discord.TextChannel,
        days: str,
        time: str,
    ) -> None:
        assert interaction.guild is not None
        resolved = interaction.guild.get_channel(channel.id)
        me = interaction.guild.me
        if isinstance(resolved, discord.abc.GuildChannel) and me is not None:
            permissions = resolved.permissions_for(me)
            missing = [name for name in NEEDED if not getattr(permissions, name)]
            if missing:
                names = ", ".join(name.replace("_", " ").title() for name in missing)
                raise InvalidInput(
                    f"I can't post in {channel.mention} yet: I need {names} there. "
                    "Nothing was saved."
                )
        row = await self.posting.configure(
            interaction.guild.id, kind, channel_id=channel.id, days=days, at=time
        )
        await self.bot.refresh_timer(interaction.guild.id, kind)
        timing = await self.posting.timing(row)
        embed = schedule_embeds.saved(row, timing.next_due(self.bot.clock.now()))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="pause", description="Stop a schedule until resumed")
    async def pause(self, interaction: discord.Interaction, kind: KindOption) -> None:
        assert interaction.guild_id is not None
        await self.posting.pause(interaction.guild_id, check_kind(kind))
        await self.bot.refresh_timer(interaction.guild_id, kind)
        await interaction.response.send_message(f"⏸️ The {kind} schedule is paused.", ephemeral=True)

    @app_commands.command(name="resume", description="Resume a paused or broken schedule")
    async def resume(self, interaction: discord.Interaction, kind: KindOption) -> None:
        assert interaction.guild_id is not None
        row = await self.posting.resume(interaction.guild_id, check_kind(kind))
        await self.bot.refresh_timer(interaction.guild_id, kind)
        timing = await self.posting.timing(row)
        embed = schedule_embeds.saved(row, timing.next_due(self.bot.clock.now()))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="preview", description="See the next post (changes nothing)")
    async def preview(self, interaction: discord.Interaction, kind: KindOption) -> None:
        assert interaction.guild_id is not None
        guild_id = interaction.guild_id
        roadmap = self.bot.roadmap
        if kind == "challenges":
            challenge = await self.posting.next_challenge(guild_id)
            if challenge is None:
                raise InvalidInput("The challenge pool is empty.")
            row = await self.posting.schedules.get(guild_id, "challenges")
            now = self.bot.clock.now()
            deadline = (await self.posting.timing(row)).next_due(now) if row else now
            embeds = [schedule_embeds.challenge_preview(challenge, roadmap, deadline)]
        else:
            tip = await self.posting.next_tip(guild_id)
            if tip is None:
                raise InvalidInput("There are no tips to post.")
            embeds = [schedule_embeds.tip_preview(tip, roadmap)]
        await interaction.response.send_message(
            "Preview (nothing was posted):", embeds=embeds, ephemeral=True
        )

    @app_commands.command(name="post-now", description="Post now, as this period's post")
    async def post_now(self, interaction: discord.Interaction, kind: KindOption) -> None:
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True)
        job = await self.posting.post_now(interaction.guild_id, check_kind(kind))
        sent = await self.bot.scheduler.publisher.deliver_now(job)
        row = await self.posting.schedules.get(interaction.guild_id, kind)
        if sent:
            message = (
                f"Posted this period's {kind} post ({job.post.period}) "
                f"in <#{job.schedule.channel_id}>."
            )
        else:
            reason = row.reason if row and row.reason else "Discord did not accept it; I'll retry."
            message = f"The post did not go out: {reason}"
        await interaction.followup.send(message, ephemeral=True)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(ScheduleCog(bot))
