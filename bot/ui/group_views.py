"""The disband confirmation: two buttons only the member who asked can press."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.core.groups import Group
from bot.ui.views import StudyView

if TYPE_CHECKING:
    from bot.core.group_service import GroupService


class GroupEnder(Protocol):
    groups: GroupService

    async def end_group(self, group: Group) -> None: ...


class DisbandConfirm(StudyView):
    def __init__(self, ender: GroupEnder, group: Group, *, moderator: bool, owner_id: int) -> None:
        super().__init__(owner_id=owner_id, timeout=120)
        self.ender = ender
        self.group = group
        self.moderator = moderator

    @discord.ui.button(label="Disband", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        assert interaction.guild_id is not None
        # Checked again: ownership may have passed on while the buttons waited.
        group = await self.ender.groups.check_disband(
            interaction.guild_id, interaction.user.id, self.group.name, moderator=self.moderator
        )
        await self.ender.end_group(group)
        self.stop()
        await interaction.response.edit_message(
            content=f"**{group.name}** has been disbanded.", view=None
        )

    @discord.ui.button(label="Keep it", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        self.stop()
        await interaction.response.edit_message(content=f"**{self.group.name}** stays.", view=None)
