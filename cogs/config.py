"""/config: the server's settings (timezone, streak minimum, roles, channels), for moderators.

No `default_permissions` on the group: members holding the configured moderator role may lack
Manage Server, and Discord would hide the commands from them. `moderator_only()` on each
subcommand is what guards them (a server can override Discord's defaults anyway).
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Reference:
    """A server setting that names one role or channel, and what /config says about it."""

    field: str  # in GuildConfig and update_guild
    option: str  # "role" or "channel": the command's option, and how the id is mentioned
    unset: str
    cleared: str
    current: str  # {current}: the mention, or `unset`
    chosen: str  # {mention}: the new role or channel

    def mention(self, value: int | None) -> str:
        if value is None:
            return self.unset
        return f"<@&{value}>" if self.option == "role" else f"<#{value}>"


MODERATOR_ROLE = Reference(
    field="moderator_role_id",
    option="role",
    unset="none",
    cleared="Moderator role cleared: only members with **Manage Server** moderate now.",
    current="The moderator role is {current}. Set one with `/config moderator-role role:`, "
    "or remove it with `clear:True`.",
    chosen="Members with {mention} can now use moderator commands.",
)
PING_ROLE = Reference(
    field="ping_role_id",
    option="role",
    unset="none",
    cleared="Challenge posts will ping nobody.",
    current="Challenge posts ping {current}. Set a role with `/config ping-role role:`.",
    chosen="Weekly challenge posts will ping {mention} (and nobody else). "
    "Make sure the role is mentionable or that I may mention it.",
)
GROUPS_CHANNEL = Reference(
    field="groups_channel_id",
    option="channel",
    unset="not set",
    cleared="New study groups won't get a thread (existing threads stay).",
    current="The groups channel is {current}. Set one with `/config groups-channel channel:`.",
    chosen="Each new study group gets a public thread in {mention}; I add and remove its "
    "members and post when the group reaches its quorum.",
)
REMINDERS_CHANNEL = Reference(
    field="reminders_channel_id",
    option="channel",
    unset="not set",
    cleared="Reminders go by direct message only.",
    current="The reminders channel is {current}. Set one with "
    "`/config reminders-channel channel:`.",
    chosen="Members who don't accept DMs get their reminders in {mention}, "
    "with a mention of that member only.",
)


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
        problem = None
        if role is not None and (role.is_default() or role.managed):
            problem = "Pick a role you hand out to moderators, not @everyone or a bot's own role."
        await self._set_reference(interaction, MODERATOR_ROLE, role, clear, problem)

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
        problem = None
        if role is not None and (role.is_default() or role.managed):
            problem = "Pick an opt-in role members give themselves, not @everyone."
        await self._set_reference(interaction, PING_ROLE, role, clear, problem)

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
        problem = None
        if channel is not None:
            # Refused now rather than failing silently at each new group.
            allowed = channel.permissions_for(interaction.guild.me)
            if not (allowed.view_channel and allowed.create_public_threads):
                problem = (
                    f"I can't create threads in {channel.mention}: give me View Channel and "
                    "Create Public Threads there, or pick another channel."
                )
        await self._set_reference(interaction, GROUPS_CHANNEL, channel, clear, problem)

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
        problem = None
        if channel is not None:
            allowed = channel.permissions_for(interaction.guild.me)
            if not (allowed.view_channel and allowed.send_messages):
                problem = (
                    f"I can't post in {channel.mention}: give me View Channel and Send Messages."
                )
        await self._set_reference(interaction, REMINDERS_CHANNEL, channel, clear, problem)

    async def _set_reference(
        self,
        interaction: discord.Interaction,
        setting: Reference,
        value: discord.Role | discord.TextChannel | None,
        clear: bool,
        problem: str | None,
    ) -> None:
        """Set, clear or show a setting that names a role or a channel; `problem` is why the
        given value cannot be used (checked by the command, which knows what it needs)."""
        assert interaction.guild_id is not None
        guild_id, now = interaction.guild_id, self.services.clock.now()
        if clear and value is not None:
            raise InvalidInput(f"Give a {setting.option} or `clear`, not both.")
        if clear:
            await self.services.guild_settings.update_guild(guild_id, now, **{setting.field: None})
            message = setting.cleared
        elif value is None:
            config = await self.services.guild_settings.guild(guild_id)
            message = setting.current.format(
                current=setting.mention(getattr(config, setting.field))
            )
        elif problem is not None:
            raise InvalidInput(problem)
        else:
            await self.services.guild_settings.update_guild(
                guild_id, now, **{setting.field: value.id}
            )
            message = setting.chosen.format(mention=value.mention)
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
            value=MODERATOR_ROLE.mention(config.moderator_role_id)
            if config.moderator_role_id
            else "none (default): members with Manage Server moderate",
            inline=False,
        )
        for name, setting in (
            ("Challenge ping role", PING_ROLE),
            ("Groups channel", GROUPS_CHANNEL),
            ("Reminders channel", REMINDERS_CHANNEL),
        ):
            value = getattr(config, setting.field)
            shown = setting.mention(value) if value else "none (default)"
            embed.add_field(name=name, value=shown, inline=False)
        embed.set_footer(
            text="Change them with /config timezone, streak-minimum, moderator-role, ping-role, "
            "groups-channel, reminders-channel."
        )
        return embed


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(ConfigCog(bot))
