"""/timezone and /privacy: a member's own settings and data.

Everything here is about the member who runs it, so every reply is ephemeral and every button is
locked to that member (StudyView's owner check).
"""

from __future__ import annotations

import io

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import StudyBot
from bot.core.privacy import PrivacySettings, export_document
from bot.storage.privacy_repo import PrivacyRepository
from bot.ui import timezones
from bot.ui.views import StudyView

COLOUR = discord.Colour.blurple()


class PrivacyCog(commands.Cog, name="Privacy"):
    def __init__(self, bot: StudyBot, privacy: PrivacyRepository) -> None:
        self.bot = bot
        self.services = bot.services
        self.privacy = privacy

    @app_commands.command(name="timezone", description="Set your timezone, or see it")
    @app_commands.describe(zone="Start typing your city, e.g. Berlin or Tokyo")
    @app_commands.guild_only()
    async def timezone(self, interaction: discord.Interaction, zone: str | None = None) -> None:
        assert interaction.guild_id is not None
        guild_id, user_id = interaction.guild_id, interaction.user.id
        now = self.services.clock.now()
        if zone is None:
            member = await self.services.guild_settings.member(guild_id, user_id)
            if member.timezone:
                current, whose = member.timezone, f"Your timezone is **{member.timezone}**"
            else:
                server = await self.services.guild_settings.guild(guild_id)
                current = server.timezone
                whose = f"You haven't set a timezone, so I use the server's zone **{current}**"
            message = (
                f"{whose}. It's **{timezones.local_time(now, current)}** for you. "
                "Change it with `/timezone zone:`."
            )
        else:
            chosen = timezones.resolve_zone(zone)
            await self.services.guild_settings.update_member(
                guild_id, user_id, now, timezone=chosen
            )
            await self.services.reminders.rezone(guild_id, user_id)
            message = (
                f"Timezone set to **{chosen}**: it's **{timezones.local_time(now, chosen)}** "
                "for you, and your study days and streaks follow this clock from now on."
            )
        await interaction.response.send_message(message, ephemeral=True)

    @timezone.autocomplete("zone")
    async def _zone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return timezones.zone_choices(current)

    @app_commands.command(name="privacy", description="What others see of you; export or delete")
    @app_commands.guild_only()
    async def privacy_panel(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        view = PrivacyView(self, interaction.guild_id, interaction.user.id)
        embed = await view.render()
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
        view.message = await interaction.original_response()


def privacy_embed(settings: PrivacySettings, timezone: str | None, sessions: int) -> discord.Embed:
    embed = discord.Embed(
        title="Your privacy",
        description=(
            "What other members can see of you in this server, and your data here. "
            "Only you can see this message and press its buttons."
        ),
        colour=COLOUR,
    )
    embed.add_field(
        name="Leaderboards",
        value="You are **hidden** from leaderboards."
        if settings.hide_from_leaderboards
        else "You are **shown** on leaderboards.",
        inline=False,
    )
    embed.add_field(
        name="Your progress",
        value="**Only you** can see it: others' /progress and /stats about you are refused."
        if settings.hide_progress
        else "**Others can see it** with /progress and /stats.",
        inline=False,
    )
    embed.add_field(
        name="Timezone", value=timezone or "not set (the server's zone is used)", inline=False
    )
    embed.add_field(
        name="Your data",
        value=f"{sessions} study session{'s' if sessions != 1 else ''} logged in this server. "
        "**Export** sends you a JSON file of everything stored about you here; **Delete** "
        "erases it for good (after you confirm).",
        inline=False,
    )
    return embed


class PrivacyView(StudyView):
    def __init__(self, cog: PrivacyCog, guild_id: int, user_id: int) -> None:
        super().__init__(owner_id=user_id)
        self.cog = cog
        self.guild_id = guild_id
        self.user_id = user_id

    async def render(self) -> discord.Embed:
        """Read the current state, relabel the toggles, and build the embed."""
        services = self.cog.services
        settings = await self.cog.privacy.settings(self.guild_id, self.user_id)
        member = await services.guild_settings.member(self.guild_id, self.user_id)
        _, sessions = await services.progress_repo.totals(self.guild_id, self.user_id)
        _label(self.leaderboards, "Hide me from leaderboards", settings.hide_from_leaderboards)
        _label(self.progress, "Hide my progress from others", settings.hide_progress)
        return privacy_embed(settings, member.timezone, sessions)

    async def _toggle(self, interaction: discord.Interaction, **values: bool) -> None:
        now = self.cog.services.clock.now()
        await self.cog.services.guild_settings.update_member(
            self.guild_id, self.user_id, now, **values
        )
        await interaction.response.edit_message(embed=await self.render(), view=self)

    @discord.ui.button(label="Hide me from leaderboards", row=0)
    async def leaderboards(
        self, interaction: discord.Interaction, button: discord.ui.Button[PrivacyView]
    ) -> None:
        current = await self.cog.privacy.settings(self.guild_id, self.user_id)
        await self._toggle(interaction, hide_from_leaderboards=not current.hide_from_leaderboards)

    @discord.ui.button(label="Hide my progress from others", row=0)
    async def progress(
        self, interaction: discord.Interaction, button: discord.ui.Button[PrivacyView]
    ) -> None:
        current = await self.cog.privacy.settings(self.guild_id, self.user_id)
        await self._toggle(interaction, hide_progress=not current.hide_progress)

    @discord.ui.button(label="Export my data", style=discord.ButtonStyle.primary, row=1)
    async def export(
        self, interaction: discord.Interaction, button: discord.ui.Button[PrivacyView]
    ) -> None:
        tables = await self.cog.privacy.export(self.guild_id, self.user_id)
        now = self.cog.services.clock.now()
        data = export_document(self.guild_id, self.user_id, now, tables)
        file = discord.File(io.BytesIO(data), filename=f"study-data-{self.guild_id}.json")
        rows = sum(len(r) for r in tables.values())
        await interaction.response.send_message(
            f"Here is everything stored about you in this server ({rows} rows).",
            file=file,
            ephemeral=True,
        )

    @discord.ui.button(label="Delete my data", style=discord.ButtonStyle.danger, row=1)
    async def delete(
        self, interaction: discord.Interaction, button: discord.ui.Button[PrivacyView]
    ) -> None:
        confirm = ConfirmDeleteView(self.cog, self.guild_id, self.user_id)
        await interaction.response.send_message(
            "Delete **everything** stored about you in this server: study sessions, totals, "
            "completed topics, streaks and settings? This cannot be undone.",
            view=confirm,
            ephemeral=True,
        )
        confirm.message = await interaction.original_response()


class ConfirmDeleteView(StudyView):
    """The second step of a deletion, so one stray click never erases a member's history."""

    def __init__(self, cog: PrivacyCog, guild_id: int, user_id: int) -> None:
        super().__init__(owner_id=user_id, timeout=120)
        self.cog = cog
        self.guild_id = guild_id
        self.user_id = user_id

    @discord.ui.button(label="Confirm: delete my data", style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmDeleteView]
    ) -> None:
        # Leave groups first so ownership passes on and no group is left with a missing owner.
        await self.cog.services.groups.leave_all(self.guild_id, self.user_id)
        removed = await self.cog.privacy.erase(self.guild_id, self.user_id)
        self.cog.services.guild_settings.forget_member(self.guild_id, self.user_id)
        self.stop()
        await interaction.response.edit_message(
            content=f"Done: your data in this server is deleted ({removed} rows). "
            "If you log study time again, you start fresh.",
            view=None,
        )

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmDeleteView]
    ) -> None:
        self.stop()
        await interaction.response.edit_message(
            content="Cancelled: nothing was deleted.", view=None
        )


def _label(button: discord.ui.Button[PrivacyView], text: str, on: bool) -> None:
    """A toggle shows its state in its label and colour (green when on)."""
    button.label = f"{text}: {'on' if on else 'off'}"
    button.style = discord.ButtonStyle.success if on else discord.ButtonStyle.secondary


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(PrivacyCog(bot, bot.services.privacy))
