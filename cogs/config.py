"""/config: the server's settings (timezone, streak minimum, moderator role), for moderators.

No `default_permissions` on the group: members holding the configured moderator role may lack
Manage Server, and Discord would hide the commands from them. `moderator_only()` on each
subcommand is what guards them (a server can override Discord's defaults anyway).
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import StudyBot
from bot.core.errors import InvalidInput
from bot.core.settings import GuildConfig
from bot.ui import timezones
from bot.ui.checks import moderator_only

COLOUR = discord.Colour.blurple()
STREAK_MINIMUM_MAX = 720


@app_commands.guild_only()
class ConfigCog(
    commands.GroupCog, group_name="config", group_description="Server settings (moderators)"
):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.services = bot.services

    @app_commands.command(name="show", description="The server's settings")
    @moderator_only()
    async def show(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        config = await self.services.guild_settings.guild(interaction.guild_id)
        await interaction.response.send_message(embed=self._embed(config), ephemeral=True)

    @app_commands.command(name="timezone", description="The server's timezone (members' default)")
    @app_commands.describe(zone="Start typing a city, e.g. Berlin or Tokyo")
    @moderator_only()
    async def timezone(self, interaction: discord.Interaction, zone: str) -> None:
        assert interaction.guild_id is not None
        chosen = timezones.resolve_zone(zone)
        now = self.services.clock.now()
        await self.services.guild_settings.update_guild(interaction.guild_id, now, timezone=chosen)
        await self.services.reminders.rezone(interaction.guild_id)
        await interaction.response.send_message(
            f"Server timezone set to **{chosen}** (it's {timezones.local_time(now, chosen)} "
            "there). Members without their own `/timezone` count their days in it.",
            ephemeral=True,
        )

    @timezone.autocomplete("zone")
    async def _zone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return timezones.zone_choices(current)

    @app_commands.command(
        name="streak-minimum", description="Minutes of study a day needs to count for a streak"
    )
    @app_commands.describe(minutes=f"1 to {STREAK_MINIMUM_MAX} minutes")
    @moderator_only()
    async def streak_minimum(
        self,
        interaction: discord.Interaction,
        minutes: app_commands.Range[int, 1, STREAK_MINIMUM_MAX],
    ) -> None:
        assert interaction.guild_id is not None
        if not 1 <= minutes <= STREAK_MINIMUM_MAX:  # a forged value skips Discord's range check
            raise InvalidInput(f"Pick between 1 and {STREAK_MINIMUM_MAX} minutes.")
        now = self.services.clock.now()
        await self.services.guild_settings.update_guild(
            interaction.guild_id, now, streak_minimum=minutes
        )
        await interaction.response.send_message(
            f"A day now needs **{minutes} min** of study to count for a streak.", ephemeral=True
        )

    @app_commands.command(
        name="moderator-role", description="The role whose members may moderate the bot"
    )
    @app_commands.describe(role="The moderator role", clear="Remove the moderator role")
    @moderator_only()
    async def moderator_role(
        self,
        interaction: discord.Interaction,
        role: discord.Role | None = None,
        clear: bool = False,
    ) -> None:
        assert interaction.guild_id is not None
        guild_id, now = interaction.guild_id, self.services.clock.now()
        if clear and role is not None:
            raise InvalidInput("Give a role or `clear`, not both.")
        if clear:
            await self.services.guild_settings.update_guild(guild_id, now, moderator_role_id=None)
            message = "Moderator role cleared: only members with **Manage Server** moderate now."
        elif role is None:
            config = await self.services.guild_settings.guild(guild_id)
            current = f"<@&{config.moderator_role_id}>" if config.moderator_role_id else "none"
            message = (
                f"The moderator role is {current}. Set one with `/config moderator-role role:`, "
                "or remove it with `clear:True`."
            )
        elif role.is_default() or role.managed:
            raise InvalidInput(
                "Pick a role you hand out to moderators, not @everyone or a bot's own role."
            )
        else:
            await self.services.guild_settings.update_guild(
                guild_id, now, moderator_role_id=role.id
            )
            message = f"Members with {role.mention} can now use moderator commands."
        await interaction.response.send_message(message, ephemeral=True)

    @app_commands.command(
        name="ping-role", description="The role pinged by weekly challenge posts (opt-in)"
    )
    @app_commands.describe(role="Members who want challenge pings", clear="Stop pinging")
    @moderator_only()
    async def ping_role(
        self,
        interaction: discord.Interaction,
        role: discord.Role | None = None,
        clear: bool = False,
    ) -> None:
        assert interaction.guild_id is not None
        guild_id, now = interaction.guild_id, self.services.clock.now()
        if clear and role is not None:
            raise InvalidInput("Give a role or `clear`, not both.")
        if clear:
            await self.services.guild_settings.update_guild(guild_id, now, ping_role_id=None)
            message = "Challenge posts will ping nobody."
        elif role is None:
            config = await self.services.guild_settings.guild(guild_id)
            current = f"<@&{config.ping_role_id}>" if config.ping_role_id else "none"
            message = f"Challenge posts ping {current}. Set a role with `/config ping-role role:`."
        elif role.is_default() or role.managed:
            raise InvalidInput("Pick an opt-in role members give themselves, not @everyone.")
        else:
            await self.services.guild_settings.update_guild(guild_id, now, ping_role_id=role.id)
            message = (
                f"Weekly challenge posts will ping {role.mention} (and nobody else). "
                "Make sure the role is mentionable or that I may mention it."
            )
        await interaction.response.send_message(message, ephemeral=True)

    @app_commands.command(
        name="groups-channel", description="The channel where each study group gets a thread"
    )
    @app_commands.describe(channel="A text channel", clear="No more group threads")
    @moderator_only()
    async def groups_channel(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel | None = None,
        clear: bool = False,
    ) -> None:
        assert interaction.guild is not None
        guild_id, now = interaction.guild.id, self.services.clock.now()
        if clear and channel is not None:
            raise InvalidInput("Give a channel or `clear`, not both.")
        if clear:
            await self.services.guild_settings.update_guild(guild_id, now, groups_channel_id=None)
            message = "New study groups won't get a thread (existing threads stay)."
        elif channel is None:
            config = await self.services.guild_settings.guild(guild_id)
            current = f"<#{config.groups_channel_id}>" if config.groups_channel_id else "not set"
            message = (
                f"The groups channel is {current}. Set one with `/config groups-channel channel:`."
            )
        else:
            # Refused now rather than failing silently at each new group.
            allowed = channel.permissions_for(interaction.guild.me)
            if not (allowed.view_channel and allowed.create_public_threads):
                raise InvalidInput(
                    f"I can't create threads in {channel.mention}: give me View Channel and "
                    "Create Public Threads there, or pick another channel."
                )
            await self.services.guild_settings.update_guild(
                guild_id, now, groups_channel_id=channel.id
            )
            message = (
                f"Each new study group gets a public thread in {channel.mention}; I add and "
                "remove its members and post when the group reaches its quorum."
            )
        await interaction.response.send_message(message, ephemeral=True)

    @app_commands.command(
        name="reminders-channel",
        description="Where reminders go for members who don't accept direct messages",
    )
    @app_commands.describe(channel="A text channel", clear="Only direct messages")
    @moderator_only()
    async def reminders_channel(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel | None = None,
        clear: bool = False,
    ) -> None:
        assert interaction.guild is not None
        guild_id, now = interaction.guild.id, self.services.clock.now()
        if clear and channel is not None:
            raise InvalidInput("Give a channel or `clear`, not both.")
        if clear:
            await self.services.guild_settings.update_guild(
                guild_id, now, reminders_channel_id=None
            )
            message = "Reminders go by direct message only."
        elif channel is None:
            config = await self.services.guild_settings.guild(guild_id)
            current = (
                f"<#{config.reminders_channel_id}>" if config.reminders_channel_id else "not set"
            )
            message = f"The reminders channel is {current}."
        else:
            allowed = channel.permissions_for(interaction.guild.me)
            if not (allowed.view_channel and allowed.send_messages):
                raise InvalidInput(
                    f"I can't post in {channel.mention}: give me View Channel and Send Messages."
                )
            await self.services.guild_settings.update_guild(
                guild_id, now, reminders_channel_id=channel.id
            )
            message = (
                f"Members who don't accept DMs get their reminders in {channel.mention}, "
                "with a mention of that member only."
            )
        await interaction.response.send_message(message, ephemeral=True)

    def _embed(self, config: GuildConfig) -> discord.Embed:
        """Settings still at the bot's configured defaults say so."""
        defaults = self.services.settings.community
        embed = discord.Embed(title="Server settings", colour=COLOUR)
        default_zone = " (default)" if config.timezone == defaults.default_timezone else ""
        embed.add_field(name="Timezone", value=f"{config.timezone}{default_zone}", inline=False)
        default_min = " (default)" if config.streak_minimum == defaults.streak_minimum else ""
        embed.add_field(
            name="Streak minimum", value=f"{config.streak_minimum} min{default_min}", inline=False
        )
        embed.add_field(
            name="Moderator role",
            value=f"<@&{config.moderator_role_id}>"
            if config.moderator_role_id
            else "none (default): members with Manage Server moderate",
            inline=False,
        )
        embed.add_field(
            name="Groups channel",
            value=f"<#{config.groups_channel_id}>"
            if config.groups_channel_id
            else "none (default)",
            inline=False,
        )
        embed.add_field(
            name="Challenge ping role",
            value=f"<@&{config.ping_role_id}>" if config.ping_role_id else "none (default)",
            inline=False,
        )
        embed.set_footer(
            text="Change them with /config timezone, streak-minimum, moderator-role, ping-role."
        )
        return embed


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(ConfigCog(bot))
