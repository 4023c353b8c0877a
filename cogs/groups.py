"""/group: study groups with a shared streak. Parse options, call GroupService, render."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import StudyBot
from bot.core.errors import InvalidInput
from bot.core.group_service import CLEAR, GroupChanges
from bot.core.groups import CAPACITY_MAX, CAPACITY_MIN, DEFAULT_CAPACITY, Group
from bot.ui import autocomplete, group_embeds
from bot.ui.checks import is_moderator
from bot.ui.format import truncate
from bot.ui.group_threads import GroupThreads
from bot.ui.group_views import DisbandConfirm

Scope = Literal["mine", "owned", "any", "joinable"]
Capacity = app_commands.Range[int, CAPACITY_MIN, CAPACITY_MAX]


@app_commands.guild_only()
class GroupsCog(
    commands.GroupCog,
    name="Groups",
    group_name="group",
    group_description="Study groups with a shared streak",
):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.services = bot.services
        self.groups = bot.services.groups
        self.threads = GroupThreads(bot)
        super().__init__()

    @app_commands.command(name="create", description="Start a study group; you own it")
    @app_commands.describe(
        name="2-40 characters, unique in this server",
        topic="The roadmap topic the group studies (optional)",
        capacity=f"Most members ({CAPACITY_MIN}-{CAPACITY_MAX}, default {DEFAULT_CAPACITY})",
        is_open="Anyone may join (default), or invite-only",
        description="What the group is about (up to 200 characters)",
    )
    @app_commands.rename(is_open="open")
    async def create(
        self,
        interaction: discord.Interaction,
        name: str,
        topic: str | None = None,
        capacity: Capacity = DEFAULT_CAPACITY,
        is_open: bool = True,
        description: str | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        topic_id = autocomplete.resolve_topic(self.services, topic).id if topic else None
        group = await self.groups.create(
            interaction.guild_id,
            interaction.user.id,
            name,
            topic_id=topic_id,
            capacity=capacity,
            is_open=is_open,
            description=description,
        )
        await interaction.response.send_message(
            f"👥 **{group.name}** is ready, and you own it. Others join with "
            f"`/group join name:{group.name}`"
            + ("." if group.is_open else " once you `/group invite` them."),
            ephemeral=True,
        )
        await self.threads.open(group)

    @app_commands.command(name="join", description="Join a study group")
    @app_commands.describe(name="The group (groups with free places first)")
    async def join(self, interaction: discord.Interaction, name: str) -> None:
        assert interaction.guild_id is not None
        group = await self.groups.join(interaction.guild_id, interaction.user.id, name)
        await interaction.response.send_message(
            f"👋 You joined **{group.name}** ({group.member_count}/{group.capacity}). "
            f"A group day counts when {group.required} of you study.",
            ephemeral=True,
        )
        await self.threads.add(group, interaction.user.id)

    @app_commands.command(name="invite", description="Owner: invite a member (valid 7 days)")
    @app_commands.describe(member="Who to invite", group="Which of your groups")
    async def invite(
        self, interaction: discord.Interaction, member: discord.Member, group: str | None = None
    ) -> None:
        assert interaction.guild_id is not None
        _no_bots(member)
        found, expires = await self.groups.invite(
            interaction.guild_id, interaction.user.id, member.id, group
        )
        await interaction.response.send_message(
            f"✉️ {member.mention} may join **{found.name}** until "
            f"<t:{int(expires.timestamp())}:f>: tell them to run "
            f"`/group join name:{found.name}`.",
            ephemeral=True,
        )

    @app_commands.command(name="leave", description="Leave a study group")
    @app_commands.describe(group="Which of your groups")
    async def leave(self, interaction: discord.Interaction, group: str | None = None) -> None:
        assert interaction.guild_id is not None
        done = await self.groups.leave(interaction.guild_id, interaction.user.id, group)
        name = done.group.name
        if done.departure.ended:
            message = f"You left **{name}**; you were its last member, so the group has ended."
        elif done.departure.new_owner_id is not None:
            message = (
                f"You left **{name}**. <@{done.departure.new_owner_id}>, its longest-standing "
                "member, owns it now."
            )
        else:
            message = f"You left **{name}**."
        await interaction.response.send_message(message, ephemeral=True)
        await self._after_departure(done.group, interaction.user.id, done.departure.ended)
        await self.threads.announce(done.events)

    @app_commands.command(name="info", description="A group's members, streak and today's quorum")
    @app_commands.describe(group="Which group (default: yours)")
    async def info(self, interaction: discord.Interaction, group: str | None = None) -> None:
        assert interaction.guild_id is not None
        found = await self.groups.info(interaction.guild_id, interaction.user.id, group)
        await interaction.response.send_message(
            embed=group_embeds.info_embed(self.services.roadmap, found), ephemeral=True
        )

    @app_commands.command(name="list", description="Groups with free places, most active first")
    @app_commands.describe(topic="Only groups studying this topic")
    async def list_groups(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        assert interaction.guild_id is not None
        topic_id = autocomplete.resolve_topic(self.services, topic).id if topic else None
        found = await self.groups.listing(interaction.guild_id, topic_id)
        await interaction.response.send_message(
            embed=group_embeds.list_embed(self.services.roadmap, found), ephemeral=True
        )

    @app_commands.command(name="kick", description="Owner or moderator: remove a member")
    @app_commands.describe(member="Who to remove", group="Which group")
    async def kick(
        self, interaction: discord.Interaction, member: discord.Member, group: str | None = None
    ) -> None:
        assert interaction.guild_id is not None
        moderator = await is_moderator(interaction)
        done = await self.groups.kick(
            interaction.guild_id, interaction.user.id, member.id, group, moderator=moderator
        )
        extra = ""
        if done.departure.ended:
            extra = " They were its last member, so the group has ended."
        elif done.departure.new_owner_id is not None:
            extra = f" <@{done.departure.new_owner_id}> owns it now."
        await interaction.response.send_message(
            f"Removed {member.mention} from **{done.group.name}**.{extra}", ephemeral=True
        )
        await self._after_departure(done.group, member.id, done.departure.ended)
        await self.threads.announce(done.events)

    @app_commands.command(name="transfer", description="Owner: hand the group to another member")
    @app_commands.describe(member="The new owner (a member of the group)", group="Which group")
    async def transfer(
        self, interaction: discord.Interaction, member: discord.Member, group: str | None = None
    ) -> None:
        assert interaction.guild_id is not None
        _no_bots(member)
        found = await self.groups.transfer(
            interaction.guild_id, interaction.user.id, member.id, group
        )
        await interaction.response.send_message(
            f"👑 {member.mention} now owns **{found.name}**.", ephemeral=True
        )

    @app_commands.command(name="settings", description="Owner: quorum, capacity, open, and more")
    @app_commands.describe(
        group="Which group",
        quorum="Members who must study for a group day to count; 0 = half, rounded up",
        capacity=f"Most members ({CAPACITY_MIN}-{CAPACITY_MAX})",
        is_open="Anyone may join, or invite-only",
        description="Up to 200 characters; - removes it",
        topic="The roadmap topic; - removes it",
    )
    @app_commands.rename(is_open="open")
    async def group_settings(
        self,
        interaction: discord.Interaction,
        group: str | None = None,
        quorum: app_commands.Range[int, 0, CAPACITY_MAX] | None = None,
        capacity: Capacity | None = None,
        is_open: bool | None = None,
        description: str | None = None,
        topic: str | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        topic_id = topic
        if topic is not None and topic.strip() != CLEAR:
            topic_id = autocomplete.resolve_topic(self.services, topic).id
        changes = GroupChanges(
            quorum, capacity, is_open, description, topic_id and topic_id.strip()
        )
        found, events = await self.groups.change(
            interaction.guild_id, interaction.user.id, group, changes
        )
        await interaction.response.send_message(
            f"⚙️ **{found.name}** updated: {found.member_count}/{found.capacity} members, "
            f"{'open' if found.is_open else 'invite-only'}, a group day needs "
            f"{found.required} of {found.member_count} "
            f"({'default quorum' if found.quorum is None else f'quorum {found.quorum}'}).",
            ephemeral=True,
        )
        await self.threads.announce(events)

    @app_commands.command(name="disband", description="Owner or moderator: end a group")
    @app_commands.describe(group="Which group")
    async def disband(self, interaction: discord.Interaction, group: str | None = None) -> None:
        assert interaction.guild_id is not None
        moderator = await is_moderator(interaction)
        found = await self.groups.check_disband(
            interaction.guild_id, interaction.user.id, group, moderator=moderator
        )
        view = DisbandConfirm(self, found, moderator=moderator, owner_id=interaction.user.id)
        await interaction.response.send_message(
            f"Disband **{found.name}** for all {found.member_count} members? Its streak and "
            "history go with it.",
            view=view,
            ephemeral=True,
        )
        view.message = await interaction.original_response()

    async def end_group(self, group: Group) -> None:
        """Called by the confirm button once pressed."""
        await self.groups.disband(group)
        await self.threads.close(group)

    async def _after_departure(self, group: Group, user_id: int, ended: bool) -> None:
        if ended:
            await self.threads.close(group)
        else:
            await self.threads.remove(group, user_id)

    # --- autocomplete ---------------------------------------------------------------------------

    async def _choices(
        self, interaction: discord.Interaction, current: str, scope: Scope
    ) -> list[app_commands.Choice[str]]:
        guild_id, user_id = interaction.guild_id, interaction.user.id
        if guild_id is None:
            return []
        if scope == "joinable":
            groups = await self.groups.joinable(guild_id, user_id)
        elif scope == "any":
            mine = await self.groups.member_groups(guild_id, user_id)
            ids = {g.id for g in mine}
            others = [g for g in await self.groups.guild_groups(guild_id) if g.id not in ids]
            groups = mine + others
        else:
            groups = await self.groups.member_groups(guild_id, user_id)
            if scope == "owned":
                owned = [g for g in groups if g.owner_id == user_id]
                groups = owned or (
                    await self.groups.guild_groups(guild_id)
                    if await is_moderator(interaction)
                    else []
                )
        needle = current.casefold().strip()
        return [
            app_commands.Choice(name=truncate(_choice_label(g), 100), value=g.name)
            for g in groups
            if needle in g.name.casefold()
        ][: autocomplete.CHOICES_MAX]

    @join.autocomplete("name")
    async def _joinable(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._choices(interaction, current, "joinable")

    @leave.autocomplete("group")
    async def _mine(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._choices(interaction, current, "mine")

    @info.autocomplete("group")
    async def _any(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._choices(interaction, current, "any")

    @invite.autocomplete("group")
    @kick.autocomplete("group")
    @transfer.autocomplete("group")
    @group_settings.autocomplete("group")
    @disband.autocomplete("group")
    async def _owned(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._choices(interaction, current, "owned")

    @create.autocomplete("topic")
    @list_groups.autocomplete("topic")
    @group_settings.autocomplete("topic")
    async def _topic(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await autocomplete.topic_choices(self.services, interaction, current)


def _choice_label(group: Group) -> str:
    lock = " · invite-only" if not group.is_open else ""
    return f"{group.name} ({group.member_count}/{group.capacity}){lock}"


def _no_bots(member: discord.Member) -> None:
    if member.bot:
        raise InvalidInput("Bots don't study, so they can't be in a study group.")


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(GroupsCog(bot))
